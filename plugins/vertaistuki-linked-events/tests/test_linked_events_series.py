"""A group's meetings as a Linked Events recurring super event and its sub-events."""

import datetime as dt

from linked_events_helpers import by_id, catalogue_data, group, render, schedule

SERIES = "vertaistuki:omaiset-uusimaa:miesten-voimaa"


def meeting_id(day: str) -> str:
    return f"{SERIES}:{day}"


def test_a_group_becomes_a_recurring_super_event_with_one_sub_event_per_meeting():
    events = render(catalogue_data([group()]), dt.date(2026, 10, 1), window_days=15)["events.json"]
    umbrella, *subs = events
    assert umbrella["id"] == SERIES
    assert umbrella["super_event_type"] == "recurring"
    assert [sub["id"] for sub in subs] == [meeting_id("2026-10-01"), meeting_id("2026-10-08"), meeting_id("2026-10-15")]
    assert umbrella["sub_events"] == [{"@id": sub["@id"]} for sub in subs]
    assert all(sub["super_event"] == {"@id": umbrella["@id"]} for sub in subs)
    assert all("super_event_type" not in sub for sub in subs)
    # The umbrella spans its meetings; every sub-event carries the group's own data too.
    assert (umbrella["start_time"], umbrella["end_time"]) == (subs[0]["start_time"], subs[-1]["end_time"])
    assert all(sub["name"] == {"fi": "Miesten voimaa", "sv": "Männens kraft"} for sub in subs)
    assert all(sub["event_status"] == "EventScheduled" for sub in events)


def test_local_wall_clock_is_kept_across_the_change_to_winter_time():
    # Summer time ends on Sunday 25 October 2026: 18:00 stays 18:00, the offset changes.
    events = render(catalogue_data([group()]), dt.date(2026, 10, 15), window_days=22)["events.json"]
    times = {sub["id"][-10:]: (sub["start_time"], sub["end_time"]) for sub in events[1:]}
    assert times == {
        "2026-10-15": ("2026-10-15T18:00:00+03:00", "2026-10-15T20:00:00+03:00"),
        "2026-10-22": ("2026-10-22T18:00:00+03:00", "2026-10-22T20:00:00+03:00"),
        "2026-10-29": ("2026-10-29T18:00:00+02:00", "2026-10-29T20:00:00+02:00"),
        "2026-11-05": ("2026-11-05T18:00:00+02:00", "2026-11-05T20:00:00+02:00"),
    }


def test_only_meetings_inside_the_window_from_today_are_listed():
    events = render(catalogue_data([group()]), dt.date(2026, 10, 2), window_days=90)["events.json"]
    days = [dt.date.fromisoformat(sub["id"][-10:]) for sub in events[1:]]
    assert days[0] == dt.date(2026, 10, 8)  # today is a Friday: last Thursday is past
    assert days[-1] == dt.date(2026, 12, 24)  # the 90th day, 30 December, is a Wednesday
    assert len(days) == 12


def test_holidays_cancellations_and_moved_meetings():
    rules = schedule(skip_public_holidays=True, exceptions=[
        {"date": "2026-12-17", "kind": "cancelled", "reason": {"fi": "Ohjaaja sairaana"}},
        {"date": "2026-12-31", "kind": "moved", "moved_to": "2027-01-02", "start_time": "12:00", "end_time": "14:00"},
    ])
    events = by_id(render(catalogue_data([group(schedule=rules)]), dt.date(2026, 12, 10), window_days=30)["events.json"])
    # Christmas Eve (Thursday 24 December 2026) is a public holiday the group never meets on.
    assert meeting_id("2026-12-24") not in events
    assert events[meeting_id("2026-12-10")]["event_status"] == "EventScheduled"
    # A cancelled meeting stays listed, as cancelled, at its planned time, so calendars
    # that already show it can update it.
    cancelled = events[meeting_id("2026-12-17")]
    assert cancelled["event_status"] == "EventCancelled"
    assert cancelled["start_time"] == "2026-12-17T18:00:00+02:00"
    # A moved meeting keeps the id of its planned date and says it was rescheduled.
    moved = events[meeting_id("2026-12-31")]
    assert moved["event_status"] == "EventRescheduled"
    assert (moved["start_time"], moved["end_time"]) == ("2027-01-02T12:00:00+02:00", "2027-01-02T14:00:00+02:00")
    assert events[meeting_id("2027-01-07")]["event_status"] == "EventScheduled"


def test_meetings_during_a_suspension_are_cancelled_and_the_series_goes_on():
    suspended = {"state": "suspended", "reason": {"fi": "Tauko"}, "until": "2026-10-15"}
    events = render(catalogue_data([group(status=suspended)]), dt.date(2026, 10, 1), window_days=29)["events.json"]
    umbrella, *subs = events
    assert umbrella["event_status"] == "EventScheduled"
    assert {sub["id"][-10:]: sub["event_status"] for sub in subs} == {
        "2026-10-01": "EventCancelled", "2026-10-08": "EventCancelled", "2026-10-15": "EventCancelled",
        "2026-10-22": "EventScheduled", "2026-10-29": "EventScheduled",
    }


def test_a_series_suspended_until_further_notice_is_postponed():
    suspended = {"state": "suspended", "reason": {"fi": "Tauko toistaiseksi"}}
    events = render(catalogue_data([group(status=suspended)]), dt.date(2026, 10, 1), window_days=14)["events.json"]
    umbrella, *subs = events
    assert umbrella["event_status"] == "EventPostponed"
    assert subs and all(sub["event_status"] == "EventCancelled" for sub in subs)


def test_groups_with_nothing_to_date_are_left_out():
    ended = group(id="loppunut", status={"state": "ended"})
    unscheduled = group(id="sovitaan", schedule=None, schedule_note={"fi": "Ajat sovitaan ensimmäisellä kerralla"})
    later = group(id="kevat", schedule=schedule(starts="2027-03-04"))
    events = render(catalogue_data([ended, unscheduled, later]), dt.date(2026, 10, 1), window_days=90)["events.json"]
    assert events == []


def test_a_monthly_group_meets_on_its_ordinal_weekday():
    monthly = group(schedule=schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR", start_time="14:00", end_time="16:00"))
    events = render(catalogue_data([monthly]), dt.date(2026, 10, 1), window_days=70)["events.json"]
    assert [sub["start_time"] for sub in events[1:]] == [
        "2026-10-30T14:00:00+02:00", "2026-11-27T14:00:00+02:00"]


def test_scheduled_services_are_series_only_when_asked_for():
    service = {"id": "paivystys", "kind": "drop_in", "organiser": "omaiset", "name": {"fi": "Päivystys"},
               "channels": [{"kind": "in_person", "place": "omaistalo"}],
               "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00", "end_time": "14:30",
                            "starts": "2026-09-03"}}
    data = catalogue_data(services=[service])
    assert render(data, dt.date(2026, 10, 1))["events.json"] == []
    events = render(data, dt.date(2026, 10, 1), window_days=7, include_services=True)["events.json"]
    assert [event["id"] for event in events] == [
        "vertaistuki:omaiset-uusimaa:paivystys", "vertaistuki:omaiset-uusimaa:paivystys:2026-10-01"]
    assert {"@id": "https://api.hel.fi/linkedevents/v1/keyword/vertaistuki:service_kind-drop_in/"} in events[0]["keywords"]
