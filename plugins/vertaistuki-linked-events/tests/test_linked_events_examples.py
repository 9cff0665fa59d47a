"""The example catalogues through the renderer and through the core's build."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import vertaistuki
import vertaistuki_linked_events
from linked_events_helpers import render
from vertaistuki import plugins
from vertaistuki.atomic import joined
from vertaistuki.build import build
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.model import national_phone
from vertaistuki.privacy import publishable

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CATALOGUES = sorted(EXAMPLES.glob("*/catalogue.yaml"))
TODAY = dt.date(2026, 10, 1)
API = "https://api.hel.fi/linkedevents/v1/"


def test_the_examples_are_there():
    assert len(CATALOGUES) >= 5
    # The privacy test below is only worth something if some example has people in it.
    assert any(vertaistuki.load(path).catalogue.volunteers for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.name)
def test_every_example_gives_consistent_linked_events(path):
    result = vertaistuki.load(path)
    assert not result.errors
    catalogue = publishable(result.catalogue, TODAY)
    output = render(catalogue, TODAY)
    events = output["events.json"]
    ids = [event["id"] for event in events]
    assert len(ids) == len(set(ids))
    place_ids = {f"{API}place/{place['id']}/" for place in output.get("places.json", [])}
    own_keywords = {f"{API}keyword/{keyword['id']}/" for keyword in output.get("keywords.json", [])}
    seen = set()
    for event in events:
        assert event["id"].startswith("vertaistuki:" + catalogue.source + ":")
        assert event["name"] and all(event["name"].values())
        assert event["offers"] and "is_free" in event["offers"][0]
        assert event["keywords"]  # Linked Events will not publish an event without one
        if "location" in event:
            assert event["location"]["@id"] in place_ids | {f"{API}place/helsinki:internet/"}
        for keyword in event["keywords"] + event.get("audience", []):
            assert keyword["@id"] in own_keywords
        if "super_event" in event:  # the umbrella comes before its meetings
            assert event["super_event"]["@id"] in seen
        if "T" in event["start_time"]:
            assert event["start_time"][-6:] in {"+02:00", "+03:00"}
        seen.add(event["@id"])
    groups_with_meetings = {e["id"] for e in events if e.get("super_event_type") == "recurring"}
    assert all(len(e["sub_events"]) >= 1 for e in events if e["id"] in groups_with_meetings)


@pytest.mark.parametrize("indent", [None, 2, 3])
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.name)
def test_the_files_written_event_by_event_are_what_json_writes(path, indent):
    # The files come in chunks (a series' meetings share the text of what they have in
    # common); joined, they must be the text json.dumps gives for the whole response:
    # compact by default, as the API answers, indented when the option asks.
    from vertaistuki.registry import RenderContext
    catalogue = publishable(vertaistuki.load(path).catalogue, TODAY)
    options = {"include_services": True} | ({} if indent is None else {"indent": indent})
    separators = (",", ":") if indent is None else None
    for name, content in vertaistuki_linked_events.render_linked_events(catalogue, RenderContext(options=options, today=TODAY)):
        assert not isinstance(content, bytes), name
        text = joined(name, content).decode("utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=indent, separators=separators) + "\n", name


def test_the_examples_cover_series_and_single_events():
    kinds = set()
    for path in CATALOGUES:
        events = render(publishable(vertaistuki.load(path).catalogue, TODAY), TODAY)["events.json"]
        kinds |= {"series" if "super_event_type" in e else "meeting" if "super_event" in e else "single" for e in events}
    assert kinds == {"series", "meeting", "single"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.name)
def test_no_personal_details_of_volunteers_or_coordinators_are_written(path):
    """Not even consented ones: a city's event calendar has no use for them."""
    catalogue = vertaistuki.load(path).catalogue
    secrets = set()
    for person in (*catalogue.volunteers, *catalogue.coordinators):
        for field in attrs.fields(type(person.personal)):
            wrapped = getattr(person.personal, field.name)
            if wrapped is None or field.name == "languages":
                continue
            value = wrapped.value
            if field.name == "phone":
                secrets |= {value, national_phone(value)}
            elif field.name == "testimonial":
                secrets |= set(value.as_dict().values())
            else:
                secrets.add(value)
    if not secrets:
        pytest.skip("this example has no personal details")
    from vertaistuki.registry import RenderContext
    files = vertaistuki_linked_events.render_linked_events(publishable(catalogue, TODAY), RenderContext(today=TODAY))
    text = "\n".join(joined(path, content).decode("utf-8") for path, content in files)
    assert [secret for secret in secrets if secret in text] == []


def test_built_through_the_core_with_options(tmp_path):
    config = BuildConfig(
        path=EXAMPLES / "tampere-peer-centre" / "catalogue.toml",
        sources=(SourceSpec("catalogue.yaml"),),
        outputs=(OutputSpec("linked-events", {"data_source": "tampere", "window_days": 30,
                                              "place_map": {"vertaiskeskus-tila": "tprek:12345"},
                                              "api_base": "https://linkedevents.example.fi/v1"}),),
    )
    with plugins.registered_plugin(vertaistuki_linked_events, "linked_events"):
        assert plugins.provider_of(plugins.renderers()["linked-events"]) == "linked_events"
        result = build(config, tmp_path, today=TODAY)
    assert not result.errors
    events = json.loads((tmp_path / "linked-events" / "events.json").read_text(encoding="utf-8"))["data"]
    assert events and all(e["id"].startswith("tampere:tampere-peer-centre:") for e in events)
    # A place the city already has is referred to by its id and not exported again.
    assert {e["location"]["@id"] for e in events if "location" in e} == {"https://linkedevents.example.fi/v1/place/tprek:12345/"}
    assert not (tmp_path / "linked-events" / "places.json").exists()


def test_a_wrong_option_is_a_renderer_option_problem_and_other_outputs_still_build(tmp_path):
    config = BuildConfig(
        path=EXAMPLES / "tampere-peer-centre" / "catalogue.toml",
        sources=(SourceSpec("catalogue.yaml"),),
        outputs=(OutputSpec("linked-events", {"window_dayz": 30}), OutputSpec("json")),
    )
    with plugins.registered_plugin(vertaistuki_linked_events, "linked_events"):
        result = build(config, write=False, today=TODAY)
    [problem] = result.errors
    assert (problem.code, problem.path) == ("renderer_option", "$.options.window_dayz")
    assert problem.message.get("en").startswith('output linked-events: unknown option "window_dayz" (did you mean "window_days"?)')
    assert problem.message.get("fi").startswith('tulosteen linked-events tuntematon asetus "window_dayz"')
    assert any(path.endswith(".json") for path in result.files)


def test_the_entry_point_loads_the_plugin():
    env = {**os.environ, "VERTAISTUKI_LOAD_PLUGINS": "vertaistuki-linked-events"}
    listing = subprocess.run([sys.executable, "-m", "vertaistuki", "plugins", "--format", "json"],
                             env=env, capture_output=True, text=True, check=True, timeout=120)
    assert "linked_events" in listing.stdout and "register_renderers" in listing.stdout
