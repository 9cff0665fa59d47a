"""The shards renderer: a national listing cut per region and municipality, with the
nationwide records repeated in every shard while they are few and in a shard of their
own once they are many."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from pathlib import Path

import pytest

from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.schemas import validator_for

from pagelinks import card_ids, relative_targets

TODAY = dt.date(2026, 11, 23)


def catalogue(nationwide: int) -> dict:
    places = [{"id": town.lower(), "name": {"fi": f"{town}n talo"}, "municipality": {"fi": town}} for town in ("Espoo", "Oulu")]
    groups = [{"id": f"ryhma-{place['id']}", "openness": "open", "organiser": "yhdistys", "name": {"fi": f"Ryhmä {place['id']}"},
               "regions": ["uusimaa" if place["id"] == "espoo" else "pohjois-pohjanmaa"],
               "channels": [{"kind": "in_person", "place": place["id"]}]} for place in places]
    groups += [{"id": f"verkko-{n}", "openness": "open", "organiser": "yhdistys", "name": {"fi": f"Verkkoryhmä {n}"},
                "nationwide": True, "channels": [{"kind": "online", "url": "https://example.fi/chat"}]} for n in range(nationwide)]
    return {"source": "liitto", "publisher": "yhdistys",
            "organisations": [{"id": "yhdistys", "kind": "association", "name": {"fi": "Yhdistys ry"}}],
            "places": places, "groups": groups}


def shards(tmp_path: Path, data: dict, *, before: tuple[OutputSpec, ...] = (), **options) -> dict[str, bytes]:
    (tmp_path / "catalogue.json").write_text(json.dumps(data), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                         outputs=(*before, OutputSpec("shards", options)))
    result = build(config, today=TODAY, write=False)
    assert not result.errors, result.errors
    return result.files


def group_ids(files: dict[str, bytes], path: str) -> list[str]:
    feed = json.loads(files[path])
    assert not list(validator_for("catalogue").iter_errors(feed))
    return [group["id"] for group in feed["groups"]]


def test_a_few_nationwide_records_are_in_every_shard(tmp_path):
    files = shards(tmp_path, catalogue(nationwide=2))
    index = json.loads(files["shards/index.json"])
    assert index["include_nationwide"] is True
    assert {(s["kind"], s["key"]) for s in index["shards"]} == {
        ("municipality", "espoo"), ("municipality", "oulu"), ("region", "uusimaa"), ("region", "pohjois-pohjanmaa")}
    assert group_ids(files, "shards/municipality/oulu.json") == ["ryhma-oulu", "verkko-0", "verkko-1"]
    assert "Verkkoryhmä 1" in files["shards/region/uusimaa/fi/fragment.html"].decode()


def test_many_nationwide_records_get_a_shard_of_their_own_that_every_other_shard_links_to(tmp_path):
    files = shards(tmp_path, catalogue(nationwide=3), repeat_nationwide=2)
    index = json.loads(files["shards/index.json"])
    assert index["include_nationwide"] is False  # a widget showing Oulu fetches the nationwide shard too
    by_key = {(s["kind"], s["key"]): s for s in index["shards"]}
    own = by_key[("nationwide", "koko-suomi")]
    assert own["name"] == {"fi": "Koko Suomi", "sv": "Hela Finland", "en": "All of Finland"} and own["records"] == 3
    assert group_ids(files, "shards/" + own["json"]) == ["verkko-0", "verkko-1", "verkko-2"]
    for key in (("municipality", "oulu"), ("region", "pohjois-pohjanmaa")):
        assert group_ids(files, "shards/" + by_key[key]["json"]) == ["ryhma-oulu"]
        assert by_key[key]["records"] == 1
    for language, words in (("fi", "Katso myös koko Suomessa toimivat ryhmät ja palvelut (3)"),
                            ("sv", "Se också grupper och tjänster i hela Finland (3)")):
        fragment_path = "shards/" + by_key[("municipality", "oulu")]["html"][language]
        fragment = files[fragment_path].decode()
        assert words in fragment and "Verkkoryhmä" not in fragment
        href = fragment.split('<p class="vt-nationwide"><a href="', 1)[1].split('"', 1)[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(fragment_path), href))
        assert target == f"shards/nationwide/koko-suomi/{language}/index.html" and target in files
        assert "Verkkoryhmä 2" in files[target].decode() and 'class="vt-nationwide"' not in files[target].decode()


def test_include_nationwide_decides_whatever_the_count(tmp_path):
    files = shards(tmp_path, catalogue(nationwide=3), repeat_nationwide=0, include_nationwide=True)
    assert json.loads(files["shards/index.json"])["include_nationwide"] is True
    assert "verkko-2" in group_ids(files, "shards/municipality/espoo.json")
    assert not any(name.startswith("shards/nationwide/") for name in files)
    files = shards(tmp_path, catalogue(nationwide=1), include_nationwide=False)
    assert group_ids(files, "shards/municipality/espoo.json") == ["ryhma-espoo"]
    assert group_ids(files, "shards/nationwide/koko-suomi.json") == ["verkko-0"]


@pytest.mark.parametrize("options", [{}, {"id_prefix": "kartta"}, {"heading_level": 3}, {"repeat_nationwide": 0}])
def test_shards_built_after_the_html_listing_are_the_shards_built_alone(tmp_path, options):
    # The html renderer's cards are copied into the shards when they match (same
    # language, prefix, heading); when they do not, the shards make their own.
    data = catalogue(nationwide=2)
    data["groups"][0].update(description={"fi": "Keskustellaan <ja> jaetaan.", "sv": "Vi samtalar."},
                             schedule={"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00", "end_time": "14:30"})
    alone = shards(tmp_path, data, **options)
    after_html = shards(tmp_path, data, before=(OutputSpec("html", {"languages": ["sv", "fi", "en"]}),), **options)
    assert {name: content for name, content in after_html.items() if not name.startswith("widget/")} == alone
    assert "Keskustellaan &lt;ja&gt; jaetaan." in alone["shards/municipality/espoo/fi/fragment.html"].decode()


@pytest.mark.parametrize("options", [{}, {"repeat_nationwide": 0}, {"directory_above": 2},
                                     {"directory_above": 2, "repeat_nationwide": 0}],
                         ids=["nationwide repeated", "nationwide shard", "directories", "directories, nationwide shard"])
def test_every_link_on_a_shard_page_leads_to_a_file_the_build_wrote(tmp_path, options):
    data = catalogue(nationwide=2)
    data["places"].append({"id": "helsinki", "name": {"fi": "Helsingin talo"}, "municipality": {"fi": "Helsinki"}})
    data["groups"].append({"id": "ryhma-helsinki", "openness": "open", "organiser": "yhdistys",
                           "name": {"fi": "Ryhmä helsinki"}, "regions": ["uusimaa"],
                           "channels": [{"kind": "in_person", "place": "helsinki"}]})
    files = shards(tmp_path, data, **options)
    pages = [path for path in files if path.endswith(".html")]
    assert "shards/region/uusimaa/fi/index.html" in pages
    region_links = set(relative_targets(files, "shards/region/uusimaa/fi/fragment.html"))
    # Uusimaa has two municipalities: its listing links to each one's shard.
    assert {"shards/municipality/espoo/fi/index.html", "shards/municipality/helsinki/fi/index.html"} <= region_links
    for page in pages:
        assert set(relative_targets(files, page)) <= set(files), page


def test_shards_without_municipality_shards_link_to_no_municipality_page(tmp_path):
    data = catalogue(nationwide=0)
    data["places"].append({"id": "helsinki", "name": {"fi": "Helsingin talo"}, "municipality": {"fi": "Helsinki"}})
    data["groups"][0]["channels"].append({"kind": "in_person", "place": "helsinki"})
    files = shards(tmp_path, data, by=["region"])
    fragment = files["shards/region/uusimaa/fi/fragment.html"].decode()
    assert "Helsingin talo" in fragment and 'class="vt-places"' not in fragment


@pytest.mark.parametrize(("options", "on_the_directory"), [
    ({}, {"vt-liitto-verkko-0", "vt-liitto-verkko-1", "vt-liitto-puhelin"}),  # the nationwide records repeated: listed here
    ({"repeat_nationwide": 0}, {"vt-liitto-puhelin"}),  # the nationwide shard is linked to instead
], ids=["nationwide repeated", "nationwide shard"])
def test_a_large_region_is_a_directory_of_its_municipality_shards(tmp_path, options, on_the_directory):
    data = catalogue(nationwide=2)
    data["places"].append({"id": "helsinki", "name": {"fi": "Helsingin talo"}, "municipality": {"fi": "Helsinki"}})
    data["groups"].append({"id": "ryhma-helsinki", "openness": "open", "organiser": "yhdistys",
                           "name": {"fi": "Ryhmä helsinki"}, "regions": ["uusimaa"],
                           "channels": [{"kind": "in_person", "place": "helsinki"}]})
    data["services"] = [{"id": "puhelin", "kind": "phone_line", "organiser": "yhdistys", "name": {"fi": "Uudenmaan tukipuhelin"},
                         "regions": ["uusimaa"], "channels": [{"kind": "phone", "phone": "040 754 9716"}]}]
    files = shards(tmp_path, data, directory_above=2, **options)
    fragment = files["shards/region/uusimaa/fi/fragment.html"]
    assert b"<form" not in fragment  # the filters are on the municipality shards' pages
    assert {"shards/municipality/espoo/fi/index.html", "shards/municipality/helsinki/fi/index.html"} <= set(
        relative_targets(files, "shards/region/uusimaa/fi/fragment.html"))
    assert card_ids(fragment) == on_the_directory
    # A municipality's shard (Espoo: one group, and the nationwide ones when repeated) lists its records.
    assert "vt-liitto-ryhma-espoo" in card_ids(files["shards/municipality/espoo/fi/fragment.html"])
    # The feed is the region's whole shard either way; the index says which listings are directories.
    assert "ryhma-espoo" in group_ids(files, "shards/region/uusimaa.json")
    directories = {(s["kind"], s["key"]): s["directory"] for s in json.loads(files["shards/index.json"])["shards"]}
    assert directories[("region", "uusimaa")] is True and directories[("municipality", "espoo")] is False
    # Pohjois-Pohjanmaa has one group: with the nationwide ones repeated 3 records, past
    # directory_above; with them in their own shard 1, listed as it is.
    small = files["shards/region/pohjois-pohjanmaa/fi/fragment.html"]
    assert (b"<form" in small) is bool(options)
