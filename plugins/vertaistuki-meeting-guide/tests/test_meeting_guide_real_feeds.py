"""Two real Meeting Guide feeds (../shared/interop/meeting-guide), read in place: every
meeting becomes a group or is reported with a reason, and nothing is dropped silently."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.shared

#: Fields the source maps somewhere when they hold a value (docs/interop/meeting-guide.md).
MAPPED = {
    "name", "slug", "day", "time", "end_time", "timezone", "types", "notes", "url", "updated", "location",
    "formatted_address", "address", "city", "state", "postal_code", "country", "latitude", "longitude", "approximate",
    "location_notes", "region", "regions", "sub_region", "conference_url", "conference_url_notes", "conference_phone",
    "conference_phone_notes", "attendance_option", "group", "group_notes", "email", "phone", "website", "entity",
    "entity_url", "entity_email", "entity_phone",
}
MAPPED_TYPES = {"O", "C", "ONL", "TC", "X", "XB", "D", "OUT", "M", "W", "Y", "SEN", "LGBTQ", "BE", "EN", "FR", "S", "FI", "SV"}
FEEDS = [("sussexaa.json", 123, "America/New_York"), ("edmonton.json", 315, "America/Edmonton")]


def _index(pointer: str | None) -> int | None:
    match = re.match(r"^\$\[(\d+)\]", pointer or "")
    return int(match.group(1)) if match else None


def _meeting_index(problem) -> int | None:
    """The meeting a problem is about: the source's own problems say so in their path
    (``$[12].day``), the core's in ``where`` (the source's pointer for the record)."""
    return _index(problem.where or problem.path)


def _by_index(result, feed_path) -> dict:
    return {_index(g.provenance.pointer): g for g in result.catalogue.groups if g.provenance.location == str(feed_path)}


@pytest.mark.parametrize(("name", "count", "timezone"), FEEDS)
def test_every_meeting_becomes_a_group_or_is_reported(import_feed, shared_feeds, name, count, timezone):
    feed_path = shared_feeds / name
    feed = json.loads(feed_path.read_text(encoding="utf-8"))
    assert len(feed) == count
    result = import_feed(feed_path, {"timezone": timezone})
    assert not [p for p in result.problems if p.code in ("source_failed", "plugin_failed")]

    kept = _by_index(result, feed_path)
    left_out = {}
    for problem in result.errors:
        index = _meeting_index(problem)
        assert problem.source == str(feed_path) and index is not None, problem.describe("en")
        left_out.setdefault(index, []).append(problem)
    assert not set(kept) & set(left_out)
    for index in range(count):  # record by record: a group, or an error that says why
        assert index in kept or index in left_out, f"meeting $[{index}] vanished"
        if index in left_out:
            assert all(p.message.get("fi") and p.message.get("en") for p in left_out[index])
    assert len(kept) + len(left_out) == count
    ids = [group.id for group in result.catalogue.groups]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", i) for i in ids)


@pytest.mark.parametrize(("name", "count", "timezone"), FEEDS)
def test_every_value_not_mapped_is_reported_at_its_path(import_feed, shared_feeds, name, count, timezone):
    feed_path = shared_feeds / name
    feed = json.loads(feed_path.read_text(encoding="utf-8"))
    result = import_feed(feed_path, {"timezone": timezone})
    reported = {p.path for p in result.problems if p.source == str(feed_path)}
    for index, meeting in enumerate(feed):
        for field, value in meeting.items():
            if value in (None, "", []) or field in MAPPED:
                continue
            assert f"$[{index}].{field}" in reported, f"$[{index}].{field} dropped silently"
        for item, code in enumerate(meeting.get("types") or []):
            if code not in MAPPED_TYPES:
                assert f"$[{index}].types[{item}]" in reported, f"type {code!r} of $[{index}] dropped silently"
    per_meeting = [p for p in result.problems if p.source == str(feed_path) and p.path.startswith("$[")]
    assert per_meeting and all(p.record_id and p.message.get("fi") != p.message.get("en") for p in per_meeting)


def test_sussex_meeting_is_read_field_by_field(import_feed, shared_feeds):
    result = import_feed(shared_feeds / "sussexaa.json", {"timezone": "America/New_York"})
    group = next(g for g in result.catalogue.groups if g.id == "rehoboth-beach-speaker")
    assert group.name.get("en") == "Rehoboth Beach Speaker" and group.openness.value == "open"
    assert (group.schedule.rrule, str(group.schedule.start_time), str(group.schedule.end_time)) == (
        "FREQ=WEEKLY;BYDAY=SU", "19:00:00", "20:00:00")
    assert group.schedule.timezone == "America/New_York"
    [channel] = group.channels
    place = result.catalogue.place(channel.place)
    assert (place.name.get("en"), place.street_address.get("en"), place.municipality.get("en"), place.postal_code) == (
        "All Saints' Episcopal Church", "18 Olive Ave", "Rehoboth Beach", "19971")
    assert place.directions.get("en").startswith("Parking is NOT PERMITTED")
    assert result.catalogue.organisation(group.organiser).name.get("en") == "Rehoboth Beach Sunday Group"
    assert str(group.updated) == "2022-07-09" and group.url == "https://sussexaa.org/meetings/rehoboth-beach-speaker/"
    speaker = next(p for p in result.problems if p.path == "$[0].types[1]")  # SP: Speaker
    assert speaker.record_id == "rehoboth-beach-speaker" and not speaker.is_error
    assert "'SP'" in speaker.message.get("fi") and "'SP'" in speaker.message.get("en")
    online = [g for g in result.catalogue.groups if any(c.kind.value == "online" for c in g.channels)]
    assert online and all(c.url.startswith("https://") for g in online for c in g.channels if c.kind.value == "online")


def test_edmonton_twelve_hour_times_and_day_lists(import_feed, shared_feeds):
    feed = json.loads((shared_feeds / "edmonton.json").read_text(encoding="utf-8"))
    result = import_feed(shared_feeds / "edmonton.json", {"timezone": "America/Edmonton"})
    group = next(g for g in result.catalogue.groups if g.id == "6")
    assert feed[0]["time"] == "11:00 AM" and feed[0]["day"] == [6]
    assert (group.schedule.rrule, str(group.schedule.start_time), group.schedule.end_time) == ("FREQ=WEEKLY;BYDAY=SA", "11:00:00", None)
    assert group.openness.value == "closed"
    groups = _by_index(result, shared_feeds / "edmonton.json")
    evening = next(groups[i] for i, m in enumerate(feed) if m["time"] == "8:00 PM")
    assert str(evening.schedule.start_time) == "20:00:00"
    # TC without a way to join online: the meeting is suspended, with a reason
    closed = [(m, groups[i]) for i, m in enumerate(feed) if "TC" in m["types"] and not m["conference_url"]
              and not m["conference_phone"]]
    assert closed and all(g.status.state.value == "suspended" and g.status.reason.has("fi") for _, g in closed)


def test_a_feed_without_time_zones_says_which_one_was_assumed(import_feed, shared_feeds):
    result = import_feed(shared_feeds / "edmonton.json")
    [assumed] = [p for p in result.problems if p.code == "meeting_guide.timezone_assumed"]
    assert "Europe/Helsinki" in assumed.message.get("en") and "315" in assumed.message.get("fi")
    assert {g.schedule.timezone for g in result.catalogue.groups} == {"Europe/Helsinki"}
