"""The catalogue as Linked Events JSON: what a Finnish city's event API can ingest.

A group (or, with ``include_services``, a scheduled service) becomes a *recurring super
event* plus one sub-event per meeting from ``context.today`` to the end of the window;
a one-off event (first-information day, course, camp, training) becomes one event.
Meetings come from the core's occurrence engine (:mod:`vertaistuki.schedule`), so public
holidays, seasons, moved meetings and suspensions are exactly what the listing and
the calendars show. See ``docs/interop/linked-events.md`` for the whole mapping.

A national catalogue's ``events.json`` runs to hundreds of megabytes (every meeting of
every group for the whole window), so it is written in chunks, one event at a time:
neither the events nor the file ever exist whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
from babel.numbers import format_currency

from vertaistuki import jsontext
from vertaistuki.atomic import Content
from vertaistuki.labels import ui
from vertaistuki.model import (
    DEFAULT_TIMEZONE,
    Catalogue,
    Event,
    EventKind,
    ExceptionKind,
    FeeKind,
    Group,
    InPersonChannel,
    OnlineChannel,
    PhoneChannel,
    Place,
    RecordState,
    Schedule,
    Service,
    Text,
    national_phone,
)
from vertaistuki.registry import RenderContext
from vertaistuki.schedule import Occurrence, window_plan

from .keywords import Keywords
from .options import Options

EVENTS_FILE = "linked-events/events.json"
PLACES_FILE = "linked-events/places.json"
KEYWORDS_FILE = "linked-events/keywords.json"
SHORT_DESCRIPTION_MAX = 160  # Linked Events refuses to publish a longer one

SCHEDULED, CANCELLED, POSTPONED, RESCHEDULED = "EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled"
COURSE_KINDS = {EventKind.ADAPTATION_COURSE, EventKind.REHABILITATION_COURSE, EventKind.VOLUNTEER_TRAINING}
SOCIAL_PLATFORMS = ("facebook", "instagram", "youtube", "twitter", "linkedin", "tiktok")


@attrs.frozen
class Meeting:
    """One dated meeting of a series, as Linked Events will list it."""

    planned: dt.date  # the date the rule gave it: its identity, kept when it is moved
    occurrence: Occurrence
    status: str


class LinkedEventsWriter:
    def __init__(self, catalogue: Catalogue, context: RenderContext) -> None:
        self.catalogue = catalogue
        self.today = context.today
        self.options = Options.read(context.options, tuple(context.languages))
        self.keywords = Keywords(catalogue, self.options)
        self.places: dict[str, Place] = {}  # exported place id → place
        indent = self.options.indent
        self.dumps = functools.partial(jsontext.dumps, indent=indent)
        self.merged = functools.partial(_merged, indented=indent is not None)

    # ids and references -------------------------------------------------------------

    def event_id(self, record_id: str, day: dt.date | None = None) -> str:
        """Stable across builds: our stable id (plus the meeting's planned date)."""
        base = f"{self.options.data_source}:{self.catalogue.stable_id(record_id)}"
        return base if day is None else f"{base}:{day.isoformat()}"

    def ref(self, kind: str, object_id: str) -> dict[str, str]:
        return {"@id": f"{self.options.api_base}{kind}/{object_id}/"}

    # multilingual text --------------------------------------------------------------

    def text(self, value: Text | None) -> dict[str, str]:
        """The languages the text really has, among those exported; never an empty string."""
        if value is None:
            return {}
        texts = value.as_dict()
        return {language: texts[language] for language in self.options.languages if language in texts}

    def neutral(self, value: str | None, record) -> dict[str, str]:
        """A language-neutral value (a link, a phone number) under each of the record's languages."""
        return {language: value for language in self.record_languages(record)} if value else {}

    def record_languages(self, record) -> list[str]:
        return [language for language in self.options.languages if record.name.has(language)] or [record.name.languages[0]]

    # the parts of an event ----------------------------------------------------------

    def base(self, record) -> dict[str, Any]:
        """Everything a series, its meetings and a one-off event share."""
        data: dict[str, Any] = {"name": self.text(record.name)}
        if record.description is not None:
            data["description"] = {language: _html(text) for language, text in self.text(record.description).items()}
            data["short_description"] = {language: _shorten(text) for language, text in self.text(record.description).items()}
        data["info_url"] = self.neutral(record.url, record)
        data["provider"] = self.provider(record)
        data["provider_contact_info"] = self.contact_info(record)
        location, extra = self.location(record)
        if location is not None:
            data["location"] = location
        data["location_extra_info"] = extra
        keywords, audience = self.keyword_refs(record)
        data["keywords"] = keywords
        data["audience"] = audience
        data.update(self.ages(record))
        data["in_language"] = [self.ref("language", language) for language in record.languages]
        data["offers"] = [self.offer(record)]
        data["external_links"] = self.external_links(record)
        if record.registration is not None and record.registration.deadline:
            zone = record.schedule.zone if getattr(record, "schedule", None) else zoneinfo.ZoneInfo(getattr(record, "timezone", DEFAULT_TIMEZONE))
            data["enrolment_end_time"] = dt.datetime.combine(record.registration.deadline, dt.time(23, 59), zone).isoformat()
        return {key: value for key, value in data.items() if value not in ({}, [], None)}

    def keyword_refs(self, record) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """The record's ``keywords`` and ``audience`` references."""
        return (self.keywords.refs(self.keyword_pairs(record), extra=self.options.extra_keywords),
                self.keywords.refs([("audience", audience) for audience in record.audiences]))

    def keyword_pairs(self, record) -> list[tuple[str, str]]:
        """What the record is about, most specific first: its kind, topics, activities
        and forms of support (audiences go to ``audience``)."""
        pairs = []
        if isinstance(record, Event):
            pairs.append(("event_kind", record.kind.value))
        elif isinstance(record, Service):
            pairs.append(("service_kind", record.kind.value))
        pairs += [("topic", topic) for topic in record.topics]
        pairs += [("activity", activity) for activity in getattr(record, "activities", ())]
        pairs += [("support_form", form) for form in record.support_forms]
        return pairs

    def provider(self, record) -> dict[str, str]:
        names: dict[str, list[str]] = {}
        for organisation_id in (record.organiser, *getattr(record, "co_organisers", ())):
            organisation = self.catalogue.organisation(organisation_id)
            if organisation is None:
                continue
            for language, name in self.text(organisation.name).items():
                names.setdefault(language, []).append(name)
        return {language: ", ".join(found) for language, found in names.items()}

    def contact_info(self, record) -> dict[str, str]:
        """The organisation's contact for this record; never a person's own details."""
        contact = record.contact
        if contact is None:
            return {}
        neutral = [national_phone(contact.phone) if contact.phone else None, contact.email]
        notes = self.text(contact.note)
        found = {}
        for language in self.record_languages(record):
            parts = [part for part in (*neutral, notes.get(language)) if part]
            if parts:
                found[language] = ", ".join(parts)
        return found

    def location(self, record) -> tuple[dict[str, str] | None, dict[str, str]]:
        """Linked Events holds one location, by reference: the first place we meet in,
        else the instance's internet place for online and phone meetings."""
        for channel in record.channels:
            if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place)) is not None:
                place_id = self.options.place_map.get(place.id)
                if place_id is None:
                    place_id = f"{self.options.data_source}:{self.catalogue.stable_id(place.id)}"
                    self.places[place_id] = place
                return self.ref("place", place_id), self.text(channel.room)
        for channel in record.channels:
            if isinstance(channel, OnlineChannel):
                extra = self.text(channel.instructions)
                if channel.platform:
                    extra = {language: f"{channel.platform}: {text}" for language, text in extra.items()} or self.neutral(channel.platform, record)
                return self.ref("place", self.options.internet_place), extra
            if isinstance(channel, PhoneChannel):
                number = national_phone(channel.phone)
                notes = self.text(channel.note)
                extra = {language: ", ".join(filter(None, (number, notes.get(language)))) for language in self.record_languages(record)}
                return self.ref("place", self.options.internet_place), extra
        return None, {}

    def ages(self, record) -> dict[str, int]:
        """Age bounds when every audience of the record has one configured."""
        ranges = [self.options.audience_ages.get(audience) for audience in record.audiences]
        if not ranges or None in ranges:
            return {}
        found = {}
        if all(r.minimum is not None for r in ranges):
            found["audience_min_age"] = min(r.minimum for r in ranges)
        if all(r.maximum is not None for r in ranges):
            found["audience_max_age"] = max(r.maximum for r in ranges)
        return found

    def offer(self, record) -> dict[str, Any]:
        fee = record.fee
        offer: dict[str, Any] = {"is_free": fee.kind is FeeKind.FREE}
        languages = self.record_languages(record)
        if fee.amount is not None:
            offer["price"] = {language: format_currency(fee.amount, "EUR", locale=_locale(language)) for language in languages}
        registration = record.registration
        if registration is not None and registration.url:
            offer["info_url"] = self.neutral(registration.url, record)
        description = self.text(fee.note)
        if not description and fee.kind is not FeeKind.FREE:
            description = {language: ui(language)[fee.kind.value] for language in languages}
        if description:
            offer["description"] = description
        return offer

    def external_links(self, record) -> list[dict[str, str]]:
        language = self.record_languages(record)[0]
        links = []
        for channel in record.channels:
            if isinstance(channel, OnlineChannel) and channel.url:
                platform = (channel.platform or "").casefold()
                name = f"extlink_{platform}" if platform in SOCIAL_PLATFORMS else "online_meeting"
                links.append({"name": name, "link": channel.url, "language": language})
        if record.registration is not None and record.registration.url:
            links.append({"name": "registration", "link": record.registration.url, "language": language})
        return links

    def common(self, record, event_id: str, status: str) -> dict[str, Any]:
        head: dict[str, Any] = {"id": event_id, "@id": self.ref("event", event_id)["@id"], "@type": "Event/LinkedEvent",
                                "data_source": self.options.data_source}
        if self.publisher:
            head["publisher"] = self.publisher
        head["publication_status"] = self.options.publication_status
        head["event_status"] = status
        head["type_id"] = "Course" if isinstance(record, Event) and record.kind in COURSE_KINDS else "General"
        return head

    @functools.cached_property
    def publisher(self) -> str | None:
        """The option, else the publishing organisation's business id (Linked Events
        knows Finnish organisations as ``ytj:<Y-tunnus>``); asked for every event."""
        if self.options.publisher:
            return self.options.publisher
        organisation = self.catalogue.organisation(self.catalogue.publisher) if self.catalogue.publisher else None
        return f"ytj:{organisation.business_id}" if organisation and organisation.business_id else None

    # series and one-off events ------------------------------------------------------

    def meetings(self, schedule: Schedule, status) -> list[Meeting]:
        """Every meeting of the window with its status: held, moved (rescheduled),
        cancelled by an exception, or cancelled because the series is suspended then.
        Public holidays a series skips are not meetings at all."""
        start = self.today
        end = self.today + dt.timedelta(days=self.options.window_days - 1)  # window_days days, today included
        found: dict[dt.date, Meeting] = {}
        plan = window_plan(schedule, status, start=start, end=end)  # one expansion of the rule
        for occurrence in plan.planned:
            planned = occurrence.moved_from or occurrence.start.date()
            found[planned] = Meeting(planned, occurrence, CANCELLED)  # until the series holds it
        for occurrence in plan.held:
            planned = occurrence.moved_from or occurrence.start.date()
            found[planned] = Meeting(planned, occurrence, RESCHEDULED if occurrence.moved_from else SCHEDULED)
        cancelled = {exception.date for exception in schedule.exceptions if exception.kind is ExceptionKind.CANCELLED}
        for day, _reason in plan.excluded:
            if day in cancelled:
                at = dt.datetime.combine(day, schedule.start_time, schedule.zone)
                until = dt.datetime.combine(day, schedule.end_time, schedule.zone) if schedule.end_time else None
                found[day] = Meeting(day, Occurrence(at, until), CANCELLED)
        return sorted(found.values(), key=lambda meeting: (meeting.occurrence.start, meeting.planned))

    def series_meetings(self, record: Group | Service) -> list[Meeting]:
        """The meetings of the window, or none when the record is no series (any more)."""
        if record.schedule is None or record.status.state is RecordState.ENDED:
            return []
        return self.meetings(record.schedule, record.status)

    def series(self, record: Group | Service) -> Iterator[jsontext.Dumped]:
        """The super event, then each meeting's sub-event, as JSON text, each written as
        soon as it is made. Every event is a head of its own followed by the series'
        shared part (:meth:`base`, no key of which is in a head), so that part is written
        once for the whole series and joined to each head's text (:func:`_merged`)."""
        meetings = self.series_meetings(record)
        if not meetings:
            return
        dumps, merged = self.dumps, self.merged
        shared = dumps(self.base(record))
        super_id = self.event_id(record.id)
        status = POSTPONED if record.status.until_further_notice else SCHEDULED
        umbrella = {**self.common(record, super_id, status), "super_event_type": "recurring",
                    "start_time": meetings[0].occurrence.start.isoformat(),
                    "end_time": _end(meetings[-1].occurrence).isoformat()}
        sub_events = {"sub_events": [self.ref("event", self.event_id(record.id, m.planned)) for m in meetings]}
        # {**umbrella, **base, **sub_events}: the super event lists its meetings last.
        yield jsontext.Dumped(merged(merged(dumps(umbrella), shared), dumps(sub_events)))
        for meeting in meetings:
            sub = {**self.common(record, self.event_id(record.id, meeting.planned), meeting.status),
                   "super_event": self.ref("event", super_id),
                   "start_time": meeting.occurrence.start.isoformat()}
            if meeting.occurrence.end is not None:
                sub["end_time"] = meeting.occurrence.end.isoformat()
            yield jsontext.Dumped(merged(dumps(sub), shared))

    def listed(self, record: Event) -> bool:
        """Whether a one-off event is still to come."""
        return record.status.state is not RecordState.ENDED and (record.end_date or record.start_date) >= self.today

    def single(self, record: Event) -> dict[str, Any] | None:
        if not self.listed(record):
            return None
        status = POSTPONED if record.status.state is RecordState.SUSPENDED else SCHEDULED
        return {**self.common(record, self.event_id(record.id), status), **_event_times(record), **self.base(record)}

    def plan(self) -> list[tuple[str, Group | Service | Event, int]]:
        """Every record with events, as (its first event's id, the record, how many events),
        in the order ``events.json`` lists them: by that id, each series whole.

        The file gives the count before the events, so it is found first; the meetings
        are found again while writing, as keeping them would hold every meeting of the
        window. The places and keywords of our own that the events refer to are noted
        here too, so ``places.json`` and ``keywords.json`` are known before the events
        are written."""
        records: list[Group | Service] = list(self.catalogue.groups)
        if self.options.include_services:
            records += self.catalogue.services
        found: list[tuple[str, Group | Service | Event, int]] = []
        for record in records:
            if meetings := self.series_meetings(record):
                found.append((self.event_id(record.id), record, 1 + len(meetings)))
        found += [(self.event_id(record.id), record, 1) for record in self.catalogue.events if self.listed(record)]
        for _, record, _ in found:
            self.location(record)  # notes the place
            self.keyword_refs(record)  # notes the keywords of our own
        found.sort(key=lambda entry: entry[0])  # stable: records sharing an id by mistake keep their order
        return found

    def events(self, plan: list[tuple[str, Group | Service | Event, int]]) -> Iterator[jsontext.Dumped]:
        """The events of the planned records, in order, one at a time."""
        for _, record, _ in plan:
            if isinstance(record, Event):
                yield jsontext.Dumped(self.dumps(self.single(record)))
            else:
                yield from self.series(record)

    def files(self) -> Iterator[tuple[str, Content]]:
        """The files, each in chunks (one per event or place)."""
        plan = self.plan()
        indent = self.options.indent
        yield EVENTS_FILE, _listing(self.events(plan), sum(count for _, _, count in plan), indent)
        places = sorted(self.places.items())
        if places:
            yield PLACES_FILE, _listing((self.place(place_id, place) for place_id, place in places), len(places), indent)
        own = self.keywords.own_keywords(self.options.languages)
        if own:
            yield KEYWORDS_FILE, _listing(own, len(own), indent)

    def place(self, place_id: str, place: Place) -> dict[str, Any]:
        data: dict[str, Any] = {"id": place_id, "@id": self.ref("place", place_id)["@id"], "@type": "Place",
                                "data_source": self.options.data_source}
        if self.publisher:
            data["publisher"] = self.publisher
        data["name"] = self.text(place.name)
        data["street_address"] = self.text(place.street_address)
        data["address_locality"] = self.text(place.municipality)
        if place.postal_code:
            data["postal_code"] = place.postal_code
        data["address_country"] = "FI"
        if place.coordinates is not None:
            data["position"] = {"type": "Point", "coordinates": [place.coordinates.longitude, place.coordinates.latitude]}
        data["description"] = self.text(place.directions)
        return {key: value for key, value in data.items() if value not in ({}, None)}


def _event_times(record: Event) -> dict[str, str]:
    """Times with the Helsinki offset; a day without a time is a date, which Linked
    Events reads as the whole day (``has_start_time`` false)."""
    zone = zoneinfo.ZoneInfo(record.timezone)
    end_date = record.end_date or record.start_date
    if record.start_time is None:
        return {"start_time": record.start_date.isoformat(), "end_time": end_date.isoformat()}
    times = {"start_time": dt.datetime.combine(record.start_date, record.start_time, zone).isoformat()}
    if record.end_time is not None:
        times["end_time"] = dt.datetime.combine(end_date, record.end_time, zone).isoformat()
    elif record.end_date is not None:
        times["end_time"] = record.end_date.isoformat()
    return times


def _end(occurrence: Occurrence) -> dt.datetime:
    return occurrence.end or occurrence.start


def _locale(language: str) -> str:
    return {"fi": "fi_FI", "sv": "sv_FI", "en": "en"}.get(language, "fi_FI")


def _html(text: str) -> str:
    """Linked Events descriptions are HTML: escape ours, one paragraph per blank line."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def _shorten(text: str) -> str:
    """At most 160 characters: the text, else its first sentence, else cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= SHORT_DESCRIPTION_MAX:
        return flat
    sentence = re.match(r"^(.+?[.!?])(\s|$)", flat)
    if sentence and len(sentence.group(1)) <= SHORT_DESCRIPTION_MAX:
        return sentence.group(1)
    cut = flat[: SHORT_DESCRIPTION_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"


def _merged(head: str, tail: str, indented: bool = True) -> str:
    """The text of ``{**a, **b}`` from the texts of ``a`` and ``b`` (``jsontext.dumps``,
    indented or compact as ``indented`` says), where no key is in both: ``a``'s
    members, then ``b``'s."""
    if tail == "{}":
        return head
    if head == "{}":
        return tail
    # "…last of a\n}" + "{\n  first of b…", or compact "…last of a}" + "{first of b…"
    return head[:-2 if indented else -1] + "," + tail[1:]


def _listing(items: Iterable[dict[str, Any] | jsontext.Dumped], count: int, indent: int | None = None) -> Iterator[bytes]:
    """The shape of a Linked Events list response, ``meta`` (``count`` items) and
    ``data``, in chunks: the items are made and written one at a time."""
    frame = jsontext.dumps({"meta": {"count": count, "next": None, "previous": None}, "data": []}, indent=indent)
    before, after = frame.rsplit("[]", 1)  # the data array goes where its empty form stands
    yield before.encode("utf-8")
    yield from jsontext.array_chunks(items, indent=indent, level=1)
    yield (after + "\n").encode("utf-8")


def render_linked_events(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Content]]:
    """Yield ``events.json``, ``places.json`` and ``keywords.json`` (the last two when
    there is something to list), each as chunks. Mistaken options are refused at once."""
    return LinkedEventsWriter(catalogue, context).files()
