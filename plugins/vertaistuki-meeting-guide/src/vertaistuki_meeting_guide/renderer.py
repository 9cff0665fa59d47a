"""Renderer ``meeting-guide``: the catalogue's weekly groups as a Meeting Guide feed.

Writes ``meeting-guide.json`` (one meeting per weekday a group meets) and
``meeting-guide-skipped.json``: the groups the format cannot express (monthly, every
other week, a single meeting, no meetings ahead or none in the next two weeks, ended,
no place or line to join),
each with its id and the reason in Finnish and English. A renderer returns only files,
so this report is how a build tells its editors what the feed leaves out.

Options: ``language`` (of the feed's texts, default ``fi``; other languages are used
when a text lacks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from vertaistuki import jsontext, plugins
from vertaistuki import options as option_checks
from vertaistuki.atomic import Content
from vertaistuki.model import Catalogue, Group, InPersonChannel, OnlineChannel, PhoneChannel, RecordState, Text
from vertaistuki.model.recurrence import WEEKDAYS, Frequency
from vertaistuki.registry import RenderContext
from vertaistuki.schedule import MAX_WINDOW, occurrences
from vertaistuki.wording import short_date

from . import codes

FEED_FILE = "meeting-guide.json"
#: A group whose next meeting is further away than this is left out of the feed until
#: then (a season that starts later, a summer break): the feed cannot say when.
NOT_YET_LISTED = dt.timedelta(days=14)
SKIPPED_FILE = "meeting-guide-skipped.json"
#: Our weekday index (Monday = 0) → Meeting Guide's day number (Sunday = 0).
MG_DAY = {index: (index + 1) % 7 for index in range(7)}
MAX_CONTACTS = 3


class Skip(Exception):
    """A group the format cannot express, and why (fi, en)."""

    def __init__(self, fi: str, en: str) -> None:
        super().__init__(en)
        self.fi, self.en = fi, en


#: The renderer's one option: the language of the feed's texts.
OPTIONS: dict[str, option_checks.Check] = {"language": option_checks.language}


def render_meeting_guide(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Content]]:
    """The feed, written group by group (a national one never exists whole), then the
    report of what was exported and what was skipped and why."""
    option_checks.check("meeting-guide", context.options, OPTIONS)
    language = context.options.get("language", "fi")
    skipped: list[dict] = []
    counted = {"meetings": 0}
    terms = _terms(catalogue)  # once, not once per group

    def meetings() -> Iterator[dict]:
        for group in catalogue.groups:
            try:
                found = group_meetings(group, catalogue, language, context.today, terms=terms)
            except Skip as why:
                skipped.append({"id": group.id, "reason": {"fi": why.fi, "en": why.en}})
                continue
            counted["meetings"] += len(found)
            yield from found

    def feed() -> Iterator[bytes]:
        yield from jsontext.array_chunks(meetings(), indent=2)
        yield b"\n"

    yield FEED_FILE, feed()  # consumed before the report is asked for: see Renderer
    report = {"feed": FEED_FILE, "groups": len(catalogue.groups), "exported": len(catalogue.groups) - len(skipped),
              "meetings": counted["meetings"], "skipped": skipped}
    yield SKIPPED_FILE, _json(report)


def _json(data: Any) -> bytes:
    return (jsontext.dumps(data, indent=2) + "\n").encode("utf-8")


def group_meetings(group: Group, catalogue: Catalogue, language: str, today: dt.date, *,
                   terms: dict | None = None) -> list[dict]:
    """The Meeting Guide meetings of one group: one per weekday it meets. ``terms``:
    the vocabulary terms by (vocabulary, id), when the caller has them already."""
    weekdays = _weekdays(group, today)
    place = next((c for c in group.channels if isinstance(c, InPersonChannel)), None)
    online = next((c for c in group.channels if isinstance(c, OnlineChannel) and c.url), None) or next(
        (c for c in group.channels if isinstance(c, OnlineChannel)), None)
    phone = next((c for c in group.channels if isinstance(c, PhoneChannel)), None)
    if place is None and online is None and phone is None:
        raise Skip("ryhmällä ei ole paikkaa, etäyhteyttä eikä puhelinnumeroa, joita Meeting Guide tarvitsee",
                   "the group has no place, online link or phone line, and Meeting Guide needs one")
    base = _meeting(group, catalogue, language, place, online, phone, today, _terms(catalogue) if terms is None else terms)
    slug = _slug(group.id)
    result = []
    for weekday in weekdays:
        own_slug = slug if len(weekdays) == 1 else _slug(f"{group.id}-{WEEKDAYS[weekday].lower()}")
        meeting = {"name": base["name"], "slug": own_slug}
        meeting["day"] = MG_DAY[weekday]
        meeting.update((key, value) for key, value in base.items() if key != "name")
        result.append(meeting)
    return result


def _weekdays(group: Group, today: dt.date) -> list[int]:
    if group.status.state is RecordState.ENDED:
        raise Skip("ryhmän toiminta on päättynyt", "the group has ended")
    schedule = group.schedule
    if schedule is None:
        raise Skip("ryhmällä ei ole aikataulua; Meeting Guide listaa vain viikoittaiset kokoukset",
                   "the group has no schedule; Meeting Guide lists weekly meetings only")
    rule = schedule.rule
    if rule.frequency is Frequency.MONTHLY:
        raise Skip(f"ryhmä kokoontuu kuukausittain ({schedule.rrule}); Meeting Guide listaa vain viikoittaiset kokoukset",
                   f"the group meets monthly ({schedule.rrule}); Meeting Guide lists weekly meetings only")
    if rule.interval != 1:
        raise Skip(f"ryhmä kokoontuu joka {rule.interval}. viikko; Meeting Guide listaa vain viikoittaiset kokoukset",
                   f"the group meets every {rule.interval} weeks; Meeting Guide lists weekly meetings only")
    if rule.count == 1:
        raise Skip("ryhmä kokoontuu vain kerran; Meeting Guide listaa vain viikoittaiset kokoukset",
                   "the group meets only once; Meeting Guide lists weekly meetings only")
    ahead = occurrences(schedule, None, start=today, end=today + MAX_WINDOW)
    if not ahead:
        raise Skip("ryhmällä ei ole tulevia kokoontumisia (kausi tai sarja on päättynyt)",
                   "the group has no meetings ahead (its season or series is over)")
    first = ahead[0].start.date()
    if first > today + NOT_YET_LISTED:
        # A feed has weekdays and no dates: an app would send people to a group whose
        # season starts in January on the next Tuesday in December.
        day = short_date(first, "fi", with_year=True)
        raise Skip(f"ryhmän seuraava kokoontuminen on vasta {day} (esimerkiksi kausi alkaa); Meeting Guide ei kerro "
                   f"päivämääriä, joten ryhmä tulee syötteeseen {NOT_YET_LISTED.days} päivää ennen",
                   f"the group's next meeting is not until {first.isoformat()} (its season starts, say); Meeting Guide "
                   f"gives no dates, so the group enters the feed {NOT_YET_LISTED.days} days before")
    weekdays = sorted({day.weekday for day in rule.by_day})
    if not weekdays and schedule.first_date is not None:
        weekdays = [schedule.first_date.weekday()]
    if not weekdays:
        raise Skip("viikonpäivä ei selviä säännöstä eikä alkupäivästä", "the weekday is neither in the rule nor in a start date")
    return weekdays


def _slug(record_id: str) -> str:
    slug = record_id.replace(":", "--")
    if len(slug) <= 64:
        return slug
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:55]}-{digest}"


def _meeting(group: Group, catalogue: Catalogue, language: str, place: InPersonChannel | None,
             online: OnlineChannel | None, phone: PhoneChannel | None, today: dt.date,
             terms: dict) -> dict[str, Any]:
    def text(value: Text | None) -> str | None:
        return value.get(language) if value is not None else None

    schedule = group.schedule
    assert schedule is not None  # _weekdays refused the rest
    meeting: dict[str, Any] = {"name": text(group.name), "time": f"{schedule.start_time:%H:%M}"}
    if schedule.end_time is not None:
        meeting["end_time"] = f"{schedule.end_time:%H:%M}"
    meeting["timezone"] = schedule.timezone
    suspended = group.status.state is RecordState.SUSPENDED
    types = [codes.OPEN if group.openness.value == "open" else codes.CLOSED]
    types += [codes.LANGUAGE_CODES[tag] for tag in group.languages if tag in codes.LANGUAGE_CODES]
    types += [codes.AUDIENCE_CODES[term] for term in group.audiences if term in codes.AUDIENCE_CODES]
    types += [codes.ACTIVITY_CODES[term] for term in group.activities if term in codes.ACTIVITY_CODES]
    where = catalogue.place(place.place) if place is not None else None
    if where is not None and where.accessibility is not None:
        if where.accessibility.step_free_entrance:
            types.append(codes.WHEELCHAIR_ACCESS)
        if where.accessibility.accessible_toilet:
            types.append(codes.ACCESSIBLE_TOILET)
    remote = online is not None or phone is not None
    if remote:
        types.append(codes.ONLINE)
    if suspended:
        types.append(codes.TEMPORARILY_CLOSED)
    meeting["types"] = list(dict.fromkeys(types))
    if group.description is not None:
        meeting["notes"] = text(group.description)
    if group.url is not None:
        meeting["url"] = group.url
    if group.updated is not None:
        meeting["updated"] = f"{group.updated:%Y-%m-%d} 00:00:00"
    region_names = [text(terms[("region", region)].label) for region in group.regions if ("region", region) in terms]
    if where is not None:
        meeting["location"] = text(where.name)
        if where.street_address is not None:
            meeting["address"] = text(where.street_address)
        meeting["city"] = text(where.municipality)
        if where.postal_code is not None:
            meeting["postal_code"] = where.postal_code
        meeting["country"] = "FI"
        if where.coordinates is not None:
            meeting["latitude"] = where.coordinates.latitude
            meeting["longitude"] = where.coordinates.longitude
        # The room ("Sali 2, 3. krs") first: the format has no field of its own for it,
        # and a first-timer at a big building needs it before the way there.
        notes = [text(value) for value in (place.room, where.directions) if value is not None]
        if notes:
            meeting["location_notes"] = "\n".join(notes)
    else:  # the app places online meetings by an approximate address: the regions, or Finland
        meeting["formatted_address"] = ", ".join([*region_names, "Finland"])
        meeting["approximate"] = "yes"
    if region_names:
        meeting["regions"] = region_names
    if online is not None:
        if online.url is not None:
            meeting["conference_url"] = online.url
        if online.instructions is not None:
            meeting["conference_url_notes"] = text(online.instructions)
    if phone is not None:
        meeting["conference_phone"] = phone.phone
        if phone.note is not None:
            meeting["conference_phone_notes"] = text(phone.note)
    if suspended:
        meeting["attendance_option"] = "inactive"
    else:
        meeting["attendance_option"] = "hybrid" if where and remote else "online" if remote else "in_person"
    organiser = catalogue.organisation(group.organiser)
    if organiser is not None:
        meeting["group"] = text(organiser.name)
    meeting.update(_entity(catalogue, language))
    meeting.update(_contacts(group, catalogue, today))
    return meeting


def _terms(catalogue: Catalogue) -> dict:
    """The registered vocabulary terms with the catalogue's own on top."""
    return {**plugins.vocabulary_terms(), **{(t.vocabulary, t.id): t for t in catalogue.terms}}


def _entity(catalogue: Catalogue, language: str) -> dict[str, str]:
    publisher = catalogue.organisation(catalogue.publisher) if catalogue.publisher else None
    if publisher is None:
        return {}
    entity = {"entity": publisher.name.get(language)}
    if publisher.url is not None:
        entity["entity_url"] = publisher.url
    if publisher.contact is not None:
        if publisher.contact.email is not None:
            entity["entity_email"] = publisher.contact.email
        if publisher.contact.phone is not None:
            entity["entity_phone"] = publisher.contact.phone
    return entity


def _contacts(group: Group, catalogue: Catalogue, today: dt.date) -> dict[str, str]:
    """Contact people by the details they agreed to publish (the catalogue a renderer
    gets is already redacted; ``published()`` is still the only way we read them)."""
    found: dict[str, str] = {}
    number = 0
    for person_id in group.contacts:
        person = catalogue.person(person_id)
        if person is None or number == MAX_CONTACTS:
            continue
        details = person.personal.published(today)
        shown = {"name": details.name, "email": details.email, "phone": details.phone}
        if not any(shown.values()):
            continue
        number += 1
        found.update({f"contact_{number}_{key}": value for key, value in shown.items() if value})
    return found
