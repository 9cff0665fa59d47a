"""Reading catalogue documents (YAML or JSON) without surprises.

Editors hand-write YAML, so the loader is YAML's safe loader with the YAML 1.1 traps
removed: ``no`` (Norwegian) stays a string instead of False, ``18:00`` stays a string
instead of the sexagesimal number 1080, dates stay strings for the schema to check, and
aliases are refused so that a small file cannot expand into gigabytes. Every failure is
a :class:`Problem`; nothing here raises on bad input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

#: Largest hand-written (YAML) catalogue file read: far more than any editor writes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Largest JSON catalogue file read: machine-written national catalogues are large (about
#: 140 MB for 100,000 records) and JSON parses quickly, but a mistake should not be able
#: to fill the memory.
MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


class CatalogueYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars, no aliases and no duplicate keys."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in catalogue files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _restrict_resolvers() -> None:
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, regexp)
            for tag, regexp in entries
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
                           "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        resolvers[first] = kept
    CatalogueYamlLoader.yaml_implicit_resolvers = resolvers
    add = CatalogueYamlLoader.add_implicit_resolver
    add("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    add("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    add("tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))


_restrict_resolvers()


def parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=CatalogueYamlLoader)  # noqa: S506 - safe loader subclass


def read_document(path: str | Path, *, label: str | None = None) -> tuple[Any | None, list[Problem]]:
    """Read a YAML or JSON file into plain data, or explain why it cannot be read."""
    path = Path(path)
    source = label or str(path)

    def unusable(code: str, fi: str, en: str) -> tuple[None, list[Problem]]:
        return None, [Problem.error(source, "$", fi, en, code=code)]

    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + JSON_SUFFIXES:
        return unusable("unknown_format", f"tiedostomuotoa {suffix or '(ei päätettä)'} ei tunneta: käytä .yaml tai .json",
                        f"file type {suffix or '(no suffix)'} is not known: use .yaml or .json")
    largest = MAX_JSON_DOCUMENT_BYTES if suffix in JSON_SUFFIXES else MAX_DOCUMENT_BYTES
    try:
        size = path.stat().st_size
        if size > largest:
            mib, limit = size // 2**20, largest // 2**20
            return unusable("file_too_large", f"tiedosto on liian suuri ({mib} Mt, enintään {limit} Mt)",
                            f"the file is too large ({mib} MB, at most {limit} MB)")
        with path.open("rb") as handle:
            raw = handle.read(largest + 1)
    except FileNotFoundError:
        return unusable("file_missing", "tiedostoa ei löydy", "the file does not exist")
    except IsADirectoryError:
        return unusable("file_missing", "polku on kansio, ei tiedosto", "the path is a folder, not a file")
    except OSError as error:
        return unusable("file_unreadable", f"tiedostoa ei voi lukea ({error.strerror})", f"the file cannot be read ({error.strerror})")
    if len(raw) > largest:  # grew while we looked
        return unusable("file_too_large", "tiedosto on liian suuri", "the file is too large")
    return parse_document(raw, suffix, source)


def parse_document(raw: bytes, suffix: str, source: str) -> tuple[Any | None, list[Problem]]:
    """Parse bytes already read (from a file or a feed) as YAML or JSON."""

    def unusable(code: str, fi: str, en: str) -> tuple[None, list[Problem]]:
        return None, [Problem.error(source, "$", fi, en, code=code)]

    if b"\x00" in raw:
        return unusable("not_text", "tiedosto ei ole tekstiä (se voi olla kuva, PDF tai Excel-tiedosto)",
                        "the file is not text (it may be an image, a PDF or an Excel file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return unusable("not_utf8", f"tiedosto ei ole UTF-8-merkistöä (kohta {error.start}); tallenna se UTF-8:na",
                        f"the file is not UTF-8 (at byte {error.start}); save it as UTF-8")
    if not text.strip():
        return unusable("file_empty", "tiedosto on tyhjä", "the file is empty")
    try:
        data = json.loads(text) if suffix in JSON_SUFFIXES else parse_yaml(text)
    except json.JSONDecodeError as error:
        return unusable("syntax", f"JSON-virhe rivillä {error.lineno}, sarakkeessa {error.colno}: {error.msg}",
                        f"JSON error at line {error.lineno}, column {error.colno}: {error.msg}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where_fi = f" rivillä {mark.line + 1}, sarakkeessa {mark.column + 1}" if mark else ""
        where_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(error, "problem", None) or str(error)
        return unusable("syntax", f"YAML-virhe{where_fi}: {detail}", f"YAML error{where_en}: {detail}")
    except RecursionError:
        return unusable("syntax", "tiedosto on sisäkkäisyydeltään liian syvä", "the file is nested too deeply")
    if not isinstance(data, dict):
        return unusable("not_a_catalogue", "tiedoston pitää olla luettelo (avain: arvo -pareja), ei lista tai yksittäinen arvo",
                        "the file must be a catalogue (key: value pairs), not a list or a single value")
    return data, []
