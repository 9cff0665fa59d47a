"""iCalendar output: parses back from bytes, and expands to exactly the engine's meetings."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

import vertaistuki
from vertaistuki import plugins
from vertaistuki.default_plugins.ics import _new_calendar, _Writer
from vertaistuki.registry import RenderContext
from vertaistuki.schedule import MAX_WINDOW, occurrences

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2026, 1, 1)
HELSINKI = "Europe/Helsinki"

DROP_IN_GROUP = """\
source: keskus
organisations: [{id: keskus, name: {fi: Vertaiskeskus}, kind: regional_peer_centre}]
places: [{id: tila, name: {fi: Vertaiskeskus}, municipality: {fi: Tampere}, street_address: {fi: Esimerkkikatu 1}}]
groups:
  - id: torstairyhma
    name: {fi: "Torstairyhmä </script><script>alert(1)</script>"}
    organiser: keskus
    openness: open
    channels: [{kind: in_person, place: tila}]
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start_time: "12:00"
      end_time: "14:30"
      skip_public_holidays: true
      season: {start: "2026-01-01", end: "2026-12-31"}
      exceptions:
        - {date: "2026-03-05", kind: cancelled, reason: {fi: Ohjaaja sairaana}}
        - {date: "2026-03-12", kind: moved, moved_to: "2026-03-13", reason: {fi: Tila varattu}}
  - id: tauolla
    name: {fi: Tauolla}
    organiser: keskus
    openness: open
    schedule: {rrule: FREQ=WEEKLY;BYDAY=MO, start_time: "18:00"}
    status: {state: suspended, reason: {fi: Koronatilanne}}
"""


def render(catalogue, today=TODAY) -> dict[str, bytes]:
    return plugins.renderers()["ics"].files(catalogue, RenderContext(today=today))


@pytest.fixture
def catalogue(tmp_path):
    (tmp_path / "c.yaml").write_text(DROP_IN_GROUP, encoding="utf-8")
    result = vertaistuki.load(tmp_path / "c.yaml")
    assert result.errors == ()
    return result.catalogue


def test_the_feed_parses_back_from_bytes_with_a_timezone(catalogue):
    files = render(catalogue)
    calendar = icalendar.Calendar.from_ical(files["calendar/catalogue.ics"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [HELSINKI]
    [series] = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert series.get("DTSTART").params["TZID"] == HELSINKI
    assert series.decoded("DTSTART") == dt.datetime(2026, 1, 8, 12, 0, tzinfo=series.decoded("DTSTART").tzinfo)
    until = series["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)  # UNTIL in UTC
    assert b"ATTENDEE" not in files["calendar/catalogue.ics"]
    assert "calendar/groups/torstairyhma.ics" in files


def test_holidays_and_cancellations_are_exdates_and_moves_are_overrides(catalogue):
    calendar = icalendar.Calendar.from_ical(render(catalogue)["calendar/groups/torstairyhma.ics"])
    [series] = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    excluded = {moment.dt.date() for exdate in (series["EXDATE"] if isinstance(series["EXDATE"], list) else [series["EXDATE"]])
                for moment in exdate.dts}
    # 1 Jan needs none: the series starts on 8 Jan, its first working Thursday
    assert {dt.date(2026, 5, 14), dt.date(2026, 12, 24), dt.date(2026, 3, 5)} <= excluded
    assert dt.date(2026, 3, 12) not in excluded  # moved, not skipped: an override instead
    [override] = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override.decoded("RECURRENCE-ID").date() == dt.date(2026, 3, 12)
    assert override.decoded("DTSTART").date() == dt.date(2026, 3, 13)
    assert series["UID"] == override["UID"]


def test_a_suspended_series_has_no_future_meetings(catalogue):
    files = render(catalogue)
    assert "calendar/groups/tauolla.ics" not in files
    assert b"Tauolla" not in files["calendar/catalogue.ics"]


def test_uids_are_stable_across_builds(catalogue):
    assert render(catalogue) == render(catalogue)
    calendar = icalendar.Calendar.from_ical(render(catalogue)["calendar/catalogue.ics"])
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {"keskus:torstairyhma@vertaistuki"}


def _starts(component_or_events) -> list[dt.datetime]:
    return sorted(event.decoded("DTSTART") for event in component_or_events)


EXAMPLE_FILES = sorted(EXAMPLES.glob("*/catalogue.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.parent.name for p in EXAMPLE_FILES])
@pytest.mark.parametrize("today", [dt.date(2019, 1, 1), dt.date(2026, 11, 22)])
def test_ics_expansion_equals_the_engine_for_every_example_series(path, today):
    catalogue = vertaistuki.load(path).catalogue
    files = render(catalogue, today)
    end = today + MAX_WINDOW
    checked = 0
    for folder, records in (("groups", catalogue.groups), ("services", catalogue.services)):
        for record in records:
            if record.schedule is None:
                continue
            expected = [o.start for o in occurrences(record.schedule, record.status, start=today, end=end)]
            name = f"calendar/{folder}/{record.id}.ics"
            if not expected:
                assert name not in files
                continue
            calendar = icalendar.Calendar.from_ical(files[name])
            expanded = recurring_ical_events.of(calendar).between(today, end + dt.timedelta(days=1))
            assert _starts(expanded) == expected, record.id
            checked += 1
    if any(r.schedule for r in (*catalogue.groups, *catalogue.services)) and today.year == 2019:
        assert checked or path.parent.name != "relatives-association"


def test_time_zones_are_written_in_a_fixed_order_so_an_unchanged_catalogue_gives_an_unchanged_feed(tmp_path):
    # Åland keeps Helsinki time but is its own zone; a catalogue with both needs two
    # VTIMEZONEs, and their order must not depend on the process (ETags stay valid).
    aland = DROP_IN_GROUP.replace("""  - id: tauolla
    name: {fi: Tauolla}""", """  - id: ahvenanmaa
    name: {fi: Ahvenanmaan ryhmä}
    organiser: keskus
    openness: open
    schedule: {rrule: FREQ=WEEKLY;BYDAY=TU, start_time: "18:00", timezone: Europe/Mariehamn}
  - id: tauolla
    name: {fi: Tauolla}""")
    (tmp_path / "c.yaml").write_text(aland, encoding="utf-8")
    result = vertaistuki.load(tmp_path / "c.yaml")
    assert result.errors == ()
    feed = icalendar.Calendar.from_ical(render(result.catalogue)["calendar/catalogue.ics"])
    zones = [str(zone["TZID"]) for zone in feed.walk("VTIMEZONE")]
    assert zones == ["Europe/Helsinki", "Europe/Mariehamn"]
    own = icalendar.Calendar.from_ical(render(result.catalogue)["calendar/groups/ahvenanmaa.ics"])
    assert [str(zone["TZID"]) for zone in own.walk("VTIMEZONE")] == ["Europe/Mariehamn"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_a_calendar_head_is_what_icalendar_writes_for_that_name(name):
    # Each group's file names its calendar; the shared head lines are written once.
    writer = _Writer(dt.date(2026, 11, 23))
    assert writer.head(name) == _new_calendar(name).to_ical().removesuffix(b"END:VCALENDAR\r\n")


def test_a_name_with_a_line_break_or_commas_gives_a_valid_calendar():
    # The calendar's name is TEXT: escaped like the summary, never a broken content line.
    data = {"source": "t", "organisations": [{"id": "y", "kind": "association", "name": {"fi": "Yhdistys"}}],
            "groups": [{"id": "g", "organiser": "y", "openness": "open", "name": {"fi": "Ryhmä\nkaksi, ja; kolme"},
                        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00"}}]}
    result = vertaistuki.load_data(data, "test")
    assert not result.errors
    files = plugins.renderers()["ics"].files(result.catalogue, RenderContext(today=dt.date(2026, 11, 23)))
    calendar = icalendar.Calendar.from_ical(files["calendar/groups/g.ics"])
    assert b"X-WR-CALNAME:Ryhm\xc3\xa4\\nkaksi\\, ja\\; kolme\r\n" in files["calendar/groups/g.ics"]
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Ryhmä\nkaksi, ja; kolme"


def test_the_location_names_the_room_after_the_place(tmp_path):
    (tmp_path / "c.yaml").write_text(DROP_IN_GROUP.replace("channels: [{kind: in_person, place: tila}]",
                                                           "channels: [{kind: in_person, place: tila, room: {fi: 'Sali 2, 3. krs'}}]"),
                                     encoding="utf-8")
    catalogue = vertaistuki.load(tmp_path / "c.yaml").catalogue
    files = render(catalogue)
    event = icalendar.Calendar.from_ical(files["calendar/groups/torstairyhma.ics"]).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Vertaiskeskus, Sali 2, 3. krs, Esimerkkikatu 1, Tampere"


@pytest.mark.parametrize(("kind", "start_time", "end_time", "meetings"), [
    # a two-day training 10–16 meets 10–16 on each day (seed: "la–su 13.–14.3. klo 10–16")
    ("volunteer_training", "10:00", "16:00", [("2027-03-13T10:00", "2027-03-13T16:00"), ("2027-03-14T10:00", "2027-03-14T16:00")]),
    # a camp runs from the first day's start to the last day's end
    ("camp", "10:00", "16:00", [("2027-03-13T10:00", "2027-03-14T16:00")]),
    # so do times that end earlier in the day than they start
    ("adaptation_course", "18:00", "14:00", [("2027-03-13T18:00", "2027-03-14T14:00")]),
])
def test_an_event_of_several_days_meets_as_the_listing_says(tmp_path, kind, start_time, end_time, meetings):
    (tmp_path / "c.yaml").write_text(
        "source: keskus\norganisations: [{id: keskus, name: {fi: Keskus}, kind: association}]\n"
        f"events: [{{id: tapahtuma, kind: {kind}, name: {{fi: Tapahtuma}}, organiser: keskus, start_date: '2027-03-13',"
        f" end_date: '2027-03-14', start_time: '{start_time}', end_time: '{end_time}'}}]\n", encoding="utf-8")
    result = vertaistuki.load(tmp_path / "c.yaml")
    assert result.errors == ()
    calendar = icalendar.Calendar.from_ical(render(result.catalogue)["calendar/catalogue.ics"])
    found = recurring_ical_events.of(calendar).between(dt.datetime(2027, 3, 1), dt.datetime(2027, 4, 1))
    zone = zoneinfo.ZoneInfo(HELSINKI)
    assert [(e["DTSTART"].dt, e["DTEND"].dt) for e in found] == [
        (dt.datetime.fromisoformat(start).replace(tzinfo=zone), dt.datetime.fromisoformat(end).replace(tzinfo=zone))
        for start, end in meetings]


@settings(max_examples=150, deadline=None)
@given(schedule=strategies.schedules(), status=strategies.statuses, data=st.data())
def test_ics_expansion_equals_the_engine_for_generated_series(schedule, status, data):
    # The calendar's recurring event, EXDATEs and overrides, expanded by another
    # library, must be exactly the engine's meetings, whatever the rule, season,
    # exceptions, holidays and status; "today" is drawn near the schedule's own dates.
    near = [day for day in (schedule.first_date, schedule.season and schedule.season.start,
                            *(exception.date for exception in schedule.exceptions)) if day]
    today = data.draw(st.sampled_from(near or [TODAY]).flatmap(
        lambda day: st.integers(-120, 60).map(lambda shift: day + dt.timedelta(days=shift))))
    group = vertaistuki.Group(id="ryhma", name=vertaistuki.Text.of(fi="Ryhmä"), organiser="keskus",
                              openness=vertaistuki.Openness.OPEN, schedule=schedule, status=status)
    catalogue = vertaistuki.Catalogue(source="keskus", groups=(group,))
    files = render(catalogue, today)
    end = today + MAX_WINDOW
    expected = [o.start for o in occurrences(schedule, status, start=today, end=end)]
    if not expected:
        assert "calendar/groups/ryhma.ics" not in files
        return
    calendar = icalendar.Calendar.from_ical(files["calendar/groups/ryhma.ics"])
    assert _starts(recurring_ical_events.of(calendar).between(today, end + dt.timedelta(days=1))) == expected
