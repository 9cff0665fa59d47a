"""Renderer ``hsds``: the catalogue as Open Referral HSDS 3.0 JSON.

Writes, under the folder ``hsds/`` (option ``folder``):

- ``organizations.json``: a list of fully nested organizations, each with its
  ``services`` and the ``locations`` they use (the shape of the HSDS API's
  ``/organizations/{id}`` response, ``schema/compiled/organization.json``);
- ``services.json``: a list of fully nested services, each with its ``organization``
  (the shape of ``/services/{id}``, ``schema/compiled/service.json``);
- ``index.json``: the API root document (HSDS version and the OpenAPI address).

Groups, services and events all become HSDS services; which one each was, and every
vertaistuki code HSDS has no field for (audiences, topics, openness, …), travels as an
``attribute`` with a ``vertaistuki:…`` taxonomy term, so the ``hsds`` source reads them
back. HSDS text is in one language: option ``language`` (default ``fi``); a text
without that language falls back as listings do (fi, sv, en).

The lists are compact JSON (no spaces, no line breaks), as the HSDS API answers; option
``indent`` (a number of spaces, 1–8) indents them for reading. A national catalogue's
files run to gigabytes (a third less compact), so they are written as chunks, one
service at a time: no file, and no list of all services, ever exists whole.
What many objects share (an organisation, a place, a taxonomy term) is made once and
kept in the form cheapest to place again (``jsontext.kept``: the value for orjson, its
text for the Python writer).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from typing import Any

from vertaistuki import jsontext, labels, options, plugins
from vertaistuki.atomic import Content
from vertaistuki.model import (
    Catalogue,
    Contact,
    Coordinator,
    Event,
    FeeKind,
    Group,
    InPersonChannel,
    OnlineChannel,
    Organisation,
    PhoneChannel,
    Place,
    RecordState,
    Schedule,
    Service,
    Text,
)
from vertaistuki.registry import RenderContext
from vertaistuki.shelf import Handle, Shelf

from . import ids
from .ids import hsds_id

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
STATUS = {RecordState.ACTIVE: "active", RecordState.SUSPENDED: "temporarily closed", RecordState.ENDED: "inactive"}
FEE_LABELS = {
    "fi": {"free": "Maksuton", "self_payment": "Omavastuuosuus", "membership": "Jäsenille"},
    "sv": {"free": "Avgiftsfri", "self_payment": "Självrisk", "membership": "För medlemmar"},
    "en": {"free": "Free", "self_payment": "Self-payment", "membership": "For members"},
}
NATIONWIDE = {"fi": "Koko Suomi", "sv": "Hela Finland", "en": "All of Finland"}
ACCESSIBILITY_FACTS = ("step_free_entrance", "elevator", "accessible_toilet", "induction_loop",
                       "accessible_parking", "public_transport_nearby")
YES_NO = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}
Record = Group | Service | Event


class _Writer:
    """Turns one catalogue into HSDS objects in one language."""

    def __init__(self, catalogue: Catalogue, context: RenderContext) -> None:
        self.catalogue = catalogue
        self.language = str(context.options.get("language", "fi"))
        self.indent = options.indent_setting(context.options)
        self.today = context.today
        self.terms = {(term.vocabulary, term.id): term for term in catalogue.terms}
        self.registered_terms = plugins.vocabulary_terms()
        # Indexes made once: looking these up by scanning the catalogue for every
        # organisation (and every service's organisation) grew with the square of its size.
        self.coordinators_of: dict[str, list[Coordinator]] = {}
        for person in catalogue.coordinators:
            self.coordinators_of.setdefault(person.organisation, []).append(person)
        self.records_of: dict[str, list[Record]] = {}
        for record in self.records():
            self.records_of.setdefault(record.organiser, []).append(record)
        # Made once each and kept by object (kept alive here) rather than by id: two
        # records may share an id by mistake. Organisations as text (far smaller than
        # the dicts), places and terms as jsontext.kept keeps them.
        self._organizations: dict[int, tuple[Organisation, jsontext.Dumped]] = {}
        self._places: dict[int, tuple[Place, str, Any]] = {}  # Any: jsontext.kept
        # Taxonomy terms by (taxonomy, code, name, term_uri): a few hundred terms are
        # attached to hundreds of thousands of objects.
        self._terms: dict[tuple[str, str, str, str | None], tuple[str, Any]] = {}  # Any: jsontext.kept
        # The same taxonomy and organisation ids come up for thousands of objects.
        self.shared_id = functools.lru_cache(maxsize=16384)(hsds_id)
        # Each service's text, between organizations.json and services.json.
        self.shelf = Shelf()
        self._service_texts: dict[int, tuple[Record, Handle]] = {}

    # -- small pieces -------------------------------------------------------------

    def text(self, value: Text | None) -> str | None:
        return None if value is None else value.get(self.language)

    def stable(self, record_id: str) -> str:
        return self.catalogue.stable_id(record_id)

    def attribute(self, owner: str, entity: str, taxonomy: str, code: str, name: str | None = None,
                  value: str | None = None, term_uri: str | None = None) -> dict[str, Any]:
        """An HSDS attribute linking ``owner`` to a ``vertaistuki:<taxonomy>`` term."""
        full = ids.TAXONOMY_PREFIX + taxonomy
        term_id, term = self.term(full, code, name or code, term_uri)
        data: dict[str, Any] = {"id": hsds_id("attribute", owner, full, code), "link_id": owner,
                                "link_entity": entity, "taxonomy_term_id": term_id, "taxonomy_term": term}
        if value is not None:
            data["value"] = value
        return data

    def term(self, taxonomy: str, code: str, name: str, term_uri: str | None
             ) -> tuple[str, Any]:
        """A taxonomy term's id and the term: kept (``jsontext.kept``) when it is shared;
        a ``record`` term (its code a record's stable id) is used once and not kept."""
        key = (taxonomy, code, name, term_uri)
        known = self._terms.get(key)
        if known is not None:
            return known
        term_id = hsds_id("term", taxonomy, code)
        term: dict[str, Any] = {"id": term_id, "code": code, "name": name, "description": name,
                                "taxonomy": taxonomy, "taxonomy_id": self.shared_id("taxonomy", taxonomy),
                                "language": self.language}
        if term_uri:
            term["term_uri"] = term_uri
        if taxonomy == ids.TAXONOMY_PREFIX + ids.RECORD:
            return term_id, term
        known = self._terms[key] = (term_id, jsontext.kept(term, indent=self.indent))
        return known

    def vocabulary_attributes(self, owner: str, entity: str, record) -> list[dict[str, Any]]:
        found = []
        for field, vocabulary in ids.VOCABULARY_FIELDS.items():
            for code in getattr(record, field, ()):
                term = self.terms.get((vocabulary, code)) or self.registered_terms.get((vocabulary, code))
                found.append(self.attribute(owner, entity, vocabulary, code,
                                            self.text(term.label) if term else code,
                                            term_uri=term.yso if term else None))
        return found

    def flags(self, owner: str, entity: str, record, names: Iterable[str]) -> list[dict[str, Any]]:
        return [self.attribute(owner, entity, ids.FLAG, name) for name in names if getattr(record, name, False)]

    def phone(self, owner: str, number: str, description: Text | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"id": hsds_id("phone", owner, number), "number": number, "type": "voice"}
        if description is not None:
            data["description"] = self.text(description)
        return data

    def languages(self, owner: str, codes: Iterable[str]) -> list[dict[str, Any]]:
        return [{"id": hsds_id("language", owner, code), "name": labels.language_name(code, self.language), "code": code}
                for code in codes]

    # -- organisations --------------------------------------------------------------

    def organization(self, organisation: Organisation) -> jsontext.Dumped:
        """The organisation as every service in ``services.json`` embeds it (without its
        services), written once."""
        known = self._organizations.get(id(organisation))
        if known is None:
            known = self._organizations[id(organisation)] = (
                organisation, jsontext.Dumped(jsontext.dumps(self.flat_organization(organisation), indent=self.indent)))
        return known[1]

    def nested_organization(self, organisation: Organisation) -> tuple[dict[str, Any], list[Record]]:
        """The organisation as ``organizations.json`` lists it, with the locations its
        services use, and its records. Their services go last, under ``services``,
        which holds ``[]`` here: they are written one by one in its place (see
        :func:`_organizations_chunks`), so a federation's hundreds never exist at once."""
        data = self.flat_organization(organisation)
        records = self.records_of.get(organisation.id, [])
        locations: dict[str, Any] = {}  # by id, each once, in the order first used
        for record in records:
            for channel in record.channels:
                if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place)) is not None:
                    location_id, location = self.place(place)
                    locations.setdefault(location_id, location)
        _put(data, "locations", list(locations.values()))
        if records:
            data["services"] = []
        return data, records

    def flat_organization(self, organisation: Organisation) -> dict[str, Any]:
        """The organisation's own fields, without its services and locations."""
        stable = self.stable(organisation.id)
        oid = self.shared_id("organisations", stable)
        data: dict[str, Any] = {"id": oid, "name": self.text(organisation.name),
                                "description": self.text(organisation.description) or ""}
        _put(data, "alternate_name", self.text(organisation.short_name))
        _put(data, "website", organisation.url)
        _put(data, "year_incorporated", organisation.founded)
        _put(data, "tax_id", organisation.business_id)
        if organisation.parent:
            data["parent_organization_id"] = self.shared_id("organisations", self.stable(organisation.parent))
        contact = organisation.contact
        if contact is not None:
            _put(data, "email", contact.email)
            if contact.phone:
                data["phones"] = [self.phone(oid, contact.phone)]
        if organisation.funding is not None:
            data["funding"] = [{"id": hsds_id("funding", oid), "organization_id": oid, "source": self.text(organisation.funding)}]
        if organisation.business_id:
            data["organization_identifiers"] = [{
                "id": hsds_id("organization_identifier", oid, organisation.business_id), "organization_id": oid,
                "identifier_scheme": "FI-PRO", "identifier_type": "Y-tunnus", "identifier": organisation.business_id}]
        contacts = [self.person_contact(oid, person) for person in self.coordinators_of.get(organisation.id, ())]
        _put(data, "contacts", [c for c in contacts if c is not None])
        attributes = [self.attribute(oid, "organization", ids.RECORD, stable, value="organisations"),
                      self.attribute(oid, "organization", ids.ORGANISATION_KIND, organisation.kind.value)]
        attributes += [self.attribute(oid, "organization", ids.MEMBER_OF, self.stable(federation))
                       for federation in organisation.member_of]
        attributes += self.vocabulary_attributes(oid, "organization", organisation)
        attributes += self.flags(oid, "organization", organisation, ("nationwide", "volunteer_run", "participation_free"))
        data["attributes"] = attributes
        return data

    def person_contact(self, owner: str, person: Coordinator | Any) -> dict[str, Any] | None:
        """A volunteer's or coordinator's consented, published details, or None."""
        details = person.personal.published(self.today)
        if not (details.name or details.phone or details.email):
            return None
        cid = hsds_id("person", self.stable(person.id))
        data: dict[str, Any] = {"id": cid}
        _put(data, "name", details.name)
        if isinstance(person, Coordinator):
            _put(data, "title", self.text(person.title))
            _put(data, "department", self.text(person.office))
        _put(data, "email", details.email)
        if details.phone:
            data["phones"] = [self.phone(cid, details.phone)]
        return data

    def plain_contact(self, owner: str, contact: Contact) -> dict[str, Any] | None:
        """A record's own contact (no person): e-mail and phone, no name."""
        if not (contact.email or contact.phone):
            return None
        cid = hsds_id("contact", owner)
        data: dict[str, Any] = {"id": cid}
        _put(data, "email", contact.email)
        if contact.phone:
            data["phones"] = [self.phone(cid, contact.phone)]
        return data

    # -- places -------------------------------------------------------------------

    def place(self, place: Place) -> tuple[str, Any]:
        """A place as an HSDS location (its id, and the location kept by
        ``jsontext.kept``), made once however many services meet there."""
        known = self._places.get(id(place))
        if known is None:
            location = self._place(place)
            known = self._places[id(place)] = (place, location["id"], jsontext.kept(location, indent=self.indent))
        return known[1], known[2]

    def _place(self, place: Place) -> dict[str, Any]:
        stable = self.stable(place.id)
        lid = hsds_id("places", stable)
        data: dict[str, Any] = {"id": lid, "location_type": "physical", "name": self.text(place.name),
                                "external_identifier": stable, "external_identifier_type": "vertaistuki"}
        _put(data, "description", self.text(place.directions))
        if place.coordinates:
            data["latitude"] = place.coordinates.latitude
            data["longitude"] = place.coordinates.longitude
        # HSDS requires every address part; Finland has no states, and a place may give
        # only its municipality. Unknown parts are written empty, never invented.
        data["addresses"] = [{"id": hsds_id("address", lid), "location_id": lid,
                              "address_1": self.text(place.street_address) or "", "city": self.text(place.municipality),
                              "state_province": "", "postal_code": place.postal_code or "", "country": "FI",
                              "address_type": "physical"}]
        if place.accessibility is not None:
            data["accessibility"] = self.accessibility(lid, place)
        return data

    def accessibility(self, lid: str, place: Place) -> list[dict[str, Any]]:
        facts = place.accessibility
        yes, no = YES_NO.get(self.language, YES_NO["en"])
        entries = []
        for fact in ACCESSIBILITY_FACTS:
            known = getattr(facts, fact)
            if known is None:  # not known is not "no": leave it out
                continue
            aid = hsds_id("accessibility", lid, fact)
            label = labels.code_label("accessibility", fact, self.language)
            entries.append({"id": aid, "location_id": lid, "description": label, "details": yes if known else no,
                            "attributes": [self.attribute(aid, "accessibility", ids.ACCESSIBILITY, fact, label,
                                                          value="true" if known else "false")]})
        if facts.note is not None:
            aid = hsds_id("accessibility", lid, "note")
            entries.append({"id": aid, "location_id": lid, "description": self.text(facts.note),
                            "attributes": [self.attribute(aid, "accessibility", ids.ACCESSIBILITY, "note")]})
        return entries

    # -- services -----------------------------------------------------------------

    def records(self) -> list[Record]:
        return [*self.catalogue.groups, *self.catalogue.services, *self.catalogue.events]

    def service_text(self, record: Record) -> str:
        """:meth:`service`'s text (``jsontext.dumps``), made once: ``services.json``
        lists every service again, so its text waits on the writer's shelf (on disk)
        between the two files rather than the service being made a second time."""
        known = self._service_texts.get(id(record))
        if known is not None and known[0] is record:
            return self.shelf.get(known[1]).decode("utf-8")
        text = jsontext.dumps(self.service(record), indent=self.indent)
        self._service_texts[id(record)] = (record, self.shelf.put(text.encode("utf-8")))
        return text

    def standalone_text(self, record: Record) -> str:
        """A service as ``services.json`` lists it: :meth:`service_text` with its
        organisation inside, under ``organization``, the last key (so, one level in,
        just before the closing brace)."""
        text = self.service_text(record)
        organisation = self.catalogue.organisation(record.organiser)
        if organisation is None:
            return text
        inside = self.organization(organisation).text
        if self.indent is None:
            return text[:-1] + ',"organization":' + inside + "}"
        pad = " " * self.indent
        body = text[:-2]  # up to the closing "\n}" (a service is never empty)
        return body + f',\n{pad}"organization": ' + inside.replace("\n", "\n" + pad) + "\n}"

    def service(self, record: Record) -> dict[str, Any]:
        """A service as its organisation lists it."""
        collection = "groups" if isinstance(record, Group) else "services" if isinstance(record, Service) else "events"
        stable = self.stable(record.id)
        sid = hsds_id(collection, stable)
        oid = self.shared_id("organisations", self.stable(record.organiser))
        data: dict[str, Any] = {"id": sid, "organization_id": oid, "name": self.text(record.name),
                                "status": STATUS[record.status.state]}
        _put(data, "description", self.text(record.description))
        _put(data, "url", record.url)
        if record.contact is not None:
            _put(data, "email", record.contact.email)
        _put(data, "alert", self.text(record.status.reason))
        if record.registration is not None:
            _put(data, "application_process", self.text(record.registration.instructions))
        _put(data, "assured_date", record.verified.isoformat() if record.verified else None)
        _put(data, "last_modified", f"{record.updated.isoformat()}T00:00:00Z" if record.updated else None)
        _put(data, "phones", [self.phone(sid, c.phone, c.note) for c in record.channels if isinstance(c, PhoneChannel)])
        _put(data, "schedules", self.schedules(sid, record))
        _put(data, "service_areas", self.service_areas(sid, record))
        _put(data, "service_at_locations", self.service_at_locations(sid, record))
        _put(data, "languages", self.languages(sid, record.languages))
        data["cost_options"] = [self.cost_option(sid, record)]
        _put(data, "contacts", self.service_contacts(sid, record))
        data["attributes"] = self.service_attributes(sid, collection, stable, record)
        return data

    def service_attributes(self, sid: str, collection: str, stable: str, record: Record) -> list[dict[str, Any]]:
        attribute = self.attribute
        found = [attribute(sid, "service", ids.RECORD, stable, value=collection)]
        if isinstance(record, Group):
            found.append(attribute(sid, "service", ids.OPENNESS, record.openness.value,
                                   labels.code_label("openness", record.openness.value, self.language)))
            if record.facilitation is not None:
                kind = record.facilitation.kind.value
                found.append(attribute(sid, "service", ids.FACILITATION, kind,
                                       labels.code_label("facilitation", kind, self.language),
                                       value=self.text(record.facilitation.note)))
            found += self.flags(sid, "service", record, ("staff_sometimes_present", "guest_lecturers"))
        elif isinstance(record, Service):
            found.append(attribute(sid, "service", ids.SERVICE_KIND, record.kind.value,
                                   labels.code_label("service", record.kind.value, self.language)))
            if record.arrangement is not None:
                found.append(attribute(sid, "service", ids.ARRANGEMENT, record.arrangement.value))
        else:
            found.append(attribute(sid, "service", ids.EVENT_KIND, record.kind.value,
                                   labels.code_label("event", record.kind.value, self.language)))
            found += [attribute(sid, "service", ids.CO_ORGANISER, self.stable(o)) for o in record.co_organisers]
        found += self.vocabulary_attributes(sid, "service", record)
        found += self.flags(sid, "service", record, ("nationwide",))
        if record.registration is not None and record.registration.required:
            found.append(attribute(sid, "service", ids.FLAG, "registration_required"))
        return found

    def cost_option(self, sid: str, record: Record) -> dict[str, Any]:
        fee = record.fee
        cid = hsds_id("cost_option", sid)
        data: dict[str, Any] = {"id": cid, "service_id": sid,
                                "option": FEE_LABELS.get(self.language, FEE_LABELS["en"])[fee.kind.value], "currency": "EUR"}
        if fee.kind is FeeKind.FREE:
            data["amount"] = 0
        elif fee.amount is not None:
            data["amount"] = float(fee.amount) if fee.amount != fee.amount.to_integral_value() else int(fee.amount)
        _put(data, "amount_description", self.text(fee.note))
        data["attributes"] = [self.attribute(cid, "cost_option", ids.FEE_KIND, fee.kind.value)]
        if fee.announced_in_advance:
            data["attributes"].append(self.attribute(cid, "cost_option", ids.FLAG, "announced_in_advance"))
        return data

    def service_areas(self, sid: str, record: Record) -> list[dict[str, Any]]:
        areas = []
        for code in record.regions:
            aid = hsds_id("service_area", sid, code)
            term = self.terms.get(("region", code)) or self.registered_terms.get(("region", code))
            name = self.text(term.label) if term else code
            area: dict[str, Any] = {"id": aid, "service_id": sid, "name": name,
                                    "attributes": [self.attribute(aid, "service_area", "region", code, name,
                                                                  term_uri=term.yso if term else None)]}
            _put(area, "description", term.notation if term else None)  # ISO 3166-2, e.g. FI-11
            areas.append(area)
        if record.nationwide:
            areas.append({"id": hsds_id("service_area", sid, "FI"), "service_id": sid,
                          "name": NATIONWIDE.get(self.language, NATIONWIDE["en"]), "description": "FI"})
        return areas

    def service_at_locations(self, sid: str, record: Record) -> list[dict[str, Any]]:
        found = []
        for index, channel in enumerate(record.channels):
            if isinstance(channel, InPersonChannel):
                place = self.catalogue.place(channel.place)
                if place is None:
                    continue
                location_id, location = self.place(place)
            elif isinstance(channel, OnlineChannel):
                location_id = hsds_id("online", sid, str(index))
                location = {"id": location_id, "location_type": "virtual"}
                _put(location, "url", channel.url)
                _put(location, "name", channel.platform)
                _put(location, "description", self.text(channel.instructions))
            else:
                continue
            link: dict[str, Any] = {"id": hsds_id("service_at_location", sid, location_id), "service_id": sid,
                                    "location_id": location_id}
            _put(link, "description", self.text(getattr(channel, "room", None)))
            link["location"] = location
            found.append(link)
        return found

    def service_contacts(self, sid: str, record: Record) -> list[dict[str, Any]]:
        found = []
        if record.contact is not None and (plain := self.plain_contact(sid, record.contact)) is not None:
            found.append(plain)
        people = list(record.contacts)
        if isinstance(record, Group) and record.facilitation is not None:
            people += [leader for leader in record.facilitation.leaders if leader not in people]
        for person_id in people:
            person = self.catalogue.person(person_id)
            if person is not None and (contact := self.person_contact(sid, person)) is not None:
                found.append(contact)
        return found

    # -- schedules ------------------------------------------------------------------

    def schedules(self, sid: str, record: Record) -> list[dict[str, Any]]:
        attending = self.attending(record)
        if isinstance(record, Event):
            return [self.event_schedule(sid, record, attending)]
        note = self.text(record.schedule_note)
        if record.schedule is None:
            if note is None:
                return []
            return [{"id": hsds_id("schedule", sid), "service_id": sid, "description": note}]
        data = self.rule_schedule(sid, record.schedule)
        _put(data, "description", note)
        _put(data, "attending_type", attending)
        return [data]

    def rule_schedule(self, sid: str, schedule: Schedule) -> dict[str, Any]:
        rule = schedule.rule
        hid = hsds_id("schedule", sid)
        data: dict[str, Any] = {"id": hid, "service_id": sid, "freq": rule.frequency.value, "interval": rule.interval,
                                "wkst": "MO", "opens_at": _time(schedule.start_time)}
        if rule.by_day:
            data["byday"] = ",".join(str(day) for day in rule.by_day)
        _put(data, "count", rule.count)
        _put(data, "until", rule.until.isoformat() if rule.until else None)
        _put(data, "closes_at", _time(schedule.end_time) if schedule.end_time else None)
        if schedule.first_date:
            data["dtstart"] = schedule.first_date.isoformat()
        if schedule.season is not None:
            data["valid_from"] = schedule.season.start.isoformat()
            data["valid_to"] = schedule.season.end.isoformat()
            _put(data, "notes", self.text(schedule.season.name))
        data["timezone"] = _utc_offset(schedule.timezone, schedule.first_date or self.today)
        if schedule.skip_public_holidays:
            data["attributes"] = [self.attribute(hid, "schedule", ids.FLAG, "skip_public_holidays")]
        return data

    def event_schedule(self, sid: str, event: Event, attending: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {"id": hsds_id("schedule", sid), "service_id": sid,
                                "dtstart": event.start_date.isoformat(), "valid_from": event.start_date.isoformat(),
                                "valid_to": (event.end_date or event.start_date).isoformat()}
        _put(data, "opens_at", _time(event.start_time) if event.start_time else None)
        _put(data, "closes_at", _time(event.end_time) if event.end_time else None)
        data["timezone"] = _utc_offset(event.timezone, event.start_date)
        _put(data, "attending_type", attending)
        return data

    def attending(self, record: Record) -> str | None:
        kinds = []
        for channel in record.channels:
            kind = {InPersonChannel: "in_person", OnlineChannel: "online", PhoneChannel: "phone"}[type(channel)]
            if kind not in kinds:
                kinds.append(kind)
        return ", ".join(kinds) or None


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only when there is something to say: HSDS fields are optional, and
    an empty string or list would claim a fact that is not known."""
    if value is not None and value != [] and value != "":
        data[key] = value


def _time(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _utc_offset(zone: str, day: dt.date) -> float | int:
    """HSDS's ``timezone`` is a number of hours from UTC, so it cannot follow daylight
    saving: give the offset in force on the schedule's first day."""
    offset = dt.datetime.combine(day, dt.time(12), zoneinfo.ZoneInfo(zone)).utcoffset()
    hours = offset.total_seconds() / 3600
    return int(hours) if hours == int(hours) else hours


def hsds_documents(catalogue: Catalogue, context: RenderContext) -> dict[str, list[dict[str, Any]]]:
    """The HSDS documents of a (publishable) catalogue as data: the files' text read
    back (for tests and small catalogues; the renderer never holds them whole)."""
    writer = _Writer(catalogue, context)
    return {"organizations": json.loads(b"".join(_organizations_chunks(writer))),
            "services": json.loads(b"".join(_services_chunks(writer)))}


OPTIONS: dict[str, options.Check] = {"language": options.language, "folder": options.text, "indent": options.indent}


def render_hsds(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Content]]:
    """Yield the three files, the two lists as chunks (one per service): the nested
    documents of a national catalogue, held whole, take several times the memory of
    the files, which are hundreds of megabytes themselves."""
    options.check("hsds", context.options, OPTIONS)
    folder = str(context.options.get("folder", "hsds")).strip("/")
    writer = _Writer(catalogue, context)
    yield f"{folder}/index.json", _json({"version": HSDS_VERSION, "openapi_url": OPENAPI_URL})
    yield f"{folder}/organizations.json", _organizations_chunks(writer)
    yield f"{folder}/services.json", _services_chunks(writer)


# The files are what ``jsontext.dumps(the list, indent=indent) + "\n"`` writes: the
# chunks follow ``jsontext.array_chunks``, which places each item's text one level in.


def _organizations_chunks(writer: _Writer) -> Iterator[bytes]:
    """``organizations.json``: each organisation's text up to its ``services``, then
    those services one at a time (an array two levels in), then the organisation's end."""
    indent = writer.indent
    item = "" if indent is None else "\n" + " " * indent  # where an item of the list starts
    lead = b"["
    for organisation in writer.catalogue.organisations:
        data, records = writer.nested_organization(organisation)
        text = jsontext.dumps(data, indent=indent)
        if item:
            text = text.replace("\n", item)
        if records:
            # ``services`` is the last key: the last "[]" of the text is its value.
            head, tail = text.rsplit("[]", 1)
            yield lead + (item + head).encode("utf-8")
            services = (jsontext.Dumped(writer.service_text(r)) for r in records)
            yield from jsontext.array_chunks(services, indent=indent, level=2)
            yield tail.encode("utf-8")
        else:
            yield lead + (item + text).encode("utf-8")
        lead = b","
    yield b"[]\n" if lead == b"[" else b"\n]\n" if item else b"]\n"


def _services_chunks(writer: _Writer) -> Iterator[bytes]:
    """``services.json``: every service with its organisation, one at a time."""
    try:
        services = (jsontext.Dumped(writer.standalone_text(r)) for r in writer.records())
        yield from jsontext.array_chunks(services, indent=writer.indent)
        yield b"\n"
    finally:
        writer.shelf.clear()


def _json(value: Any) -> bytes:
    return (jsontext.dumps(value, indent=2) + "\n").encode("utf-8")
