"""Helpers: small catalogues built by hand, rendered with an explicit ``today``."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import vertaistuki
from vertaistuki.atomic import joined
from vertaistuki.privacy import publishable
from vertaistuki.registry import RenderContext
from vertaistuki_linked_events.render import EVENTS_FILE, render_linked_events

ORGANISER = {"id": "omaiset", "kind": "association", "business_id": "0201256-6",
             "name": {"fi": "Omaisyhdistys ry", "sv": "Anhörigföreningen rf"}}
PLACE = {"id": "omaistalo", "name": {"fi": "Omaistalo", "sv": "Anhörighuset"},
         "municipality": {"fi": "Helsinki", "sv": "Helsingfors"}, "postal_code": "00100",
         "street_address": {"fi": "Esimerkkikatu 5"}, "coordinates": {"latitude": 60.17, "longitude": 24.94},
         "directions": {"fi": "Toinen kerros"}}
GROUP = {"id": "miesten-voimaa", "name": {"fi": "Miesten voimaa", "sv": "Männens kraft"},
         "organiser": "omaiset", "openness": "open",
         "channels": [{"kind": "in_person", "place": "omaistalo"}],
         "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "18:00", "end_time": "20:00",
                      "starts": "2026-09-03"}}


def catalogue_data(groups=(), events=(), services=(), **extra) -> dict[str, Any]:
    data = {"source": "omaiset-uusimaa", "publisher": "omaiset", "organisations": [ORGANISER], "places": [PLACE],
            "groups": list(groups), "events": list(events), "services": list(services)}
    data.update(extra)
    return copy.deepcopy(data)


def load(data: dict[str, Any], today: dt.date):
    result = vertaistuki.load_data(data, "test")
    assert not result.errors, [p.describe("en") for p in result.errors]
    return publishable(result.catalogue, today)


def render(data_or_catalogue, today: dt.date, **options) -> dict[str, Any]:
    """Every file the renderer writes, parsed: {"events.json": [...], ...}."""
    catalogue = data_or_catalogue if not isinstance(data_or_catalogue, dict) else load(data_or_catalogue, today)
    files = render_linked_events(catalogue, RenderContext(options=options, today=today))
    parsed = {}
    for path, content in files:  # (path, content), the content in chunks
        body = json.loads(joined(path, content).decode("utf-8"))
        assert body["meta"]["count"] == len(body["data"])
        parsed[path.removeprefix("linked-events/")] = body["data"]
    assert EVENTS_FILE.removeprefix("linked-events/") in parsed
    return parsed


def by_id(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {event["id"]: event for event in events}


def group(**changes) -> dict[str, Any]:
    """The weekly Thursday group, changed as the test needs."""
    data = copy.deepcopy(GROUP)
    data.update(copy.deepcopy(changes))
    return data


def schedule(**changes) -> dict[str, Any]:
    data = copy.deepcopy(GROUP["schedule"])
    data.update(changes)
    return data
