"""Deterministic HSDS identifiers and the taxonomies that carry vertaistuki's codes.

HSDS wants a UUID for every object. They are UUIDv5 under one fixed namespace, named by
the record's stable id (``catalogue.stable_id``) and the object's role, so exporting
the same catalogue again gives the same ids and an HSDS consumer can update in place.
"""

from __future__ import annotations

import hashlib
import uuid

#: Never change: every id ever published derives from it.
NAMESPACE = uuid.UUID("6f1d2f4e-8c0a-5b3e-9a57-0d8e5c1b7a42")

#: Prefix of the taxonomies (``taxonomy_term.taxonomy``) this plugin writes; the source
#: reads attributes of these taxonomies back into fields, and reports any other.
TAXONOMY_PREFIX = "vertaistuki:"

RECORD = "record"  # code: the record's stable id; value: its collection
ORGANISATION_KIND = "organisation_kind"
SERVICE_KIND = "service_kind"
EVENT_KIND = "event_kind"
OPENNESS = "openness"
FACILITATION = "facilitation"
ARRANGEMENT = "arrangement"
FEE_KIND = "fee_kind"
FLAG = "flag"  # code: a boolean field that is true
ACCESSIBILITY = "accessibility"  # code: the fact; value: "true" / "false"
MEMBER_OF = "member_of"  # code: a federation's stable id
CO_ORGANISER = "co_organiser"  # code: an organisation's stable id
#: vertaistuki vocabularies, written as attributes with their term id as the code.
VOCABULARY_FIELDS = {"audiences": "audience", "topics": "topic", "activities": "activity",
                     "support_forms": "support_form", "regions": "region"}


_NAMESPACE_BYTES = NAMESPACE.bytes
#: The hex digit that holds the RFC 4122 variant bits (10xx), for each digit SHA-1 gave.
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 0b11] for digit in "0123456789abcdef"}


def hsds_id(*parts: str) -> str:
    """``hsds_id("groups", "omaiset:miesten-voimaa", "schedule")`` → a stable UUID string,
    ``str(uuid.uuid5(NAMESPACE, "/".join(parts)))``.

    Spelled out with hashlib as ``uuid5`` does it, in a third of the time (a national
    HSDS export asks for well over a million ids): the SHA-1 of the namespace and the
    name, its first 16 bytes with the version digit set to 5 and the variant bits to 10.
    """
    text = hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode("utf-8")).hexdigest()
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT_DIGIT[text[16]]}{text[17:20]}-{text[20:32]}"
