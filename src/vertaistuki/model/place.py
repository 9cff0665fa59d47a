"""Where support happens: physical places and the online and phone channels that are
just as real a way to take part."""

from __future__ import annotations

from typing import ClassVar

import attrs

from .enums import ChannelKind
from .errors import InvalidValue, names_field
from .identifiers import PhoneNumber, WebUrl, check_phone, check_record_id, check_web_url
from .text import Text


@names_field


def _check_latitude(instance, attribute, value: float) -> None:
    if not -90 <= value <= 90:
        raise InvalidValue(fi="leveysaste on välillä −90…90", en="latitude must be −90…90")


@names_field


def _check_longitude(instance, attribute, value: float) -> None:
    if not -180 <= value <= 180:
        raise InvalidValue(fi="pituusaste on välillä −180…180", en="longitude must be −180…180")


@attrs.frozen
class Coordinates:
    """WGS84 decimal degrees."""

    latitude: float = attrs.field(validator=_check_latitude)
    longitude: float = attrs.field(validator=_check_longitude)


@attrs.frozen
class Accessibility:
    """Structured accessibility facts. ``None`` means "not known", which is different
    from "no": a listing must not claim a place is inaccessible when nobody checked."""

    step_free_entrance: bool | None = None
    elevator: bool | None = None
    accessible_toilet: bool | None = None
    induction_loop: bool | None = None
    accessible_parking: bool | None = None
    public_transport_nearby: bool | None = None
    note: Text | None = None


@attrs.frozen
class Place:
    id: str = attrs.field(validator=check_record_id)
    name: Text
    municipality: Text
    street_address: Text | None = None
    postal_code: str | None = None
    coordinates: Coordinates | None = None
    accessibility: Accessibility | None = None
    directions: Text | None = None  # "2nd floor, ring the Vertaiskeskus bell"


@attrs.frozen
class InPersonChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.IN_PERSON
    place: str = attrs.field(validator=check_record_id)  # id of a Place
    room: Text | None = None


@attrs.frozen
class OnlineChannel:
    """A video meeting, chat or online community (incl. moderated Facebook groups)."""

    kind: ClassVar[ChannelKind] = ChannelKind.ONLINE
    url: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    platform: str | None = None  # "Teams", "Facebook", "Discord"
    instructions: Text | None = None  # how to join when there is no public link


@attrs.frozen
class PhoneChannel:
    kind: ClassVar[ChannelKind] = ChannelKind.PHONE
    phone: PhoneNumber = attrs.field(validator=check_phone)
    note: Text | None = None  # hours or call charges


Channel = InPersonChannel | OnlineChannel | PhoneChannel
CHANNEL_CLASSES: tuple[type, ...] = (InPersonChannel, OnlineChannel, PhoneChannel)
