"""Built-in renderer ``jsonld``: schema.org JSON-LD for search engines and embeds.

- A group is an ``EventSeries`` whose ``eventSchedule`` says how it recurs
  (``repeatFrequency``, ``byDay``, times, ``scheduleTimezone``, ``exceptDate`` for
  skipped holidays and cancellations) with the next few meetings as concrete ``Event``s
  carrying offset-correct ``startDate``s;
- a phone line, one-to-one support, drop-in hours or online community is a ``Service``;
- a first-information day, course, camp or training is an ``Event``.

:func:`script_json` serialises for a ``<script type="application/ld+json">`` element:
compact, with ``<``, ``>``, ``&`` and ``'`` written as ``\\u003c`` etc., so ``</script>``
inside a name stays inert when the JSON is embedded in HTML. The file holds the graph in
that form with one node per line, and the html renderer embeds the very same nodes in
its fragments (up to its option ``embed_jsonld``): in one process the graph is made once
per build (:class:`GraphTexts`), by whichever of the two renders first. The jsonld
renderer declares no ``reuses``: a parallel build may run it beside the listing, which
for a national catalogue embeds no graph at all.

Options: ``language`` (default ``fi``), ``upcoming`` (concrete meetings per series,
default 3).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

from .. import jsontext
from .. import options as option_checks
from ..hookspecs import hookimpl
from ..model import (
    Catalogue,
    Event,
    FeeKind,
    Group,
    InPersonChannel,
    OnlineChannel,
    PhoneChannel,
    RecordState,
    Service,
    national_phone,
)
from ..model.recurrence import Frequency
from ..registry import RenderContext, Renderer
from ..schedule import MAX_WINDOW, Expansions
from ..shelf import Shelf

SCHEMA = "https://schema.org"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# What makes JSON safe inside an HTML <script> element (the characters Jinja's |tojson
# escapes): all four are ASCII and can only stand inside JSON strings, where the escape
# means the same character.
_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027"))
_SCRIPT_ESCAPES_UTF8 = tuple((plain.encode(), escaped.encode()) for plain, escaped in _SCRIPT_ESCAPES)


def script_json(data: Any) -> str:
    """Compact JSON that is safe inside an HTML <script> element."""
    return script_json_utf8(data).decode("utf-8")


def script_json_utf8(data: Any) -> bytes:
    """:func:`script_json` in UTF-8."""
    text = jsontext.dumps_utf8(data, indent=None)
    for plain, escaped in _SCRIPT_ESCAPES_UTF8:
        if plain in text:
            text = text.replace(plain, escaped)
    return text


def _organisation(catalogue: Catalogue, organisation_id: str, language: str) -> dict[str, Any] | None:
    organisation = catalogue.organisation(organisation_id)
    if organisation is None:
        return None
    data: dict[str, Any] = {"@type": "Organization", "name": organisation.name.get(language)}
    if organisation.url:
        data["url"] = organisation.url
    return data


def _locations(record, catalogue: Catalogue, language: str) -> list[dict[str, Any]]:
    found = []
    for channel in record.channels:
        if isinstance(channel, InPersonChannel) and (place := catalogue.place(channel.place)) is not None:
            address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": place.municipality.get(language),
                                       "addressCountry": "FI"}
            if place.street_address:
                address["streetAddress"] = place.street_address.get(language)
            if place.postal_code:
                address["postalCode"] = place.postal_code
            # schema.org has no room of a place: it follows the place's name, as in the
            # calendars' LOCATION ("Omaistalo, Sali 2"), where people read it.
            name = ", ".join(filter(None, [place.name.get(language), channel.room.get(language) if channel.room else None]))
            location: dict[str, Any] = {"@type": "Place", "name": name, "address": address}
            if place.coordinates:
                location["geo"] = {"@type": "GeoCoordinates", "latitude": place.coordinates.latitude,
                                   "longitude": place.coordinates.longitude}
            found.append(location)
        elif isinstance(channel, OnlineChannel) and channel.url:
            found.append({"@type": "VirtualLocation", "url": channel.url})
    return found


def _attendance_mode(record) -> str:
    in_person = any(isinstance(c, InPersonChannel) for c in record.channels)
    online = any(isinstance(c, (OnlineChannel, PhoneChannel)) for c in record.channels)
    if in_person and online:
        return f"{SCHEMA}/MixedEventAttendanceMode"
    return f"{SCHEMA}/OnlineEventAttendanceMode" if online else f"{SCHEMA}/OfflineEventAttendanceMode"


def _price(record) -> dict[str, Any]:
    if record.fee.kind is FeeKind.FREE:
        return {"isAccessibleForFree": True}
    offer: dict[str, Any] = {"@type": "Offer", "priceCurrency": "EUR"}
    if record.fee.amount is not None:
        # "2" or "2.50", never "2.0" (an amount read from a float): schema.org's price is
        # digits with a dot, and a whole sum is written without decimals.
        amount = record.fee.amount
        offer["price"] = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return {"isAccessibleForFree": False, "offers": offer}


def _common(record, catalogue: Catalogue, language: str) -> dict[str, Any]:
    data: dict[str, Any] = {"@id": catalogue.stable_id(record.id), "name": record.name.get(language)}
    if record.description:
        data["description"] = record.description.get(language)
    if record.url:
        data["url"] = record.url
    organiser = _organisation(catalogue, record.organiser, language)
    if organiser:
        data["organizer" if not isinstance(record, Service) else "provider"] = organiser
    if record.languages:
        data["inLanguage"] = list(record.languages)
    return data


def _schedule(group: Group | Service, today: dt.date, expansions: Expansions) -> dict[str, Any]:
    schedule = group.schedule
    rule = schedule.rule
    unit = "W" if rule.frequency is Frequency.WEEKLY else "M"
    data: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": f"P{rule.interval}{unit}",
        "byDay": [f"{SCHEMA}/{WEEKDAY_NAMES[day.weekday]}" for day in rule.by_day],
        "startTime": schedule.start_time.strftime("%H:%M"),
        "scheduleTimezone": schedule.timezone,
    }
    ordinals = sorted({day.ordinal for day in rule.by_day if day.ordinal})
    if ordinals:
        data["byMonthWeek"] = ordinals
    if schedule.end_time:
        data["endTime"] = schedule.end_time.strftime("%H:%M")
    if schedule.first_date:
        data["startDate"] = schedule.first_date.isoformat()
    if schedule.season:
        data["endDate"] = schedule.season.end.isoformat()
    skipped = expansions.excluded_dates(schedule, today, today + MAX_WINDOW)
    if skipped:
        data["exceptDate"] = [day.isoformat() for day, _ in skipped]
    return data


def group_jsonld(group: Group, catalogue: Catalogue, context: RenderContext, *,
                 expansions: Expansions | None = None) -> dict[str, Any]:
    expansions = expansions or Expansions()
    language = context.options.get("language", "fi")
    data = {"@type": "EventSeries", **_common(group, catalogue, language),
            "eventAttendanceMode": _attendance_mode(group), **_price(group)}
    locations = _locations(group, catalogue, language)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if group.status.state is RecordState.SUSPENDED:
        data["eventStatus"] = f"{SCHEMA}/EventPostponed"
    elif group.status.state is RecordState.ENDED:
        data["eventStatus"] = f"{SCHEMA}/EventCancelled"
    else:
        data["eventStatus"] = f"{SCHEMA}/EventScheduled"
    if group.schedule is not None:
        data["eventSchedule"] = _schedule(group, context.today, expansions)
        upcoming = expansions.first_occurrences(group.schedule, group.status, start=context.today,
                                                count=int(context.options.get("upcoming", 3)))
        data["subEvent"] = [
            {"@type": "Event", "name": data["name"], "startDate": o.start.isoformat(),
             **({"endDate": o.end.isoformat()} if o.end else {}),
             "eventStatus": f"{SCHEMA}/{'EventRescheduled' if o.moved_from else 'EventScheduled'}",
             "eventAttendanceMode": data["eventAttendanceMode"],
             **({"location": data["location"]} if "location" in data else {})}
            for o in upcoming
        ]
    return data


def service_jsonld(service: Service, catalogue: Catalogue, context: RenderContext) -> dict[str, Any]:
    language = context.options.get("language", "fi")
    data = {"@type": "Service", **_common(service, catalogue, language), "serviceType": service.kind.value}
    channels = []
    for channel in service.channels:
        if isinstance(channel, PhoneChannel):
            channels.append({"@type": "ServiceChannel", "servicePhone": {"@type": "ContactPoint",
                                                                          "telephone": national_phone(channel.phone)}})
        elif isinstance(channel, OnlineChannel) and channel.url:
            channels.append({"@type": "ServiceChannel", "serviceUrl": channel.url})
    for location in _locations(service, catalogue, language):
        if location["@type"] == "Place":
            channels.append({"@type": "ServiceChannel", "serviceLocation": location})
    if channels:
        data["availableChannel"] = channels
    if service.schedule is not None and service.status.state is RecordState.ACTIVE:
        data["hoursAvailable"] = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"{SCHEMA}/{WEEKDAY_NAMES[day.weekday]}" for day in service.schedule.rule.by_day],
            "opens": service.schedule.start_time.strftime("%H:%M"),
            **({"closes": service.schedule.end_time.strftime("%H:%M")} if service.schedule.end_time else {}),
        }
    return data


def event_jsonld(event: Event, catalogue: Catalogue, context: RenderContext) -> dict[str, Any]:
    language = context.options.get("language", "fi")
    zone = zoneinfo.ZoneInfo(event.timezone)
    start = dt.datetime.combine(event.start_date, event.start_time, zone).isoformat() if event.start_time else event.start_date.isoformat()
    data = {"@type": "Event", **_common(event, catalogue, language), "startDate": start,
            "eventAttendanceMode": _attendance_mode(event), **_price(event),
            "eventStatus": f"{SCHEMA}/{'EventScheduled' if event.status.state is RecordState.ACTIVE else 'EventCancelled'}"}
    end_date = event.end_date or event.start_date
    if event.end_time:
        data["endDate"] = dt.datetime.combine(end_date, event.end_time, zone).isoformat()
    elif event.end_date:
        data["endDate"] = event.end_date.isoformat()
    locations = _locations(event, catalogue, language)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    return data


def catalogue_jsonld(catalogue: Catalogue, context: RenderContext, *,
                     expansions: Expansions | None = None) -> dict[str, Any]:
    """``expansions``: shared with the caller's other uses of the same schedules."""
    return {"@context": SCHEMA, "@graph": list(jsonld_graph(catalogue, context, expansions or Expansions()))}


def jsonld_graph(catalogue: Catalogue, context: RenderContext, expansions: Expansions) -> Iterator[dict[str, Any]]:
    """The graph's nodes one at a time: groups, services, events."""
    for group in catalogue.groups:
        yield group_jsonld(group, catalogue, context, expansions=expansions)
    for service in catalogue.services:
        yield service_jsonld(service, catalogue, context)
    for event in catalogue.events:
        yield event_jsonld(event, catalogue, context)


class GraphTexts:
    """The catalogue's graph (:func:`jsonld_graph`) as :func:`script_json` text, node by
    node, made once per build and kept on a :class:`Shelf` (on disk: a national graph is
    hundreds of megabytes). The jsonld renderer writes it to its file and the html
    renderer embeds it in every language's fragment; whichever comes first makes it
    (:meth:`of`), the other copies it."""

    KEY = "vertaistuki.jsonld:graph"  # in RenderContext.shared, with the options it depends on

    def __init__(self, catalogue: Catalogue, context: RenderContext, expansions: Expansions | None = None) -> None:
        self.catalogue = catalogue
        self.shelf = Shelf()
        # Each schedule is asked about once here: nothing to remember.
        nodes = jsonld_graph(catalogue, context, expansions or Expansions(remember=False))
        self.handles = [self.shelf.put(script_json_utf8(node)) for node in nodes]

    @classmethod
    def of(cls, catalogue: Catalogue, context: RenderContext, expansions: Expansions | None = None) -> GraphTexts:
        """The build's graph for these options (made now if no renderer made it yet)."""
        key = f"{cls.KEY}:{context.options.get('language', 'fi')}:{int(context.options.get('upcoming', 3))}:{context.today}"
        found = context.shared.get(key)
        if found is None or found.catalogue is not catalogue:
            found = context.shared[key] = cls(catalogue, context, expansions)  # only once made whole
        return found

    def document(self, newline: bytes = b"") -> Iterator[bytes]:
        """``{"@context":…,"@graph":[…]}`` in chunks, one per node; with ``newline``
        each node starts a line of its own."""
        head = script_json_utf8({"@context": SCHEMA, "@graph": []})
        if not self.handles:
            yield head
            return
        lead = head[:-2] + newline  # up to and with "["
        for handle in self.handles:
            yield lead + self.shelf.get(handle)
            lead = b"," + newline
        yield newline + b"]}"

    def close(self) -> None:
        self.shelf.clear()


OPTIONS: dict[str, option_checks.Check] = {"language": option_checks.language, "upcoming": option_checks.whole_number(0, 100)}


def render_jsonld(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The graph as one document with one node per line (``script_json`` text: safe to
    embed, and a changed record is a changed line), written node by node from the
    build's :class:`GraphTexts`: a national catalogue's graph never exists whole."""
    option_checks.check("jsonld", context.options, OPTIONS)
    graph = GraphTexts.of(catalogue, context)

    def chunks() -> Iterator[bytes]:
        yield from graph.document(b"\n")
        yield b"\n"

    yield "jsonld/catalogue.jsonld", chunks()


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="jsonld",
        media_type="application/ld+json",
        suffix=".jsonld",
        render=render_jsonld,
        description="schema.org JSON-LD: EventSeries with schedules and next meetings, Services, Events.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
