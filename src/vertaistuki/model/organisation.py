"""Associations, federations, regional peer centres and the public bodies around them."""

from __future__ import annotations

import datetime as dt

import attrs

from .common import Contact, Provenance
from .enums import OrganisationKind
from .identifiers import WebUrl, check_business_id, check_record_id, check_record_ids, check_web_url
from .text import Text


@attrs.frozen
class Organisation:
    """Who runs or hosts peer support.

    ``parent`` is the organisation that maintains this one (a peer centre kept by an
    association); ``member_of`` lists federations it belongs to. Member lists are read
    the other way round from the catalogue, so a link is written once.
    """

    id: str = attrs.field(validator=check_record_id)
    name: Text
    kind: OrganisationKind
    short_name: Text | None = None
    description: Text | None = None
    business_id: str | None = attrs.field(default=None, validator=check_business_id)
    parent: str | None = None
    member_of: tuple[str, ...] = attrs.field(default=(), validator=check_record_ids)
    volunteer_run: bool = False  # board and leaders work unpaid
    participation_free: bool = False  # no joining or membership fees for participants
    funding: Text | None = None  # e.g. a city grant covering rent and running costs
    founded: int | None = None  # year
    regions: tuple[str, ...] = ()  # region vocabulary ids
    nationwide: bool = False  # works across Finland (federations)
    audiences: tuple[str, ...] = ()  # whom the organisation is for (audience vocabulary ids)
    topics: tuple[str, ...] = ()  # life situations it supports (topic vocabulary ids)
    contact: Contact | None = None
    url: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    volunteering: Text | None = None  # how to become a volunteer here
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: Provenance | None = None
