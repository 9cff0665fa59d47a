"""One-off or short activities with dates: first-information days, adaptation and
rehabilitation courses (which Kela may organise), camps and volunteer trainings."""

from __future__ import annotations

import datetime as dt

import attrs

from .common import Contact, Fee, Provenance, Registration, Status
from .enums import EventKind
from .errors import InvalidValue
from .identifiers import WebUrl, check_record_id, check_record_ids, check_web_url
from .place import Channel
from .schedule import DEFAULT_TIMEZONE, check_timezone
from .text import Text


@attrs.frozen
class Event:
    id: str = attrs.field(validator=check_record_id)
    kind: EventKind
    name: Text
    organiser: str = attrs.field(validator=check_record_id)
    start_date: dt.date
    end_date: dt.date | None = None  # multi-day courses and camps
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, validator=check_timezone)  # renderers place the times in it
    co_organisers: tuple[str, ...] = attrs.field(default=(), validator=check_record_ids)
    description: Text | None = None
    support_forms: tuple[str, ...] = ()  # support_form vocabulary ids (the forms of peer support)
    audiences: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("fi",)
    channels: tuple[Channel, ...] = ()
    fee: Fee = Fee()
    registration: Registration | None = None
    status: Status = Status()
    regions: tuple[str, ...] = ()
    nationwide: bool = False  # open to people from anywhere in Finland (national groups, online)
    contact: Contact | None = None
    contacts: tuple[str, ...] = attrs.field(default=(), validator=check_record_ids)
    url: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    # Stable ids of the same activity as listed by another organisation (a group that
    # both an association and a regional peer centre list). A link, never a merge.
    same_as: tuple[str, ...] = attrs.field(default=(), validator=check_record_ids)
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: Provenance | None = None

    def __attrs_post_init__(self) -> None:
        if self.end_date is not None and self.end_date < self.start_date:
            raise InvalidValue(fi="tapahtuma päättyy ennen kuin alkaa", en="the event ends before it starts", field="end_date")
        same_day = self.end_date in (None, self.start_date)
        if same_day and self.start_time and self.end_time and self.end_time <= self.start_time:
            raise InvalidValue(fi="tapahtuma päättyy ennen kuin alkaa", en="the event ends before it starts", field="end_time")
