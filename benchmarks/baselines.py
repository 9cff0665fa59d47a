"""What a user would pick instead of vertaistuki: pydantic v2 and msgspec models of a
catalogue, as strict as our JSON Schemas and model invariants allow.

    python benchmarks/baselines.py [--records 2000]

runs :func:`self_check` and prints :func:`strictness_report`. The benchmark times

- :func:`pydantic_validate` / :func:`pydantic_dump`: plain catalogue data → frozen,
  strict pydantic models (extra keys forbidden) → plain data again;
- :func:`msgspec_convert`, :func:`msgspec_decode`, :func:`msgspec_encode`: plain data
  or JSON bytes → frozen msgspec structs (unknown fields forbidden) → JSON bytes.

Both mirror ``schemas/*.schema.json``: required and optional fields and their defaults,
``null`` only where the schema allows it (a field that may be left out but not be null,
such as ``postal_code``, refuses ``null``), enumerations, string patterns, lengths and
numeric bounds, dates and instants as typed values, channels as a union tagged by
``kind``, multilingual texts as a non-empty mapping of language tag → non-blank string.
Like the schemas (ECMA-262), every pattern must match up to the very end of the string.
They also mirror the invariants our attrs models enforce beyond the schema: the Y-tunnus
check digit, the restricted recurrence rules (frequency, INTERVAL/COUNT/UNTIL bounds,
weekday ordinals only in monthly rules, COUNT and UNTIL not together, WKST=MO, a first
day for every other week or a COUNT), a known IANA time zone, phone numbers parsed with ``phonenumbers`` and stored in E.164, the
stricter e-mail and web-address forms, seasons, meetings and events that do not end
before they start, cancelled and moved meetings that say consistent things, no amount
for a free activity, ``until`` only for a suspension and no consent withdrawn before it
was given. Like vertaistuki, both cache the parsing of recurrence rules.

Not mirrored, or not exactly:

- vertaistuki's third layer, the semantic rules of ``vertaistuki.rules`` across records
  (references to existing organisations, places and people; duplicate ids; known
  vocabulary terms; required languages in every text; a reason for a suspension; a way
  to join an online channel or a closed group; an explained self-payment) and the
  provenance stamped on each record. Time vertaistuki's schema and structuring layers
  alone for a like-for-like figure, or count the rules as work the baselines skip.
- JSON Schema counts ``2007.0`` as an integer (``founded``); strict pydantic and msgspec
  refuse a float there.
- Fee amounts are floats, not vertaistuki's exact ``Decimal``. Since 2026-12-05
  vertaistuki also refuses an amount of Infinity or above 100 000 €, a text holding a
  control character (``\u0000``, ``\u000b``) and an event's unknown time zone; the
  baselines accept all of these (they refuse NaN).
- Wall-clock times (``HH:MM`` or ``HH:MM:SS``) stay pattern-checked strings: msgspec
  parses only ``HH:MM:SS``. Both baselines compare them as times where an invariant
  needs it (``18:00`` equals ``18:00:00``).
- ``format: uri`` is approximated by a pattern with RFC 3986's character repertoire,
  percent-encoding, an IP-literal host and at most one fragment; vertaistuki's checker
  also parses the authority (a port must be digits, for example).
- msgspec's RFC 3339 parser is laxer than ``format: date-time`` for instants: it also
  accepts a lower-case ``t``/``z``, a space instead of ``T`` and offsets without a colon
  (``+0300``). pydantic mirrors the format checker exactly.
- pydantic's Rust regex engine treats U+001C–U+001F as text, so a translation made only
  of those characters passes the non-blank pattern there and nowhere else.
- Dumping leaves out values equal to their field's default, as vertaistuki does; msgspec
  recognises a default only when it is the very same object (a decoded
  ``fee: {kind: free}`` is written back as ``fee: {}``). Both write phone numbers in
  E.164 (``+358407549716``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec
import phonenumbers
from msgspec import UNSET, Meta, UnsetType
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

T = TypeVar("T")

SCHEMA_CASES = Path(__file__).resolve().parents[1] / "tests" / "schema_cases"
DEFAULT_TIMEZONE = "Europe/Helsinki"
FORMAT = "vertaistuki/1"

# ------------------------------------------------------------------------- patterns
# Written as in the schemas, where "$" is the very end of the string. pydantic's Rust
# engine reads them that way; msgspec uses Python's re, where "$" also matches before a
# final newline, so msgspec gets them through _python_pattern.

RECORD_ID = r"^[a-z0-9][a-z0-9._-]{0,79}(:[a-z0-9][a-z0-9._-]{0,79})?$"
SOURCE_ID = r"^[a-z0-9][a-z0-9._-]{0,79}$"
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
NON_BLANK = r"\S"
TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
POSTAL_CODE = r"^[0-9]{5}$"
PHONE = r"^\+?[0-9][0-9 ()/-]{4,24}$"
BUSINESS_ID = r"^[0-9]{7}-[0-9]$"
RRULE = r"^(RRULE:)?FREQ=(WEEKLY|MONTHLY)(;[A-Z]+=[A-Z0-9,+-]+)*$"
# The model's form (something after "://" that does not start with / $ . ? #, no white
# space) within RFC 3986's characters: unreserved, sub-delims, : @ / ?, %XX, [IP literal].
_URI_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
WEB_URL = (r"^[Hh][Tt][Tt][Pp][Ss]?://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-_~!&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
           rf"{_URI_CHAR}*(?:#{_URI_CHAR}*)?$")
# format: email only asks for an "@"; the model also wants a dotted domain and no spaces.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# A volunteer's own e-mail address is checked by the schema alone.
PERSONAL_EMAIL = "@"

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
                        r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])\Z")
_BYDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")


def _python_pattern(pattern: str) -> str:
    """The pattern for Python's re with "$" outside character classes as the very end."""
    translated, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        translated.append(char)
    return "".join(translated)


# -------------------------------------------------------------- invariants (shared)


def normalise_phone(value: str) -> str:
    """A phone number as a Finn writes it (``040 754 9716``) in E.164 form."""
    try:
        parsed = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException:
        raise ValueError(f"{value!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(f"{value!r} is not a phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_business_id(value: str) -> str:
    """A Y-tunnus whose check digit is right (weights 7 9 10 5 8 4 2, modulo 11)."""
    remainder = sum(int(digit) * weight for digit, weight in zip(value[:7], (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1 or str(0 if remainder == 0 else 11 - remainder) != value[8:]:
        raise ValueError(f"business id {value!r} has a wrong check digit")
    return value


@functools.lru_cache(maxsize=4096)
def check_rrule(value: str) -> str:
    """The restricted RFC 5545 subset schedules may use (the pattern is checked first)."""
    parts: dict[str, str] = {}
    for chunk in value.removeprefix("RRULE:").split(";"):
        name, _, part = chunk.partition("=")
        if name in parts:
            raise ValueError(f"{name} given twice")
        parts[name] = part
    unsupported = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"}
    if unsupported:
        raise ValueError(f"{', '.join(sorted(unsupported))} is not supported")
    monthly = parts["FREQ"] == "MONTHLY"
    _bounded(parts.get("INTERVAL", "1"), "INTERVAL", 12 if monthly else 52)
    for day in parts["BYDAY"].split(",") if "BYDAY" in parts else ():
        match = _BYDAY.fullmatch(day)
        if not match:
            raise ValueError(f"weekday {day!r} is not known")
        if match.group(1) and not monthly:
            raise ValueError("an ordinal (e.g. 2MO) needs FREQ=MONTHLY")
    if "COUNT" in parts:
        _bounded(parts["COUNT"], "COUNT", 1000)
    if "UNTIL" in parts:
        try:
            until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        except ValueError:
            raise ValueError(f"UNTIL {parts['UNTIL']!r} is not a date") from None
        if until >= dt.date(2100, 1, 1):
            raise ValueError("UNTIL is too far in the future")
        if "COUNT" in parts:
            raise ValueError("COUNT and UNTIL cannot be used together")
    if parts.get("WKST", "MO") != "MO":
        raise ValueError("weeks start on Monday (WKST=MO)")
    return value


def _bounded(value: str, name: str, high: int) -> None:
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise ValueError(f"{name} must be 1–{high}")


def check_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
        raise ValueError(f"time zone {value!r} is not known") from None
    return value


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def check_counted_from_a_day(rrule: str, starts: object, season: object) -> None:
    """Every other week, or a COUNT, is counted from a first day (``starts`` or a season)."""
    parts = dict(chunk.partition("=")[::2] for chunk in rrule.removeprefix("RRULE:").split(";"))
    if (parts.get("INTERVAL", "1") != "1" or "COUNT" in parts) and starts is None and season is None:
        raise ValueError("every other week, or a number of meetings, needs a first day (starts) or a season")


def check_ends_after_start(start: str | None, end: str | None, what: str) -> None:
    if start is not None and end is not None and _time(end) <= _time(start):
        raise ValueError(f"{what} ends before it starts")


def check_season(start: dt.date, end: dt.date) -> None:
    if end <= start:
        raise ValueError("the season ends before it starts")


def check_exception(kind: str, moved_to: Any, start_time: Any, end_time: Any) -> None:
    if kind == "cancelled" and (moved_to or start_time or end_time):
        raise ValueError("a cancelled meeting cannot have a new date or time")
    if kind == "moved" and not (moved_to or start_time):
        raise ValueError("a moved meeting needs a new date or start time")


def check_event(start_date: dt.date, end_date: dt.date | None, start_time: str | None, end_time: str | None) -> None:
    if end_date is not None and end_date < start_date:
        raise ValueError("the event ends before it starts")
    if end_date in (None, start_date):
        check_ends_after_start(start_time, end_time, "the event")


def check_fee(kind: str, has_amount: bool) -> None:
    if kind == "free" and has_amount:
        raise ValueError("a free activity cannot have an amount")


def check_status(state: str, until: dt.date | None) -> None:
    if until is not None and state != "suspended":
        raise ValueError("'until' only applies to a suspended activity")


def check_consent(given: dt.date, withdrawn: dt.date | None) -> None:
    if withdrawn is not None and withdrawn < given:
        raise ValueError("consent cannot be withdrawn before it was given")


OrganisationKind = Literal["association", "federation", "regional_peer_centre", "public_body", "care_provider", "other"]
Openness = Literal["open", "closed"]
FacilitationKind = Literal["peer_convener", "trained_volunteer", "professional", "online_moderator"]
FeeKind = Literal["free", "self_payment", "membership"]
RecordState = Literal["active", "suspended", "ended"]
ExceptionKind = Literal["cancelled", "moved"]
ServiceKind = Literal["drop_in", "phone_line", "one_to_one", "online_community", "other"]
Arrangement = Literal["spontaneous", "organised"]
EventKind = Literal["first_information_day", "adaptation_course", "rehabilitation_course", "camp",
                    "volunteer_training", "meeting", "other"]
VolunteerRole = Literal["one_to_one", "groups", "courses_and_camps", "family_and_youth", "events",
                        "informal_online_groups", "group_leader", "convener"]
Vocabulary = Literal["audience", "topic", "activity", "region", "support_form"]

# ========================================================================= pydantic


def _date(value: Any) -> dt.date:
    # Strict pydantic takes no strings for dates from Python data, and lax mode would
    # take timestamps and datetimes too: check the schema's format instead.
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("expected a date YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def _instant(value: Any) -> dt.datetime:
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise ValueError("expected an RFC 3339 date and time with an offset")
    return dt.datetime.fromisoformat(value)


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("leave the field out instead of writing null")
    return value


def _pattern(pattern: str, **constraints: Any) -> Any:
    return Annotated[str, StringConstraints(pattern=pattern, **constraints)]


PRecordId = _pattern(RECORD_ID)
PSourceId = _pattern(SOURCE_ID)
PLanguageTag = _pattern(LANGUAGE_TAG)
PText = Annotated[dict[PLanguageTag, _pattern(NON_BLANK, min_length=1)], Field(min_length=1)]
PNonEmpty = Annotated[str, StringConstraints(min_length=1)]
PDate = Annotated[dt.date, BeforeValidator(_date)]
PDateTime = Annotated[dt.datetime, BeforeValidator(_instant)]
PTime = _pattern(TIME)
PPostalCode = _pattern(POSTAL_CODE)
PWebUrl = _pattern(WEB_URL)
PEmail = _pattern(EMAIL)
PPersonalEmail = _pattern(PERSONAL_EMAIL)
PPhone = Annotated[str, StringConstraints(pattern=PHONE), AfterValidator(normalise_phone)]
PBusinessId = Annotated[str, StringConstraints(pattern=BUSINESS_ID), AfterValidator(check_business_id)]
PRRule = Annotated[str, StringConstraints(pattern=RRULE), AfterValidator(check_rrule)]
PTimezone = Annotated[str, StringConstraints(min_length=1), AfterValidator(check_timezone)]
#: May be left out (None) but not written as null.
POmittable = Annotated[T | None, BeforeValidator(_refuse_null)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ContactModel(_Model):
    phone: PPhone | None = None
    email: PEmail | None = None
    url: PWebUrl | None = None
    note: PText | None = None


class FeeModel(_Model):
    kind: FeeKind = "free"
    amount: POmittable[Annotated[float, Field(ge=0)]] = None
    note: PText | None = None
    announced_in_advance: bool = False

    @model_validator(mode="after")
    def _free_has_no_amount(self) -> FeeModel:
        check_fee(self.kind, self.amount is not None)
        return self


class RegistrationModel(_Model):
    required: bool = False
    instructions: PText | None = None
    url: PWebUrl | None = None
    email: PEmail | None = None
    phone: PPhone | None = None
    deadline: PDate | None = None


class StatusModel(_Model):
    state: RecordState = "active"
    reason: PText | None = None
    since: PDate | None = None
    until: PDate | None = None

    @model_validator(mode="after")
    def _until_only_when_suspended(self) -> StatusModel:
        check_status(self.state, self.until)
        return self


class ProvenanceModel(_Model):
    source: PNonEmpty
    location: PNonEmpty
    pointer: PNonEmpty | None = None
    retrieved: PDateTime | None = None
    last_modified: PDateTime | None = None


class InPersonChannelModel(_Model):
    kind: Literal["in_person"]
    place: PRecordId
    room: PText | None = None


class OnlineChannelModel(_Model):
    kind: Literal["online"]
    url: PWebUrl | None = None
    platform: PNonEmpty | None = None
    instructions: PText | None = None


class PhoneChannelModel(_Model):
    kind: Literal["phone"]
    phone: PPhone
    note: PText | None = None


PChannel = Annotated[InPersonChannelModel | OnlineChannelModel | PhoneChannelModel, Field(discriminator="kind")]


class SeasonModel(_Model):
    start: PDate
    end: PDate
    name: PText | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> SeasonModel:
        check_season(self.start, self.end)
        return self


class ScheduleExceptionModel(_Model):
    date: PDate
    kind: ExceptionKind = "cancelled"
    moved_to: PDate | None = None
    start_time: PTime | None = None
    end_time: PTime | None = None
    reason: PText | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleExceptionModel:
        check_exception(self.kind, self.moved_to, self.start_time, self.end_time)
        return self


class ScheduleModel(_Model):
    rrule: PRRule
    start_time: PTime
    end_time: PTime | None = None
    timezone: PTimezone = DEFAULT_TIMEZONE
    season: SeasonModel | None = None
    starts: PDate | None = None
    skip_public_holidays: bool = False
    exceptions: list[ScheduleExceptionModel] = []

    @model_validator(mode="after")
    def _ends_after_start(self) -> ScheduleModel:
        check_ends_after_start(self.start_time, self.end_time, "the meeting")
        check_counted_from_a_day(self.rrule, self.starts, self.season)
        return self


class FacilitationModel(_Model):
    kind: FacilitationKind
    leaders: list[PRecordId] = []
    note: PText | None = None


class OrganisationModel(_Model):
    id: PRecordId
    name: PText
    kind: OrganisationKind
    short_name: PText | None = None
    description: PText | None = None
    business_id: POmittable[PBusinessId] = None
    parent: PRecordId | None = None
    member_of: list[PRecordId] = []
    volunteer_run: bool = False
    participation_free: bool = False
    funding: PText | None = None
    founded: POmittable[Annotated[int, Field(ge=1800, le=2100)]] = None
    regions: list[PRecordId] = []
    nationwide: bool = False
    audiences: list[PRecordId] = []
    topics: list[PRecordId] = []
    contact: ContactModel | None = None
    url: PWebUrl | None = None
    volunteering: PText | None = None
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None


class CoordinatesModel(_Model):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]


class AccessibilityModel(_Model):
    step_free_entrance: bool | None = None
    elevator: bool | None = None
    accessible_toilet: bool | None = None
    induction_loop: bool | None = None
    accessible_parking: bool | None = None
    public_transport_nearby: bool | None = None
    note: PText | None = None


class PlaceModel(_Model):
    id: PRecordId
    name: PText
    municipality: PText
    street_address: PText | None = None
    postal_code: POmittable[PPostalCode] = None
    coordinates: CoordinatesModel | None = None
    accessibility: AccessibilityModel | None = None
    directions: PText | None = None


class GroupModel(_Model):
    id: PRecordId
    name: PText
    organiser: PRecordId
    openness: Openness
    description: PText | None = None
    facilitation: FacilitationModel | None = None
    activities: list[PRecordId] = ["discussion"]
    support_forms: list[PRecordId] = []
    audiences: list[PRecordId] = []
    topics: list[PRecordId] = []
    languages: list[PLanguageTag] = ["fi"]
    channels: list[PChannel] = []
    schedule: ScheduleModel | None = None
    schedule_note: PText | None = None
    fee: FeeModel = FeeModel()
    staff_sometimes_present: bool = False
    guest_lecturers: bool = False
    registration: RegistrationModel | None = None
    status: StatusModel = StatusModel()
    regions: list[PRecordId] = []
    nationwide: bool = False
    contact: ContactModel | None = None
    contacts: list[PRecordId] = []
    url: PWebUrl | None = None
    same_as: list[PRecordId] = []  # the schema says non-empty; the model wants record ids
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None


class ServiceModel(_Model):
    id: PRecordId
    kind: ServiceKind
    name: PText
    organiser: PRecordId
    description: PText | None = None
    arrangement: Arrangement | None = None
    support_forms: list[PRecordId] = []
    audiences: list[PRecordId] = []
    topics: list[PRecordId] = []
    languages: list[PLanguageTag] = ["fi"]
    channels: list[PChannel] = []
    schedule: ScheduleModel | None = None
    schedule_note: PText | None = None
    fee: FeeModel = FeeModel()
    registration: RegistrationModel | None = None
    status: StatusModel = StatusModel()
    regions: list[PRecordId] = []
    nationwide: bool = False
    contact: ContactModel | None = None
    contacts: list[PRecordId] = []
    url: PWebUrl | None = None
    same_as: list[PRecordId] = []
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None


class EventModel(_Model):
    id: PRecordId
    kind: EventKind
    name: PText
    organiser: PRecordId
    start_date: PDate
    end_date: PDate | None = None
    start_time: PTime | None = None
    end_time: PTime | None = None
    timezone: PNonEmpty = DEFAULT_TIMEZONE  # the model does not look an event's zone up
    co_organisers: list[PRecordId] = []
    description: PText | None = None
    support_forms: list[PRecordId] = []
    audiences: list[PRecordId] = []
    topics: list[PRecordId] = []
    languages: list[PLanguageTag] = ["fi"]
    channels: list[PChannel] = []
    fee: FeeModel = FeeModel()
    registration: RegistrationModel | None = None
    status: StatusModel = StatusModel()
    regions: list[PRecordId] = []
    nationwide: bool = False
    contact: ContactModel | None = None
    contacts: list[PRecordId] = []
    url: PWebUrl | None = None
    same_as: list[PRecordId] = []
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventModel:
        check_event(self.start_date, self.end_date, self.start_time, self.end_time)
        return self


class ConsentModel(_Model):
    given: PDate
    withdrawn: PDate | None = None
    recorded_by: PNonEmpty | None = None

    @model_validator(mode="after")
    def _withdrawn_after_given(self) -> ConsentModel:
        check_consent(self.given, self.withdrawn)
        return self


class ConsentedModel(_Model, Generic[T]):
    value: T
    consent: POmittable[ConsentModel] = None


class PersonalDetailsModel(_Model):
    name: ConsentedModel[PNonEmpty] | None = None
    home_municipality: ConsentedModel[PNonEmpty] | None = None
    phone: ConsentedModel[PPhone] | None = None
    email: ConsentedModel[PPersonalEmail] | None = None
    languages: ConsentedModel[list[PLanguageTag]] | None = None
    testimonial: ConsentedModel[PText] | None = None


class TrainingModel(_Model):
    name: PText
    completed: PDate | None = None
    organiser: PRecordId | None = None


class VolunteerModel(_Model):
    id: PRecordId
    organisation: PRecordId
    roles: list[VolunteerRole] = []
    training: TrainingModel | None = None
    confidentiality_pledge: bool = False
    regions: list[PRecordId] = []
    personal: PersonalDetailsModel = PersonalDetailsModel()
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None


class CoordinatorModel(_Model):
    id: PRecordId
    organisation: PRecordId
    title: PText
    office: PText | None = None
    regions: list[PRecordId] = []
    responsibilities: list[PText] = []
    personal: PersonalDetailsModel = PersonalDetailsModel()
    updated: PDate | None = None
    verified: PDate | None = None
    provenance: ProvenanceModel | None = None


class TermModel(_Model):
    vocabulary: Vocabulary
    id: PRecordId
    label: PText
    description: PText | None = None
    yso: PWebUrl | None = None
    notation: PNonEmpty | None = None


class CatalogueModel(_Model):
    source: PSourceId
    name: PText | None = None
    publisher: PRecordId | None = None
    required_languages: list[PLanguageTag] = ["fi"]
    format: Literal["vertaistuki/1"] = FORMAT
    updated: PDate | None = None
    organisations: list[OrganisationModel] = []
    places: list[PlaceModel] = []
    groups: list[GroupModel] = []
    services: list[ServiceModel] = []
    events: list[EventModel] = []
    volunteers: list[VolunteerModel] = []
    coordinators: list[CoordinatorModel] = []
    terms: list[TermModel] = []
    provenance: ProvenanceModel | None = None


def pydantic_validate(data: dict) -> CatalogueModel:
    """Validate plain catalogue data and structure it into pydantic models."""
    return CatalogueModel.model_validate(data)


def pydantic_dump(obj: BaseModel) -> Any:
    """Back to plain data, leaving out values equal to their field's default."""
    return obj.model_dump(mode="json", exclude_defaults=True)


# ========================================================================== msgspec


def _mpattern(pattern: str, **constraints: Any) -> Any:
    return Annotated[str, Meta(pattern=_python_pattern(pattern), **constraints)]


MRecordId = _mpattern(RECORD_ID)
MSourceId = _mpattern(SOURCE_ID)
MLanguageTag = _mpattern(LANGUAGE_TAG)
MText = Annotated[dict[MLanguageTag, _mpattern(NON_BLANK, min_length=1)], Meta(min_length=1)]
MNonEmpty = Annotated[str, Meta(min_length=1)]
MDateTime = Annotated[dt.datetime, Meta(tz=True)]
MTime = _mpattern(TIME)
MPostalCode = _mpattern(POSTAL_CODE)
MWebUrl = _mpattern(WEB_URL)
MEmail = _mpattern(EMAIL)
MPersonalEmail = _mpattern(PERSONAL_EMAIL)
# Checked further in the __post_init__ of the structs that hold them.
MPhone = _mpattern(PHONE)
MBusinessId = _mpattern(BUSINESS_ID)
MRRule = _mpattern(RRULE)
MTimezone = Annotated[str, Meta(min_length=1)]


def _normalise_phones(struct: msgspec.Struct, *names: str) -> None:
    # Frozen structs are fixed after __post_init__; force_setattr is msgspec's way of
    # storing a normalised value there.
    for name in names:
        value = getattr(struct, name)
        if isinstance(value, str):
            msgspec.structs.force_setattr(struct, name, normalise_phone(value))


class _Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    pass


class ContactStruct(_Struct):
    phone: MPhone | None = None
    email: MEmail | None = None
    url: MWebUrl | None = None
    note: MText | None = None

    def __post_init__(self) -> None:
        _normalise_phones(self, "phone")


class FeeStruct(_Struct):
    kind: FeeKind = "free"
    amount: Annotated[float, Meta(ge=0)] | UnsetType = UNSET
    note: MText | None = None
    announced_in_advance: bool = False

    def __post_init__(self) -> None:
        check_fee(self.kind, self.amount is not UNSET)


class RegistrationStruct(_Struct):
    required: bool = False
    instructions: MText | None = None
    url: MWebUrl | None = None
    email: MEmail | None = None
    phone: MPhone | None = None
    deadline: dt.date | None = None

    def __post_init__(self) -> None:
        _normalise_phones(self, "phone")


class StatusStruct(_Struct):
    state: RecordState = "active"
    reason: MText | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        check_status(self.state, self.until)


class ProvenanceStruct(_Struct):
    source: MNonEmpty
    location: MNonEmpty
    pointer: MNonEmpty | None = None
    retrieved: MDateTime | None = None
    last_modified: MDateTime | None = None


class InPersonChannelStruct(_Struct, tag_field="kind", tag="in_person"):
    place: MRecordId
    room: MText | None = None


class OnlineChannelStruct(_Struct, tag_field="kind", tag="online"):
    url: MWebUrl | None = None
    platform: MNonEmpty | None = None
    instructions: MText | None = None


class PhoneChannelStruct(_Struct, tag_field="kind", tag="phone"):
    phone: MPhone
    note: MText | None = None

    def __post_init__(self) -> None:
        _normalise_phones(self, "phone")


MChannel = InPersonChannelStruct | OnlineChannelStruct | PhoneChannelStruct


class SeasonStruct(_Struct):
    start: dt.date
    end: dt.date
    name: MText | None = None

    def __post_init__(self) -> None:
        check_season(self.start, self.end)


class ScheduleExceptionStruct(_Struct):
    date: dt.date
    kind: ExceptionKind = "cancelled"
    moved_to: dt.date | None = None
    start_time: MTime | None = None
    end_time: MTime | None = None
    reason: MText | None = None

    def __post_init__(self) -> None:
        check_exception(self.kind, self.moved_to, self.start_time, self.end_time)


class ScheduleStruct(_Struct):
    rrule: MRRule
    start_time: MTime
    end_time: MTime | None = None
    timezone: MTimezone = DEFAULT_TIMEZONE
    season: SeasonStruct | None = None
    starts: dt.date | None = None
    skip_public_holidays: bool = False
    exceptions: tuple[ScheduleExceptionStruct, ...] = ()

    def __post_init__(self) -> None:
        check_rrule(self.rrule)
        check_timezone(self.timezone)
        check_ends_after_start(self.start_time, self.end_time, "the meeting")
        check_counted_from_a_day(self.rrule, self.starts, self.season)


class FacilitationStruct(_Struct):
    kind: FacilitationKind
    leaders: tuple[MRecordId, ...] = ()
    note: MText | None = None


class OrganisationStruct(_Struct):
    id: MRecordId
    name: MText
    kind: OrganisationKind
    short_name: MText | None = None
    description: MText | None = None
    business_id: MBusinessId | UnsetType = UNSET
    parent: MRecordId | None = None
    member_of: tuple[MRecordId, ...] = ()
    volunteer_run: bool = False
    participation_free: bool = False
    funding: MText | None = None
    founded: Annotated[int, Meta(ge=1800, le=2100)] | UnsetType = UNSET
    regions: tuple[MRecordId, ...] = ()
    nationwide: bool = False
    audiences: tuple[MRecordId, ...] = ()
    topics: tuple[MRecordId, ...] = ()
    contact: ContactStruct | None = None
    url: MWebUrl | None = None
    volunteering: MText | None = None
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None

    def __post_init__(self) -> None:
        if self.business_id is not UNSET:
            check_business_id(self.business_id)


class CoordinatesStruct(_Struct):
    latitude: Annotated[float, Meta(ge=-90, le=90)]
    longitude: Annotated[float, Meta(ge=-180, le=180)]


class AccessibilityStruct(_Struct):
    step_free_entrance: bool | None = None
    elevator: bool | None = None
    accessible_toilet: bool | None = None
    induction_loop: bool | None = None
    accessible_parking: bool | None = None
    public_transport_nearby: bool | None = None
    note: MText | None = None


class PlaceStruct(_Struct):
    id: MRecordId
    name: MText
    municipality: MText
    street_address: MText | None = None
    postal_code: MPostalCode | UnsetType = UNSET
    coordinates: CoordinatesStruct | None = None
    accessibility: AccessibilityStruct | None = None
    directions: MText | None = None


class GroupStruct(_Struct):
    id: MRecordId
    name: MText
    organiser: MRecordId
    openness: Openness
    description: MText | None = None
    facilitation: FacilitationStruct | None = None
    activities: tuple[MRecordId, ...] = ("discussion",)
    support_forms: tuple[MRecordId, ...] = ()
    audiences: tuple[MRecordId, ...] = ()
    topics: tuple[MRecordId, ...] = ()
    languages: tuple[MLanguageTag, ...] = ("fi",)
    channels: tuple[MChannel, ...] = ()
    schedule: ScheduleStruct | None = None
    schedule_note: MText | None = None
    fee: FeeStruct = FeeStruct()
    staff_sometimes_present: bool = False
    guest_lecturers: bool = False
    registration: RegistrationStruct | None = None
    status: StatusStruct = StatusStruct()
    regions: tuple[MRecordId, ...] = ()
    nationwide: bool = False
    contact: ContactStruct | None = None
    contacts: tuple[MRecordId, ...] = ()
    url: MWebUrl | None = None
    same_as: tuple[MRecordId, ...] = ()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None


class ServiceStruct(_Struct):
    id: MRecordId
    kind: ServiceKind
    name: MText
    organiser: MRecordId
    description: MText | None = None
    arrangement: Arrangement | None = None
    support_forms: tuple[MRecordId, ...] = ()
    audiences: tuple[MRecordId, ...] = ()
    topics: tuple[MRecordId, ...] = ()
    languages: tuple[MLanguageTag, ...] = ("fi",)
    channels: tuple[MChannel, ...] = ()
    schedule: ScheduleStruct | None = None
    schedule_note: MText | None = None
    fee: FeeStruct = FeeStruct()
    registration: RegistrationStruct | None = None
    status: StatusStruct = StatusStruct()
    regions: tuple[MRecordId, ...] = ()
    nationwide: bool = False
    contact: ContactStruct | None = None
    contacts: tuple[MRecordId, ...] = ()
    url: MWebUrl | None = None
    same_as: tuple[MRecordId, ...] = ()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None


class EventStruct(_Struct):
    id: MRecordId
    kind: EventKind
    name: MText
    organiser: MRecordId
    start_date: dt.date
    end_date: dt.date | None = None
    start_time: MTime | None = None
    end_time: MTime | None = None
    timezone: MNonEmpty = DEFAULT_TIMEZONE
    co_organisers: tuple[MRecordId, ...] = ()
    description: MText | None = None
    support_forms: tuple[MRecordId, ...] = ()
    audiences: tuple[MRecordId, ...] = ()
    topics: tuple[MRecordId, ...] = ()
    languages: tuple[MLanguageTag, ...] = ("fi",)
    channels: tuple[MChannel, ...] = ()
    fee: FeeStruct = FeeStruct()
    registration: RegistrationStruct | None = None
    status: StatusStruct = StatusStruct()
    regions: tuple[MRecordId, ...] = ()
    nationwide: bool = False
    contact: ContactStruct | None = None
    contacts: tuple[MRecordId, ...] = ()
    url: MWebUrl | None = None
    same_as: tuple[MRecordId, ...] = ()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None

    def __post_init__(self) -> None:
        check_event(self.start_date, self.end_date, self.start_time, self.end_time)


class ConsentStruct(_Struct):
    given: dt.date
    withdrawn: dt.date | None = None
    recorded_by: MNonEmpty | None = None

    def __post_init__(self) -> None:
        check_consent(self.given, self.withdrawn)


class ConsentedStruct(_Struct, Generic[T]):
    value: T
    consent: ConsentStruct | UnsetType = UNSET


class ConsentedPhoneStruct(_Struct):
    # Not ConsentedStruct[MPhone]: a generic struct cannot tell that its value is a phone.
    value: MPhone
    consent: ConsentStruct | UnsetType = UNSET

    def __post_init__(self) -> None:
        _normalise_phones(self, "value")


class PersonalDetailsStruct(_Struct):
    name: ConsentedStruct[MNonEmpty] | None = None
    home_municipality: ConsentedStruct[MNonEmpty] | None = None
    phone: ConsentedPhoneStruct | None = None
    email: ConsentedStruct[MPersonalEmail] | None = None
    languages: ConsentedStruct[tuple[MLanguageTag, ...]] | None = None
    testimonial: ConsentedStruct[MText] | None = None


class TrainingStruct(_Struct):
    name: MText
    completed: dt.date | None = None
    organiser: MRecordId | None = None


class VolunteerStruct(_Struct):
    id: MRecordId
    organisation: MRecordId
    roles: tuple[VolunteerRole, ...] = ()
    training: TrainingStruct | None = None
    confidentiality_pledge: bool = False
    regions: tuple[MRecordId, ...] = ()
    personal: PersonalDetailsStruct = PersonalDetailsStruct()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None


class CoordinatorStruct(_Struct):
    id: MRecordId
    organisation: MRecordId
    title: MText
    office: MText | None = None
    regions: tuple[MRecordId, ...] = ()
    responsibilities: tuple[MText, ...] = ()
    personal: PersonalDetailsStruct = PersonalDetailsStruct()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: ProvenanceStruct | None = None


class TermStruct(_Struct):
    vocabulary: Vocabulary
    id: MRecordId
    label: MText
    description: MText | None = None
    yso: MWebUrl | None = None
    notation: MNonEmpty | None = None


class CatalogueStruct(_Struct):
    source: MSourceId
    name: MText | None = None
    publisher: MRecordId | None = None
    required_languages: tuple[MLanguageTag, ...] = ("fi",)
    format: Literal["vertaistuki/1"] = FORMAT
    updated: dt.date | None = None
    organisations: tuple[OrganisationStruct, ...] = ()
    places: tuple[PlaceStruct, ...] = ()
    groups: tuple[GroupStruct, ...] = ()
    services: tuple[ServiceStruct, ...] = ()
    events: tuple[EventStruct, ...] = ()
    volunteers: tuple[VolunteerStruct, ...] = ()
    coordinators: tuple[CoordinatorStruct, ...] = ()
    terms: tuple[TermStruct, ...] = ()
    provenance: ProvenanceStruct | None = None


_DECODER = msgspec.json.Decoder(CatalogueStruct)
_ENCODER = msgspec.json.Encoder()


def msgspec_convert(data: dict) -> CatalogueStruct:
    """Validate plain catalogue data and structure it into msgspec structs."""
    return msgspec.convert(data, CatalogueStruct, strict=True)


def msgspec_decode(raw: bytes) -> CatalogueStruct:
    """Validate and structure a catalogue straight from JSON bytes."""
    return _DECODER.decode(raw)


def msgspec_encode(obj: msgspec.Struct) -> bytes:
    return _ENCODER.encode(obj)


# ===================================================================== strictness


#: (schema file, $defs name or None) → (pydantic type, msgspec type, check that msgspec
#: leaves to a struct's __post_init__ and a lone value needs run by hand)
_REFS: dict[tuple[str, str | None], tuple[Any, Any, Any]] = {
    ("common", "text"): (PText, MText, None),
    ("common", "language_tag"): (PLanguageTag, MLanguageTag, None),
    ("common", "record_id"): (PRecordId, MRecordId, None),
    ("common", "source_id"): (PSourceId, MSourceId, None),
    ("common", "date"): (PDate, dt.date, None),
    ("common", "time"): (PTime, MTime, None),
    ("common", "date_time"): (PDateTime, MDateTime, None),
    ("common", "web_url"): (PWebUrl, MWebUrl, None),
    ("common", "email"): (PEmail, MEmail, None),
    ("common", "phone"): (PPhone, MPhone, normalise_phone),
    ("common", "business_id"): (PBusinessId, MBusinessId, check_business_id),
    ("common", "rrule"): (PRRule, MRRule, check_rrule),
    ("common", "contact"): (ContactModel, ContactStruct, None),
    ("common", "fee"): (FeeModel, FeeStruct, None),
    ("common", "registration"): (RegistrationModel, RegistrationStruct, None),
    ("common", "status"): (StatusModel, StatusStruct, None),
    ("common", "provenance"): (ProvenanceModel, ProvenanceStruct, None),
    ("channel", None): (PChannel, MChannel, None),
    ("channel", "in_person"): (InPersonChannelModel, InPersonChannelStruct, None),
    ("channel", "online"): (OnlineChannelModel, OnlineChannelStruct, None),
    ("channel", "phone"): (PhoneChannelModel, PhoneChannelStruct, None),
    ("schedule", None): (ScheduleModel, ScheduleStruct, None),
    ("schedule", "season"): (SeasonModel, SeasonStruct, None),
    ("schedule", "exception"): (ScheduleExceptionModel, ScheduleExceptionStruct, None),
    ("group", None): (GroupModel, GroupStruct, None),
    ("group", "facilitation"): (FacilitationModel, FacilitationStruct, None),
    ("organisation", None): (OrganisationModel, OrganisationStruct, None),
    ("place", None): (PlaceModel, PlaceStruct, None),
    ("place", "coordinates"): (CoordinatesModel, CoordinatesStruct, None),
    ("place", "accessibility"): (AccessibilityModel, AccessibilityStruct, None),
    ("service", None): (ServiceModel, ServiceStruct, None),
    ("event", None): (EventModel, EventStruct, None),
    ("volunteer", None): (VolunteerModel, VolunteerStruct, None),
    ("volunteer", "training"): (TrainingModel, TrainingStruct, None),
    ("volunteer", "personal_details"): (PersonalDetailsModel, PersonalDetailsStruct, None),
    ("volunteer", "consent"): (ConsentModel, ConsentStruct, None),
    ("coordinator", None): (CoordinatorModel, CoordinatorStruct, None),
    ("term", None): (TermModel, TermStruct, None),
    ("catalogue", None): (CatalogueModel, CatalogueStruct, None),
}


def _ref_key(ref: str) -> tuple[str, str | None]:
    """``…/common.schema.json#/$defs/text`` → ``("common", "text")``."""
    address, _, fragment = ref.partition("#")
    return address.rsplit("/", 1)[-1].removesuffix(".schema.json"), fragment.removeprefix("/$defs/") or None


@functools.cache
def _type_adapter(key: tuple[str, str | None]) -> TypeAdapter:
    return TypeAdapter(_REFS[key][0])


def _pydantic_accepts(key: tuple[str, str | None], data: Any) -> bool:
    try:
        _type_adapter(key).validate_python(data)
    except ValidationError:
        return False
    return True


def _msgspec_accepts(key: tuple[str, str | None], data: Any) -> bool:
    _, cls, check = _REFS[key]
    try:
        value = msgspec.convert(data, cls, strict=True)
        if check is not None:
            check(value)
    except (msgspec.ValidationError, ValueError):
        return False
    return True


def strictness_report(cases_dir: Path = SCHEMA_CASES) -> dict[str, dict[str, int]]:
    """Run every case of ``tests/schema_cases/*.json`` through both baselines.

    Per baseline: cases, agree (same verdict as the schema), accepted_invalid,
    rejected_valid and unmapped (a ``$ref`` no baseline type stands for).
    """
    checkers = {"pydantic": _pydantic_accepts, "msgspec": _msgspec_accepts}
    report = {name: dict.fromkeys(("cases", "agree", "accepted_invalid", "rejected_valid", "unmapped"), 0)
              for name in checkers}
    for path in sorted(cases_dir.glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            key = _ref_key(group["schema"]["$ref"])
            for test in group["tests"]:
                for name, accepts in checkers.items():
                    counts = report[name]
                    counts["cases"] += 1
                    if key not in _REFS:
                        counts["unmapped"] += 1
                        continue
                    accepted = accepts(key, test["data"])
                    if accepted == test["valid"]:
                        counts["agree"] += 1
                    elif accepted:
                        counts["accepted_invalid"] += 1
                    else:
                        counts["rejected_valid"] += 1
    return report


# ======================================================================= self-check


def _phones_normalised(value: Any, key: str | None = None) -> Any:
    """The data as both baselines give it back: phone numbers in E.164."""
    if isinstance(value, dict):
        if key == "phone" and "value" in value:  # a volunteer's consented phone number
            return {**value, "value": normalise_phone(value["value"])}
        return {name: normalise_phone(item) if name == "phone" and isinstance(item, str) else _phones_normalised(item, name)
                for name, item in value.items()}
    if isinstance(value, list):
        return [_phones_normalised(item) for item in value]
    return value


def _first_difference(expected: Any, actual: Any, path: str = "$") -> str | None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for name in sorted(set(expected) | set(actual)):
            if name not in actual:
                return f"{path}.{name} is missing (expected {expected[name]!r})"
            if name not in expected:
                return f"{path}.{name} is extra ({actual[name]!r})"
            if found := _first_difference(expected[name], actual[name], f"{path}.{name}"):
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (item, other) in enumerate(zip(expected, actual, strict=True)):
            if found := _first_difference(item, other, f"{path}[{index}]"):
                return found
        return None
    return None if expected == actual else f"{path}: expected {expected!r}, got {actual!r}"


def _assert_round_trip(baseline: str, expected: Any, actual: Any) -> None:
    difference = _first_difference(expected, actual)
    assert difference is None, f"{baseline} round trip changed the data: {difference}"


def self_check(records: int = 2000, seed: int = 2026) -> None:
    """Both baselines accept a generated catalogue and give back the same data (phone
    numbers in E.164); msgspec's JSON decoder agrees with its converter."""
    try:
        from . import catalogue_gen
    except ImportError:  # run as a script from benchmarks/
        import catalogue_gen

    data = catalogue_gen.generate(records, seed)
    expected = _phones_normalised(data)
    try:
        model = pydantic_validate(data)
    except ValidationError as error:
        first = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
        raise AssertionError(f"pydantic refused the generated catalogue ({error.error_count()} errors): {first}") from None
    _assert_round_trip("pydantic", expected, pydantic_dump(model))
    try:
        struct = msgspec_convert(data)
        decoded = msgspec_decode(json.dumps(data).encode())
    except msgspec.ValidationError as error:
        raise AssertionError(f"msgspec refused the generated catalogue: {error}") from None
    assert decoded == struct, "msgspec's JSON decoder and converter built different catalogues"
    _assert_round_trip("msgspec", expected, json.loads(msgspec_encode(struct)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000, help="size of the self-check catalogue (default 2000)")
    args = parser.parse_args()
    self_check(args.records)
    print(f"self-check passed with {args.records} records")
    print(json.dumps(strictness_report(), indent=2))


if __name__ == "__main__":
    main()
