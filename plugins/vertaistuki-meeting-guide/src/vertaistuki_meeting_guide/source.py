"""Source ``meeting-guide``: a Meeting Guide JSON feed (an array of meetings) read into
catalogue-shaped plain data, which the core then validates record by record.

Every meeting either becomes a group or is reported as an error saying why it could
not (no weekday, no time, no name); everything in a meeting that our model cannot hold
is reported as a warning at its JSON path (``$[12].types[3]``), so nothing is lost
silently. Options (``options = { … }`` in catalogue.toml):

- ``language``: the language of the feed's texts (BCP 47, default ``en``);
- ``timezone``: for meetings that give none (default: the core's Europe/Helsinki,
  with a warning);
- ``organiser``: an organisation id from another source that runs every meeting;
  without it, organisations are made from the feed's ``group`` and ``entity`` fields;
- ``source``: the catalogue's source name (default: from the file name);
- ``phone_region``: how to read phone numbers written without a country code when the
  address names no country (default ``FI``);
- ``ignore_fields``: field names an editor has decided not to keep, dropped without a
  warning (for instance ``["edit_url", "location_id"]``).

The mapping, both ways, is described in docs/interop/meeting-guide.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from vertaistuki import options as option_checks
from vertaistuki import plugins
from vertaistuki.documents import MAX_DOCUMENT_BYTES
from vertaistuki.model.errors import InvalidValue
from vertaistuki.model.identifiers import normalise_phone
from vertaistuki.model.text import LANGUAGE_TAG
from vertaistuki.problems import Problem
from vertaistuki.registry import SourceOutput, SourceRequest

from . import codes

#: Meeting Guide day numbers (0 = Sunday) → RFC 5545 weekdays.
MG_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
_OUR_WEEK_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = {name: number for number, name in enumerate(
    ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))}
_TIME_24 = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FI_POSTAL_CITY = re.compile(r"^(\d{5})\s+(\S.*)$")
_STATE_ZIP = re.compile(r"^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$")
_POSTAL = re.compile(r"^\d{5}$")
_ID_CHARS = re.compile(r"[^a-z0-9._-]+")
ATTENDANCE = ("in_person", "online", "hybrid", "inactive")
PLATFORMS = (("zoom.", "Zoom"), ("meet.google.", "Google Meet"), ("teams.microsoft.", "Teams"),
             ("teams.live.", "Teams"), ("whereby.", "Whereby"), ("meet.jit.si", "Jitsi"), ("webex.", "Webex"),
             ("skype.", "Skype"), ("facebook.", "Facebook"), ("discord.", "Discord"))
LOCATION_FIELDS = ("location", "formatted_address", "address", "city", "state", "postal_code", "country",
                   "latitude", "longitude", "approximate", "location_notes")
ENTITY_FIELDS = ("entity", "entity_url", "entity_email", "entity_phone")
GROUP_FIELDS = ("group", "group_notes", "email", "phone", "website")


class FeedError(Exception):
    """The options or the file make the whole feed unusable."""

    def __init__(self, fi: str, en: str) -> None:
        super().__init__(en)
        self.fi, self.en = fi, en


def record_id(text: str, *, from_name: bool = False) -> str:
    """Any slug or name → our id pattern ``^[a-z0-9][a-z0-9._-]{0,79}$`` ('' if nothing is
    left). A valid slug is kept as it is; a name ("Chapter House - Shifters") loses its
    runs of punctuation."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    cleaned = _ID_CHARS.sub("-", ascii_text)
    if from_name:
        cleaned = re.sub(r"[-._]*-[-._]*", "-", cleaned)
    cleaned = re.sub(r"^[^a-z0-9]+", "", cleaned)[:80]
    if not from_name and cleaned == text:
        return cleaned  # already one of our ids (a trailing "-" included): keep it
    return cleaned.rstrip("-")


def _unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… (first come, first served: deterministic)."""
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: 80 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def parse_time(value: Any) -> dt.time | None:
    """'19:00', '7:00', '19:00:00', '11:00 AM', '7 pm' → a time; anything else → None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _TIME_24.match(text):
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute)
        return None
    if match := _TIME_12.match(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute >= 60:
            return None
        hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
        return dt.time(hour, minute)
    return None


def parse_days(value: Any) -> list[int] | None:
    """0–6 (Sunday = 0), a list of them, digit strings or English day names → sorted
    unique day numbers; None when any part is not a day."""
    items = value if isinstance(value, list) else [value]
    days: set[int] = set()
    for item in items:
        if isinstance(item, bool):
            return None
        if isinstance(item, str):
            text = item.strip().lower()
            item = int(text) if text.isdigit() else _DAY_NAMES.get(text)
        if not isinstance(item, int) or not 0 <= item <= 6:
            return None
        days.add(item)
    return sorted(days) or None


def parse_updated(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _platform(url: str) -> str | None:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return next((name for marker, name in PLATFORMS if marker in host), None)


@attrs.frozen
class FeedOptions:
    language: str = "en"
    timezone: str | None = None
    organiser: str | None = None
    source: str | None = None
    phone_region: str = "FI"
    ignore_fields: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> FeedOptions:
        """The options checked (:data:`OPTIONS`): :class:`vertaistuki.options.OptionError`
        names the first that is unknown or wrong."""
        option_checks.check("meeting-guide", options, OPTIONS)
        return cls(options.get("language", "en"), options.get("timezone"), options.get("organiser"),
                   options.get("source"), options.get("phone_region", "FI"), frozenset(options.get("ignore_fields", [])))


def _language_tag(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and LANGUAGE_TAG.fullmatch(value):
        return None
    return (f'kielikoodi, esimerkiksi "en" tai "fi", ei {option_checks.shown(value)}',
            f'a language tag such as "en" or "fi", not {option_checks.shown(value)}')


def _time_zone(value: Any) -> tuple[str, str] | None:
    if _known_timezone(value):
        return None
    return (f'tunnettu aikavyöhyke, esimerkiksi "Europe/Helsinki", ei {option_checks.shown(value)}',
            f'a known time zone such as "Europe/Helsinki", not {option_checks.shown(value)}')


def _country_code(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value):
        return None
    return (f'maakoodi isoin kirjaimin, esimerkiksi "FI" tai "US", ei {option_checks.shown(value)}',
            f'a country code in capitals such as "FI" or "US", not {option_checks.shown(value)}')


def _known_timezone(value: Any) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


#: The source's options: the language of the feed's texts, the time zone of meetings
#: that give none, the organisation every group belongs to (an id, perhaps of another
#: source), the catalogue's source name, the country of phone numbers without one, and
#: the feed's fields that are known to carry nothing worth a warning.
OPTIONS = {"language": _language_tag, "timezone": _time_zone, "organiser": option_checks.record_reference,
           "source": option_checks.source_name, "phone_region": _country_code, "ignore_fields": option_checks.texts}


def read_meeting_guide(request: SourceRequest) -> SourceOutput:
    """The ``read`` of the ``meeting-guide`` source: a feed file on disk."""
    label = request.path_or_url
    try:
        options = FeedOptions.from_mapping(request.options)
        if "://" in label:
            raise FeedError("Meeting Guide -lähde lukee tiedoston; lataa syöte ensin tiedostoksi",
                            "the Meeting Guide source reads a file; download the feed to a file first")
        meetings = _read_json(Path(label))
    except FeedError as error:
        return SourceOutput(data={}, problems=(Problem.error(label, "$", error.fi, error.en, code="source_failed"),))
    stem = record_id(Path(label).stem) or "meeting-guide"
    return feed_to_data(meetings, label, options, default_source=stem)


def _read_json(path: Path) -> list:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise FeedError("syöte on liian suuri", "the feed is too large")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FeedError("tiedostoa ei löydy", "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FeedError(f"syötettä ei voi lukea: {error}", f"the feed cannot be read: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"JSON-virhe rivillä {error.lineno}, sarakkeessa {error.colno}: {error.msg}",
                        f"JSON error at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if not isinstance(data, list):
        raise FeedError("Meeting Guide -syötteen pitää olla lista kokouksia", "a Meeting Guide feed must be a list of meetings")
    return data


def feed_to_data(meetings: Sequence[Any], label: str, options: FeedOptions | Mapping[str, Any] | None = None, *,
                 default_source: str = "meeting-guide") -> SourceOutput:
    """Meeting Guide meetings (already parsed JSON) → catalogue-shaped data, where each
    group came from, and the problems met. Usable by the core's feed reader as well."""
    if not isinstance(options, FeedOptions):
        options = FeedOptions.from_mapping(options or {})
    return _FeedReader(label, options, default_source).read(meetings)


class _Meeting:
    """One meeting being read: its path, the fields used so far and its problems."""

    def __init__(self, reader: _FeedReader, index: int, raw: dict) -> None:
        self.reader, self.index, self.raw = reader, index, raw
        self.used: set[str] = set()
        self.id: str | None = None
        self.problems: list[Problem] = []

    def path(self, field: str | None = None, item: int | None = None) -> str:
        where = f"$[{self.index}]"
        if field is not None:
            where += f".{field}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field) else f"[{json.dumps(field)}]"
        return where + (f"[{item}]" if item is not None else "")

    def get(self, field: str) -> Any:
        """A field's value (None when absent, null or blank), marking it used."""
        self.used.add(field)
        value = self.raw.get(field)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def warn(self, path: str, fi: str, en: str, code: str = "meeting_guide.not_kept") -> None:
        self.problems.append(Problem.warning(self.reader.label, path, fi, en, record_id=self.id, code=code))

    def not_kept(self, field: str, fi_why: str, en_why: str, item: int | None = None) -> None:
        self.warn(self.path(field, item), f"kenttää {field} ei säilytetä: {fi_why}", f"{field} is not kept: {en_why}")

    def drop(self, fields: Sequence[str], fi_why: str, en_why: str) -> None:
        """Report every present field of ``fields`` as not kept (and mark them used)."""
        for field in fields:
            if self.get(field) is not None:
                self.not_kept(field, fi_why, en_why)

    def fail(self, field: str | None, fi: str, en: str, code: str) -> None:
        self.problems.append(Problem.error(self.reader.label, self.path(field), f"kokous jätetään pois: {fi}",
                                           f"the meeting is left out: {en}", record_id=self.id, code=code))

    def text(self, value: str) -> dict[str, str]:
        return {self.reader.options.language: value}

    def first_note(self, field: str, target: dict, key: str, fi_taken: str, en_taken: str) -> None:
        """Notes shared by many meetings (a place's directions, a group's description):
        the first meeting's note is kept, a different one later is reported."""
        notes = self.get(field)
        if isinstance(notes, str):
            if key not in target:
                target[key] = self.text(notes)
            elif target[key] != self.text(notes):
                self.not_kept(field, fi_taken, en_taken)
        elif notes is not None:
            self.not_kept(field, "se ei ole tekstiä", "it is not text")


class _FeedReader:
    def __init__(self, label: str, options: FeedOptions, default_source: str) -> None:
        self.label, self.options = label, options
        self.source = options.source or default_source
        self.groups: list[dict] = []
        self.places: dict[tuple, dict] = {}
        self.place_meeting: dict[str, int] = {}
        self.organisations: dict[str, dict] = {}
        self.organisation_by_name: dict[str, str] = {}
        self.default_organisation: str | None = options.organiser
        self.entity: dict[str, Any] | None = None
        self.pointers: dict[tuple[str, int], str] = {}
        self.problems: list[Problem] = []
        self.group_ids: set[str] = set()
        self.place_ids: set[str] = set()
        self.organisation_ids: set[str] = set()
        self.audiences_used: set[str] = set()
        self.without_timezone = 0
        registered = plugins.vocabulary_terms()
        self.known_terms = set(registered)
        self.regions: dict[str, str] = {}
        for (vocabulary, term_id), term in registered.items():
            if vocabulary == "region":
                self.regions[term_id.casefold()] = term_id
                for _, label in term.label.translations:
                    self.regions.setdefault(label.casefold(), term_id)

    # -- the feed ------------------------------------------------------------------

    def read(self, meetings: Sequence[Any]) -> SourceOutput:
        for index, raw in enumerate(meetings):
            if not isinstance(raw, dict):
                self.problems.append(Problem.error(self.label, f"$[{index}]", "kokous jätetään pois: se ei ole objekti",
                                                   "the meeting is left out: it is not an object", code="meeting_guide.not_a_meeting"))
                continue
            meeting = _Meeting(self, index, raw)
            group = self._group(meeting)
            if group is not None:
                self.pointers[("groups", len(self.groups))] = f"$[{index}]"
                self.groups.append(group)
            self.problems.extend(meeting.problems)
        if self.without_timezone:
            self.problems.append(Problem.warning(
                self.label, "$",
                f"{self.without_timezone} kokousta ei kerro aikavyöhykettä: ajat luetaan Suomen aikaa (Europe/Helsinki); "
                "anna asetus timezone, jos syöte on muualta",
                f"{self.without_timezone} meetings give no time zone: times are read as Finnish time (Europe/Helsinki); "
                "set the option timezone if the feed is from elsewhere", code="meeting_guide.timezone_assumed"))
        return SourceOutput(data=self._data(), pointers=self.pointers, problems=tuple(self.problems))

    def _data(self) -> dict[str, Any]:
        language = self.options.language
        data: dict[str, Any] = {
            "source": self.source,
            # Texts from the feed are in one language; ours (term labels, reasons) in fi, sv and en.
            "required_languages": [language] if language in ("fi", "sv", "en") else [],
            "organisations": list(self.organisations.values()),
            "places": list(self.places.values()),
            "groups": self.groups,
        }
        for number, place in enumerate(self.places.values()):
            self.pointers[("places", number)] = f"$[{self.place_meeting[place['id']]}]"
        terms = [
            {"vocabulary": "audience", "id": term_id,
             "label": dict(zip(("fi", "sv", "en"), codes.AUDIENCE_LABELS[term_id], strict=True))}
            for term_id in sorted(self.audiences_used) if ("audience", term_id) not in self.known_terms
        ]
        if terms:
            data["terms"] = terms
        return data

    # -- one meeting ---------------------------------------------------------------

    def _group(self, meeting: _Meeting) -> dict | None:
        name = meeting.get("name")
        slug = meeting.get("slug")
        meeting.id = self._group_id(meeting, slug, name)
        days = parse_days(meeting.get("day"))
        start = parse_time(meeting.get("time"))
        if not isinstance(name, str):
            meeting.fail("name", "kokouksella ei ole nimeä", "the meeting has no name", "meeting_guide.no_name")
        elif days is None:
            why = ("päivä puuttuu (ajanvarauksella pidettävät kokoukset eivät ole viikoittaisia ryhmiä)"
                   if meeting.raw.get("day") in (None, "", []) else f"päivä {meeting.raw.get('day')!r} ei ole 0–6 (sunnuntai = 0)")
            why_en = ("no day (meetings by appointment are not weekly groups)"
                      if meeting.raw.get("day") in (None, "", []) else f"day {meeting.raw.get('day')!r} is not 0–6 (Sunday = 0)")
            meeting.fail("day", why, why_en, "meeting_guide.no_day")
        elif start is None:
            raw_time = meeting.raw.get("time")
            meeting.fail("time", f"alkamisaika {raw_time!r} ei ole muotoa 19:00 tai 7:00 PM" if raw_time else "alkamisaika puuttuu",
                         f"start time {raw_time!r} is not like 19:00 or 7:00 PM" if raw_time else "no start time",
                         "meeting_guide.bad_time")
        else:
            return self._build_group(meeting, name, days, start)
        self.group_ids.discard(meeting.id)  # the id of a meeting left out is free again
        return None

    def _group_id(self, meeting: _Meeting, slug: Any, name: Any) -> str:
        if isinstance(slug, bool) or not isinstance(slug, (str, int)):
            base = record_id(name, from_name=True) if isinstance(name, str) else ""
            base = base or f"meeting-{meeting.index}"
            new = _unique(base, self.group_ids)
            meeting.id = new
            meeting.warn(meeting.path("slug"), f"kokouksella ei ole tunnistetta (slug); tunnisteeksi tuli {new!r}",
                         f"the meeting has no slug; its id became {new!r}", code="meeting_guide.slug_changed")
            return new
        original = str(slug)
        new = _unique(record_id(original) or f"meeting-{meeting.index}", self.group_ids)
        if new != original:
            meeting.id = new
            meeting.warn(meeting.path("slug"), f"tunniste {original!r} muutettiin muotoon {new!r} (sallitut merkit a–z, 0–9, - _ . ja yksilöllinen)",
                         f"slug {original!r} became id {new!r} (only a–z, 0–9, - _ . and unique)", code="meeting_guide.slug_changed")
        return new

    def _build_group(self, meeting: _Meeting, name: str, days: list[int], start: dt.time) -> dict:
        group: dict[str, Any] = {"id": meeting.id, "name": meeting.text(name), "activities": []}
        group["schedule"] = self._schedule(meeting, days, start)
        types = self._types(meeting)
        group["openness"] = types.openness
        group["languages"] = types.languages or [self.options.language]
        group["activities"] = types.activities
        if types.audiences:
            group["audiences"] = types.audiences
            self.audiences_used.update(types.audiences)
        if (notes := meeting.get("notes")) is not None:
            if isinstance(notes, str):
                group["description"] = meeting.text(notes)
            else:
                meeting.not_kept("notes", "se ei ole tekstiä", "it is not text")
        if (url := meeting.get("url")) is not None:
            if isinstance(url, str) and _WEB_URL.match(url):
                group["url"] = url
            else:
                meeting.not_kept("url", "osoitteen pitää alkaa http:// tai https://", "it must start with http:// or https://")
        if (updated := meeting.get("updated")) is not None:
            day = parse_updated(updated)
            if day is None:
                meeting.not_kept("updated", f"{updated!r} ei ole päivämäärä", f"{updated!r} is not a date")
            else:
                group["updated"] = day.isoformat()
        regions = self._regions(meeting)
        channels, suspended = self._channels(meeting, types, regions)
        if channels:
            group["channels"] = channels
        if regions:
            group["regions"] = regions
        if suspended:
            reason = dict(codes.TEMPORARILY_CLOSED_REASON)
            group["status"] = {"state": "suspended", "reason": reason}
        group["organiser"] = self._organiser(meeting)
        self._contacts(meeting)
        self._report_unused(meeting, types)
        return group

    def _schedule(self, meeting: _Meeting, days: list[int], start: dt.time) -> dict:
        weekdays = sorted((MG_WEEKDAYS[day] for day in days), key=_OUR_WEEK_ORDER.index)
        schedule: dict[str, Any] = {"rrule": f"FREQ=WEEKLY;BYDAY={','.join(weekdays)}", "start_time": f"{start:%H:%M}"}
        raw_end = meeting.get("end_time")
        if raw_end is not None:
            end = parse_time(raw_end)
            if end is None:
                meeting.not_kept("end_time", f"{raw_end!r} ei ole kellonaika", f"{raw_end!r} is not a time")
            elif end <= start:
                meeting.not_kept("end_time", f"kokous päättyy {raw_end} eli puolenyön jälkeen, mitä aikataulu ei osaa esittää",
                                 f"the meeting ends at {raw_end}, after midnight, which a schedule cannot express")
            else:
                schedule["end_time"] = f"{end:%H:%M}"
        timezone = meeting.get("timezone")
        if timezone is not None and not _known_timezone(timezone):
            meeting.not_kept("timezone", f"aikavyöhyke {timezone!r} ei ole tuttu", f"time zone {timezone!r} is not known")
            timezone = None
        timezone = timezone or self.options.timezone
        if timezone is None:
            self.without_timezone += 1
        else:
            schedule["timezone"] = timezone
        return schedule

    # -- types ---------------------------------------------------------------------

    @attrs.define
    class _Types:
        openness: str = "open"
        languages: list[str] = attrs.Factory(list)
        audiences: list[str] = attrs.Factory(list)
        activities: list[str] = attrs.Factory(list)
        step_free: bool = False
        accessible_toilet: bool = False
        online: int | None = None  # index of ONL in types
        temporarily_closed: int | None = None  # index of TC
        accessibility_at: dict[str, int] = attrs.Factory(dict)

    def _types(self, meeting: _Meeting) -> _FeedReader._Types:
        found = self._Types()
        raw = meeting.get("types")
        if raw is None:
            return found
        if not isinstance(raw, list):
            meeting.not_kept("types", "sen pitää olla lista tyyppikoodeja", "it must be a list of type codes")
            return found
        openness_from: str | None = None
        for item, value in enumerate(raw):
            code = value.strip() if isinstance(value, str) else None
            if code and code not in _KNOWN_CODES and code.upper() in _KNOWN_CODES:
                code = code.upper()
            if code in (codes.OPEN, codes.CLOSED):
                wanted = "open" if code == codes.OPEN else "closed"
                if openness_from is not None and wanted != found.openness:
                    meeting.not_kept("types", f"{code} on ristiriidassa koodin {openness_from} kanssa; ensimmäinen jää voimaan",
                                     f"{code} contradicts {openness_from}; the first one stands", item)
                elif openness_from is None:
                    found.openness, openness_from = wanted, code
            elif code in codes.LANGUAGES:
                if codes.LANGUAGES[code] not in found.languages:
                    found.languages.append(codes.LANGUAGES[code])
            elif code in codes.AUDIENCES:
                if codes.AUDIENCES[code] not in found.audiences:
                    found.audiences.append(codes.AUDIENCES[code])
            elif code in codes.ACTIVITIES:
                if codes.ACTIVITIES[code] not in found.activities:
                    found.activities.append(codes.ACTIVITIES[code])
            elif code == codes.WHEELCHAIR_ACCESS:
                found.step_free = True
                found.accessibility_at[code] = item
            elif code == codes.ACCESSIBLE_TOILET:
                found.accessible_toilet = True
                found.accessibility_at[code] = item
            elif code == codes.ONLINE:
                found.online = item
            elif code == codes.TEMPORARILY_CLOSED:
                found.temporarily_closed = item
            else:
                shown = value if isinstance(value, str) else json.dumps(value)
                meeting.warn(meeting.path("types", item),
                             f"kokoustyypille {shown!r} ei ole vastinetta; sitä ei säilytetä",
                             f"meeting type {shown!r} has no counterpart here; it is not kept", code="meeting_guide.type_not_kept")
        return found

    # -- where: places, channels, regions -------------------------------------------

    def _channels(self, meeting: _Meeting, types: _Types, regions: list[str]) -> tuple[list[dict], bool]:
        online = self._online_channel(meeting)
        phone = self._phone_channel(meeting)
        has_remote = online is not None or phone is not None
        attendance = meeting.get("attendance_option")
        if attendance is not None and attendance not in ATTENDANCE:
            meeting.not_kept("attendance_option", f"arvo {attendance!r} ei ole in_person, online, hybrid tai inactive",
                             f"{attendance!r} is not in_person, online, hybrid or inactive")
            attendance = None
        if attendance is None:  # as TSML UI derives it
            if types.temporarily_closed is not None:
                attendance = "online" if has_remote else "inactive"
            else:
                attendance = "hybrid" if has_remote else "in_person"
        channels: list[dict] = []
        approximate_only = attendance == "inactive" and meeting.raw.get("approximate") == "yes"
        if attendance in ("in_person", "hybrid", "inactive") and not approximate_only:
            place = self._place(meeting, types)
            if place is not None:
                channels.append({"kind": "in_person", "place": place})
            else:
                self._accessibility_without_place(meeting, types)
        else:
            if approximate_only:
                why = ("osoite on vain likimääräinen", "the address is only approximate")
            elif types.temporarily_closed is not None:
                why = ("paikka on tilapäisesti suljettu (TC) ja kokous pidetään etänä",
                       "the place is temporarily closed (TC) and the meeting is held online")
            else:
                why = ("kokous on vain etänä, joten osoite on vain likimääräinen",
                       "the meeting is online only, so the address is only approximate")
            self._unused_location(meeting, regions, *why)
            self._accessibility_without_place(meeting, types)
        if online is not None:
            channels.append(online)
        if phone is not None:
            channels.append(phone)
        if types.online is not None and not has_remote:
            meeting.warn(meeting.path("types", types.online),
                         "kokous on merkitty etäkokoukseksi (ONL), mutta siihen ei ole liittymisosoitetta eikä puhelinnumeroa",
                         "the meeting is marked online (ONL) but gives no address or phone number to join",
                         code="meeting_guide.type_not_kept")
        if types.temporarily_closed is not None and attendance != "online" and attendance != "inactive":
            meeting.warn(meeting.path("types", types.temporarily_closed),
                         f"TC (paikka tilapäisesti suljettu) on ristiriidassa tavan {attendance} kanssa; sitä ei säilytetä",
                         f"TC (location temporarily closed) contradicts attendance {attendance}; it is not kept",
                         code="meeting_guide.type_not_kept")
        return channels, attendance == "inactive"

    def _online_channel(self, meeting: _Meeting) -> dict | None:
        url, notes = meeting.get("conference_url"), meeting.get("conference_url_notes")
        channel: dict[str, Any] = {"kind": "online"}
        if url is not None:
            if isinstance(url, str) and _WEB_URL.match(url):
                channel["url"] = url
                if (platform := _platform(url)) is not None:
                    channel["platform"] = platform
            else:
                meeting.not_kept("conference_url", "osoitteen pitää alkaa http:// tai https://", "it must start with http:// or https://")
        if isinstance(notes, str):
            channel["instructions"] = meeting.text(notes)
        elif notes is not None:
            meeting.not_kept("conference_url_notes", "se ei ole tekstiä", "it is not text")
        return channel if len(channel) > 1 else None

    def _phone_channel(self, meeting: _Meeting) -> dict | None:
        raw, notes = meeting.get("conference_phone"), meeting.get("conference_phone_notes")
        if raw is None:
            if notes is not None:
                meeting.not_kept("conference_phone_notes", "puhelinnumeroa ei ole", "there is no phone number")
            return None
        number = self._phone(meeting, raw)
        if number is None:
            meeting.not_kept("conference_phone", f"{raw!r} ei ole puhelinnumero", f"{raw!r} is not a phone number")
            if notes is not None:
                meeting.not_kept("conference_phone_notes", "puhelinnumeroa ei voitu lukea", "the phone number could not be read")
            return None
        channel: dict[str, Any] = {"kind": "phone", "phone": number}
        lines = [notes] if isinstance(notes, str) else []
        if isinstance(raw, str) and re.search(r"[,;#*]", raw):
            lines.append(raw)  # the one-tap dialling string (meeting id, passcode) stays usable as a note
        if lines:
            channel["note"] = meeting.text("\n".join(lines))
        return channel

    def _phone(self, meeting: _Meeting, raw: Any) -> str | None:
        if not isinstance(raw, (str, int)) or isinstance(raw, bool):
            return None
        number = re.split(r"[,;#*]", str(raw), maxsplit=1)[0].strip()
        region = self._country_code(meeting) or self.options.phone_region
        try:
            return normalise_phone(number, region)
        except InvalidValue:
            return None

    def _country_code(self, meeting: _Meeting) -> str | None:
        country = meeting.raw.get("country")
        address = meeting.raw.get("formatted_address") or meeting.raw.get("address")
        if not isinstance(country, str) and isinstance(address, str):
            country = address.rsplit(",", 1)[-1]
        return codes.COUNTRY_CODES.get(country.strip().casefold()) if isinstance(country, str) else None

    def _address(self, meeting: _Meeting) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """Street, municipality and postal code, and the (field, part) we cannot hold."""
        found: dict[str, str] = {}
        leftovers: list[tuple[str, str]] = []
        formatted = meeting.get("formatted_address")
        address, city = meeting.get("address"), meeting.get("city")
        state, postal, country = meeting.get("state"), meeting.get("postal_code"), meeting.get("country")
        if isinstance(formatted, str) or (isinstance(address, str) and city is None and "," in address):
            field = "formatted_address" if isinstance(formatted, str) else "address"
            parts = [part.strip() for part in (formatted if isinstance(formatted, str) else address).split(",") if part.strip()]
            if len(parts) > 1 and parts[-1].casefold() in codes.COUNTRY_CODES:
                last = parts.pop()
                if last.casefold() not in codes.FINLAND:
                    leftovers.append((field, last))
            if len(parts) >= 2:
                found["street"] = parts.pop(0)
            if parts:
                first = parts.pop(0)
                if match := _FI_POSTAL_CITY.match(first):
                    found["postal_code"], found["municipality"] = match.group(1), match.group(2)
                else:
                    found["municipality"] = first
            for part in parts:
                if match := _STATE_ZIP.match(part):
                    leftovers.append((field, match.group(1)))
                    part = match.group(2)
                if _POSTAL.match(part) and "postal_code" not in found:
                    found["postal_code"] = part
                else:
                    leftovers.append((field, part))
            if isinstance(formatted, str):  # the split fields repeat it; keep only what differs
                for name, value in (("address", address), ("city", city), ("state", state), ("postal_code", postal),
                                    ("country", country)):
                    if value is not None and str(value) not in formatted:
                        leftovers.append((name, str(value)))
            return found, leftovers
        if isinstance(address, str):
            found["street"] = address
        if isinstance(city, str):
            found["municipality"] = city
        if postal is not None:
            if _POSTAL.match(str(postal)):
                found["postal_code"] = str(postal)
            else:
                leftovers.append(("postal_code", str(postal)))
        if state is not None:
            leftovers.append(("state", str(state)))
        if country is not None and str(country).casefold() not in codes.FINLAND:
            leftovers.append(("country", str(country)))
        return found, leftovers

    def _place(self, meeting: _Meeting, types: _Types) -> str | None:
        address, leftovers = self._address(meeting)
        location = meeting.get("location")
        location = location if isinstance(location, str) else None
        municipality = address.get("municipality")
        if municipality is None:
            meeting.drop(LOCATION_FIELDS, "osoitteesta ei löydy kuntaa, joten paikkaa ei voi tallentaa",
                         "the address names no municipality, so the place cannot be kept")
            return None
        for field, part in leftovers:
            meeting.not_kept(field, f"osoitteen osaa {part!r} (osavaltio, maa tai muu kuin suomalainen postinumero) ei voi tallentaa",
                             f"address part {part!r} (state, country or a non-Finnish postal code) has no field here")
        place: dict[str, Any] = {"name": meeting.text(location or address.get("street") or municipality),
                                 "municipality": meeting.text(municipality)}
        if "street" in address:
            place["street_address"] = meeting.text(address["street"])
        if "postal_code" in address:
            place["postal_code"] = address["postal_code"]
        coordinates = self._coordinates(meeting)
        if coordinates is not None:
            place["coordinates"] = coordinates
        approximate = meeting.get("approximate")
        if approximate == "yes":
            meeting.not_kept("approximate", "paikka tallennetaan, mutta tieto sen likimääräisyydestä ei",
                             "the place is kept, but not that it is only approximate")
        elif approximate not in (None, "no"):
            meeting.not_kept("approximate", "arvon pitää olla yes tai no", "it must be yes or no")
        key = (location, address.get("street"), municipality, address.get("postal_code"), json.dumps(coordinates))
        existing = self.places.get(key)
        if existing is None:
            base = record_id(" ".join(filter(None, (location or address.get("street"), municipality))), from_name=True) or "place"
            place = {"id": _unique(base, self.place_ids), **place}
            self.places[key] = existing = place
            self.place_meeting[place["id"]] = meeting.index
        meeting.first_note("location_notes", existing, "directions", f"paikalla {existing['id']} on jo toisen kokouksen antamat ohjeet",
                           f"the place {existing['id']} already has another meeting's directions")
        if types.step_free or types.accessible_toilet:
            accessibility = existing.setdefault("accessibility", {})
            if types.step_free:
                accessibility["step_free_entrance"] = True
            if types.accessible_toilet:
                accessibility["accessible_toilet"] = True
        return existing["id"]

    def _coordinates(self, meeting: _Meeting) -> dict | None:
        latitude, longitude = meeting.get("latitude"), meeting.get("longitude")
        if latitude is None and longitude is None:
            return None
        try:
            lat, lon = float(latitude), float(longitude)  # some feeds write them as text
        except (TypeError, ValueError):
            lat = lon = float("nan")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            for field in ("latitude", "longitude"):
                if meeting.raw.get(field) is not None:
                    meeting.not_kept(field, "koordinaatit puuttuvat tai eivät ole sallitulla välillä",
                                     "the coordinates are incomplete or out of range")
            return None
        return {"latitude": lat, "longitude": lon}

    def _unused_location(self, meeting: _Meeting, regions: list[str], fi_why: str, en_why: str) -> None:
        """The location fields of a meeting that gets no place. An approximate address we
        wrote ourselves ("Pirkanmaa, Finland") says no more than the regions: not a loss."""
        for field in LOCATION_FIELDS:
            value = meeting.get(field)
            if value is None:
                continue
            if field in ("formatted_address", "address", "country") and isinstance(value, str) and all(
                    part.strip().casefold() in codes.FINLAND or self.regions.get(part.strip().casefold()) in regions
                    for part in value.split(",")):
                continue
            if field == "approximate" and value == "yes":
                continue
            meeting.not_kept(field, fi_why, en_why)

    def _accessibility_without_place(self, meeting: _Meeting, types: _Types) -> None:
        for code, item in types.accessibility_at.items():
            meeting.warn(meeting.path("types", item), f"esteettömyyskoodi {code} koskee paikkaa, jota ei tallenneta",
                         f"accessibility code {code} is about a place that is not kept", code="meeting_guide.type_not_kept")

    def _regions(self, meeting: _Meeting) -> list[str]:
        found: list[str] = []
        names: list[tuple[str, int | None, Any]] = []
        raw_regions = meeting.get("regions")
        if isinstance(raw_regions, list):
            names += [("regions", item, value) for item, value in enumerate(raw_regions)]
        elif raw_regions is not None:
            names.append(("regions", None, raw_regions))
        for field in ("region", "sub_region"):
            value = meeting.get(field)
            if value is not None and not (isinstance(raw_regions, list) and value in raw_regions):
                names.append((field, None, value))
        for field, item, value in names:
            term = self.regions.get(value.strip().casefold()) if isinstance(value, str) else None
            if term is None:
                meeting.not_kept(field, f"alue {value!r} ei ole maakuntasanastossa", f"region {value!r} is not in the region vocabulary", item)
            elif term not in found:
                found.append(term)
        return found

    # -- who: organisations and contacts -------------------------------------------

    def _organiser(self, meeting: _Meeting) -> str:
        entity = self._entity(meeting)
        group_name = meeting.get("group")
        if self.options.organiser is not None:
            meeting.drop(GROUP_FIELDS, "kaikki kokoukset on annettu asetuksella organiser valitun järjestön järjestämiksi",
                         "the option organiser names who runs every meeting")
            return self.options.organiser
        if not isinstance(group_name, str):
            if group_name is not None:
                meeting.not_kept("group", "se ei ole tekstiä", "it is not text")
            meeting.drop(GROUP_FIELDS[1:], "kokous ei nimeä ryhmää (group), jonka tietoja tämä olisi",
                         "the meeting names no group (group) whose detail this would be")
            return self._default_organisation(entity)
        if entity is not None and self.organisations[entity]["name"] == meeting.text(group_name):
            self._organisation_contact(meeting, self.organisations[entity], {"email": "email", "phone": "phone", "url": "website"})
            meeting.drop(("group_notes",), "ryhmä on sama kuin palvelujärjestö (entity), jolle ei tallenneta kuvausta",
                         "the group is the service entity (entity), whose description is not kept")
            return entity
        organisation_id = self.organisation_by_name.get(group_name)
        if organisation_id is None:
            organisation_id = _unique(record_id(group_name, from_name=True) or "group", self.organisation_ids)
            self.organisation_by_name[group_name] = organisation_id
            self.organisations[organisation_id] = {"id": organisation_id, "name": meeting.text(group_name), "kind": "other"}
            if entity is not None:
                self.organisations[organisation_id]["parent"] = entity
        organisation = self.organisations[organisation_id]
        meeting.first_note("group_notes", organisation, "description", f"ryhmällä {organisation_id} on jo toisen kokouksen antama kuvaus",
                           f"the group {organisation_id} already has another meeting's description")
        self._organisation_contact(meeting, organisation, {"email": "email", "phone": "phone", "url": "website"})
        return organisation_id

    def _organisation_contact(self, meeting: _Meeting, organisation: dict, fields: dict[str, str]) -> None:
        for ours, theirs in fields.items():
            value = meeting.get(theirs)
            if value is None:
                continue
            if ours == "phone":
                value = self._phone(meeting, value)
            valid = isinstance(value, str) and (
                (ours == "email" and _EMAIL.match(value)) or (ours == "url" and _WEB_URL.match(value)) or ours == "phone")
            if not valid:
                meeting.not_kept(theirs, "arvo ei ole kelvollinen", "the value is not valid")
                continue
            holder = organisation if ours == "url" else organisation.setdefault("contact", {})
            if holder.get(ours) not in (None, value):
                meeting.not_kept(theirs, f"järjestöllä {organisation['id']} on jo toinen arvo", f"{organisation['id']} already has another value")
            else:
                holder[ours] = value

    def _entity(self, meeting: _Meeting) -> str | None:
        """The service entity (intergroup, district) responsible for the listing."""
        name = meeting.get("entity")
        if not isinstance(name, str):
            meeting.drop(ENTITY_FIELDS[1:] + ("entity_location", "entity_logo"),
                         "kokous ei nimeä palvelujärjestöä (entity)", "the meeting names no service entity (entity)")
            return None
        if self.options.organiser is not None:
            meeting.drop(ENTITY_FIELDS + ("entity_location", "entity_logo"),
                         "järjestäjä on annettu asetuksella organiser", "the option organiser names the organiser")
            return None
        if self.entity is None:
            entity_id = _unique(record_id(name, from_name=True) or "entity", self.organisation_ids)
            self.entity = {"id": entity_id, "name": meeting.text(name), "kind": "other"}
            self.organisations[entity_id] = self.entity
        if self.entity["name"] != meeting.text(name):
            meeting.drop(ENTITY_FIELDS + ("entity_location", "entity_logo"),
                         "syötteessä on jo toinen palvelujärjestö (entity)", "the feed already has another service entity (entity)")
            return self.entity["id"]
        self._organisation_contact(meeting, self.entity, {"url": "entity_url", "email": "entity_email", "phone": "entity_phone"})
        for field in ("entity_location", "entity_logo"):
            if meeting.get(field) is not None:
                meeting.not_kept(field, "järjestön tiedoissa ei ole tälle kenttää", "an organisation has no such field")
        return self.entity["id"]

    def _default_organisation(self, entity: str | None) -> str:
        if entity is not None:
            return entity
        if self.default_organisation is None:
            organisation_id = _unique(record_id(self.source) or "meeting-guide", self.organisation_ids)
            self.organisations[organisation_id] = {"id": organisation_id, "kind": "other",
                                                   "name": {self.options.language: Path(self.label).stem or self.source}}
            self.default_organisation = organisation_id
        return self.default_organisation

    def _contacts(self, meeting: _Meeting) -> None:
        for field in sorted(meeting.raw):
            if re.fullmatch(r"contact_\d+_(name|email|phone)", field) and meeting.get(field) is not None:
                meeting.not_kept(field, "henkilöiden tietoja ei tuoda syötteestä, koska niille ei ole kirjattua suostumusta",
                                 "people's details are not imported from a feed: there is no recorded consent to publish them")

    def _report_unused(self, meeting: _Meeting, types: _Types) -> None:
        for field in meeting.raw:
            if field in meeting.used or field in self.options.ignore_fields or meeting.raw[field] in (None, "", []):
                continue
            meeting.not_kept(field, "sille ei ole vastinetta tässä mallissa", "there is no counterpart for it here")


_KNOWN_CODES = frozenset({codes.OPEN, codes.CLOSED, codes.ONLINE, codes.TEMPORARILY_CLOSED, codes.WHEELCHAIR_ACCESS,
                          codes.ACCESSIBLE_TOILET, *codes.LANGUAGES, *codes.AUDIENCES, *codes.ACTIVITIES})

