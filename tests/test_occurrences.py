"""The occurrence engine: the meetings that really happen, in local wall time."""

from __future__ import annotations

import datetime as dt

import strategies
from hypothesis import given, settings
from hypothesis import strategies as st

from vertaistuki.model import ExceptionKind, RecordState, Schedule, ScheduleException, Season, Status, Text
from vertaistuki.schedule import (MAX_OCCURRENCES, MAX_WINDOW, Expansions, excluded_dates, first_occurrences,
                                  next_occurrence, occurrences, window_plan)

YEAR_2026 = dict(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
WORKING_THURSDAY = Schedule(rrule="FREQ=WEEKLY;BYDAY=TH", start_time=dt.time(12), end_time=dt.time(14, 30),
                            skip_public_holidays=True)


def days(found) -> list[dt.date]:
    return [o.start.date() for o in found]


def test_every_working_thursday_skips_new_year_ascension_and_christmas_eve():
    thursdays = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)
                 if (dt.date(2026, 1, 1) + dt.timedelta(days=n)).weekday() == 3]
    met = days(occurrences(WORKING_THURSDAY, **YEAR_2026))
    assert set(thursdays) - set(met) == {dt.date(2026, 1, 1), dt.date(2026, 5, 14), dt.date(2026, 12, 24)}
    assert len(met) == len(thursdays) - 3
    assert {day: reason for day, reason in excluded_dates(WORKING_THURSDAY, **YEAR_2026)}[dt.date(2026, 5, 14)] == "Helatorstai"


def test_midsummer_eve_is_a_day_off_but_flag_days_are_not():
    friday = Schedule(rrule="FREQ=WEEKLY;BYDAY=FR", start_time=dt.time(10), skip_public_holidays=True)
    met = days(occurrences(friday, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30)))
    assert dt.date(2026, 6, 19) not in met  # juhannusaatto
    tuesday = Schedule(rrule="FREQ=WEEKLY;BYDAY=TU", start_time=dt.time(10), skip_public_holidays=True)
    assert dt.date(2026, 12, 8) in days(occurrences(tuesday, **YEAR_2026))  # Sibelius day: flags, not a day off


def test_wall_time_stays_across_daylight_saving_changes():
    monday = Schedule(rrule="FREQ=WEEKLY;BYDAY=MO", start_time=dt.time(18))
    found = occurrences(monday, **YEAR_2026)
    assert {o.start.time() for o in found} == {dt.time(18)}
    offsets = {o.start.date(): o.start.utcoffset() for o in found}
    assert offsets[dt.date(2026, 3, 23)] == dt.timedelta(hours=2)
    assert offsets[dt.date(2026, 3, 30)] == dt.timedelta(hours=3)
    assert offsets[dt.date(2026, 10, 19)] == dt.timedelta(hours=3)
    assert offsets[dt.date(2026, 10, 26)] == dt.timedelta(hours=2)


def test_season_interval_and_monthly_ordinals():
    autumn = Season(start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))
    other_tuesday = Schedule(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start_time=dt.time(18), season=autumn)
    assert days(occurrences(other_tuesday, **YEAR_2026)) == [dt.date(2026, 9, 1), dt.date(2026, 9, 15), dt.date(2026, 9, 29),
                                                             dt.date(2026, 10, 13), dt.date(2026, 10, 27)]
    # the rhythm holds when the window starts mid-season
    assert days(occurrences(other_tuesday, start=dt.date(2026, 9, 20), end=dt.date(2026, 10, 20))) == [
        dt.date(2026, 9, 29), dt.date(2026, 10, 13)]
    second_monday = Schedule(rrule="FREQ=MONTHLY;BYDAY=2MO", start_time=dt.time(18), starts=dt.date(2020, 1, 1))
    assert days(occurrences(second_monday, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))) == [
        dt.date(2026, 1, 12), dt.date(2026, 2, 9), dt.date(2026, 3, 9)]
    last_friday = Schedule(rrule="FREQ=MONTHLY;BYDAY=-1FR", start_time=dt.time(14))
    assert days(occurrences(last_friday, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))) == [
        dt.date(2026, 1, 30), dt.date(2026, 2, 27)]
    three_times = Schedule(rrule="FREQ=WEEKLY;BYDAY=WE;COUNT=3", start_time=dt.time(9), starts=dt.date(2026, 1, 7))
    assert days(occurrences(three_times, **YEAR_2026)) == [dt.date(2026, 1, 7), dt.date(2026, 1, 14), dt.date(2026, 1, 21)]


def test_cancelled_and_moved_meetings():
    schedule = Schedule(
        rrule="FREQ=WEEKLY;BYDAY=TH", start_time=dt.time(18), end_time=dt.time(20), starts=dt.date(2026, 3, 1),
        exceptions=(ScheduleException(date=dt.date(2026, 3, 5), reason=Text.of(fi="Ohjaaja sairaana")),
                    ScheduleException(date=dt.date(2026, 3, 12), kind=ExceptionKind.MOVED, moved_to=dt.date(2026, 3, 13),
                                      start_time=dt.time(17), end_time=dt.time(19))))
    found = occurrences(schedule, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 20))
    assert [(o.start.date(), o.start.hour, o.moved_from) for o in found] == [
        (dt.date(2026, 3, 13), 17, dt.date(2026, 3, 12)), (dt.date(2026, 3, 19), 18, None)]
    assert dict(excluded_dates(schedule, dt.date(2026, 3, 1), dt.date(2026, 3, 20)))[dt.date(2026, 3, 5)] == "Ohjaaja sairaana"


def test_status_suspended_and_ended():
    until_further_notice = Status(state=RecordState.SUSPENDED, reason=Text.of(fi="Koronatilanne"))
    assert occurrences(WORKING_THURSDAY, until_further_notice, **YEAR_2026) == []
    until_june = Status(state=RecordState.SUSPENDED, reason=Text.of(fi="Remontti"), until=dt.date(2026, 6, 4))
    met = days(occurrences(WORKING_THURSDAY, until_june, **YEAR_2026))
    assert met[0] == dt.date(2026, 6, 11)
    assert occurrences(WORKING_THURSDAY, Status(state=RecordState.ENDED), **YEAR_2026) == []


def test_next_meeting():
    after = dt.datetime(2026, 5, 13, 20, 0, tzinfo=dt.UTC)
    assert next_occurrence(WORKING_THURSDAY, None, after).start.date() == dt.date(2026, 5, 21)  # not Ascension Day


def test_hostile_input_stays_bounded():
    weekly = Schedule(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", start_time=dt.time(9), starts=dt.date(1, 1, 1))
    found = occurrences(weekly, start=dt.date(1, 1, 1), end=dt.date(9999, 12, 31))
    assert len(found) <= MAX_OCCURRENCES
    assert found[-1].start.date() - found[0].start.date() <= MAX_WINDOW


@settings(max_examples=60, deadline=None)
@given(day=st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), interval=st.integers(1, 4),
       hour=st.integers(0, 23), first=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
       start=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), length=st.integers(0, 2000),
       skip=st.booleans())
def test_weekly_occurrences_stay_in_the_window_at_their_wall_time(day, interval, hour, first, start, length, skip):
    schedule = Schedule(rrule=f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}", start_time=dt.time(hour),
                        starts=first, skip_public_holidays=skip)
    end = start + dt.timedelta(days=length)
    found = occurrences(schedule, start=start, end=end)
    assert len(found) <= MAX_OCCURRENCES
    for occurrence in found:
        assert start <= occurrence.start.date() <= min(end, start + MAX_WINDOW)
        assert occurrence.start.date() >= first
        assert (occurrence.start.hour, occurrence.start.tzinfo) == (hour, schedule.zone)
        # on the rule's weeks: RFC 5545 counts INTERVAL in weeks that start on Monday
        monday = occurrence.start.date() - dt.timedelta(days=occurrence.start.weekday())
        first_monday = first - dt.timedelta(days=first.weekday())
        assert ((monday - first_monday).days // 7) % interval == 0


@settings(max_examples=80, deadline=None)
@given(rule=st.sampled_from(["FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "FREQ=MONTHLY;BYDAY=2WE",
                             "FREQ=MONTHLY;INTERVAL=4;BYDAY=-1FR", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
       after=st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2028, 1, 1), timezones=st.just(dt.UTC)),
       season_days=st.integers(0, 300), moved=st.integers(-20, 90))
def test_the_next_meeting_is_the_first_of_the_whole_window(rule, after, season_days, moved):
    # A listing shows "next meeting"; it must be the first meeting that the calendar and
    # the JSON-LD (the whole window) have, however far a season break puts it.
    local = after.date()
    season = Season(start=local + dt.timedelta(days=season_days), end=local + dt.timedelta(days=season_days + 120))
    schedule = Schedule(rrule=rule, start_time=dt.time(18), skip_public_holidays=True, season=season,
                        exceptions=(ScheduleException(date=season.start, kind=ExceptionKind.MOVED,
                                                      moved_to=season.start + dt.timedelta(days=moved)),))
    whole = [o for o in occurrences(schedule, start=local, end=local + MAX_WINDOW) if o.start > after]
    assert next_occurrence(schedule, None, after) == (whole[0] if whole else None)


@settings(max_examples=80, deadline=None)
@given(rule=st.sampled_from(["FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "FREQ=MONTHLY;BYDAY=2WE",
                             "FREQ=MONTHLY;INTERVAL=4;BYDAY=-1FR", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
       start=st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)), season_days=st.integers(0, 300),
       moved=st.integers(-20, 90), count=st.integers(0, 12), suspended=st.integers(-1, 200))
def test_the_first_meetings_are_the_first_of_the_whole_window(rule, start, season_days, moved, count, suspended):
    # The JSON-LD lists a series' next few meetings; they must be the first ones the
    # calendar has, across season breaks, moved meetings and suspensions.
    season = Season(start=start + dt.timedelta(days=season_days), end=start + dt.timedelta(days=season_days + 120))
    schedule = Schedule(rrule=rule, start_time=dt.time(18), skip_public_holidays=True, season=season,
                        exceptions=(ScheduleException(date=season.start, kind=ExceptionKind.MOVED,
                                                      moved_to=season.start + dt.timedelta(days=moved)),))
    status = None if suspended < 0 else Status(state=RecordState.SUSPENDED, until=start + dt.timedelta(days=suspended))
    whole = occurrences(schedule, status, start=start, end=start + MAX_WINDOW)
    assert first_occurrences(schedule, status, start=start, count=count) == whole[:count]


@settings(max_examples=120, deadline=None)
@given(rule=st.sampled_from(["FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "FREQ=MONTHLY;BYDAY=2WE",
                             "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
       today=st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)), hour=st.integers(0, 23),
       zone=st.sampled_from(["Europe/Helsinki", "America/New_York", "Pacific/Kiritimati"]),
       season_days=st.integers(-30, 300), moved=st.integers(-20, 90), days=st.sampled_from([0, 7, 56, 62, 90]),
       suspended=st.integers(-1, 100))
def test_a_cards_next_meeting_and_coming_days_are_what_the_engine_gives(rule, today, hour, zone, season_days, moved,
                                                                      days, suspended):
    # A card shows its next meeting and filters by the meetings of the coming weeks; both
    # come from one expansion where they can, and must equal asking for each alone.
    season = Season(start=today + dt.timedelta(days=season_days), end=today + dt.timedelta(days=season_days + 120))
    schedule = Schedule(rrule=rule, start_time=dt.time(hour), timezone=zone, skip_public_holidays=True, season=season,
                        exceptions=(ScheduleException(date=season.start, kind=ExceptionKind.MOVED,
                                                      moved_to=season.start + dt.timedelta(days=moved)),))
    status = None if suspended < 0 else Status(state=RecordState.SUSPENDED, until=today + dt.timedelta(days=suspended))
    after = dt.datetime.combine(today, dt.time(0), dt.UTC)  # as a listing built for ``today`` asks
    expected = (next_occurrence(schedule, status, after),
                occurrences(schedule, status, start=today, end=today + dt.timedelta(days=days)))
    assert Expansions(remember=False).next_and_coming(schedule, status, after, today, days) == expected
    assert Expansions().next_and_coming(schedule, status, after, today, days) == expected


@settings(max_examples=400, deadline=None)
@given(schedule=strategies.schedules(), data=st.data(), length=st.one_of(st.integers(-3, 400), st.integers(401, 900)),
       state=st.sampled_from(["none", "active", "suspended", "ended", *["suspended until"] * 4]))
def test_a_window_plan_is_what_the_engine_gives_for_each_question_alone(schedule, data, length, state):
    # The Linked Events feed lists a series' planned, held and cancelled meetings from one
    # expansion of its rule; each must be what asking the engine separately gives, across
    # seasons, suspensions, moved and cancelled meetings and windows past MAX_WINDOW.
    near = schedule.first_date or dt.date(2026, 1, 1)  # first_date is the season's start when there is one
    start = near + dt.timedelta(days=data.draw(st.integers(-60, 200), label="start"))
    end = start + dt.timedelta(days=length)
    until = start + dt.timedelta(days=data.draw(st.integers(-5, max(length, 0) + 5), label="suspended until"))
    status = {"none": None, "active": Status(), "ended": Status(state=RecordState.ENDED),
              "suspended": Status(state=RecordState.SUSPENDED, reason=Text.of(fi="Tauolla")),
              "suspended until": Status(state=RecordState.SUSPENDED, reason=Text.of(fi="Tauolla"), until=until)}[state]
    plan = window_plan(schedule, status, start=start, end=end)
    assert list(plan.planned) == occurrences(schedule, None, start=start, end=end)
    assert list(plan.held) == occurrences(schedule, status, start=start, end=end)
    assert list(plan.excluded) == excluded_dates(schedule, start, end)
