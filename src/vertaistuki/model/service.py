"""Support that is not a group: drop-in hours, phone lines, one-to-one support and
online communities."""

from __future__ import annotations

import datetime as dt

import attrs

from .common import Contact, Fee, Provenance, Registration, Status
from .enums import OneToOneArrangement, ServiceKind
from .identifiers import WebUrl, check_record_id, check_record_ids, check_web_url
from .place import Channel
from .schedule import Schedule
from .text import Text


@attrs.frozen
class Service:
    """A support form offered over time, e.g. "drop-in every working Thursday 12–14.30"
    (``schedule`` with ``skip_public_holidays``) or organised one-to-one support."""

    id: str = attrs.field(validator=check_record_id)
    kind: ServiceKind
    name: Text
    organiser: str = attrs.field(validator=check_record_id)
    description: Text | None = None
    arrangement: OneToOneArrangement | None = None  # for one-to-one support
    support_forms: tuple[str, ...] = ()  # support_form vocabulary ids (the forms of peer support)
    audiences: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("fi",)
    channels: tuple[Channel, ...] = ()
    schedule: Schedule | None = None
    schedule_note: Text | None = None
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
