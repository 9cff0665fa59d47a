"""VEVENT text written directly, exactly as ``icalendar`` writes the events the ics
renderer makes, in a fraction of the time.

icalendar builds an object for every property and parameter of an event, then folds
every content line character by character, encoding each character to count its
octets; a national feed has hundreds of thousands of lines, most of them short. Here a
:class:`VEvent`'s properties go straight to text: TEXT values escaped as ``vText``
escapes them, dates and date-times as ``vDDDTypes`` writes them (the TZID named by
icalendar itself), the RRULE's parts in icalendar's order, the properties in the order
``Event.to_ical()`` sorts them into, and long lines folded at the places icalendar folds
them.

Only what the renderer puts in is handled: strings, dates, and date-times in a
``zoneinfo`` zone or UTC. For anything else :func:`vevent` returns None and the renderer
lets icalendar write that event. ``tests/test_fast_paths.py`` holds the text to
``icalendar.Event.to_ical()`` for generated events.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

import attrs
from icalendar.timezone.tzid import tzid_from_tzinfo

# RFC 5545 asks for lines of at most 75 octets; icalendar folds before the octet that
# would make 75, so a physical line holds at most 74 octets of the logical line.
_LINE_OCTETS = 74
_FOLD = b"\r\n "
# icalendar never ends a folded piece with a backslash or a caret, so an escape such
# as "\," or "^n" is not split across lines: that character starts the next piece.
_ESCAPE_STARTS = frozenset(b"\\^")
_CONTINUATION_BYTE = 0b1000_0000
# A TZID with none of the characters icalendar would quote or escape in a parameter.
_PLAIN_TZID = re.compile(r"[A-Za-z0-9/_+-]+")
_WEEKDAY = re.compile(r"[+-]?[0-9]{0,2}(?:MO|TU|WE|TH|FR|SA|SU)")
_FREQUENCIES = frozenset({"WEEKLY", "MONTHLY"})


@attrs.frozen
class Repeat:
    """A series' RRULE: its frequency, interval and days, until (in UTC) its last
    meeting in the published window."""

    frequency: str
    until: dt.datetime
    interval: int = 1
    by_day: tuple[str, ...] = ()


@attrs.frozen
class VEvent:
    """The properties of one VEVENT of the ics renderer, before any text is written.
    None (or no EXDATEs) leaves a property out."""

    uid: str
    stamp: dt.datetime
    summary: str
    start: dt.date
    end: dt.date | None = None
    recurrence_id: dt.datetime | None = None
    repeat: Repeat | None = None
    exdates: tuple[dt.datetime, ...] = ()
    comment: str | None = None
    description: str | None = None
    location: str | None = None
    url: str | None = None


class _Unhandled(Exception):
    """A value the fast path does not write as icalendar would: icalendar writes it."""


def folded(line: str) -> bytes:
    """A content line in UTF-8, folded where icalendar folds it.

    Raises UnicodeEncodeError for text UTF-8 cannot hold (a lone surrogate)."""
    data = line.encode("utf-8")
    if len(data) <= _LINE_OCTETS:  # most lines: nothing to fold
        return data
    pieces = []
    start = 0
    while len(data) - start > _LINE_OCTETS:
        end = start + _LINE_OCTETS
        while data[end] & 0b1100_0000 == _CONTINUATION_BYTE:  # a fold never splits a character
            end -= 1
        if data[end - 1] in _ESCAPE_STARTS:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return _FOLD.join(pieces)


def escaped(text: str) -> str:
    """TEXT as ``vText`` writes it (RFC 5545 section 3.3.11): backslash, semicolon and
    comma escaped, every line break (``\\r\\n``, ``\\n``, ``\\r``, and a literal ``\\N``)
    written as ``\\n``."""
    return (text.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def text_line(name: str, text: str) -> bytes:
    """A TEXT property's folded content line, such as ``SUMMARY:…``."""
    return folded(f"{name}:{escaped(text)}")


@functools.lru_cache(maxsize=256)
def _zone(tzinfo: dt.tzinfo) -> tuple[str | None, str]:
    """The TZID icalendar names ``tzinfo`` by and the suffix of its date-times: no TZID
    and ``Z`` for UTC (the zone's equivalents include UTC), else the TZID and none."""
    if not (tzinfo is dt.UTC or isinstance(tzinfo, zoneinfo.ZoneInfo) and tzinfo.key):
        raise _Unhandled(tzinfo)  # floating time, fixed offsets, dateutil and pytz zones
    tzid = tzid_from_tzinfo(tzinfo)
    if tzid == "UTC":
        return None, "Z"
    if tzid is None or not _PLAIN_TZID.fullmatch(tzid):
        raise _Unhandled(tzid)
    return tzid, ""


def _datetime_value(moment: dt.datetime, suffix: str) -> str:
    # Not strftime: %Y leaves years before 1000 unpadded on some platforms.
    return (f"{moment.year:04}{moment.month:02}{moment.day:02}"
            f"T{moment.hour:02}{moment.minute:02}{moment.second:02}{suffix}")


def _moment_line(name: str, moment: dt.date, tzids: set[str]) -> str:
    """DTSTART, DTEND or RECURRENCE-ID: a date (all day), or a date-time in its zone."""
    if not isinstance(moment, dt.datetime):
        if not isinstance(moment, dt.date):
            raise _Unhandled(moment)
        return f"{name};VALUE=DATE:{moment.year:04}{moment.month:02}{moment.day:02}"
    tzid, suffix = _zone(moment.tzinfo)
    if tzid is None:
        return f"{name}:{_datetime_value(moment, suffix)}"
    tzids.add(tzid)
    return f"{name};TZID={tzid}:{_datetime_value(moment, suffix)}"


def _stamp_line(stamp: dt.datetime) -> str:
    if not isinstance(stamp, dt.datetime) or stamp.tzinfo is not dt.UTC:
        raise _Unhandled(stamp)  # icalendar converts other DTSTAMPs to UTC itself
    return f"DTSTAMP:{_datetime_value(stamp, 'Z')}"


def _rrule_line(repeat: Repeat) -> str:
    """RRULE with its parts in the order icalendar writes them (RFC 5545's order)."""
    until = repeat.until
    if (repeat.frequency not in _FREQUENCIES or not isinstance(until, dt.datetime)
            or until.tzinfo is not dt.UTC):
        raise _Unhandled(repeat)
    parts = [f"FREQ={repeat.frequency}", f"UNTIL={_datetime_value(until, 'Z')}"]
    if repeat.interval != 1:
        if type(repeat.interval) is not int:
            raise _Unhandled(repeat)
        parts.append(f"INTERVAL={repeat.interval}")
    if repeat.by_day:
        if not all(isinstance(day, str) and _WEEKDAY.fullmatch(day) for day in repeat.by_day):
            raise _Unhandled(repeat)
        parts.append("BYDAY=" + ",".join(repeat.by_day))
    return "RRULE:" + ";".join(parts)


def _exdate_line(exdates: tuple[dt.datetime, ...], tzids: set[str]) -> str:
    """EXDATE: one line for all, the date-times of one zone (icalendar names only one)."""
    if not all(isinstance(moment, dt.datetime) for moment in exdates) or len({m.tzinfo for m in exdates}) != 1:
        raise _Unhandled(exdates)
    tzid, suffix = _zone(exdates[0].tzinfo)
    values = ",".join(_datetime_value(moment, suffix) for moment in exdates)
    if tzid is None:
        return f"EXDATE:{values}"
    tzids.add(tzid)
    return f"EXDATE;TZID={tzid}:{values}"


def _text(name: str, text: object) -> bytes:
    if not isinstance(text, str):
        raise _Unhandled(text)
    return text_line(name, text)


def _uri_line(url: object) -> bytes:
    # A URI is written as it is, unescaped; icalendar refuses a line break in it.
    if not isinstance(url, str) or "\n" in url or "\r" in url:
        raise _Unhandled(url)
    return folded(f"URL:{url}")


def _lines(event: VEvent, tzids: set[str]) -> list[bytes]:
    """The event's content lines in the order icalendar sorts them: its canonical
    properties first, then the rest alphabetically."""
    lines = [_text("SUMMARY", event.summary), folded(_moment_line("DTSTART", event.start, tzids))]
    if event.end is not None:
        lines.append(folded(_moment_line("DTEND", event.end, tzids)))
    lines.append(folded(_stamp_line(event.stamp)))
    lines.append(_text("UID", event.uid))
    if event.recurrence_id is not None:
        lines.append(folded(_moment_line("RECURRENCE-ID", event.recurrence_id, tzids)))
    if event.repeat is not None:
        lines.append(folded(_rrule_line(event.repeat)))
    if event.exdates:
        lines.append(folded(_exdate_line(event.exdates, tzids)))
    for name, text in (("COMMENT", event.comment), ("DESCRIPTION", event.description),
                       ("LOCATION", event.location)):
        if text is not None:
            lines.append(_text(name, text))
    if event.url is not None:
        lines.append(_uri_line(event.url))
    return lines


def vevent(event: VEvent) -> tuple[bytes, set[str]] | None:
    """The event's ``BEGIN:VEVENT`` … ``END:VEVENT`` text and the TZIDs it names, or
    None when the event holds a value this fast path does not write."""
    tzids: set[str] = set()
    try:
        lines = _lines(event, tzids)
    except (_Unhandled, UnicodeEncodeError):
        return None
    return b"BEGIN:VEVENT\r\n" + b"\r\n".join(lines) + b"\r\nEND:VEVENT\r\n", tzids
