"""A built-in source's options are checked before it reads: a mistake in catalogue.toml
is a problem naming the source entry and the option in Finnish and English, and nothing
is read from that source. The other sources are read and checked, but nothing is
published (source_unread): the listing would lose every record of that source."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from repository_plugins import every_source_name, source_available
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec

TODAY = dt.date(2026, 11, 23)
GOOD = {
    "source": "testi",
    "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": "Yhdistys ry"}}],
    "places": [{"id": "talo", "name": {"fi": "Talo"}, "municipality": {"fi": "Tampere"}}],
    "groups": [{"id": "ryhma", "organiser": "yhdistys", "openness": "open", "name": {"fi": "Ryhmä"},
                "channels": [{"kind": "in_person", "place": "talo"}]}],
}
PLACES_CSV = "tunniste;nimi_fi;kunta_fi\ntoinen-talo;Toinen talo;Tampere\n"


def build_with(tmp_path: Path, other: SourceSpec):
    (tmp_path / "catalogue.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "paikat.csv").write_text(PLACES_CSV, encoding="utf-8")
    (tmp_path / "taulukot").mkdir(exist_ok=True)
    (tmp_path / "taulukot" / "paikat.csv").write_text(PLACES_CSV, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text("places: []\n", encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"), other),
                         outputs=(OutputSpec("json", {}),))
    return build(config, tmp_path / "out", today=TODAY)


def published_ids(result) -> set[str]:
    data = json.loads(result.files["catalogue.json"])
    return {record["id"] for collection in ("groups", "places") for record in data[collection]}


def read_ids(result) -> set[str]:
    return {record.id for collection in ("groups", "places") for record in getattr(result.catalogue, collection)}


def held_back(result) -> str:
    """The source_option problem of a build that therefore published nothing."""
    [problem] = [p for p in result.errors if p.code == "source_option"]
    assert [p.code for p in result.errors if p is not problem] == ["source_unread"]
    assert result.written == () and not (result.files or {})
    return problem


@pytest.mark.parametrize(("source", "en", "fi"), [
    # a file source takes no options: a leftover one says so rather than being ignored
    (SourceSpec("extra.yaml", options={"collection": "places"}), 'unknown option "collection"; yaml takes no options',
     'tuntematon asetus "collection"; yaml ei ota asetuksia'),
    # a misspelt name read the file as groups before, every row an error
    (SourceSpec("paikat.csv", options={"colection": "places"}),
     'unknown option "colection" (did you mean "collection"?); csv takes collection',
     'tuntematon asetus "colection" (tarkoititko "collection"?)'),
    (SourceSpec("paikat.csv", options={"collection": "paikat"}), 'option collection must be one of "groups"',
     "asetuksen collection pitää olla jokin näistä"),
    (SourceSpec("taulukot", type="csv", options={"collection": "places"}),
     "option collection is for one CSV file; in a folder each file is named after its collection",
     "asetus collection on yhdelle CSV-tiedostolle"),
    # an https feed's limits: said in English only, as a failed feed, before
    (SourceSpec("https://feeds.example/catalogue.json", options={"total_timout": 5}),
     'unknown option "total_timout" (did you mean "total_timeout"?); http takes', 'tuntematon asetus "total_timout"'),
    (SourceSpec("https://feeds.example/catalogue.json", options={"allow_http": "true"}),
     'option allow_http must be true or false (without quotes), not "true"', "asetuksen allow_http pitää olla true tai false"),
    (SourceSpec("https://feeds.example/catalogue.json", options={"cache": 5}), "option cache must be a text in quotes, not 5",
     "asetuksen cache pitää olla teksti"),
])
def test_a_mistaken_source_option_is_reported_and_nothing_is_published(tmp_path, source, en, fi):
    result = build_with(tmp_path, source)
    problem = held_back(result)
    name = next(iter(source.options))
    kind = source.type or ("http" if source.path.startswith("https:") else Path(source.path).suffix[1:])
    assert problem.code == "source_option" and problem.source == f"{tmp_path / 'catalogue.toml'} [sources: {source.path}]"
    assert problem.path == f"$.options.{name}"
    assert problem.message.get("en").startswith(f"source {kind}: {en}"), problem.message.get("en")
    assert problem.message.get("fi").startswith(f"lähteen {kind} {fi}"), problem.message.get("fi")
    assert "nothing was read from it" in problem.message.get("en") and "sen tietoja ei luettu" in problem.message.get("fi")
    assert read_ids(result) == {"ryhma", "talo"}  # the good source was read and checked, the other not at all


@pytest.mark.parametrize("source", [
    SourceSpec("paikat.csv", options={"collection": "places"}), SourceSpec("taulukot", type="csv"),
])
def test_the_options_the_docs_describe_are_taken(tmp_path, source):
    result = build_with(tmp_path, source)
    assert not result.errors, [p.message.get("en") for p in result.errors]
    assert published_ids(result) == {"ryhma", "talo", "toinen-talo"}


@pytest.mark.parametrize("name", every_source_name())
def test_every_source_of_this_repository_refuses_an_option_it_does_not_take(tmp_path, name):
    """Held to every source, built-in or a plugin's here, so that a new one cannot
    ignore a misspelt option silently."""
    path = "https://feeds.example/catalogue.json" if name == "http" else f"nothing-here.{name}"
    with source_available(name):
        result = build_with(tmp_path, SourceSpec(path, type=name, options={"no_such_option": 1}))
    problem = held_back(result)
    assert (problem.code, problem.path) == ("source_option", "$.options.no_such_option")
    assert problem.message.get("en").startswith(f'source {name}: unknown option "no_such_option"')
    assert read_ids(result) == {"ryhma", "talo"}


def test_the_core_checks_the_options_a_source_declares_before_reading(tmp_path):
    """A plugin's source that declares its options (Source.options) and does not check
    them itself: a misspelt one is reported and read is never called."""
    import types

    from vertaistuki import options, plugins
    from vertaistuki.hookspecs import hookimpl
    from vertaistuki.registry import Source, SourceOutput

    called: list[dict] = []

    def read(request):
        called.append(dict(request.options))
        return SourceOutput({"places": []})

    module = types.ModuleType("declaring")
    module.register_sources = hookimpl(lambda register: register(Source(
        name="declaring", read=read, options={"organiser": options.record_reference})))
    with plugins.registered_plugin(module, "declaring"):
        problem = held_back(build_with(tmp_path, SourceSpec("x.names", type="declaring", options={"organizer": "o"})))
        assert problem.path == "$.options.organizer" and 'did you mean "organiser"' in problem.message.get("en")
        assert not called
        assert not build_with(tmp_path, SourceSpec("x.names", type="declaring", options={"organiser": "o"})).errors
        assert called == [{"organiser": "o"}]
