"""Peer-support groups: the heart of every listing."""

from __future__ import annotations

import datetime as dt

import attrs

from .common import Contact, Fee, Provenance, Registration, Status
from .enums import FacilitationKind, Openness
from .identifiers import WebUrl, check_record_id, check_record_ids, check_web_url
from .place import Channel
from .schedule import Schedule
from .text import Text


@attrs.frozen
class Facilitation:
    """Who runs the group. ``leaders`` are volunteer or coordinator ids; their names are
    shown only if each person consented."""

    kind: FacilitationKind
    leaders: tuple[str, ...] = attrs.field(default=(), validator=check_record_ids)
    note: Text | None = None


@attrs.frozen
class Group:
    """A peer-support group, open (join any time) or closed (agreed meetings and a
    commitment; joining is asked for as ``registration`` says).

    No participant is ever recorded: membership of a mental-health group is health data.
    """

    id: str = attrs.field(validator=check_record_id)
    name: Text
    organiser: str = attrs.field(validator=check_record_id)
    openness: Openness
    description: Text | None = None
    facilitation: Facilitation | None = None
    activities: tuple[str, ...] = ("discussion",)  # activity vocabulary ids
    support_forms: tuple[str, ...] = ()  # support_form vocabulary ids (the forms of peer support)
    audiences: tuple[str, ...] = ()  # audience vocabulary ids
    topics: tuple[str, ...] = ()  # topic vocabulary ids
    languages: tuple[str, ...] = ("fi",)  # languages the group is run in
    channels: tuple[Channel, ...] = ()
    schedule: Schedule | None = None
    schedule_note: Text | None = None  # "dates agreed at the first meeting"
    fee: Fee = Fee()
    staff_sometimes_present: bool = False  # association staff sometimes join
    guest_lecturers: bool = False  # outside experts sometimes give talks
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
