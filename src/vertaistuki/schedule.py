"""The occurrence engine: from schedule data to the meetings that will really happen.

A schedule says "every working Thursday 12–14.30 during the autumn term, not on
15 October, and on 12 March at the 13th instead". This module expands it into concrete
meetings in local wall time (Europe/Helsinki by default, across daylight-saving
changes), honouring the season, the recurrence rule, Finnish public holidays
(including Midsummer Eve and Christmas Eve; flag days are not days off), exceptions and
the record's status.

Expansion is bounded: at most :data:`MAX_WINDOW` of calendar and
:data:`MAX_OCCURRENCES` meetings per series, so hostile input cannot hang a build.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
from collections.abc import Iterator

import attrs
import holidays
from dateutil import rrule as dateutil_rrule

from .model import ExceptionKind, RecordState, Schedule, Status, Text
from .model.recurrence import Frequency, RecurrenceRule

#: The longest stretch of calendar expanded at once (about 13 months).
MAX_WINDOW = dt.timedelta(days=400)
#: The most meetings listed for one series in one expansion.
MAX_OCCURRENCES = 500

_WEEKDAYS = (dateutil_rrule.MO, dateutil_rrule.TU, dateutil_rrule.WE, dateutil_rrule.TH,
             dateutil_rrule.FR, dateutil_rrule.SA, dateutil_rrule.SU)


@attrs.frozen
class Occurrence:
    """One meeting. ``moved_from`` is the date it was moved from, if it was."""

    start: dt.datetime  # aware, in the schedule's time zone
    end: dt.datetime | None = None
    moved_from: dt.date | None = None
    note: Text | None = None


@functools.cache
def public_holidays(year: int) -> dict[dt.date, str]:
    """Finland's public holidays (days off) for a year, with Finnish names."""
    return dict(holidays.Finland(years=year, language="fi"))


def holiday_name(day: dt.date) -> str | None:
    return public_holidays(day.year).get(day)


def _aligned_start(schedule: Schedule, first: dt.date, window_start: dt.date) -> dt.date:
    """A rule start no later than the window that keeps the rule's rhythm (every other
    week stays on the same weeks), so expansion need not walk from a distant first date."""
    rule = schedule.rule
    if rule.count is not None or window_start <= first:
        return first  # COUNT is counted from the very first meeting
    if rule.frequency is Frequency.WEEKLY:
        period = 7 * rule.interval
        skipped_periods = (window_start - first).days // period
        return first + dt.timedelta(days=skipped_periods * period)
    months = (window_start.year - first.year) * 12 + window_start.month - first.month
    skipped = (months // rule.interval) * rule.interval
    year, month = divmod(first.month - 1 + skipped, 12)
    return dt.date(first.year + year, month + 1, 1) if skipped else first


def _dateutil_dates(rule: RecurrenceRule, first: dt.date, until: dt.date | None) -> Iterator[dt.date]:
    """The rule's dates by dateutil's general engine (any rule :func:`rule_dates` does
    not compute itself)."""
    by_weekday = [_WEEKDAYS[day.weekday](day.ordinal) if day.ordinal else _WEEKDAYS[day.weekday]
                  for day in rule.by_day] or None
    frequency = dateutil_rrule.WEEKLY if rule.frequency is Frequency.WEEKLY else dateutil_rrule.MONTHLY
    dtstart = dt.datetime.combine(first, dt.time(0))
    bound = {"count": rule.count} if rule.count is not None else {"until": dt.datetime.combine(until, dt.time(0))}
    for moment in dateutil_rrule.rrule(frequency, dtstart=dtstart, interval=rule.interval, byweekday=by_weekday,
                                       wkst=dateutil_rrule.MO, **bound):
        yield moment.date()


def _weekly_dates(rule: RecurrenceRule, first: dt.date) -> Iterator[dt.date]:
    """Every ``interval``-th week (weeks start on Monday) from the week of ``first``,
    on the rule's weekdays (or ``first``'s), never before ``first``."""
    weekdays = sorted({day.weekday for day in rule.by_day}) if rule.by_day else [first.weekday()]
    earliest, latest = first.toordinal(), dt.date.max.toordinal()
    monday = earliest - first.weekday()
    while monday <= latest:
        for weekday in weekdays:
            if earliest <= monday + weekday <= latest:
                yield dt.date.fromordinal(monday + weekday)
        monday += 7 * rule.interval


def _monthly_nth_dates(rule: RecurrenceRule, first: dt.date) -> Iterator[dt.date]:
    """Every ``interval``-th month from the month of ``first``, on the n-th (or n-th
    last) weekdays the rule names, never before ``first``."""
    year, month = first.year, first.month
    while year <= dt.MAXYEAR:
        month_start = dt.date(year, month, 1)
        month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
        days = set()
        for day in rule.by_day:
            if day.ordinal > 0:
                found = month_start + dt.timedelta(days=(day.weekday - month_start.weekday()) % 7 + 7 * (day.ordinal - 1))
            else:
                found = month_end - dt.timedelta(days=(month_end.weekday() - day.weekday) % 7 - 7 * (day.ordinal + 1))
            if month_start <= found <= month_end:
                days.add(found)
        for day in sorted(days):
            if day >= first:
                yield day
        year, month = divmod(year * 12 + month - 1 + rule.interval, 12)
        month += 1


def rule_dates(rule: RecurrenceRule, first: dt.date, until: dt.date | None = None) -> Iterator[dt.date]:
    """The dates the bare rule yields with DTSTART on ``first`` (WKST=MO), in order,
    up to ``until`` (inclusive; needed unless the rule has a COUNT) or the rule's COUNT:
    exactly what dateutil's ``rrule`` yields. The usual rules (weekly; monthly on n-th
    weekdays) are computed here directly, because dateutil's general engine was most
    of the time a listing took; any other rule goes to dateutil."""
    if rule.frequency is Frequency.WEEKLY:
        dates = _weekly_dates(rule, first)
    elif rule.by_day and all(day.ordinal for day in rule.by_day):
        dates = _monthly_nth_dates(rule, first)
    else:
        yield from _dateutil_dates(rule, first, until)
        return
    if rule.count is not None:
        yield from itertools.islice(dates, rule.count)
        return
    for day in dates:
        if day > until:
            return
        yield day


def _series_bounds(schedule: Schedule, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
    """(first date of the series, window start, window end), clipped; None if empty."""
    end = min(end, start + MAX_WINDOW)
    first = schedule.first_date or start
    last = end
    if schedule.season is not None:
        first = max(first, schedule.season.start)
        last = min(last, schedule.season.end)
    if schedule.rule.until is not None:
        last = min(last, schedule.rule.until)
    start = max(start, first)
    if last < start:
        return None
    return first, start, last


def _rule_dates(schedule: Schedule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates the bare rule yields within [start, end], bounded in count."""
    bounds = _series_bounds(schedule, start, end)
    if bounds is None:
        return []
    first, window_start, window_end = bounds
    found = []
    for day in rule_dates(schedule.rule, _aligned_start(schedule, first, window_start), window_end):
        if day > window_end:
            break
        if day >= window_start:
            found.append(day)
            if len(found) >= MAX_OCCURRENCES:
                break
    return found


def _skip_reason(schedule: Schedule, day: dt.date) -> str | None:
    """Why the rule's meeting on ``day`` does not happen there, if it does not."""
    for exception in schedule.exceptions:
        if exception.date == day:
            if exception.kind is ExceptionKind.CANCELLED:
                return exception.reason.get("fi") if exception.reason else "peruttu"
            return "siirretty"
    if schedule.skip_public_holidays:
        return holiday_name(day)
    return None


def excluded_dates(schedule: Schedule, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Dates the rule yields in the window but where no meeting is held there: public
    holidays, cancellations and moved meetings, each with a reason in Finnish."""
    return [(day, reason) for day in _rule_dates(schedule, start, end)
            if (reason := _skip_reason(schedule, day)) is not None]


def _blocked_until(status: Status | None) -> dt.date | None | bool:
    """False: no block; True: nothing at all; a date: nothing on or before it."""
    if status is None or status.state is RecordState.ACTIVE:
        return False
    if status.state is RecordState.ENDED or status.until is None:
        return True
    return status.until


def _at(day: dt.date, time: dt.time | None, zone: dt.tzinfo) -> dt.datetime | None:
    # Combine wall-clock date and time in the zone: 18:00 stays 18:00 in summer and winter.
    return dt.datetime.combine(day, time, zone) if time is not None else None


def _open_window(status: Status | None, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of [start, end] in which the record's status lets it meet, at most
    :data:`MAX_WINDOW` long; None if there is none."""
    blocked = _blocked_until(status)
    if blocked is True:
        return None
    if blocked:
        start = max(start, blocked + dt.timedelta(days=1))
    end = min(end, start + MAX_WINDOW)
    return (start, end) if start <= end else None


def _moved(schedule: Schedule, start: dt.date, end: dt.date) -> list[Occurrence]:
    """The moved meetings held in [start, end] (moved from a day the series meets)."""
    zone = schedule.zone
    found = []
    for exception in schedule.exceptions:
        if exception.kind is not ExceptionKind.MOVED or not _is_rule_date(schedule, exception.date):
            continue
        day = exception.moved_to or exception.date
        if start <= day <= end:
            found.append(Occurrence(
                _at(day, exception.start_time or schedule.start_time, zone),
                _at(day, exception.end_time or schedule.end_time, zone),
                moved_from=exception.date, note=exception.reason))
    return found


def occurrences(schedule: Schedule, status: Status | None = None, *, start: dt.date, end: dt.date) -> list[Occurrence]:
    """The meetings between ``start`` and ``end`` (inclusive), in order, at most
    :data:`MAX_OCCURRENCES`, over at most :data:`MAX_WINDOW`."""
    window = _open_window(status, start, end)
    if window is None:
        return []
    start, end = window
    return _in_order(schedule, [day for day in _rule_dates(schedule, start, end) if _skip_reason(schedule, day) is None],
                     start, end)


def _in_order(schedule: Schedule, days: list[dt.date], start: dt.date, end: dt.date) -> list[Occurrence]:
    """The meetings on the rule's ``days`` (those not skipped) and the moved meetings held
    in [start, end], in order, at most :data:`MAX_OCCURRENCES`."""
    zone = schedule.zone
    found = [Occurrence(_at(day, schedule.start_time, zone), _at(day, schedule.end_time, zone)) for day in days]
    found += _moved(schedule, start, end)
    found.sort(key=lambda occurrence: occurrence.start)
    return found[:MAX_OCCURRENCES]


@attrs.frozen
class Series:
    """A schedule's meetings in a window as a calendar writes them (:func:`series`): one
    recurring event from the first regular meeting to the last, the days between them
    on which the rule would meet but the series does not meet there (EXDATEs: holidays,
    cancellations, moved meetings), and the moved meetings."""

    regular: tuple[dt.date, ...]  # the days of the regular meetings, at the schedule's times
    skipped: tuple[dt.date, ...]
    moved: tuple[Occurrence, ...]


def series(schedule: Schedule, status: Status | None = None, *, start: dt.date, end: dt.date) -> Series:
    """The meetings :func:`occurrences` finds, as a :class:`Series`: the rule is expanded
    once, and a regular meeting is a day rather than an :class:`Occurrence` (a calendar
    of a national catalogue's groups would otherwise make some 14 million)."""
    window = _open_window(status, start, end)
    if window is None:
        return Series((), (), ())
    start, end = window
    rule_days = _rule_dates(schedule, start, end)
    regular = [day for day in rule_days if _skip_reason(schedule, day) is None]
    moved = _moved(schedule, start, end)
    if len(regular) + len(moved) > MAX_OCCURRENCES:  # cut as occurrences cuts, meeting by meeting
        found = occurrences(schedule, status, start=start, end=end)
        regular = [o.start.date() for o in found if o.moved_from is None]
        moved = [o for o in found if o.moved_from is not None]
    moved.sort(key=lambda occurrence: occurrence.start)
    if not regular:
        return Series((), (), tuple(moved))
    first, last = regular[0], regular[-1]
    met = set(regular).union(o.moved_from for o in moved)
    skipped = tuple(day for day in rule_days if first <= day <= last and day not in met)
    return Series(tuple(regular), skipped, tuple(moved))


@attrs.frozen
class WindowPlan:
    """A series' window as a feed of dated events lists it (:func:`window_plan`): every
    meeting the series plans there, the ones it holds under the record's status, and the
    days the rule gives on which it does not meet there."""

    planned: tuple[Occurrence, ...]  # occurrences(schedule, None, ...)
    held: tuple[Occurrence, ...]  # occurrences(schedule, status, ...)
    excluded: tuple[tuple[dt.date, str], ...]  # excluded_dates(schedule, start, end)


def window_plan(schedule: Schedule, status: Status | None, *, start: dt.date, end: dt.date) -> WindowPlan:
    """What :func:`occurrences` without and with ``status`` and :func:`excluded_dates`
    give for the window, from one expansion of the rule instead of three: an event feed
    lists every planned meeting, the cancelled ones too, of every series."""
    window = _open_window(None, start, end)
    if window is None:
        return WindowPlan((), (), ())
    regular: list[dt.date] = []
    excluded: list[tuple[dt.date, str]] = []
    for day in _rule_dates(schedule, start, end):
        reason = _skip_reason(schedule, day)
        if reason is None:
            regular.append(day)
        else:
            excluded.append((day, reason))
    planned = _in_order(schedule, regular, *window)
    open_window = _open_window(status, start, end)
    if open_window == window:
        held = planned
    elif open_window is None:
        held = []
    elif open_window[1] == window[1] and len(planned) < MAX_OCCURRENCES and _rhythm_is_fixed(schedule):
        # The status only moves the window's start (nothing on or before the day it
        # names), and nothing was cut: the held meetings are the planned ones from then.
        held = [occurrence for occurrence in planned if occurrence.start.date() >= open_window[0]]
    else:
        held = occurrences(schedule, status, start=start, end=end)
    return WindowPlan(tuple(planned), tuple(held), tuple(excluded))


def _rhythm_is_fixed(schedule: Schedule) -> bool:
    """Whether the rule gives the same days whatever day a window starts on. Without a
    first date the window's start is the rule's DTSTART, from which every other week
    and a COUNT are counted."""
    return schedule.first_date is not None or (schedule.rule.interval == 1 and schedule.rule.count is None)


def _is_rule_date(schedule: Schedule, day: dt.date) -> bool:
    """Whether the series would have met on ``day`` (so moving it means something)."""
    return day in _rule_dates(schedule, day, day) if _series_bounds(schedule, day, day) else False


def next_occurrence(schedule: Schedule, status: Status | None, after: dt.datetime) -> Occurrence | None:
    """The first meeting that starts after ``after`` (an aware datetime)."""
    return _first_after(occurrences, schedule, status, after)


# Most schedules meet within a few weeks: the next meeting is looked for there first,
# and in the whole window only when there is none (a season break, a suspension).
_NEAR = dt.timedelta(days=62)


def _first_after(expand, schedule: Schedule, status: Status | None, after: dt.datetime) -> Occurrence | None:
    # Meetings are in order and a window holds every meeting whose day is in it, so a
    # meeting found in the near window is the first of the whole window too.
    local = after.astimezone(schedule.zone)
    for window in (_NEAR, MAX_WINDOW):
        for occurrence in expand(schedule, status, start=local.date(), end=local.date() + window):
            if occurrence.start > after:
                return occurrence
    return None


def first_occurrences(schedule: Schedule, status: Status | None, *, start: dt.date, count: int) -> list[Occurrence]:
    """The first ``count`` meetings of the window from ``start`` (what ``occurrences(…,
    start=start, end=start + MAX_WINDOW)[:count]`` gives), looked for in the coming weeks
    first: the JSON-LD lists a few meetings of each series, not a year of them."""
    return _first(occurrences, schedule, status, start, count)


def _first(expand, schedule: Schedule, status: Status | None, start: dt.date, count: int) -> list[Occurrence]:
    # As in _first_after: the meetings of the near window are the first of the whole one.
    found = expand(schedule, status, start=start, end=start + _NEAR)
    if len(found) < count:
        found = expand(schedule, status, start=start, end=start + MAX_WINDOW)
    return found[:count]


class Expansions:
    """The occurrence engine with a memory, for one render: a renderer that asks about the
    same schedule several times (cards in three languages, their JSON-LD) expands it
    once. Keep one per render call, never longer: it holds every expansion it made."""

    def __init__(self, *, remember: bool = True) -> None:
        """``remember=False``: expand every time (the fast paths stay) and keep nothing,
        for a national render that asks about each schedule once or twice and whose
        expansions, a year of meetings per group, would not fit in memory together."""
        self.remember = remember
        self._occurrences: dict[tuple, tuple[Occurrence, ...]] = {}
        self._excluded: dict[tuple, tuple[tuple[dt.date, str], ...]] = {}

    def occurrences(self, schedule: Schedule, status: Status | None = None, *, start: dt.date,
                    end: dt.date) -> list[Occurrence]:
        """As :func:`occurrences`."""
        if not self.remember:
            return occurrences(schedule, status, start=start, end=end)
        key = (schedule, status, start, end)
        found = self._occurrences.get(key)
        if found is None:
            found = self._occurrences[key] = tuple(occurrences(schedule, status, start=start, end=end))
        return list(found)

    def next_occurrence(self, schedule: Schedule, status: Status | None, after: dt.datetime) -> Occurrence | None:
        """As :func:`next_occurrence`."""
        return _first_after(self.occurrences, schedule, status, after)

    def first_occurrences(self, schedule: Schedule, status: Status | None, *, start: dt.date,
                          count: int) -> list[Occurrence]:
        """As :func:`first_occurrences`."""
        return _first(self.occurrences, schedule, status, start, count)

    def next_and_coming(self, schedule: Schedule, status: Status | None, after: dt.datetime, today: dt.date,
                        days: int) -> tuple[Occurrence | None, list[Occurrence]]:
        """``next_occurrence(schedule, status, after)`` and ``occurrences(schedule, status,
        start=today, end=today + days)``, from one expansion of the coming weeks when
        ``after`` falls on ``today`` where the group meets and ``days`` fit in them (a
        listing's card shows both)."""
        if days > _NEAR.days or after.astimezone(schedule.zone).date() != today:
            end = today + dt.timedelta(days=days)
            return self.next_occurrence(schedule, status, after), self.occurrences(schedule, status, start=today, end=end)
        near = self.occurrences(schedule, status, start=today, end=today + _NEAR)
        following = next((occurrence for occurrence in near if occurrence.start > after), None)
        if following is None:  # none in the coming weeks: the whole window, as _first_after looks
            following = self.next_occurrence(schedule, status, after)
        last = today + dt.timedelta(days=days)
        return following, [occurrence for occurrence in near if occurrence.start.date() <= last]

    def excluded_dates(self, schedule: Schedule, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """As :func:`excluded_dates`."""
        if not self.remember:
            return excluded_dates(schedule, start, end)
        key = (schedule, start, end)
        found = self._excluded.get(key)
        if found is None:
            found = self._excluded[key] = tuple(excluded_dates(schedule, start, end))
        return list(found)
