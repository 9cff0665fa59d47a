"""``catalogue.toml``: what to load, which plugins to use and what to publish.

Example::

    [catalogue]                 # optional: overrides the first file's own settings
    source = "omaiset-uusimaa"

    [[sources]]
    path = "catalogue.yaml"     # relative to this file; type chosen by suffix
    [[sources]]
    type = "csv"
    path = "ryhmat.csv"
    options = { collection = "groups" }

    [plugins]
    enable = ["house_rules"]    # opt-in plugins to use for this build
    disable = ["some_plugin"]   # installed plugins not to use for this build

    [[outputs]]
    renderer = "json"
    [[outputs]]
    renderer = "csv"
    options = { headers = "fi" }

    [build]
    out = "dist"                # relative to this file
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .options import did_you_mean, nearest
from .problems import Problem

DEFAULT_OUTPUTS = ("json", "csv")


@attrs.frozen
class SourceSpec:
    path: str  # a file or folder (resolved against the config file) or a URL
    type: str | None = None  # a registered source name; None: chosen by suffix
    options: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class OutputSpec:
    renderer: str
    options: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class BuildConfig:
    path: Path
    sources: tuple[SourceSpec, ...]
    outputs: tuple[OutputSpec, ...] = tuple(OutputSpec(name) for name in DEFAULT_OUTPUTS)
    catalogue: Mapping[str, Any] = attrs.field(factory=dict)
    disabled_plugins: tuple[str, ...] = ()
    enabled_plugins: tuple[str, ...] = ()
    out_dir: Path | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def resolve(self, location: str) -> str:
        if "://" in location:
            return location
        return str(self.base_dir / location)

    @classmethod
    def for_file(cls, catalogue_file: Path) -> BuildConfig:
        """A build of one catalogue file with the default outputs (no TOML needed)."""
        return cls(path=catalogue_file.resolve().parent / "catalogue.toml", sources=(SourceSpec(catalogue_file.name),))


class ConfigError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.describe("en"))
        self.problem = problem


def _fail(label: str, path: str, fi: str, en: str) -> ConfigError:
    return ConfigError(Problem.error(label, path, fi, en, code="config"))


def _options(value: Any, label: str, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(label, path, "options pitää olla taulukko { … }", "options must be a table { … }")
    return value


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML configuration file as data; raises ConfigError with a Problem."""
    label = str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(label, "$", "asetustiedostoa ei löydy", "the configuration file does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(label, "$", f"asetustiedostoa ei voi lukea: {error}", f"the configuration file cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise _fail(label, "$", f"TOML-virhe: {error}", f"TOML error: {error}") from None


def refuse_unknown_settings(label: str, where: str, table: Mapping[str, Any], known: tuple[str, ...]) -> None:
    """Refuse (ConfigError) the first setting of ``table`` that is not ``known``, naming
    the nearest one that is (``option`` → ``options``) or, with no near one, all of them:
    a misspelt setting would otherwise leave its value unused without a word."""
    extra = sorted(set(table) - set(known), key=str)
    if not extra:
        return
    near = nearest(str(extra[0]), known)
    hint_fi, hint_en = did_you_mean(near) if near else (f" ({', '.join(known)})", f" ({', '.join(known)})")
    raise _fail(label, f"{where}.{extra[0]}", f"tuntematon asetus {extra[0]}{hint_fi}", f"unknown setting {extra[0]}{hint_en}")


def read_config(path: str | Path) -> BuildConfig:
    """Read and check a ``catalogue.toml``; raises ConfigError with a Problem."""
    path = Path(path)
    return config_from_data(read_toml(path), path)


def config_from_data(raw: dict[str, Any], path: Path, *, extra_sections: frozenset[str] = frozenset()) -> BuildConfig:
    """The build part of a parsed configuration. ``extra_sections`` are tables that a
    caller (the aggregator's ``federation.toml``) reads itself."""
    label = str(path)
    known = {"catalogue", "sources", "plugins", "outputs", "build"} | extra_sections
    unknown = sorted(set(raw) - known)
    if unknown:
        hint_fi, hint_en = did_you_mean(nearest(unknown[0], known))
        raise _fail(label, f"$.{unknown[0]}", f"tuntematon osio [{unknown[0]}]{hint_fi}", f"unknown section [{unknown[0]}]{hint_en}")

    sources = []
    raw_sources = raw.get("sources", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise _fail(label, "$.sources", "asetuksissa pitää olla vähintään yksi [[sources]]",
                    "the configuration needs at least one [[sources]]")
    for index, entry in enumerate(raw_sources):
        where = f"$.sources[{index}]"
        if not isinstance(entry, dict) or "path" not in entry:
            raise _fail(label, where, "lähteeltä puuttuu path", "a source needs a path")
        if not isinstance(entry["path"], str):
            raise _fail(label, f"{where}.path", "path on tiedoston polku tai osoite lainausmerkeissä",
                        "path is a file's path or an address in quotes")
        refuse_unknown_settings(label, where, entry, ("path", "type", "options"))
        sources.append(SourceSpec(entry["path"], entry.get("type"), _options(entry.get("options"), label, f"{where}.options")))

    outputs = []
    for index, entry in enumerate(raw.get("outputs", [{"renderer": name} for name in DEFAULT_OUTPUTS])):
        where = f"$.outputs[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("renderer"), str):
            raise _fail(label, where, "tulosteelta puuttuu renderer", "an output needs a renderer")
        # `option = {…}` would otherwise leave the renderer's options unset without a word
        refuse_unknown_settings(label, where, entry, ("renderer", "options"))
        outputs.append(OutputSpec(entry["renderer"], _options(entry.get("options"), label, f"{where}.options")))

    plugins = raw.get("plugins", {})
    if not isinstance(plugins, dict):
        raise _fail(label, "$.plugins", "[plugins] on taulukko", "[plugins] must be a table")
    refuse_unknown_settings(label, "$.plugins", plugins, ("enable", "disable"))
    lists = {}
    for key in ("enable", "disable"):
        names = plugins.get(key, [])
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise _fail(label, f"$.plugins.{key}", f"{key} on lista liitännäisten nimiä", f"{key} is a list of plugin names")
        lists[key] = tuple(names)

    catalogue = raw.get("catalogue", {})
    if not isinstance(catalogue, dict):
        raise _fail(label, "$.catalogue", "[catalogue] on taulukko", "[catalogue] must be a table")
    build = raw.get("build", {})
    if not isinstance(build, dict):
        raise _fail(label, "$.build", "[build] on taulukko", "[build] must be a table")
    refuse_unknown_settings(label, "$.build", build, ("out",))  # a misspelt out would publish to the default folder
    out = build.get("out")
    if out is not None and (not isinstance(out, str) or not out.strip()):
        raise _fail(label, "$.build.out", "out on kansion polku lainausmerkeissä", "out is a folder's path in quotes")
    return BuildConfig(
        path=path.resolve(),
        sources=tuple(sources),
        outputs=tuple(outputs),
        catalogue=catalogue,
        disabled_plugins=lists["disable"],
        enabled_plugins=lists["enable"],
        out_dir=(path.resolve().parent / out).resolve() if isinstance(out, str) else None,
    )
