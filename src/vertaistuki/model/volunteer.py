"""Volunteers and coordinators, whose personal details are published only with consent.

Every personal field is wrapped in :class:`Consented`, which carries the consent record
next to the value. Renderers never read the wrapped values directly: they call
:meth:`PersonalDetails.published` and get only what the person agreed to show, as of the
day of publishing. Withdrawing consent therefore removes a field from the next build.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

import attrs

from .common import Provenance
from .enums import VolunteerRole
from .errors import InvalidValue, names_field
from .identifiers import Email, PhoneNumber, check_record_id
from .text import Text

T = TypeVar("T")


@names_field


def _check_withdrawn(instance: Consent, attribute, value: dt.date | None) -> None:
    if value is not None and value < instance.given:
        raise InvalidValue(
            fi="suostumus ei voi päättyä ennen kuin se on annettu",
            en="consent cannot be withdrawn before it was given",
            field=attribute.name,
        )


@attrs.frozen
class Consent:
    """A person's recorded permission to publish one detail."""

    given: dt.date
    withdrawn: dt.date | None = attrs.field(default=None, validator=_check_withdrawn)
    recorded_by: str | None = None  # who took the consent (role, not a person's name)

    def in_force(self, on: dt.date) -> bool:
        return self.given <= on and (self.withdrawn is None or on < self.withdrawn)


@attrs.frozen
class Consented(Generic[T]):
    """A personal value and the consent to publish it (``None``: never asked)."""

    value: T
    consent: Consent | None = None

    def publishable(self, on: dt.date) -> bool:
        return self.consent is not None and self.consent.in_force(on)


@attrs.frozen
class PublishedDetails:
    """The personal details a renderer may show: every field not consented is None."""

    name: str | None = None
    home_municipality: str | None = None
    phone: PhoneNumber | None = None
    email: Email | None = None
    languages: tuple[str, ...] = ()
    testimonial: Text | None = None


@attrs.frozen
class PersonalDetails:
    name: Consented[str] | None = None  # as the person wants it shown, e.g. first name only
    home_municipality: Consented[str] | None = None
    phone: Consented[PhoneNumber] | None = None
    email: Consented[Email] | None = None
    languages: Consented[tuple[str, ...]] | None = None
    testimonial: Consented[Text] | None = None  # a quote in the person's own words

    def published(self, on: dt.date | None = None) -> PublishedDetails:
        """Only the consented fields, as of ``on`` (default: today)."""
        day = on or dt.date.today()
        shown = {
            field.name: wrapped.value
            for field in attrs.fields(PersonalDetails)
            if (wrapped := getattr(self, field.name)) is not None and wrapped.publishable(day)
        }
        return PublishedDetails(**shown)

    def redacted(self, on: dt.date | None = None) -> PersonalDetails:
        """A copy without the fields that may not be published, consent records kept
        for those that may (so an aggregator can honour a later withdrawal)."""
        day = on or dt.date.today()
        kept = {
            field.name: wrapped
            for field in attrs.fields(PersonalDetails)
            if (wrapped := getattr(self, field.name)) is not None and wrapped.publishable(day)
        }
        return PersonalDetails(**kept)


@attrs.frozen
class Training:
    name: Text
    completed: dt.date | None = None
    organiser: str | None = None  # organisation id


@attrs.frozen
class Volunteer:
    """A trained peer supporter (vertaistukihenkilö)."""

    id: str = attrs.field(validator=check_record_id)
    organisation: str = attrs.field(validator=check_record_id)
    roles: tuple[VolunteerRole, ...] = ()
    training: Training | None = None
    confidentiality_pledge: bool = False  # has given a pledge of confidentiality (vaitiololupaus)
    regions: tuple[str, ...] = ()
    personal: PersonalDetails = PersonalDetails()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: Provenance | None = None


@attrs.frozen
class Coordinator:
    """A staff member or volunteer who coordinates peer support in some regions.
    Title, office and responsibilities describe the post; name and contact details are
    the person's and need consent like any volunteer's."""

    id: str = attrs.field(validator=check_record_id)
    organisation: str = attrs.field(validator=check_record_id)
    title: Text
    office: Text | None = None
    regions: tuple[str, ...] = ()
    responsibilities: tuple[Text, ...] = ()
    personal: PersonalDetails = PersonalDetails()
    updated: dt.date | None = None
    verified: dt.date | None = None
    provenance: Provenance | None = None
