"""schema.org JSON-LD: series with schedules and next meetings, services, events; safe to embed."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import vertaistuki
from vertaistuki import plugins
from vertaistuki.default_plugins.jsonld import catalogue_jsonld, script_json
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.registry import RenderContext

CATALOGUE = {
    "source": "omaiset",
    "organisations": [{"id": "omaiset", "name": {"fi": "Omaisyhdistys"}, "kind": "association", "url": "https://omaiset.example/"}],
    "places": [{"id": "talo", "name": {"fi": "Omaistalo"}, "municipality": {"fi": "Helsinki"}, "postal_code": "00100"}],
    "groups": [{
        "id": "ryhma", "name": {"fi": "Ryhmä </script><img src=x onerror=alert(1)>"}, "organiser": "omaiset",
        "openness": "open", "channels": [{"kind": "in_person", "place": "talo"}],
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=MO", "start_time": "18:00", "end_time": "20:00", "skip_public_holidays": True},
        "fee": {"kind": "self_payment", "amount": 5, "announced_in_advance": True},
    }],
    "services": [{"id": "puhelin", "kind": "phone_line", "name": {"fi": "Vertaispuhelin"}, "organiser": "omaiset",
                  "channels": [{"kind": "phone", "phone": "040 754 9716"}]}],
    "events": [{"id": "ensitieto", "kind": "first_information_day", "name": {"fi": "Ensitietopäivä"}, "organiser": "omaiset",
                "start_date": "2026-04-18", "start_time": "10:00", "end_time": "15:00"}],
}


@pytest.fixture
def graph():
    catalogue = vertaistuki.load_data(CATALOGUE).catalogue
    return {node["@type"]: node for node in catalogue_jsonld(catalogue, RenderContext(today=dt.date(2026, 3, 20)))["@graph"]}


def test_a_group_is_an_event_series_with_its_schedule(graph):
    series = graph["EventSeries"]
    schedule = series["eventSchedule"]
    assert schedule["repeatFrequency"] == "P1W"
    assert schedule["byDay"] == ["https://schema.org/Monday"]
    assert (schedule["startTime"], schedule["endTime"], schedule["scheduleTimezone"]) == ("18:00", "20:00", "Europe/Helsinki")
    assert "2026-04-06" in schedule["exceptDate"]  # Easter Monday
    assert series["location"]["address"]["addressLocality"] == "Helsinki"
    assert series["organizer"]["name"] == "Omaisyhdistys"
    assert (series["isAccessibleForFree"], series["offers"]["price"]) == (False, "5")


@pytest.mark.parametrize(("amount", "price"), [(2.0, "2"), (2.5, "2.50"), (3, "3"), ("1.25", "1.25")])
def test_a_price_is_digits_with_a_dot_and_a_whole_sum_has_no_decimals(amount, price):
    data = json.loads(json.dumps(CATALOGUE))
    data["groups"][0]["fee"] = {"kind": "self_payment", "amount": amount if not isinstance(amount, str) else float(amount)}
    catalogue = vertaistuki.load_data(data).catalogue
    graph = {node["@type"]: node for node in catalogue_jsonld(catalogue, RenderContext(today=dt.date(2026, 3, 20)))["@graph"]}
    assert graph["EventSeries"]["offers"]["price"] == price


def test_the_room_follows_the_place_name_in_the_location():
    data = json.loads(json.dumps(CATALOGUE))
    data["groups"][0]["channels"] = [{"kind": "in_person", "place": "talo", "room": {"fi": "Sali 2", "en": "Hall 2"}}]
    catalogue = vertaistuki.load_data(data).catalogue
    context = RenderContext(today=dt.date(2026, 3, 20))
    [series] = [node for node in catalogue_jsonld(catalogue, context)["@graph"] if node["@type"] == "EventSeries"]
    assert series["location"]["name"] == "Omaistalo, Sali 2"
    assert series["location"]["address"]["addressLocality"] == "Helsinki"


def test_next_meetings_carry_the_right_offset_across_dst(graph):
    starts = [event["startDate"] for event in graph["EventSeries"]["subEvent"]]
    assert starts == ["2026-03-23T18:00:00+02:00", "2026-03-30T18:00:00+03:00", "2026-04-13T18:00:00+03:00"]


def test_phone_support_is_a_service_and_events_are_events(graph):
    [channel] = graph["Service"]["availableChannel"]
    assert channel["servicePhone"]["telephone"].replace(" ", "") == "0407549716"
    assert graph["Event"]["startDate"] == "2026-04-18T10:00:00+03:00"
    assert graph["Event"]["isAccessibleForFree"] is True


def test_script_tags_in_names_stay_inert_when_embedded():
    catalogue = vertaistuki.load_data(CATALOGUE).catalogue
    text = plugins.renderers()["jsonld"].files(catalogue, RenderContext(today=dt.date(2026, 3, 20)))["jsonld/catalogue.jsonld"].decode()
    assert "</script" not in text.lower() and "<img" not in text
    names = [node["name"] for node in json.loads(text)["@graph"]]
    assert "Ryhmä </script><img src=x onerror=alert(1)>" in names  # still the same data
    assert script_json({"a": "x&y<'>"}) == '{"a":"x\\u0026y\\u003c\\u0027\\u003e"}'


def build_files(tmp_path, outputs) -> dict[str, bytes]:
    (tmp_path / "catalogue.json").write_text(json.dumps(CATALOGUE), encoding="utf-8")
    config = BuildConfig(path=tmp_path / "catalogue.toml", sources=(SourceSpec("catalogue.json"),), outputs=outputs)
    return build(config, today=dt.date(2026, 3, 20), write=False).files


def test_the_file_lists_one_node_per_line_and_the_listing_embeds_the_same_graph(tmp_path):
    # A federation diffing two nights' files sees a changed record as a changed line;
    # a search engine reading the listing sees the same graph as one reading the file.
    files = build_files(tmp_path, (OutputSpec("html", {"languages": ["fi", "sv"]}), OutputSpec("jsonld")))
    text = files["jsonld/catalogue.jsonld"].decode()
    lines = text.splitlines()
    assert lines[0] == '{"@context":"https://schema.org","@graph":[' and lines[-1] == "]}"
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == json.loads(text)["@graph"]
    assert len(lines[1:-1]) == 3  # the group, the service and the event
    for language in ("fi", "sv"):
        [embedded] = re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                                files[f"widget/{language}/fragment.html"].decode(), re.S)
        assert json.loads(embedded) == json.loads(text)


def test_the_file_built_after_the_listing_is_the_file_built_alone(tmp_path):
    # The html renderer makes the graph first and the jsonld renderer copies it; with
    # other options (another language) it must make its own.
    for options in ({}, {"language": "sv", "upcoming": 1}):
        alone = build_files(tmp_path, (OutputSpec("jsonld", options),))
        after = build_files(tmp_path, (OutputSpec("html"), OutputSpec("jsonld", options)))
        assert after["jsonld/catalogue.jsonld"] == alone["jsonld/catalogue.jsonld"]
    swedish = json.loads(alone["jsonld/catalogue.jsonld"])["@graph"]
    assert len(next(node for node in swedish if node["@type"] == "EventSeries")["subEvent"]) == 1
