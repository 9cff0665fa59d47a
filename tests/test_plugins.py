"""Plugins through the public API: one test per hook, and the ways a plugin can go wrong.

The plugins are real files in ``tests/plugins/`` (plus the two installed plugins in
``plugins/`` and the guide's example in ``examples/plugins/hello_renderer/``), each
registered for one test with :func:`vertaistuki.plugins.registered_plugin`. The
``VERTAISTUKI_LOAD_PLUGINS`` variable and the ``vertaistuki plugins`` command are
tested in subprocesses, because this process loads no installed plugin (conftest.py).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import vertaistuki
from vertaistuki import plugins
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec, read_config
from vertaistuki.hookspecs import hookimpl
from vertaistuki.model import Catalogue, Term, Text
from vertaistuki.plugins import PluginError

ROOT = Path(__file__).resolve().parent.parent
TEST_PLUGINS = Path(__file__).resolve().parent / "plugins"
HELLO = ROOT / "examples" / "plugins" / "hello_renderer"
TODAY = dt.date(2026, 3, 2)

CATALOGUE = {
    "source": "omaiset",
    "organisations": [{"id": "omaiset", "name": {"fi": "Omaisyhdistys"}, "kind": "association"}],
    "groups": [
        {"id": "miesten-voimaa", "name": {"fi": "Miesten voimaa"}, "description": {"fi": "Miesten oma ryhmä."},
         "organiser": "omaiset", "openness": "open"},
        {"id": "huutajat", "name": {"fi": "HUUTAJAT"}, "description": {"fi": "Kovaääninen ryhmä."},
         "organiser": "omaiset", "openness": "open"},
        {"id": "kasityoilta", "name": {"fi": "Käsityöilta"}, "organiser": "omaiset", "openness": "open"},
    ],
}


@pytest.fixture
def load_plugin(monkeypatch) -> Callable[[str], ModuleType]:
    """Import a plugin module from tests/plugins/ by its file name."""
    monkeypatch.syspath_prepend(str(TEST_PLUGINS))

    def load(name: str) -> ModuleType:
        return importlib.import_module(name)

    return load


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "catalogue.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def config_for(project: Path, *renderers: str, sources: tuple[SourceSpec, ...] = (SourceSpec("catalogue.json"),)
               ) -> BuildConfig:
    return BuildConfig(path=project / "catalogue.toml", sources=sources,
                       outputs=tuple(OutputSpec(name) for name in renderers), out_dir=project / "public")


def problems_with(code: str, problems) -> list:
    return [problem for problem in problems if problem.code == code]


# One test per hook ---------------------------------------------------------------------


def test_hook_register_sources(load_plugin, project):
    source_plugin = load_plugin("source_plugin")
    (project / "ryhmat.lines").write_text("Vertaisryhmä omaisille\n\nIltapäiväkahvit\n", encoding="utf-8")
    sources = (SourceSpec("catalogue.json"), SourceSpec("ryhmat.lines", options={"organiser": "omaiset"}))
    with plugins.registered_plugin(source_plugin, "source_plugin"):
        lines = plugins.sources()["lines"]
        assert plugins.provider_of(lines) == "source_plugin"
        result = build(config_for(project, "json", sources=sources), today=TODAY)  # chosen by its suffix
    groups = {group.id: group for group in result.catalogue.groups}
    assert groups["iltapaivakahvit"].name.get("fi") == "Iltapäiväkahvit"
    assert groups["iltapaivakahvit"].provenance.pointer == "line 3"
    assert groups["iltapaivakahvit"].provenance.location.endswith("ryhmat.lines")
    feed = json.loads((project / "public" / "catalogue.json").read_text(encoding="utf-8"))
    assert {"vertaisryhma-omaisille", "iltapaivakahvit"} <= {group["id"] for group in feed["groups"]}
    assert "lines" not in plugins.sources()  # unregistered after the block


def test_hook_register_renderers(load_plugin, project):
    extra_renderer = load_plugin("extra_renderer_plugin")
    with plugins.registered_plugin(extra_renderer, "extra_renderer"):
        text = plugins.renderers()["text"]
        assert (text.media_type, text.suffix) == ("text/plain", ".txt")
        result = build(config_for(project, "text", "json"), today=TODAY)
    assert not result.errors
    written = (project / "public" / extra_renderer.LIST_FILE).read_text(encoding="utf-8")
    assert written == "- Miesten voimaa\n- HUUTAJAT\n- Käsityöilta\n"
    assert (project / "public" / "catalogue.json").is_file()
    assert "text" not in plugins.renderers()


def test_hook_register_vocabularies(load_plugin):
    vocabulary = load_plugin("vocabulary_plugin")
    data = {**CATALOGUE, "groups": [{**CATALOGUE["groups"][0], "topics": ["omaishoito"]}]}
    without = vertaistuki.load_data(data, "omaiset.json")
    assert [p.path for p in problems_with("unknown_term", without.problems)] == ["$.groups[0].topics[0]"]
    with plugins.registered_plugin(vocabulary, "vocabulary"):
        term = plugins.vocabulary_terms()[("topic", "omaishoito")]
        assert term.label.get("sv") == "Närståendevård"
        assert plugins.provider_of(term) == "vocabulary"
        assert ("region", "uusimaa") in plugins.vocabulary_terms()  # the built-ins are still there
        result = vertaistuki.load_data(data, "omaiset.json")
    assert problems_with("unknown_term", result.problems) == []
    assert result.catalogue.groups[0].topics == ("omaishoito",)


def test_hook_validate_record(load_plugin):
    house_rules = load_plugin("house_rules_plugin")
    with plugins.registered_plugin(house_rules, "house_rules_test"):
        result = vertaistuki.load_data(CATALOGUE, "omaiset.json")
    found = {(p.record_id, p.code, p.path, p.severity.value) for p in result.problems}
    assert found == {("huutajat", "house_rule.capitals", "$.groups[1].name", "error"),
                     ("kasityoilta", "house_rule.description", "$.groups[2].description", "warning")}
    # an error keeps the record out; a warning does not
    assert [group.id for group in result.catalogue.groups] == ["miesten-voimaa", "kasityoilta"]
    # and without the plugin, nothing of it remains
    assert len(vertaistuki.load_data(CATALOGUE, "omaiset.json").catalogue.groups) == 3


def test_hook_transform_catalogue(load_plugin, project):
    transform = load_plugin("transform_plugin")
    data = {**CATALOGUE, "groups": [{**CATALOGUE["groups"][0], "name": {"fi": "  Miesten   voimaa "}}]}
    (project / "catalogue.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with plugins.registered_plugin(transform, "tidy_names"):
        result = build(config_for(project, "json"), today=TODAY)
    assert result.catalogue.groups[0].name.get("fi") == "Miesten voimaa"
    feed = json.loads((project / "public" / "catalogue.json").read_text(encoding="utf-8"))
    assert feed["groups"][0]["name"] == {"fi": "Miesten voimaa"}  # the renderers see the transformed catalogue


# Transforms chain ----------------------------------------------------------------------


@attrs.define
class AddsTopic:
    """A transform that adds one topic term and remembers what it was given."""

    topic: str
    calls: list

    @hookimpl
    def transform_catalogue(self, catalogue):
        self.calls.append((self.topic, tuple(term.id for term in catalogue.terms)))
        term = Term(vocabulary="topic", id=self.topic, label=Text.of(fi=self.topic))
        return attrs.evolve(catalogue, terms=(*catalogue.terms, term))


class LeavesAlone:
    @hookimpl
    def transform_catalogue(self, catalogue):
        return None


def test_transforms_apply_in_turn_each_to_the_previous_result():
    calls: list = []
    catalogue = Catalogue(source="omaiset")
    with plugins.registered_plugin(AddsTopic("vertaistuki", calls), "first"), \
            plugins.registered_plugin(LeavesAlone(), "leaves_alone"), \
            plugins.registered_plugin(AddsTopic("omaishoito", calls), "second"):
        changed, problems = plugins.apply_transforms(catalogue)
    assert problems == []
    assert len(calls) == 2
    (earlier, saw_first), (later, saw_second) = calls
    assert saw_first == () and saw_second == (earlier,)  # the later one got the earlier one's result
    assert [term.id for term in changed.terms] == [earlier, later]
    assert catalogue.terms == ()  # the input itself is left as it was


def test_transforms_follow_the_documented_order():
    calls: list = []
    with plugins.registered_plugin(AddsTopic("ensin-rekisteroity", calls), "registered_first"), \
            plugins.registered_plugin(AddsTopic("viimeksi-rekisteroity", calls), "registered_last"):
        plugins.apply_transforms(Catalogue(source="omaiset"))
    assert [topic for topic, _ in calls] == ["ensin-rekisteroity", "viimeksi-rekisteroity"]  # registration order


def test_tryfirst_and_trylast_move_a_transform_to_the_front_or_the_back():
    calls: list = []

    def marked(topic: str, **options) -> object:
        class Marked:
            @hookimpl(**options)
            def transform_catalogue(self, catalogue):
                calls.append(topic)

        return Marked()

    with plugins.registered_plugin(marked("viimeinen", trylast=True), "last"), \
            plugins.registered_plugin(marked("tavallinen-1"), "plain_1"), \
            plugins.registered_plugin(marked("ensimmainen", tryfirst=True), "first"), \
            plugins.registered_plugin(marked("tavallinen-2"), "plain_2"):
        plugins.apply_transforms(Catalogue(source="omaiset"))
    assert calls == ["ensimmainen", "tavallinen-1", "tavallinen-2", "viimeinen"]


def test_a_wrapper_implementation_is_refused_naming_the_plugin():
    class Wrapper:
        @hookimpl(wrapper=True)
        def transform_catalogue(self, catalogue):
            return (yield)

    with pytest.raises(PluginError, match=r"'wrapping' implements transform_catalogue as a wrapper"):
        with plugins.registered_plugin(Wrapper(), "wrapping"):
            pytest.fail("a wrapper must not be usable")
    assert plugins.get_plugin_manager().get_plugin("wrapping") is None


# What goes wrong, and how it is reported -----------------------------------------------


def test_a_duplicate_renderer_name_is_an_error_naming_both_plugins(load_plugin):
    duplicate = load_plugin("duplicate_renderer_plugin")
    with plugins.registered_plugin(duplicate, "duplicate_renderer"):
        with pytest.raises(PluginError) as raised:
            plugins.renderers()
    message = str(raised.value)
    assert "'json'" in message
    assert "duplicate_renderer" in message and "vertaistuki.default_plugins.json_feed" in message
    assert plugins.provider_of(plugins.renderers()["json"]) == "vertaistuki.default_plugins.json_feed"


def test_a_duplicate_vocabulary_term_is_an_error_naming_both_plugins():
    class SecondUusimaa:
        @hookimpl
        def register_vocabularies(self, register):
            register(Term(vocabulary="region", id="uusimaa", label=Text.of(fi="Uusimaa")))

    with plugins.registered_plugin(SecondUusimaa(), "second_uusimaa"):
        with pytest.raises(PluginError, match="second_uusimaa") as raised:
            plugins.vocabulary_terms()
    assert "vertaistuki.default_plugins.vocabularies" in str(raised.value)


def test_a_descriptor_of_the_wrong_type_is_an_error_naming_the_plugin():
    class WrongType:
        @hookimpl
        def register_sources(self, register):
            register({"name": "dict-not-source"})

    with plugins.registered_plugin(WrongType(), "wrong_type"):
        with pytest.raises(PluginError, match=r"'wrong_type' passed dict to register_sources; expected Source"):
            plugins.sources()


def test_a_raising_plugin_is_a_problem_and_the_others_still_run(load_plugin):
    broken, house_rules, transform = (load_plugin(name) for name in ("broken_plugin", "house_rules_plugin", "transform_plugin"))
    untidy = {**CATALOGUE, "groups": [{**group, "name": {"fi": group["name"]["fi"] + "  "}} for group in CATALOGUE["groups"]]}
    catalogue = vertaistuki.load_data(untidy, "omaiset.json").catalogue
    with plugins.registered_plugin(house_rules, "house_rules_test"), plugins.registered_plugin(broken, "broken"), \
            plugins.registered_plugin(transform, "tidy_names"):
        result = vertaistuki.load_data(CATALOGUE, "omaiset.json")
        transformed, transform_problems = plugins.apply_transforms(catalogue)

    failed = problems_with("plugin_failed", result.problems)
    assert len(failed) == 1 and failed[0].is_error  # reported once, not once per record
    # a rule that could not run found nothing wrong: the records the other rules accept stay
    flagged = {p.record_id for p in result.errors if p.code != "plugin_failed"}
    assert {g.id for g in result.catalogue.groups} == {"miesten-voimaa", "huutajat", "kasityoilta"} - flagged
    for problem in failed:
        english = problem.message.get("en")
        assert "plugin broken failed in hook validate_record" in english and "sääntötiedosto puuttuu" in english
        assert "broken" in problem.message.get("fi") and "validate_record" in problem.message.get("fi")
    # the house rules still ran
    assert {p.code for p in result.problems} >= {"house_rule.capitals", "house_rule.description"}

    [failure] = transform_problems
    assert failure.code == "plugin_failed"
    assert "plugin broken failed in hook transform_catalogue" in failure.message.get("en")
    assert "geokoodauspalvelu" in failure.message.get("en")
    # and the other transform still applied
    assert [group.name.get("fi") for group in transformed.groups] == ["Miesten voimaa", "HUUTAJAT", "Käsityöilta"]


def test_a_build_with_a_raising_plugin_still_publishes_and_reports_it(load_plugin, project):
    """A plugin's failure (reported at ``$``) is not a source that could not be read:
    the build publishes every record, and says which plugin failed where."""
    broken = load_plugin("broken_plugin")
    (project / "catalogue.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    with plugins.registered_plugin(broken, "broken"):
        result = build(config_for(project, "json"), today=TODAY)
    codes = [p.code for p in result.errors]
    assert codes.count("plugin_failed") == 2 and "source_unread" not in codes  # validate_record and the transform
    feed = json.loads((project / "public" / "catalogue.json").read_text(encoding="utf-8"))
    assert len(feed["groups"]) == len(CATALOGUE["groups"])
    assert "plugin broken failed" in (project / "public" / "problems.txt").read_text(encoding="utf-8")


def test_a_misspelled_hook_is_refused_naming_the_plugin(load_plugin):
    misspelled = load_plugin("misspelled_plugin")
    with pytest.raises(PluginError, match="misspelled") as raised:
        with plugins.registered_plugin(misspelled, "misspelled"):
            pytest.fail("a plugin with an unknown hook must not be usable")
    assert "register_renderer" in str(raised.value)
    assert "did you mean 'register_renderers'" in str(raised.value)
    assert "misspelled" not in {info.name for info in plugins.list_plugins()}  # and it was taken out again
    assert "never" not in plugins.renderers()


def test_a_plugin_refused_at_registration_is_taken_out_again(load_plugin):
    misspelled = load_plugin("misspelled_plugin")
    with pytest.raises(PluginError):
        with plugins.registered_plugin(misspelled, "misspelled"):
            pass
    assert "misspelled" not in {info.name for info in plugins.list_plugins()}
    assert plugins.get_plugin_manager().get_plugin("misspelled") is None


# Who provides what, and choosing plugins per build --------------------------------------


def test_built_in_and_plugin_renderers_come_through_the_same_registration(load_plugin):
    extra_renderer = load_plugin("extra_renderer_plugin")
    with plugins.registered_plugin(extra_renderer, "extra_renderer"):
        available = plugins.renderers()
        providers = {name: plugins.provider_of(renderer) for name, renderer in available.items()}
        infos = {info.name: info for info in plugins.list_plugins()}
        stamped = plugins.registered_renderers()
    assert providers["json"] == "vertaistuki.default_plugins.json_feed"
    assert providers["csv"] == "vertaistuki.default_plugins.csv_files"
    assert providers["text"] == "extra_renderer"
    assert {provider for name, provider in providers.items() if name != "text"} <= set(plugins.DEFAULT_PLUGINS)
    assert (stamped["text"].value, stamped["text"].plugin) == (available["text"], "extra_renderer")
    assert infos["extra_renderer"].hooks == infos["vertaistuki.default_plugins.json_feed"].hooks == ("register_renderers",)
    assert not infos["extra_renderer"].is_default and infos["vertaistuki.default_plugins.json_feed"].is_default


def test_provider_of_names_the_plugin_for_sources_renderers_and_terms(load_plugin):
    source_plugin, extra_renderer, vocabulary = (
        load_plugin(name) for name in ("source_plugin", "extra_renderer_plugin", "vocabulary_plugin"))
    with plugins.registered_plugin(source_plugin, "lines_source"), \
            plugins.registered_plugin(extra_renderer, "extra_renderer"), \
            plugins.registered_plugin(vocabulary, "vocabulary"):
        assert plugins.provider_of(plugins.sources()["lines"]) == "lines_source"
        assert plugins.provider_of(plugins.sources()["yaml"]) == "vertaistuki.default_plugins.file_sources"
        assert plugins.provider_of(plugins.renderers()["text"]) == "extra_renderer"
        assert plugins.provider_of(plugins.vocabulary_terms()[("topic", "omaishoito")]) == "vocabulary"
        assert plugins.provider_of(plugins.vocabulary_terms()[("region", "lappi")]) == "vertaistuki.default_plugins.vocabularies"
        assert plugins.provider_of(object()) == "?"


def test_the_built_in_regions_are_finlands_19_with_iso_codes():
    regions = {term.id: term for (vocabulary, _), term in plugins.vocabulary_terms().items() if vocabulary == "region"}
    assert sorted(term.notation for term in regions.values()) == [f"FI-{number:02d}" for number in range(1, 20)]
    expected = {  # id: (ISO 3166-2, fi, sv, en)
        "ahvenanmaa": ("FI-01", "Ahvenanmaa", "Åland", "Åland"),
        "etela-karjala": ("FI-02", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
        "kanta-hame": ("FI-06", "Kanta-Häme", "Egentliga Tavastland", "Tavastia Proper"),
        "keski-pohjanmaa": ("FI-07", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
        "pirkanmaa": ("FI-11", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
        "paijat-hame": ("FI-16", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
        "uusimaa": ("FI-18", "Uusimaa", "Nyland", "Uusimaa"),
        "varsinais-suomi": ("FI-19", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    }
    for term_id, (notation, fi, sv, en) in expected.items():
        term = regions[term_id]
        assert (term.notation, term.label.get("fi"), term.label.get("sv"), term.label.get("en")) == (notation, fi, sv, en)
    for term in regions.values():  # the id is the Finnish name as a lower-case ASCII slug
        slug = term.label.get("fi").lower().translate(str.maketrans("äö", "ao"))
        assert term.id == slug and set(term.label.languages) == {"fi", "sv", "en"}


def test_the_built_in_activities_have_three_languages():
    activities = {term.id: term for (vocabulary, _), term in plugins.vocabulary_terms().items() if vocabulary == "activity"}
    assert set(activities) == {"discussion", "crafts", "cooking", "languages", "sports", "culture", "hobby", "outdoor",
                               "other"}
    assert all(set(term.label.languages) == {"fi", "sv", "en"} for term in activities.values())
    assert activities["crafts"].label.get("fi").startswith("Käsityö")


def test_disabled_hides_a_plugins_renderer(load_plugin):
    extra_renderer = load_plugin("extra_renderer_plugin")
    with plugins.registered_plugin(extra_renderer, "extra_renderer"):
        with plugins.disabled(["extra_renderer"]):
            assert "text" not in plugins.renderers()
            assert {"json", "csv"} <= set(plugins.renderers())
        assert "text" in plugins.renderers()  # back when the block ends


def test_catalogue_toml_disables_a_plugin_for_one_build(load_plugin, project):
    extra_renderer = load_plugin("extra_renderer_plugin")
    (project / "catalogue.toml").write_text(
        '[[sources]]\npath = "catalogue.json"\n[[outputs]]\nrenderer = "text"\n[[outputs]]\nrenderer = "json"\n'
        '[plugins]\ndisable = ["extra_renderer"]\n', encoding="utf-8")
    with plugins.registered_plugin(extra_renderer, "extra_renderer"):
        result = build(read_config(project / "catalogue.toml"), write=False, today=TODAY)
        assert "text" in plugins.renderers()  # only that build went without it
    [problem] = problems_with("renderer_failed", result.problems)
    assert "no renderer 'text'" in problem.message.get("en")
    assert "does a plugin that is not installed provide it? vertaistuki plugins lists those installed" in problem.message.get("en")
    assert "catalogue.json" in result.files and extra_renderer.LIST_FILE not in result.files


def test_an_opt_in_plugin_applies_only_where_catalogue_toml_enables_it(project):
    import vertaistuki_house_rules  # the installed plugin in plugins/vertaistuki-house-rules

    toml = '[[sources]]\npath = "catalogue.json"\n[[outputs]]\nrenderer = "json"\n'
    (project / "catalogue.toml").write_text(toml, encoding="utf-8")
    (project / "enabled.toml").write_text(toml + '[plugins]\nenable = ["house_rules"]\n', encoding="utf-8")
    with plugins.registered_plugin(vertaistuki_house_rules, "house_rules"):
        plain = build(read_config(project / "catalogue.toml"), write=False, today=TODAY)
        ruled = build(read_config(project / "enabled.toml"), write=False, today=TODAY)
    assert not [p for p in plain.problems if p.code.startswith("house_rule.")]
    assert {p.code for p in ruled.problems} == {"house_rule.contact", "house_rule.region"}
    assert ruled.catalogue.groups == ()  # no group names a contact and a region


def test_renderers_receive_only_publishable_personal_details(load_plugin, project):
    extra_renderer = load_plugin("extra_renderer_plugin")
    consented = {"given": "2025-01-01"}
    data = {**CATALOGUE, "volunteers": [
        {"id": "v1", "organisation": "omaiset", "roles": ["one_to_one"],
         "personal": {"name": {"value": "Julkinen Jussi", "consent": consented}}},
        {"id": "v2", "organisation": "omaiset", "roles": ["one_to_one"],
         "personal": {"name": {"value": "Salainen Sanna"}}},
        {"id": "v3", "organisation": "omaiset", "roles": ["one_to_one"],
         "personal": {"name": {"value": "Perunut Pekka", "consent": {**consented, "withdrawn": "2026-01-01"}}}},
    ]}
    (project / "catalogue.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with plugins.registered_plugin(extra_renderer, "extra_renderer"):
        result = build(config_for(project, "text"), write=False, today=TODAY)
    assert not result.errors, result.errors
    listing = result.files[extra_renderer.LIST_FILE].decode("utf-8")
    assert "Julkinen Jussi" in listing
    assert "Salainen Sanna" not in listing and "Perunut Pekka" not in listing


# The guide's example plugin --------------------------------------------------------------


@pytest.fixture
def hello(monkeypatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(HELLO / "src"))
    return importlib.import_module("vertaistuki_hello")


def test_the_guides_example_plugin_builds_hello_txt(hello, tmp_path):
    with plugins.registered_plugin(hello, "hello"):
        assert plugins.provider_of(plugins.renderers()["hello"]) == "hello"
        result = build(read_config(HELLO / "catalogue.toml"), tmp_path, today=TODAY)
    assert not result.errors, result.errors
    assert (tmp_path / "hello.txt").read_text(encoding="utf-8") == (
        "Hei! Tervetuloa ryhmiimme:\n- Miesten voimaa\n- Käsityöilta\n")
    assert (tmp_path / "catalogue.json").is_file()


def test_the_guides_example_has_its_options_checked_by_the_core(hello, tmp_path):
    config = read_config(HELLO / "catalogue.toml")
    misspelt = attrs.evolve(config, outputs=(OutputSpec("hello", {"greting": "Moi"}), *config.outputs[1:]))
    with plugins.registered_plugin(hello, "hello"):
        result = build(misspelt, tmp_path, today=TODAY)
    [problem] = result.errors
    assert (problem.code, problem.path) == ("renderer_option", "$.options.greting")
    assert 'did you mean "greeting"' in problem.message.get("en")
    assert not (tmp_path / "hello.txt").exists() and (tmp_path / "catalogue.json").is_file()


def test_the_guides_example_declares_its_module_as_entry_point(hello):
    project = tomllib.loads((HELLO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["vertaistuki"] == {"hello": "vertaistuki_hello"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/vertaistuki_hello"]


# Installed plugins and VERTAISTUKI_LOAD_PLUGINS, in subprocesses -------------------------

def run_python(args: list[str], load_plugins: str | None, extra_path: tuple[Path, ...] = (), cwd: Path = ROOT
               ) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop(plugins.LOAD_PLUGINS_VARIABLE, None)
    if load_plugins is not None:
        env[plugins.LOAD_PLUGINS_VARIABLE] = load_plugins
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([*map(str, extra_path), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    run = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    assert run.returncode == 0, run.stderr
    return run


def write_distribution(site: Path, name: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """What pip would leave behind: a ``*.dist-info`` folder with ``entry_points.txt``,
    and the modules beside it, all on a throwaway PYTHONPATH."""
    info = site / f"{name.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n", encoding="utf-8")
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[vertaistuki]\n{lines}", encoding="utf-8")
    for module, source in modules.items():
        (site / f"{module}.py").write_text(source, encoding="utf-8")


THROWAWAY_RENDERER = """
from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer

@hookimpl
def register_renderers(register):
    register(Renderer(name="throwaway", media_type="text/plain", suffix=".txt",
                      render=lambda catalogue, context: {"throwaway.txt": b"hei\\n"}))
"""
THROWAWAY_RULES = """
from vertaistuki.hookspecs import hookimpl

@hookimpl
def validate_record(record, context):
    return None
"""
LIST_LOADED = ("import json; from vertaistuki import plugins; "
               "print(json.dumps([[i.name, i.distribution, i.is_default] for i in plugins.list_plugins()]))")


@pytest.fixture(scope="module")
def throwaway_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    write_distribution(site, "vertaistuki-throwaway-renderer", {"throwaway_renderer": "throwaway_renderer_plugin"},
                       {"throwaway_renderer_plugin": THROWAWAY_RENDERER})
    write_distribution(site, "vertaistuki-throwaway-rules", {"throwaway_rules": "throwaway_rules_plugin"},
                       {"throwaway_rules_plugin": THROWAWAY_RULES})
    return site


@pytest.mark.parametrize(("value", "expected"), [
    (None, {"throwaway_renderer", "throwaway_rules"}),  # unset: every installed plugin
    ("", set()),  # empty: none
    ("vertaistuki-throwaway-rules", {"throwaway_rules"}),  # a distribution name: only that one
    (" vertaistuki-throwaway-renderer , vertaistuki-throwaway-rules ", {"throwaway_renderer", "throwaway_rules"}),
    ("throwaway_renderer,nothing-such", {"throwaway_renderer"}),  # an entry-point name works too
])
def test_load_plugins_variable_chooses_the_installed_distributions(throwaway_site, value, expected):
    loaded = json.loads(run_python(["-c", LIST_LOADED], value, (throwaway_site,)).stdout)
    external = {name: distribution for name, distribution, is_default in loaded if not is_default}
    throwaways = {name for name, distribution in external.items() if distribution.startswith("vertaistuki-throwaway-")}
    assert throwaways == expected
    if value is not None:  # a chosen list loads nothing else that happens to be installed
        assert set(external) == expected
    assert {name for name, _, is_default in loaded if is_default} == set(plugins.DEFAULT_PLUGINS)  # always
    if "throwaway_renderer" in expected:
        assert external["throwaway_renderer"] == "vertaistuki-throwaway-renderer"


def test_an_installed_plugin_with_a_misspelled_hook_fails_loudly(tmp_path):
    misspelled = (TEST_PLUGINS / "misspelled_plugin.py").read_text(encoding="utf-8")
    write_distribution(tmp_path, "vertaistuki-typo", {"typo": "typo_plugin"}, {"typo_plugin": misspelled})
    env = {**os.environ, plugins.LOAD_PLUGINS_VARIABLE: "vertaistuki-typo",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", LIST_LOADED], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode != 0
    assert "PluginError: plugin 'typo' (vertaistuki-typo 0.1.0) implements an unknown hook" in run.stderr
    assert "did you mean 'register_renderers' for 'register_renderer'?" in run.stderr


def test_the_command_line_names_a_broken_plugin_without_a_traceback(tmp_path):
    """Every command loads the plugins; a broken one must not bury its name in a traceback."""
    misspelled = (TEST_PLUGINS / "misspelled_plugin.py").read_text(encoding="utf-8")
    write_distribution(tmp_path, "vertaistuki-typo", {"typo": "typo_plugin"}, {"typo_plugin": misspelled})
    env = {**os.environ, plugins.LOAD_PLUGINS_VARIABLE: "vertaistuki-typo",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "vertaistuki", "plugins"], capture_output=True, text=True, env=env,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr
    assert "plugin 'typo' (vertaistuki-typo 0.1.0) implements an unknown hook" in run.stdout
    assert "VERTAISTUKI_LOAD_PLUGINS" in run.stdout  # and how to get going without it


def test_a_misspelt_name_in_load_plugins_is_reported_with_the_nearest(throwaway_site):
    run = run_python(["-m", "vertaistuki", "plugins"], "vertaistuki-throwaway-rule", (throwaway_site,))
    assert ('VERTAISTUKI_LOAD_PLUGINS names "vertaistuki-throwaway-rule", which no installed plugin is '
            '(did you mean "vertaistuki-throwaway-rules"?)') in run.stdout


def test_two_distributions_with_one_plugin_name_are_an_error_naming_both(tmp_path):
    write_distribution(tmp_path, "vertaistuki-first", {"shared_name": "first_plugin"}, {"first_plugin": THROWAWAY_RULES})
    write_distribution(tmp_path, "vertaistuki-second", {"shared_name": "second_plugin"},
                       {"second_plugin": THROWAWAY_RULES})
    env = {**os.environ, plugins.LOAD_PLUGINS_VARIABLE: "vertaistuki-first,vertaistuki-second",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", LIST_LOADED], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode != 0
    error = run.stderr.strip().splitlines()[-1]
    assert "PluginError: plugin name 'shared_name' is used by both" in error
    assert "vertaistuki-first" in error and "vertaistuki-second" in error


@pytest.mark.slow
def test_plugins_command_lists_distributions_and_hooks():
    listing = json.loads(run_python(["-m", "vertaistuki", "plugins", "--all", "--format", "json"], None).stdout)
    by_name = {info["name"]: info for info in listing}
    assert by_name["house_rules"] == {"name": "house_rules", "hooks": ["validate_record"], "is_default": False,
                                      "distribution": "vertaistuki-house-rules", "version": "0.1.0", "opt_in": True,
                                      "sources": [], "renderers": []}
    assert by_name["relatives_spreadsheet"]["distribution"] == "vertaistuki-relatives-spreadsheet"
    assert by_name["relatives_spreadsheet"]["hooks"] == ["register_sources"]
    assert by_name["relatives_spreadsheet"]["sources"] == ["relatives-spreadsheet"]
    assert by_name["vertaistuki.default_plugins.http_feed"]["sources"] == ["http"]
    for name in plugins.DEFAULT_PLUGINS:
        assert by_name[name]["is_default"] and by_name[name]["distribution"] is None

    text = run_python(["-m", "vertaistuki", "plugins"], None).stdout
    assert "house_rules (vertaistuki-house-rules 0.1.0) [opt-in]: hooks validate_record" in text
    assert "relatives_spreadsheet (vertaistuki-relatives-spreadsheet 0.1.0): hooks register_sources" in text
    assert "default_plugins" not in text  # built-ins only with --all
    assert "(built in)" in run_python(["-m", "vertaistuki", "plugins", "--all"], None).stdout
    assert "No plugins installed" in run_python(["-m", "vertaistuki", "plugins"], "").stdout


@pytest.mark.slow
def test_plugins_command_shows_the_interoperability_plugins_with_their_sources_and_renderers():
    wanted = "vertaistuki-meeting-guide,vertaistuki-hsds,vertaistuki-linked-events"
    text = run_python(["-m", "vertaistuki", "plugins"], wanted).stdout
    lines = {line.split(" ", 1)[0]: line for line in text.splitlines()}
    assert set(lines) == {"meeting_guide", "hsds", "linked_events"}
    assert lines["meeting_guide"].endswith("; sources meeting-guide; renderers meeting-guide")
    assert lines["hsds"].endswith("; sources hsds; renderers hsds")
    assert lines["linked_events"].endswith("; renderers linked-events")


@pytest.mark.slow
def test_the_guides_example_loads_through_its_entry_point(tmp_path):
    """Install-free: a .dist-info folder on PYTHONPATH is what pip would write."""
    project = tomllib.loads((HELLO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    site = tmp_path / "site"
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
                                   encoding="utf-8")
    entry_points = "".join(f"{name} = {value}\n" for name, value in project["entry-points"]["vertaistuki"].items())
    (info / "entry_points.txt").write_text(f"[vertaistuki]\n{entry_points}", encoding="utf-8")

    path = (site, HELLO / "src")
    listing = json.loads(run_python(["-m", "vertaistuki", "plugins", "--format", "json"], "vertaistuki-hello",
                                    path).stdout)
    assert listing == [{"name": "hello", "hooks": ["register_renderers"], "is_default": False,
                        "distribution": "vertaistuki-hello", "version": "0.1.0", "opt_in": False,
                        "sources": [], "renderers": ["hello"]}]
    out = tmp_path / "out"
    run_python(["-m", "vertaistuki", "build", str(HELLO / "catalogue.toml"), "--out", str(out)], "vertaistuki-hello", path)
    assert (out / "hello.txt").read_text(encoding="utf-8").splitlines()[1:] == ["- Miesten voimaa", "- Käsityöilta"]


@pytest.mark.slow
def test_the_guides_example_test_passes(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HELLO / "tests")],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(HELLO / "src")})
    assert run.returncode == 0, run.stdout + run.stderr
