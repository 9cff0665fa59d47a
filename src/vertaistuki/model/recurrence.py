"""The restricted RFC 5545 recurrence rules that peer-support schedules use.

Groups meet weekly, every other week or on the n-th weekday of a month. Anything
finer (hourly, secondly) or unbounded (a billion repetitions) is either a typo or an
attack on the build, so the parser accepts only this subset and explains why it refuses
the rest.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from enum import Enum

import attrs

from .errors import InvalidValue

WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_COUNT = 1000
MAX_INTERVAL = {"WEEKLY": 52, "MONTHLY": 12}
LATEST_UNTIL = dt.date(2100, 1, 1)
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


class Frequency(str, Enum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@attrs.frozen
class WeekdayRule:
    """A weekday, with an ordinal for monthly rules: ``2MO`` is the second Monday,
    ``-1FR`` the last Friday of the month."""

    weekday: int  # 0 = Monday, as in datetime.date.weekday()
    ordinal: int | None = None

    def __str__(self) -> str:
        prefix = "" if self.ordinal is None else str(self.ordinal)
        return prefix + WEEKDAYS[self.weekday]


@attrs.frozen
class RecurrenceRule:
    frequency: Frequency
    interval: int = 1
    by_day: tuple[WeekdayRule, ...] = ()
    count: int | None = None
    until: dt.date | None = None

    def __str__(self) -> str:
        parts = [f"FREQ={self.frequency.value}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.by_day:
            parts.append("BYDAY=" + ",".join(str(day) for day in self.by_day))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)


def _refuse(fi: str, en: str) -> InvalidValue:
    return InvalidValue(fi=f"toistosääntö: {fi}", en=f"recurrence rule: {en}")


def parse_rrule(text: str) -> RecurrenceRule:
    """Parse ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`` into a :class:`RecurrenceRule`.

    Raises :class:`InvalidValue` naming the offending part in Finnish and English.
    """
    if not isinstance(text, str) or not text.strip():
        raise _refuse("sääntö puuttuu", "the rule is empty")
    return _parse_rrule(text)


# Thousands of groups share a few dozen rules, and every listing and calendar asks again.
@functools.lru_cache(maxsize=4096)
def _parse_rrule(text: str) -> RecurrenceRule:
    parts: dict[str, str] = {}
    for chunk in text.strip().removeprefix("RRULE:").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value:
            raise _refuse(f"osa {chunk!r} ei ole muotoa NIMI=ARVO", f"part {chunk!r} is not NAME=VALUE")
        if name in parts:
            raise _refuse(f"{name} annettu kahdesti", f"{name} given twice")
        parts[name] = value.strip().upper()

    unsupported = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"}
    if unsupported:
        names = ", ".join(sorted(unsupported))
        raise _refuse(f"osaa {names} ei tueta", f"{names} is not supported")

    raw_frequency = parts.get("FREQ")
    if raw_frequency not in Frequency.__members__:
        raise _refuse(
            f"toistuvuus {raw_frequency!r} ei käy; käytä WEEKLY (viikoittain) tai MONTHLY (kuukausittain)",
            f"frequency {raw_frequency!r} is not allowed; use WEEKLY or MONTHLY",
        )
    frequency = Frequency(raw_frequency)

    interval = _bounded_int(parts.get("INTERVAL", "1"), "INTERVAL", 1, MAX_INTERVAL[frequency.value])
    by_day = tuple(_weekday(item, frequency) for item in parts["BYDAY"].split(",")) if "BYDAY" in parts else ()
    count = _bounded_int(parts["COUNT"], "COUNT", 1, MAX_COUNT) if "COUNT" in parts else None
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    if count is not None and until is not None:
        raise _refuse("COUNT ja UNTIL eivät käy yhdessä", "COUNT and UNTIL cannot be used together")
    if parts.get("WKST", "MO") != "MO":
        raise _refuse("viikko alkaa maanantaista (WKST=MO)", "weeks start on Monday (WKST=MO)")
    return RecurrenceRule(frequency, interval, by_day, count, until)


def _bounded_int(value: str, name: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise _refuse(f"{name} on oltava {low}–{high}", f"{name} must be {low}–{high}")
    return int(value)


def _weekday(item: str, frequency: Frequency) -> WeekdayRule:
    match = _BYDAY.match(item.strip())
    if not match:
        raise _refuse(f"viikonpäivä {item!r} ei ole tuttu (MO, TU, … tai 2MO)", f"weekday {item!r} is not known (MO, TU, … or 2MO)")
    ordinal = int(match.group(1)) if match.group(1) else None
    if ordinal is not None and frequency is not Frequency.MONTHLY:
        raise _refuse("järjestysluku (esim. 2MO) käy vain kuukausittaisessa säännössä", "an ordinal (e.g. 2MO) needs FREQ=MONTHLY")
    return WeekdayRule(WEEKDAYS.index(match.group(2)), ordinal)


def _until(value: str) -> dt.date:
    try:
        until = dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        raise _refuse(f"UNTIL {value!r} ei ole päivämäärä (VVVVKKPP)", f"UNTIL {value!r} is not a date (YYYYMMDD)") from None
    if until >= LATEST_UNTIL:
        raise _refuse(f"UNTIL {until.isoformat()} on liian kaukana", f"UNTIL {until.isoformat()} is too far in the future")
    return until
