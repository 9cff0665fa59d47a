"""Identifiers: record ids, Finnish business ids (Y-tunnus), phone numbers, URLs."""

from __future__ import annotations

import re
from typing import NewType

import phonenumbers

from .errors import InvalidValue, names_field

#: A record id within one catalogue (``miesten-voimaa``) or qualified by the catalogue's
#: source (``omaiset-uusimaa:miesten-voimaa``) once catalogues are merged.
RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}(:[a-z0-9][a-z0-9._-]{0,79})?$")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")

#: Phone number in E.164 form, e.g. ``+358407549716``; written by editors in any form
#: that a Finnish reader would recognise ("040 754 9716") and normalised on load.
PhoneNumber = NewType("PhoneNumber", str)
#: An http(s) address: the only kind of link a listing may open.
WebUrl = NewType("WebUrl", str)
#: An e-mail address.
Email = NewType("Email", str)

_BUSINESS_ID = re.compile(r"^([0-9]{7})-([0-9])$")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def business_id_check_digit(body: str) -> int | None:
    """The check digit for the seven digits of a Y-tunnus, or None if none fits.

    Weights 7, 9, 10, 5, 8, 4, 2; remainder 0 gives 0, remainder 1 is never issued,
    otherwise 11 minus the remainder (Finnish Tax Administration's rule).
    """
    remainder = sum(int(d) * w for d, w in zip(body, _BUSINESS_ID_WEIGHTS, strict=False)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_business_id(value: str) -> bool:
    match = _BUSINESS_ID.fullmatch(value)
    if not match:
        return False
    return business_id_check_digit(match.group(1)) == int(match.group(2))


@names_field


def check_business_id(instance, attribute, value: str | None) -> None:
    if value is not None and not is_business_id(value):
        raise InvalidValue(
            fi=f"Y-tunnus {value!r} ei ole kelvollinen (muoto 1234567-8, tarkistenumero)",
            en=f"business id {value!r} is not valid (form 1234567-8 with check digit)",
        )


@names_field


def check_record_id(instance, attribute, value: str) -> None:
    if not RECORD_ID.fullmatch(value):
        raise InvalidValue(
            fi=f"tunniste {value!r} saa sisältää vain pieniä kirjaimia a–z, numeroita ja - _ .",
            en=f"id {value!r} may contain only lower-case a–z, digits and - _ .",
        )


@names_field


def check_record_ids(instance, attribute, values: tuple[str, ...]) -> None:
    for value in values:
        check_record_id(instance, attribute, value)


@names_field


def check_web_url(instance, attribute, value: str | None) -> None:
    if value is not None and not _WEB_URL.fullmatch(value):
        raise InvalidValue(
            fi=f"osoitteen {value!r} pitää alkaa http:// tai https://",
            en=f"address {value!r} must start with http:// or https://",
        )


@names_field


def check_email(instance, attribute, value: str | None) -> None:
    if value is not None and not _EMAIL.fullmatch(value):
        raise InvalidValue(
            fi=f"{value!r} ei ole sähköpostiosoite", en=f"{value!r} is not an e-mail address"
        )


#: Numbers already parsed (as written and in E.164, both → E.164): parsing is the slowest
#: step of loading a record, an association's number repeats on many of its groups, and
#: the model's own check parses the normalised number once more.
_NORMALISED: dict[tuple[str, str], PhoneNumber] = {}
_NORMALISED_LIMIT = 65_536


def normalise_phone(value: str, region: str = "FI") -> PhoneNumber:
    """Parse a phone number as a Finn would write it and return it in E.164 form."""
    known = _NORMALISED.get((value, region))
    if known is not None:
        return known
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise InvalidValue(
            fi=f"{value!r} ei ole puhelinnumero", en=f"{value!r} is not a phone number"
        )
    normalised = PhoneNumber(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    if len(_NORMALISED) >= _NORMALISED_LIMIT:
        _NORMALISED.clear()
    _NORMALISED[(value, region)] = _NORMALISED[(normalised, region)] = normalised
    return normalised


@names_field


def check_phone(instance, attribute, value: str | None) -> None:
    if value is not None and normalise_phone(value) != value:
        raise InvalidValue(
            fi=f"puhelinnumero {value!r} ei ole muodossa +358…",
            en=f"phone number {value!r} is not in +358… form",
        )


def national_phone(value: str) -> str:
    """``+358407549716`` → ``040 754 9716``: how Finnish listings print numbers."""
    parsed = phonenumbers.parse(value, "FI")
    if parsed.country_code == 358:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
