"""Source ``hsds``: Open Referral HSDS 3.0 JSON into catalogue data.

Reads one JSON file holding a fully nested organization or service, a
service_at_location, a location, a list of any of these or an API page
(``{"contents": [...]}``). Groups, services and events written by the ``hsds``
renderer come back as what they were (their ``vertaistuki:…`` attributes say so);
services from elsewhere become vertaistuki services of kind ``other``.

Nothing is dropped silently: every HSDS field with a value that vertaistuki cannot
hold is reported as a warning naming the record and the field's path in the HSDS
document (``$[0].services[2].wait_time``). Contacts that name a person are never
imported: vertaistuki publishes a person's details only with consent recorded by the
organisation itself.

Options: ``language`` (the language of the HSDS texts, default ``fi``), ``source``
(the catalogue's source name; default: the one in the ids the renderer wrote, else
``hsds``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from vertaistuki import options as option_checks
from vertaistuki.model import InvalidValue, RecurrenceRule, is_business_id, normalise_phone, parse_rrule
from vertaistuki.problems import Problem
from vertaistuki.registry import SourceOutput, SourceRequest

from . import ids

COLLECTIONS = ("organisations", "places", "groups", "services", "events")
STATES = {"active": "active", "temporarily closed": "suspended", "inactive": "ended", "defunct": "ended"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
#: Fields that only link HSDS objects to each other: read as structure, not content.
LINKS = {"id", "organization_id", "service_id", "location_id", "service_at_location_id", "contact_id", "phone_id",
         "link_id", "taxonomy_term_id", "resource_id"}


@attrs.frozen
class ImportResult:
    data: dict[str, Any]
    pointers: dict[tuple[str, int], str]
    problems: tuple[Problem, ...]
    consumed: frozenset[str]  # HSDS paths whose values went into the data (or are links)


#: The source's options (see the module's docstring).
OPTIONS = {"language": option_checks.language, "source": option_checks.source_name}


def read_hsds(request: SourceRequest) -> SourceOutput:
    option_checks.check("hsds", request.options, OPTIONS)  # the build reports a mistake
    label = request.path_or_url
    try:
        document = json.loads(Path(request.path_or_url).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problem = Problem.error(label, "$", f"HSDS-tiedostoa ei voi lukea: {error}",
                                f"the HSDS file cannot be read: {error}", code="hsds.unreadable")
        return SourceOutput(data={}, problems=(problem,))
    result = read_document(document, label, request.options)
    return SourceOutput(data=result.data, pointers=result.pointers, problems=result.problems)


def read_document(document: Any, label: str = "<hsds>", options: dict[str, Any] | None = None) -> ImportResult:
    reader = _Reader(label, dict(options or {}))
    reader.read(document)
    return reader.result()


class _Reader:
    def __init__(self, label: str, options: dict[str, Any]) -> None:
        self.label = label
        self.language = str(options.get("language", "fi"))
        self.source = options.get("source")
        self.records: dict[str, list[dict[str, Any]]] = {c: [] for c in COLLECTIONS}
        self.pointers: dict[tuple[str, int], str] = {}
        self.problems: list[Problem] = []
        self.consumed: set[str] = set()
        self.reported: set[str] = set()
        self.seen: dict[str, str] = {}  # HSDS id → our stable id, for objects already read
        self.stable_ids: dict[str, str] = {}  # HSDS id → our stable id, known ahead (pass one)

    # -- bookkeeping ------------------------------------------------------------------

    def take(self, obj: dict[str, Any], key: str, path: str) -> Any:
        self.consumed.add(f"{path}.{key}")
        return obj.get(key)

    def warn(self, path: str, record_id: str | None, fi: str, en: str, code: str = "hsds.not_held") -> None:
        self.reported.add(path)
        self.problems.append(Problem.warning(self.label, path, fi, en, record_id=record_id, code=code))

    def partial_page(self, page: dict[str, Any], path: str) -> None:
        """One page of an API's list (``total_pages: 10, last_page: false``) is not the
        list: what the other pages hold is not in the catalogue, and a reader of our
        outputs would take the page for all of it."""
        total, number = page.get("total_pages"), page.get("page_number")
        if page.get("last_page") is False or (isinstance(total, int) and total > 1):
            shown_fi = f"sivu {number}/{total}" if isinstance(total, int) else "yksi sivu"
            shown_en = f"page {number} of {total}" if isinstance(total, int) else "one page"
            self.warn(path, None, f"tiedosto on {shown_fi} luettelosta: muiden sivujen tiedot puuttuvat",
                      f"the file is {shown_en} of a list: what the other pages hold is missing",
                      code="hsds.partial_list")

    def leftovers(self, obj: dict[str, Any], path: str, record_id: str | None, entity: str) -> None:
        """Report every field of ``obj`` with a value that nothing above consumed."""
        for key, value in obj.items():
            where = f"{path}.{key}"
            if key in LINKS:
                self.consumed.add(where)
            if where in self.consumed:
                continue
            if value in (None, "", [], {}):
                continue
            self.warn(where, record_id, f"HSDS-kenttää {entity}.{key} ei voi tallentaa vertaistukeen; arvo jätettiin pois",
                      f"HSDS field {entity}.{key} cannot be held in vertaistuki; its value was left out")

    def our_id(self, hsds: dict[str, Any], stable: str | None) -> str:
        """Our record id: the renderer's stable id, else the HSDS UUID itself."""
        value = stable or str(hsds.get("id", "")).lower()
        if self.source and value.startswith(f"{self.source}:"):
            return value.split(":", 1)[1]
        return value

    def add(self, collection: str, record: dict[str, Any], path: str) -> None:
        self.pointers[(collection, len(self.records[collection]))] = path
        self.records[collection].append(record)

    def text(self, value: Any) -> dict[str, str] | None:
        return {self.language: value.strip()} if isinstance(value, str) and value.strip() else None

    # -- the document -----------------------------------------------------------------

    def read(self, document: Any) -> None:
        self.source = self.source or _common_source(document) or "hsds"
        self.stable_ids = dict(_stable_ids(document))
        for item, path in _items(document, "$"):
            kind = _kind(item)
            if kind == "page":
                self.consumed.update(f"{path}.{key}" for key in item["page"] if key != "contents")
                self.partial_page(item["page"], path)
            elif kind == "service":
                self.service(item, path)
            elif kind == "organization":
                self.organization(item, path)
            elif kind == "location":
                self.place_or_channel(item, path, None)
            elif kind == "service_at_location":
                service = self.take(item, "service", path)
                if isinstance(service, dict):
                    self.service(service, f"{path}.service", extra_links=[(item, path)])
            elif kind == "taxonomy":
                self.warn(path, None, "HSDS-luokituksia ei tuoda: vertaistuen sanastot tulevat liitännäisiltä ja luettelon termeistä",
                          "HSDS taxonomies are not imported: vertaistuki's vocabularies come from plugins and the catalogue's terms",
                          code="hsds.taxonomy_not_imported")
            elif kind == "tabular":
                self.problems.append(Problem.error(
                    self.label, path, "HSDS:n taulukkomuotoa (organizations.csv, …) ei tueta; käytä sisäkkäistä JSON-muotoa",
                    "the tabular HSDS form (organizations.csv, …) is not supported; use the nested JSON form",
                    code="hsds.tabular_not_supported"))
                self.reported.add(path)
            elif kind == "index":
                self.consumed.update({f"{path}.version", f"{path}.profile", f"{path}.openapi_url"})
            else:
                self.problems.append(Problem.error(
                    self.label, path, "tämä ei ole HSDS-organisaatio, -palvelu eikä -sijainti",
                    "this is not an HSDS organization, service or location", code="hsds.unknown_document"))
                self.reported.add(path)

    def result(self) -> ImportResult:
        data: dict[str, Any] = {"source": self.source, "required_languages": [self.language]}
        data.update({c: records for c, records in self.records.items() if records})
        return ImportResult(data, self.pointers, tuple(self.problems), frozenset(self.consumed | self.reported))

    def reference(self, hsds_id: Any) -> str | None:
        """Our id for an HSDS id a record refers to (organization_id, parent, …)."""
        if not isinstance(hsds_id, str) or not hsds_id:
            return None
        return self.our_id({"id": hsds_id}, self.stable_ids.get(hsds_id))

    def duplicate(self, obj: dict[str, Any], path: str) -> bool:
        """An object read before (the same organization nested in every service): its
        values are already in the data."""
        key = str(obj.get("id"))
        if key in self.seen:
            self.consumed.add(path)
            return True
        self.seen[key] = path
        return False

    # -- attributes ----------------------------------------------------------------

    def codes(self, obj: dict[str, Any], path: str, record_id: str | None) -> dict[str, list[tuple[str, str | None]]]:
        """vertaistuki taxonomy → [(code, value)] from ``attributes``; others are reported."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for index, attribute in enumerate(self.take(obj, "attributes", path) or []):
            where = f"{path}.attributes[{index}]"
            term = attribute.get("taxonomy_term") or {}
            taxonomy = str(term.get("taxonomy") or "")
            if taxonomy.startswith(ids.TAXONOMY_PREFIX) and term.get("code"):
                found.setdefault(taxonomy.removeprefix(ids.TAXONOMY_PREFIX), []).append((term["code"], attribute.get("value")))
                self.consumed.add(where)
            else:
                name = term.get("name") or attribute.get("value") or attribute.get("id")
                self.warn(where, record_id, f"HSDS-attribuuttia {name!r} ei voi tallentaa vertaistukeen",
                          f"HSDS attribute {name!r} cannot be held in vertaistuki")
        return found

    def vocabularies(self, record: dict[str, Any], codes: dict[str, list[tuple[str, str | None]]], fields: Iterable[str]) -> None:
        for field in fields:
            values = [code for code, _ in codes.get(ids.VOCABULARY_FIELDS[field], [])]
            if values:
                record[field] = values

    # -- contact details -------------------------------------------------------------

    def phone(self, phone: dict[str, Any], path: str, record_id: str | None) -> str | None:
        number = self.take(phone, "number", path)
        self.take(phone, "type", path)  # voice, text, …: vertaistuki phones are for calling
        try:
            return normalise_phone(str(number).strip().strip('"'))
        except InvalidValue:
            self.warn(f"{path}.number", record_id, f"{number!r} ei ole puhelinnumero; jätettiin pois",
                      f"{number!r} is not a phone number; left out", code="hsds.invalid_value")
            return None

    def email(self, value: Any, path: str, record_id: str | None) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, str) and _EMAIL.match(value):
            return value
        self.warn(path, record_id, f"{value!r} ei ole sähköpostiosoite; jätettiin pois",
                  f"{value!r} is not an e-mail address; left out", code="hsds.invalid_value")
        return None

    def url(self, value: Any, path: str, record_id: str | None) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, str) and _WEB_URL.match(value):
            return value
        self.warn(path, record_id, f"{value!r} ei ole http(s)-osoite; jätettiin pois",
                  f"{value!r} is not an http(s) address; left out", code="hsds.invalid_value")
        return None

    def contacts(self, obj: dict[str, Any], path: str, record_id: str | None) -> dict[str, Any]:
        """A record's own contact from the nameless HSDS contacts; contacts that name a
        person are reported, never imported."""
        contact: dict[str, Any] = {}
        for index, item in enumerate(self.take(obj, "contacts", path) or []):
            where = f"{path}.contacts[{index}]"
            if item.get("name") or item.get("title"):
                self.warn(where, record_id,
                          "henkilön yhteystietoja ei tuoda: vertaistuki julkaisee ne vain henkilön omalla suostumuksella",
                          "a person's contact details are not imported: vertaistuki publishes them only with the person's own consent",
                          code="hsds.person_not_imported")
                continue
            email = self.email(self.take(item, "email", where), f"{where}.email", record_id)
            if email and "email" not in contact:
                contact["email"] = email
            for number_index, phone in enumerate(self.take(item, "phones", where) or []):
                self.phone_into(contact, phone, f"{where}.phones[{number_index}]", record_id)
            self.leftovers(item, where, record_id, "contact")
        return contact

    def phone_into(self, contact: dict[str, Any], phone: dict[str, Any], path: str, record_id: str | None) -> None:
        number = self.phone(phone, path, record_id)
        if number and "phone" not in contact:
            contact["phone"] = number
            self.leftovers(phone, path, record_id, "phone")
        elif number:
            self.warn(path, record_id, "vain yksi yhteyspuhelin mahtuu; tämä jätettiin pois",
                      "only one contact phone fits; this one was left out")

    # -- organizations ---------------------------------------------------------------

    def organization(self, org: dict[str, Any], path: str) -> str | None:
        if self.duplicate(org, path):
            return self.reference(org.get("id"))
        stable = self.stable_ids.get(str(org.get("id")))
        record_id = self.our_id(org, stable)
        codes = self.codes(org, path, record_id)
        record: dict[str, Any] = {"id": record_id,
                                  "name": self.text(self.take(org, "name", path)) or {self.language: record_id},
                                  "kind": next((c for c, _ in codes.get(ids.ORGANISATION_KIND, [])), "other")}
        for field, key in (("short_name", "alternate_name"), ("description", "description")):
            if value := self.text(self.take(org, key, path)):
                record[field] = value
        if url := self.url(self.take(org, "website", path), f"{path}.website", record_id):
            record["url"] = url
        if isinstance(founded := self.take(org, "year_incorporated", path), (int, float)):
            record["founded"] = int(founded)
        tax_id = self.take(org, "tax_id", path)
        if tax_id and is_business_id(str(tax_id)):
            record["business_id"] = str(tax_id)
        elif tax_id:
            self.warn(f"{path}.tax_id", record_id, f"{tax_id!r} ei ole Y-tunnus; jätettiin pois",
                      f"{tax_id!r} is not a Finnish business id; left out", code="hsds.invalid_value")
        for index, identifier in enumerate(org.get("organization_identifiers") or []):
            where = f"{path}.organization_identifiers[{index}]"
            if identifier.get("identifier") == record.get("business_id"):
                self.consumed.add(where)
            else:
                self.leftovers(identifier, where, record_id, "organization_identifier")
        self.consumed.add(f"{path}.organization_identifiers")
        if parent := self.reference(self.take(org, "parent_organization_id", path)):
            record["parent"] = parent
        contact = self.contacts(org, path, record_id)
        if email := self.email(self.take(org, "email", path), f"{path}.email", record_id):
            contact.setdefault("email", email)
        for index, phone in enumerate(self.take(org, "phones", path) or []):
            self.phone_into(contact, phone, f"{path}.phones[{index}]", record_id)
        if contact:
            record["contact"] = contact
        sources = []
        for index, funding in enumerate(self.take(org, "funding", path) or []):
            where = f"{path}.funding[{index}]"
            if text := self.take(funding, "source", where):
                sources.append(str(text))
            self.leftovers(funding, where, record_id, "funding")
        if sources:
            record["funding"] = {self.language: "\n".join(sources)}
        record["member_of"] = [self.reference_stable(code) for code, _ in codes.get(ids.MEMBER_OF, [])]
        self.vocabularies(record, codes, ("regions", "audiences", "topics"))
        for flag, _ in codes.get(ids.FLAG, []):
            record[flag] = True
        record = {k: v for k, v in record.items() if v not in ([], None)}
        self.add("organisations", record, path)
        for index, location in enumerate(self.take(org, "locations", path) or []):
            self.place_or_channel(location, f"{path}.locations[{index}]", record_id)
        for index, service in enumerate(self.take(org, "services", path) or []):
            self.service(service, f"{path}.services[{index}]", organiser=record_id)
        self.leftovers(org, path, record_id, "organization")
        return record_id

    def reference_stable(self, stable: str) -> str:
        return stable.split(":", 1)[1] if self.source and stable.startswith(f"{self.source}:") else stable

    # -- locations -------------------------------------------------------------------

    def place_or_channel(self, location: dict[str, Any], path: str, record_id: str | None) -> dict[str, Any] | None:
        """An in-person channel (the place is added once) or an online channel."""
        kind = self.take(location, "location_type", path)
        if kind == "virtual":
            return self.online_channel(location, path, record_id)
        place_id = self.place(location, path)
        return {"kind": "in_person", "place": place_id} if place_id else None

    def online_channel(self, location: dict[str, Any], path: str, record_id: str | None) -> dict[str, Any]:
        channel: dict[str, Any] = {"kind": "online"}
        if url := self.url(self.take(location, "url", path), f"{path}.url", record_id):
            channel["url"] = url
        if platform := self.take(location, "name", path):
            channel["platform"] = str(platform)
        if instructions := self.text(self.take(location, "description", path)):
            channel["instructions"] = instructions
        self.leftovers(location, path, record_id, "location")
        return channel

    def place(self, location: dict[str, Any], path: str) -> str | None:
        stable = location.get("external_identifier") if location.get("external_identifier_type") == "vertaistuki" else None
        place_id = self.our_id(location, stable)
        if self.duplicate(location, path):
            return place_id
        self.take(location, "external_identifier", path)
        self.take(location, "external_identifier_type", path)
        record: dict[str, Any] = {"id": place_id}
        addresses = self.take(location, "addresses", path) or []
        address, where = (addresses[0], f"{path}.addresses[0]") if addresses else ({}, f"{path}.addresses[0]")
        for index in range(1, len(addresses)):
            self.warn(f"{path}.addresses[{index}]", place_id, "vain yksi osoite mahtuu; tämä jätettiin pois",
                      "only one address fits; this one was left out")
        municipality = self.text(self.take(address, "city", where))
        name = self.text(self.take(location, "name", path)) or self.text(address.get("address_1")) or municipality
        if not municipality:
            self.warn(path, place_id, "paikalta puuttuu kunta (addresses[0].city); paikkaa ei voi tuoda",
                      "the place has no municipality (addresses[0].city); it cannot be imported", code="hsds.place_incomplete")
            return None
        record.update(name=name, municipality=municipality)
        if street := self.text(self.take(address, "address_1", where)):
            record["street_address"] = street
        postal = self.take(address, "postal_code", where)
        if postal and re.fullmatch(r"[0-9]{5}", str(postal)):
            record["postal_code"] = str(postal)
        elif postal:
            self.warn(f"{where}.postal_code", place_id, f"{postal!r} ei ole suomalainen postinumero; jätettiin pois",
                      f"{postal!r} is not a Finnish postal code; left out", code="hsds.invalid_value")
        country = self.take(address, "country", where)
        if country not in (None, "", "FI", "FIN", "Finland", "Suomi"):
            self.warn(f"{where}.country", place_id, f"maa {country!r}: vertaistuki olettaa paikkojen olevan Suomessa",
                      f"country {country!r}: vertaistuki takes places to be in Finland")
        self.take(address, "address_type", where)
        if address:
            self.leftovers(address, where, place_id, "address")
        latitude, longitude = self.take(location, "latitude", path), self.take(location, "longitude", path)
        if isinstance(latitude, (int, float)) and isinstance(longitude, (int, float)):
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                record["coordinates"] = {"latitude": latitude, "longitude": longitude}
            else:
                self.warn(f"{path}.latitude", place_id, f"koordinaatit {latitude}, {longitude} eivät ole maapallolla; jätettiin pois",
                          f"coordinates {latitude}, {longitude} are not on Earth; left out", code="hsds.invalid_value")
        if directions := self.text(self.take(location, "description", path)):
            record["directions"] = directions
        if accessibility := self.accessibility(location, path, place_id):
            record["accessibility"] = accessibility
        self.leftovers(location, path, place_id, "location")
        self.add("places", record, path)
        return place_id

    def accessibility(self, location: dict[str, Any], path: str, place_id: str) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        notes = []
        for index, entry in enumerate(self.take(location, "accessibility", path) or []):
            where = f"{path}.accessibility[{index}]"
            codes = self.codes(entry, where, place_id).get(ids.ACCESSIBILITY, [])
            self.take(entry, "description", where)
            self.take(entry, "details", where)
            if codes and codes[0][0] == "note":
                notes.append(str(entry.get("description", "")))
            elif codes:
                facts[codes[0][0]] = codes[0][1] == "true"
            else:  # another system's free text: kept as the note
                notes.append(": ".join(str(entry[k]) for k in ("description", "details") if entry.get(k)))
            self.leftovers(entry, where, place_id, "accessibility")
        if notes := [n for n in notes if n.strip()]:
            facts["note"] = {self.language: "\n".join(notes)}
        return facts

    # -- services --------------------------------------------------------------------

    def service(self, service: dict[str, Any], path: str, organiser: str | None = None,
                extra_links: list[tuple[dict[str, Any], str]] = ()) -> None:
        if self.duplicate(service, path):
            return
        stable = self.stable_ids.get(str(service.get("id")))
        record_id = self.our_id(service, stable)
        codes = self.codes(service, path, record_id)
        collection = next((value for _, value in codes.get(ids.RECORD, []) if value in ("groups", "services", "events")), "services")
        nested = self.take(service, "organization", path)
        if isinstance(nested, dict):
            organiser = self.organization(nested, f"{path}.organization") or organiser
        organiser = self.reference(self.take(service, "organization_id", path)) or organiser
        if organiser is None:
            self.problems.append(Problem.error(
                self.label, path, "palvelulta puuttuu järjestäjä (organization_id); sitä ei voi tuoda",
                "the service has no organization (organization_id); it cannot be imported",
                record_id=record_id, code="hsds.no_organization"))
            self.consumed.add(path)
            return
        record: dict[str, Any] = {"id": record_id, "organiser": organiser,
                                  "name": self.text(self.take(service, "name", path)) or {self.language: record_id}}
        if description := self.text(self.take(service, "description", path)):
            record["description"] = description
        if url := self.url(self.take(service, "url", path), f"{path}.url", record_id):
            record["url"] = url
        status = self.status(service, path, record_id)
        if status:
            record["status"] = status
        if verified := _date(self.take(service, "assured_date", path)):
            record["verified"] = verified
        if updated := _date(str(self.take(service, "last_modified", path) or "")[:10]):
            record["updated"] = updated
        contact = self.contacts(service, path, record_id)
        if email := self.email(self.take(service, "email", path), f"{path}.email", record_id):
            contact.setdefault("email", email)
        if contact:
            record["contact"] = contact
        registration = self.registration(service, path, codes)
        if registration:
            record["registration"] = registration
        channels = [self.phone_channel(p, f"{path}.phones[{i}]", record_id) for i, p in enumerate(self.take(service, "phones", path) or [])]
        links = [(link, f"{path}.service_at_locations[{i}]") for i, link in enumerate(self.take(service, "service_at_locations", path) or [])]
        for link, where in [*links, *extra_links]:
            if (channel := self.link_channel(link, where, record_id)) is not None:
                channels.append(channel)
        if channels := [c for c in channels if c]:
            record["channels"] = channels
        if languages := [code for i, language in enumerate(self.take(service, "languages", path) or [])
                         if (code := self.language_code(language, f"{path}.languages[{i}]", record_id))]:
            record["languages"] = languages
        record["fee"] = self.fee(service, path, record_id)
        self.vocabularies(record, codes, ("audiences", "topics", "support_forms"))
        if collection == "groups":  # written even when empty: a group's default is ["discussion"]
            record["activities"] = [code for code, _ in codes.get("activity", [])]
        flags = {flag for flag, _ in codes.get(ids.FLAG, [])}
        if "nationwide" in flags:
            record["nationwide"] = True
        if regions := self.service_areas(service, path, record_id, record.get("nationwide", False)):
            record["regions"] = regions
        schedules = self.take(service, "schedules", path) or []
        for index in range(1, len(schedules)):
            self.warn(f"{path}.schedules[{index}]", record_id, "vain yksi aikataulu mahtuu; tämä jätettiin pois",
                      "only one schedule fits; this one was left out")
        schedule = (schedules[0], f"{path}.schedules[0]") if schedules else None
        if collection == "groups":
            record["openness"] = next((c for c, _ in codes.get(ids.OPENNESS, [])), "open")
            if facilitation := codes.get(ids.FACILITATION):
                kind, note = facilitation[0]
                record["facilitation"] = {"kind": kind, **({"note": {self.language: note}} if note else {})}
            for flag in ("staff_sometimes_present", "guest_lecturers"):
                if flag in flags:
                    record[flag] = True
            self.recurring(record, schedule, record_id)
        elif collection == "services":
            record["kind"] = next((c for c, _ in codes.get(ids.SERVICE_KIND, [])), "other")
            if arrangement := codes.get(ids.ARRANGEMENT):
                record["arrangement"] = arrangement[0][0]
            self.recurring(record, schedule, record_id)
        else:
            record["kind"] = next((c for c, _ in codes.get(ids.EVENT_KIND, [])), "other")
            if co := [self.reference_stable(code) for code, _ in codes.get(ids.CO_ORGANISER, [])]:
                record["co_organisers"] = co
            if not self.event_dates(record, schedule, record_id):
                self.problems.append(Problem.error(
                    self.label, path, "tapahtumalta puuttuu päivämäärä (schedules[0].valid_from tai dtstart)",
                    "the event has no date (schedules[0].valid_from or dtstart)", record_id=record_id, code="hsds.no_date"))
                return
        self.leftovers(service, path, record_id, "service")
        self.add(collection, record, path)

    def status(self, service: dict[str, Any], path: str, record_id: str) -> dict[str, Any]:
        state = STATES.get(str(self.take(service, "status", path)), "active")
        reason = self.text(self.take(service, "alert", path))
        status: dict[str, Any] = {"state": state} if state != "active" else {}
        if reason:
            status["reason"] = reason
        elif state == "suspended":  # vertaistuki asks every suspension for its reason
            status["reason"] = {"fi": "Tilapäisesti suljettu", "en": "Temporarily closed"}
        return status

    def registration(self, service: dict[str, Any], path: str, codes) -> dict[str, Any]:
        registration: dict[str, Any] = {}
        if instructions := self.text(self.take(service, "application_process", path)):
            registration["instructions"] = instructions
        if any(flag == "registration_required" for flag, _ in codes.get(ids.FLAG, [])):
            registration["required"] = True
        return registration

    def phone_channel(self, phone: dict[str, Any], path: str, record_id: str) -> dict[str, Any] | None:
        number = self.phone(phone, path, record_id)
        if number is None:
            return None
        channel: dict[str, Any] = {"kind": "phone", "phone": number}
        if note := self.text(self.take(phone, "description", path)):
            channel["note"] = note
        self.leftovers(phone, path, record_id, "phone")
        return channel

    def link_channel(self, link: dict[str, Any], path: str, record_id: str) -> dict[str, Any] | None:
        location = self.take(link, "location", path)
        if not isinstance(location, dict):
            self.warn(path, record_id, "sijainti puuttuu (location); yhteyttä ei voi tuoda",
                      "the location is missing (location); the link cannot be imported", code="hsds.place_incomplete")
            return None
        channel = self.place_or_channel(location, f"{path}.location", record_id)
        if channel and channel["kind"] == "in_person" and (room := self.text(self.take(link, "description", path))):
            channel["room"] = room
        self.leftovers(link, path, record_id, "service_at_location")
        return channel

    def language_code(self, language: dict[str, Any], path: str, record_id: str) -> str | None:
        code = self.take(language, "code", path)
        self.take(language, "name", path)  # the language's name; the code says it
        if not isinstance(code, str) or not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", code):
            self.warn(f"{path}.code", record_id, f"kielikoodi {code!r} ei ole BCP 47 -koodi; kieli jätettiin pois",
                      f"language code {code!r} is not a BCP 47 code; the language was left out", code="hsds.invalid_value")
            return None
        self.leftovers(language, path, record_id, "language")
        return code

    def fee(self, service: dict[str, Any], path: str, record_id: str) -> dict[str, Any]:
        options = self.take(service, "cost_options", path) or []
        fee: dict[str, Any] = {"kind": "free"}
        description = self.text(self.take(service, "fees_description", path))
        if options:
            option, where = options[0], f"{path}.cost_options[0]"
            codes = self.codes(option, where, record_id)
            amount = self.take(option, "amount", where)
            kind = next((c for c, _ in codes.get(ids.FEE_KIND, [])), None)
            if kind is None:
                kind = "free" if amount in (None, 0) and not description else "self_payment"
            fee["kind"] = kind
            currency = self.take(option, "currency", where)
            foreign = bool(currency) and str(currency).upper() != "EUR"
            if kind != "free" and isinstance(amount, (int, float)) and not foreign:
                fee["amount"] = amount
            notes = []
            if foreign and isinstance(amount, (int, float)):
                # £35 is not €35: the sum stays, as words, in its own currency.
                self.warn(f"{where}.currency", record_id, f"valuutta {currency!r}: vertaistuki ilmoittaa hinnat euroina, "
                          "joten summa on lisätiedoissa sellaisenaan",
                          f"currency {currency!r}: vertaistuki gives prices in euros, so the sum is kept in the note as it is")
                notes.append({self.language: f"{amount} {str(currency).upper()}"})
            # The kind's label as our renderer writes it is read back as the kind; anyone
            # else's ("Under 18s and Over 60s") says who the price is for, and is kept.
            label = self.text(self.take(option, "option", where))
            if label and not _is_kind_label(label, kind):
                notes.append(label)
            if note := self.text(self.take(option, "amount_description", where)):
                notes.append(note)
            if notes:
                fee["note"] = {self.language: "; ".join(text for note in notes for text in note.values())}
            if any(flag == "announced_in_advance" for flag, _ in codes.get(ids.FLAG, [])):
                fee["announced_in_advance"] = True
            self.leftovers(option, where, record_id, "cost_option")
            for index in range(1, len(options)):
                self.warn(f"{path}.cost_options[{index}]", record_id, "vain yksi hinta mahtuu; tämä jätettiin pois",
                          "only one cost option fits; this one was left out")
        elif description:
            fee["kind"] = "self_payment"
        if description and "note" not in fee:
            fee["note"] = description
        elif description:
            self.warn(f"{path}.fees_description", record_id, "maksun kuvaus on jo hinnassa; tämä jätettiin pois",
                      "the fee already has a description; this one was left out")
        return fee

    def service_areas(self, service: dict[str, Any], path: str, record_id: str, nationwide: bool) -> list[str]:
        regions = []
        for index, area in enumerate(self.take(service, "service_areas", path) or []):
            where = f"{path}.service_areas[{index}]"
            codes = self.codes(area, where, record_id).get("region", [])
            if codes:
                regions.append(codes[0][0])
            elif nationwide and area.get("description") == "FI":
                pass
            else:
                self.warn(where, record_id, f"toiminta-aluetta {area.get('name')!r} ei voi tallentaa alueena",
                          f"service area {area.get('name')!r} cannot be held as a region")
                continue
            for key in ("name", "description"):
                self.take(area, key, where)
            self.leftovers(area, where, record_id, "service_area")
        return regions

    # -- schedules -------------------------------------------------------------------

    def recurring(self, record: dict[str, Any], schedule: tuple[dict[str, Any], str] | None, record_id: str) -> None:
        if schedule is None:
            return
        data, path = schedule
        note = self.text(self.take(data, "description", path))
        if note:
            record["schedule_note"] = note
        self.attending_type(data, path, record_id)
        codes = self.codes(data, path, record_id)
        freq = self.take(data, "freq", path)
        opens_at = self.clock(data, "opens_at", path, record_id)
        if freq is None and opens_at is None:
            self.leftovers(data, path, record_id, "schedule")
            return
        rule = self.rule(data, path, record_id)
        if rule is None or opens_at is None:
            if opens_at is None:
                self.warn(f"{path}.opens_at", record_id, "toistuvalta aikataululta puuttuu alkamisaika; aikataulu jätettiin pois",
                          "the recurring schedule has no start time; the schedule was left out")
            self.consumed.add(path)
            return
        result: dict[str, Any] = {"rrule": str(rule), "start_time": opens_at}
        if closes_at := self.clock(data, "closes_at", path, record_id):
            result["end_time"] = closes_at
        valid_from, valid_to = _date(self.take(data, "valid_from", path)), _date(self.take(data, "valid_to", path))
        season_name = self.text(self.take(data, "notes", path))
        if valid_from and valid_to:
            result["season"] = {"start": valid_from, "end": valid_to, **({"name": season_name} if season_name else {})}
        elif valid_from or valid_to or season_name:
            self.warn(path, record_id, "kausi tarvitsee sekä alun että lopun (valid_from, valid_to); jätettiin pois",
                      "a season needs both a start and an end (valid_from, valid_to); left out")
        dtstart = _date(self.take(data, "dtstart", path))
        if dtstart and dtstart != valid_from:
            result["starts"] = dtstart
        self.timezone(data, path, record_id)
        if any(flag == "skip_public_holidays" for flag, _ in codes.get(ids.FLAG, [])):
            result["skip_public_holidays"] = True
        record["schedule"] = result
        self.leftovers(data, path, record_id, "schedule")

    def clock(self, data: dict[str, Any], key: str, path: str, record_id: str) -> str | None:
        """A schedule's ``opens_at`` or ``closes_at`` as a wall-clock time: one that cannot
        be read ("5pm"), or whose offset ("08:00Z") is dropped, is said to be so."""
        value = self.take(data, key, path)
        if value in (None, ""):
            return None
        try:
            moment = dt.time.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            self.warn(f"{path}.{key}", record_id, f"aikaa {value!r} ei voi lukea (muoto 18:00); se jätettiin pois",
                      f"the time {value!r} cannot be read (form 18:00); it was left out")
            return None
        if moment.tzinfo is not None:
            self.warn(f"{path}.{key}", record_id, f"ajan {value!r} aikaero jätettiin pois: aika luettiin Suomen ajaksi",
                      f"the offset of {value!r} was dropped: the time was read as Finnish time")
        return moment.strftime("%H:%M")

    def attending_type(self, data: dict[str, Any], path: str, record_id: str) -> None:
        """How to attend: the channels say it. Words of anyone else's are reported."""
        value = self.take(data, "attending_type", path)
        known = {"in_person", "online", "phone"}
        if isinstance(value, str) and value.strip() and not {part.strip() for part in value.split(",")} <= known:
            self.warn(f"{path}.attending_type", record_id, f"osallistumistapaa {value!r} ei tallennettu: kanavat kertovat sen",
                      f"the attending type {value!r} was not kept: the channels say how to attend")

    def rule(self, data: dict[str, Any], path: str, record_id: str) -> RecurrenceRule | None:
        for key in ("byweekno", "bymonthday", "byyearday"):
            if data.get(key):
                self.warn(f"{path}.{key}", record_id, f"{key.upper()} ei mahdu vertaistuen toistosääntöön; aikataulu jätettiin pois",
                          f"{key.upper()} does not fit vertaistuki's recurrence rules; the schedule was left out")
                return None
        if self.take(data, "wkst", path) not in (None, "MO"):
            self.warn(f"{path}.wkst", record_id, "viikko alkaa maanantaista; WKST jätettiin pois",
                      "weeks start on Monday; WKST was left out")
        parts = [f"FREQ={data.get('freq')}"]
        for key in ("interval", "byday", "count"):
            if (value := self.take(data, key, path)) not in (None, ""):
                parts.append(f"{key.upper()}={int(value) if isinstance(value, float) else value}")
        if until := _date(self.take(data, "until", path)):
            parts.append(f"UNTIL={until.replace('-', '')}")
        try:
            return parse_rrule(";".join(parts))
        except InvalidValue as error:
            self.warn(f"{path}.freq", record_id, f"{error.fi}; aikataulu jätettiin pois", f"{error.en}; the schedule was left out",
                      code="hsds.invalid_value")
            return None

    def timezone(self, data: dict[str, Any], path: str, record_id: str) -> None:
        offset = self.take(data, "timezone", path)
        if offset not in (None, 2, 3):
            self.warn(f"{path}.timezone", record_id,
                      f"aikavyöhyke UTC{offset:+}: vertaistuki käyttää Suomen aikaa (Europe/Helsinki)",
                      f"time zone UTC{offset:+}: vertaistuki uses Finnish time (Europe/Helsinki)")

    def event_dates(self, record: dict[str, Any], schedule: tuple[dict[str, Any], str] | None, record_id: str) -> bool:
        if schedule is None:
            return False
        data, path = schedule
        start = _date(self.take(data, "valid_from", path)) or _date(data.get("dtstart"))
        self.take(data, "dtstart", path)
        if start is None:
            return False
        record["start_date"] = start
        if (end := _date(self.take(data, "valid_to", path))) and end != start:
            record["end_date"] = end
        if opens_at := self.clock(data, "opens_at", path, record_id):
            record["start_time"] = opens_at
        if closes_at := self.clock(data, "closes_at", path, record_id):
            record["end_time"] = closes_at
        self.attending_type(data, path, record_id)
        self.timezone(data, path, record_id)
        self.leftovers(data, path, record_id, "schedule")
        return True


def _items(document: Any, path: str) -> Iterable[tuple[dict[str, Any], str]]:
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from _items(item, f"{path}[{index}]")
    elif isinstance(document, dict) and isinstance(document.get("contents"), list):
        yield {"page": document}, path  # the page's counters: read as structure
        yield from _items(document["contents"], f"{path}.contents")
    elif isinstance(document, dict):
        yield document, path


def _kind(item: dict[str, Any]) -> str:
    if set(item) == {"page"}:
        return "page"
    if any(key.endswith(".csv") for key in item):
        return "tabular"
    if "version" in item and "id" not in item:
        return "index"
    if {"taxonomy", "taxonomy_detail", "term_uri", "version", "taxonomy_id"} & set(item) and "status" not in item:
        return "taxonomy"
    if "status" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "service" in item and ("location" in item or "location_id" in item):
        return "service_at_location"
    return "organization" if "name" in item and "id" in item else "unknown"


def _walk(value: Any) -> Iterable[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _stable_ids(document: Any) -> Iterable[tuple[str, str]]:
    """HSDS id → the stable id the renderer recorded, for every object in the document."""
    for obj in _walk(document):
        for attribute in obj.get("attributes") or []:
            term = attribute.get("taxonomy_term") or {} if isinstance(attribute, dict) else {}
            if term.get("taxonomy") == ids.TAXONOMY_PREFIX + ids.RECORD and obj.get("id"):
                yield str(obj["id"]), str(term.get("code"))


def _common_source(document: Any) -> str | None:
    sources = {stable.split(":", 1)[0] for _, stable in _stable_ids(document) if ":" in stable}
    return sources.pop() if len(sources) == 1 else None


def _date(value: Any) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) and value else None
    except ValueError:
        return None


def _is_kind_label(label: dict[str, str], kind: str) -> bool:
    """Whether a cost option's label is only the name of its kind, as the hsds renderer
    writes it ("Omavastuuosuus", "Free"): then it says nothing the kind does not."""
    from .render import FEE_LABELS  # the renderer's words, kept in one place

    text = next(iter(label.values()), "").strip().casefold()
    return any(text == labels.get(kind, "").casefold() for labels in FEE_LABELS.values())
