"""When a group or service meets: a recurrence rule at a local wall-clock time, within
a season, minus public holidays and cancellations, plus moved meetings.

This module holds the data only; ``vertaistuki.schedule`` expands it into dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import attrs

from .enums import ExceptionKind
from .errors import InvalidValue, names_field
from .recurrence import RecurrenceRule, parse_rrule
from .text import Text

DEFAULT_TIMEZONE = "Europe/Helsinki"


@names_field


def _check_rrule(instance, attribute, value: str) -> None:
    parse_rrule(value)


@names_field


def check_timezone(instance, attribute, value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(fi=f"aikavyöhyke {value!r} ei ole tuttu", en=f"time zone {value!r} is not known") from None


def _check_end_after_start(start_field: str, what_fi: str, what_en: str):
    @names_field
    def check(instance, attribute, end) -> None:
        start = getattr(instance, start_field)
        if end is not None and start is not None and end <= start:
            raise InvalidValue(fi=f"{what_fi} päättyy ennen kuin alkaa", en=f"{what_en} ends before it starts")

    return check


@attrs.frozen
class Season:
    """A term such as "kevätkausi 2019" or "syyskausi 2026": the group meets between
    these dates (both inclusive) at the same agreed place."""

    start: dt.date
    end: dt.date = attrs.field(validator=_check_end_after_start("start", "kausi", "the season"))
    name: Text | None = None


@attrs.frozen
class ScheduleException:
    """One meeting that does not happen as the rule says: cancelled, or moved to another
    day or time (``moved_to`` and/or new times)."""

    date: dt.date
    kind: ExceptionKind = ExceptionKind.CANCELLED
    moved_to: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    reason: Text | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is ExceptionKind.CANCELLED and (self.moved_to or self.start_time or self.end_time):
            raise InvalidValue(
                fi="peruttu tapaaminen ei voi saada uutta päivää tai aikaa",
                en="a cancelled meeting cannot have a new date or time",
                field="kind",
            )
        if self.kind is ExceptionKind.MOVED and not (self.moved_to or self.start_time):
            raise InvalidValue(
                fi="siirretylle tapaamiselle tarvitaan uusi päivä tai alkamisaika",
                en="a moved meeting needs a new date or start time",
                field="moved_to",
            )


@attrs.frozen
class Schedule:
    """A recurring schedule in local wall time.

    ``rrule`` is a restricted RFC 5545 rule (see :mod:`.recurrence`). The first
    meeting is ``starts`` or, failing that, the season's start; the last is bounded by
    the season's end, the rule's UNTIL/COUNT, or the expansion window.
    """

    rrule: str = attrs.field(validator=_check_rrule)
    start_time: dt.time
    end_time: dt.time | None = attrs.field(
        default=None, validator=_check_end_after_start("start_time", "tapaaminen", "the meeting")
    )
    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, validator=check_timezone)
    season: Season | None = None
    starts: dt.date | None = None
    skip_public_holidays: bool = False
    exceptions: tuple[ScheduleException, ...] = ()

    def __attrs_post_init__(self) -> None:
        # Every other week, every other month or a number of meetings are counted from a
        # first day; without one, which weeks a group meets would depend on the day a
        # listing or calendar is built, and subscribers would see the meetings jump.
        if self.first_date is not None or ("INTERVAL=" not in self.rrule and "COUNT=" not in self.rrule):
            return  # the common case, decided without the rule (INTERVAL=1 is parsed below)
        rule = self.rule
        if rule.interval > 1 or rule.count is not None:
            raise InvalidValue(
                fi="joka toinen viikko tai kuukausi tai tietty määrä kertoja tarvitsee ensimmäisen päivän "
                   "(starts) tai kauden (season): muuten ei tiedetä, minä viikkoina ryhmä kokoontuu",
                en="every other week or month, or a number of meetings, needs a first day (starts) or a season: "
                   "otherwise nobody can tell which weeks the group meets",
                field="starts",
            )

    @functools.cached_property
    def rule(self) -> RecurrenceRule:
        return parse_rrule(self.rrule)

    @property
    def first_date(self) -> dt.date | None:
        if self.starts is not None:
            return self.starts
        return self.season.start if self.season else None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
