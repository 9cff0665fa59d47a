"""Small value objects shared by groups, services and events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .enums import FeeKind, RecordState
from .errors import InvalidValue, names_field
from .identifiers import Email, PhoneNumber, WebUrl, check_email, check_phone, check_web_url
from .text import Text


@attrs.frozen
class Contact:
    """How to reach an organisation or the people behind a group (not a person's own
    details: those belong to a volunteer or coordinator and need consent)."""

    phone: PhoneNumber | None = attrs.field(default=None, validator=check_phone)
    email: Email | None = attrs.field(default=None, validator=check_email)
    url: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    note: Text | None = None


@names_field


def _check_fee(instance: Fee, attribute, value) -> None:
    if instance.kind is FeeKind.FREE and instance.amount is not None:
        raise InvalidValue(
            fi="maksuttomalla toiminnalla ei voi olla hintaa",
            en="a free activity cannot have an amount",
        )
    if instance.amount is None:
        return
    # JSON's Infinity and NaN, a spreadsheet's "inf" or 1e400: no fee, and no renderer
    # could write them (an amount is written as euros and cents).
    if not instance.amount.is_finite() or instance.amount > MAX_FEE_EUROS:
        raise InvalidValue(fi=f"hinta pitää olla euromäärä väliltä 0–{MAX_FEE_EUROS}",
                           en=f"amount must be a sum of euros from 0 to {MAX_FEE_EUROS}")
    if instance.amount < 0:
        raise InvalidValue(fi="hinta ei voi olla negatiivinen", en="amount cannot be negative")


#: A fee above this is a slip of the keyboard (peer support costs a few euros at most).
MAX_FEE_EUROS = 100_000


@attrs.frozen
class Fee:
    """What taking part costs. Most peer support is free; some groups collect a small
    self-payment (omavastuuosuus) for materials, always announced in advance."""

    kind: FeeKind = FeeKind.FREE
    amount: Decimal | None = attrs.field(default=None, validator=_check_fee)  # euros
    note: Text | None = None
    announced_in_advance: bool = False


@attrs.frozen
class Registration:
    """Whether and how to sign up; also how to ask to join a closed group."""

    required: bool = False
    instructions: Text | None = None
    url: WebUrl | None = attrs.field(default=None, validator=check_web_url)
    email: Email | None = attrs.field(default=None, validator=check_email)
    phone: PhoneNumber | None = attrs.field(default=None, validator=check_phone)
    deadline: dt.date | None = None


@names_field


def _check_status(instance: Status, attribute, value) -> None:
    if instance.until is not None and instance.state is not RecordState.SUSPENDED:
        raise InvalidValue(
            fi="päättymispäivä ('until') kuuluu vain keskeytetylle toiminnalle",
            en="'until' only applies to a suspended activity",
        )


@attrs.frozen
class Status:
    """Active, suspended (until a date, or until further notice when ``until`` is
    empty) or ended. A suspension says why, so visitors are not left guessing."""

    state: RecordState = RecordState.ACTIVE
    reason: Text | None = None
    since: dt.date | None = None
    until: dt.date | None = attrs.field(default=None, validator=_check_status)

    @property
    def until_further_notice(self) -> bool:
        return self.state is RecordState.SUSPENDED and self.until is None


@attrs.frozen
class Provenance:
    """Where a record came from, stamped by the loader: which source, which file or
    feed, where in it, and when. Federations use this to trace and match records."""

    source: str
    location: str  # file path or feed URL
    pointer: str | None = None  # "$.groups[3]" or "row 14"
    retrieved: dt.datetime | None = None
    last_modified: dt.datetime | None = None
