"""Built-in renderer ``ics``: iCalendar feeds people can subscribe to.

Writes ``calendar/catalogue.ics`` (every group, service and event) and one file per
group or service (``calendar/groups/<id>.ics``). Each series is a VEVENT with a stable
UID, DTSTART in its own time zone (VTIMEZONE included), an RRULE whose UNTIL is the
last meeting in the published window (in UTC, as RFC 5545 requires), EXDATEs for
skipped public holidays and cancellations, and RECURRENCE-ID overrides for moved
meetings. The rule's expansion is checked against the schedule engine's occurrences
when the feed is built, so a calendar shows exactly what the listing shows. A
suspended series has no future meetings in the feed. No ATTENDEE, ever: participants
are not ours to publish.

Each VEVENT's text is written directly (:mod:`vertaistuki.icstext`): at national scale
icalendar's objects took most of the render. It is byte for byte what icalendar writes
for the same event, which ``tests/test_fast_paths.py`` holds it to; an event holding a
value the fast path does not handle is written by icalendar, as are the VTIMEZONEs.

Options: ``language`` (default ``fi``) for summaries and descriptions.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator

import icalendar

from .. import icstext
from .. import options as option_checks
from ..hookspecs import hookimpl
from ..icstext import Repeat, VEvent
from ..model import Catalogue, Event, EventKind, Group, InPersonChannel, OnlineChannel, PhoneChannel, Service, national_phone
from ..atomic import Content
from ..registry import RenderContext, Renderer
from ..schedule import MAX_WINDOW, series
from ..shelf import Handle, Shelf
from ..wording import describe_schedule

PRODID = "-//vertaistuki//vertaistuki 0.1//FI"
UID_DOMAIN = "vertaistuki"
_END = b"END:VCALENDAR\r\n"


def uid_for(catalogue: Catalogue, record_id: str, suffix: str = "") -> str:
    """Stable across builds: the record's stable id, never a random UUID."""
    return f"{catalogue.stable_id(record_id)}{suffix}@{UID_DOMAIN}"


def _new_calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # As TEXT, escaped: icalendar writes an unknown X- property raw, and a line break in
    # a group's name would then break the whole renderer.
    calendar.add("x-wr-calname", icalendar.vText(name))
    return calendar


def _stamp(record, catalogue: Catalogue, today: dt.date) -> dt.datetime:
    # DTSTAMP from data, not the clock, so an unchanged catalogue gives an unchanged feed.
    day = getattr(record, "updated", None) or catalogue.updated or today
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _location(record, catalogue: Catalogue, language: str) -> str | None:
    parts = []
    for channel in record.channels:
        if isinstance(channel, InPersonChannel):
            place = catalogue.place(channel.place)
            if place is not None:
                address = [place.name.get(language)]
                if channel.room:
                    address.append(channel.room.get(language))
                if place.street_address:
                    address.append(place.street_address.get(language))
                address.append(" ".join(filter(None, [place.postal_code, place.municipality.get(language)])))
                parts.append(", ".join(address))
        elif isinstance(channel, OnlineChannel):
            parts.append(channel.url or (channel.instructions.get(language) if channel.instructions else "online"))
        elif isinstance(channel, PhoneChannel):
            parts.append(national_phone(channel.phone))
    return " / ".join(parts) or None


def _describe(record, language: str) -> str:
    lines = [record.description.get(language)] if record.description else []
    if getattr(record, "schedule", None) is not None:
        lines.append(describe_schedule(record.schedule, language))
    if record.url:
        lines.append(record.url)
    return "\n\n".join(lines)


def _base_fields(record, catalogue: Catalogue, context: RenderContext, uid: str) -> dict:
    """What every VEVENT of a record says, whatever its dates."""
    language = context.options.get("language", "fi")
    return {"uid": uid, "stamp": _stamp(record, catalogue, context.today), "summary": record.name.get(language),
            "description": _describe(record, language) or None,
            "location": _location(record, catalogue, language), "url": record.url or None}


def series_events(record: Group | Service, catalogue: Catalogue, context: RenderContext) -> list[VEvent]:
    """One recurring VEVENT plus its overrides (or standalone moved meetings)."""
    schedule = record.schedule
    if schedule is None:
        return []
    found = series(schedule, record.status, start=context.today, end=context.today + MAX_WINDOW)
    events: list[VEvent] = []
    uid = uid_for(catalogue, record.id)
    base = _base_fields(record, catalogue, context, uid)
    zone = schedule.zone
    first = last = None
    if found.regular:
        first = dt.datetime.combine(found.regular[0], schedule.start_time, zone)
        last = dt.datetime.combine(found.regular[-1], schedule.start_time, zone)
        end = dt.datetime.combine(found.regular[0], schedule.end_time, zone) if schedule.end_time else None
        repeat = None
        if len(found.regular) > 1:
            repeat = Repeat(schedule.rule.frequency.value, last.astimezone(dt.UTC),
                            schedule.rule.interval, tuple(str(day) for day in schedule.rule.by_day))
        # Every skipped meeting is at the series' wall-clock time in its zone.
        skipped = tuple(dt.datetime.combine(day, schedule.start_time, zone) for day in found.skipped)
        events.append(VEvent(**base, start=first, end=end, repeat=repeat, exdates=skipped))
    for occurrence in found.moved:
        original = dt.datetime.combine(occurrence.moved_from, schedule.start_time, zone)
        in_series = first is not None and first <= original <= last
        own_uid = uid if in_series else uid_for(catalogue, record.id, f"-moved-{occurrence.moved_from:%Y%m%d}")
        comment = occurrence.note.get(context.options.get("language", "fi")) if occurrence.note else None
        events.append(VEvent(**{**base, "uid": own_uid}, start=occurrence.start, end=occurrence.end,
                             recurrence_id=original if in_series else None, comment=comment))
    return events


def event_vevent(record: Event, catalogue: Catalogue, context: RenderContext) -> VEvent | None:
    """A course's, camp's or training's VEVENT; None unless it is going ahead."""
    if record.status.state.value != "active":
        return None
    fields = _base_fields(record, catalogue, context, uid_for(catalogue, record.id))
    end_date = record.end_date or record.start_date
    if record.start_time:
        zone = zoneinfo.ZoneInfo(record.timezone)
        start = dt.datetime.combine(record.start_date, record.start_time, zone)
        if _daily_hours(record):
            # A two-day training "13.–14.3. klo 10–16" meets 10–16 on each day, as the
            # listing says; one event of 30 hours would fill a calendar's nights.
            last = dt.datetime.combine(end_date, record.start_time, zone)
            return VEvent(**fields, start=start, end=dt.datetime.combine(record.start_date, record.end_time, zone),
                          repeat=Repeat("DAILY", last.astimezone(dt.UTC)))
        end = dt.datetime.combine(end_date, record.end_time, zone) if record.end_time else None
        return VEvent(**fields, start=start, end=end)
    # all-day: DTEND is exclusive
    return VEvent(**fields, start=record.start_date, end=end_date + dt.timedelta(days=1))


def _daily_hours(record: Event) -> bool:
    """Whether an event of several days meets at its times on each day (a course, a
    training) rather than running from the first day's start to the last day's end (a
    camp, or times that end earlier in the day than they start)."""
    return (record.end_date is not None and record.end_date > record.start_date and record.end_time is not None
            and record.end_time > record.start_time and record.kind is not EventKind.CAMP)


def as_component(event: VEvent) -> icalendar.Event:
    """The event as an icalendar component, built as this renderer has always built it.
    icalendar writes the events the fast path (:mod:`vertaistuki.icstext`) does not
    handle, and is the judge of the fast path's text in the tests."""
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", event.stamp)
    component.add("summary", event.summary)
    for name, value in (("description", event.description), ("location", event.location), ("url", event.url),
                        ("recurrence-id", event.recurrence_id), ("dtstart", event.start), ("dtend", event.end)):
        if value is not None:
            component.add(name, value)
    if event.repeat is not None:
        component.add("rrule", _rrule(event.repeat))
    if event.exdates:
        component.add("exdate", list(event.exdates))
    if event.comment is not None:
        component.add("comment", event.comment)
    return component


def _rrule(repeat: Repeat) -> dict:
    rrule = {"freq": repeat.frequency, "until": repeat.until}
    if repeat.interval != 1:
        rrule["interval"] = repeat.interval
    if repeat.by_day:
        rrule["byday"] = list(repeat.by_day)
    return rrule


def event_text(event: VEvent) -> tuple[bytes, set[str]]:
    """The event's VEVENT text and the TZIDs it names (the VTIMEZONEs its calendar
    needs): written directly when the fast path handles all its values, else by
    icalendar."""
    written = icstext.vevent(event)
    if written is not None:
        return written
    component = as_component(event)
    return component.to_ical(), _tzids([component])


class _Writer:
    """Writes calendars as ``Calendar.to_ical()`` would after ``add_missing_timezones``,
    but makes each VTIMEZONE once (``Timezone.from_tzid`` walks the zone's transitions,
    and every file needs the same one) and lets a VEVENT's text, written once, go into
    its own file and the catalogue feed. A calendar's text is its own lines, then its
    time zones (sorted by TZID, so that an unchanged catalogue gives an unchanged
    file), then each VEVENT's text (:func:`event_text`), then ``END:VCALENDAR``. One
    per render call."""

    def __init__(self, today: dt.date) -> None:
        # Transitions from a year back to past the published window: enough for every
        # meeting listed, without decades of history in every file.
        self.first_date = today.replace(month=1, day=1) - dt.timedelta(days=366)
        self.last_date = today + MAX_WINDOW + dt.timedelta(days=366)
        self._zones: dict[str, bytes | None] = {}
        # Every calendar's head is the same but for its name, which icalendar writes last:
        # the shared lines are written once, the name line per calendar.
        common = _new_calendar("").to_ical()
        self._common = common[:common.index(b"X-WR-CALNAME:")]

    def zone(self, tzid: str) -> bytes | None:
        if tzid not in self._zones:
            try:
                self._zones[tzid] = icalendar.Timezone.from_tzid(tzid, first_date=self.first_date,
                                                                 last_date=self.last_date).to_ical()
            except ValueError:  # unknown zones are left out, as add_missing_timezones does
                self._zones[tzid] = None
        return self._zones[tzid]

    def head(self, name: str) -> bytes:
        """What ``_new_calendar(name).to_ical()`` starts with: its own properties only."""
        try:
            return self._common + icstext.text_line("X-WR-CALNAME", name) + b"\r\n"
        except UnicodeEncodeError:  # a lone surrogate: icalendar's own error, as before
            return self._icalendar_head(name)

    def _icalendar_head(self, name: str) -> bytes:
        named = icalendar.Calendar()
        named.add("x-wr-calname", icalendar.vText(name))
        return self._common + named.to_ical().removeprefix(b"BEGIN:VCALENDAR\r\n").removesuffix(_END)

    def zones(self, tzids: Iterable[str]) -> list[bytes]:
        return [text for tzid in sorted(tzids) if (text := self.zone(tzid)) is not None]


def _tzids(events: Iterable[icalendar.Event]) -> set[str]:
    """The time zones the events refer to (what ``get_missing_tzids`` of a calendar
    holding just them gives), for the events icalendar writes."""
    probe = icalendar.Calendar()
    for event in events:
        probe.add_component(event)
    return probe.get_missing_tzids()


def _texts(events: Iterable[VEvent]) -> tuple[list[bytes], set[str]]:
    """The events' texts, in order, and every TZID they name."""
    texts, tzids = [], set()
    for event in events:
        text, named = event_text(event)
        texts.append(text)
        tzids |= named
    return texts, tzids


OPTIONS: dict[str, option_checks.Check] = {"language": option_checks.language}


def render_ics(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Content]]:
    """Each group's and service's calendar as soon as it is made, then the catalogue
    feed, streamed from the events' texts kept on a shelf: a national feed never exists
    whole, as components or as text."""
    option_checks.check("ics", context.options, OPTIONS)
    language = context.options.get("language", "fi")
    title = catalogue.name.get(language) if catalogue.name else catalogue.source
    writer = _Writer(context.today)
    with Shelf() as shelf:
        everything: list[Handle] = []  # where each VEVENT's text is, in feed order
        used: set[str] = set()
        for folder, records in (("groups", catalogue.groups), ("services", catalogue.services)):
            for record in records:
                events = series_events(record, catalogue, context)
                if not events:
                    continue
                texts, tzids = _texts(events)
                used |= tzids
                everything.extend(shelf.put(text) for text in texts)
                yield f"calendar/{folder}/{record.id}.ics", b"".join(
                    [writer.head(record.name.get(language)), *writer.zones(tzids), *texts, _END])
        for record in catalogue.events:
            vevent = event_vevent(record, catalogue, context)
            if vevent is not None:
                text, tzids = event_text(vevent)
                used |= tzids
                everything.append(shelf.put(text))

        def feed() -> Iterator[bytes]:
            yield writer.head(title)
            yield from writer.zones(used)
            yield from map(shelf.get, everything)
            yield _END

        yield "calendar/catalogue.ics", feed()


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="ics",
        media_type="text/calendar",
        suffix=".ics",
        render=render_ics,
        description="iCalendar: a subscribable feed of every meeting and one file per group or service.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
