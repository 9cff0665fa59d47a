"""Semantic rules: what JSON Schema cannot say about a catalogue.

Each rule looks at structured records (model objects) and yields Problems with the
path of the field concerned. Errors keep a record out of the published catalogue;
warnings are published and reported so that an editor can look.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from .model import (
    Catalogue,
    Coordinator,
    Event,
    FeeKind,
    Group,
    InPersonChannel,
    OnlineChannel,
    Openness,
    Organisation,
    RecordState,
    Service,
    Term,
    Text,
    Volunteer,
)
from .problems import Problem

#: (vocabulary, term id) → Term, for built-in and catalogue-defined vocabularies.
Terms = Mapping[tuple[str, str], Term]

_VOCABULARY_FIELDS = {"audiences": "audience", "topics": "topic", "activities": "activity", "regions": "region",
                      "support_forms": "support_form"}


@attrs.frozen
class RuleContext:
    source: str
    catalogue: Catalogue
    terms: Terms
    # Records left out for an error of their own, (collection, id) → where: a group that
    # names one is told so, not that its organiser "is not among the organisations".
    left_out: Mapping[tuple[str, str], str] = attrs.field(factory=dict)

    def why_missing(self, collections: tuple[str, ...], ref: str) -> tuple[str, str]:
        """(fi, en) to add when ``ref`` is missing because it was left out, else ("", "")."""
        where = next((self.left_out[(c, ref)] for c in collections if (c, ref) in self.left_out), None)
        if where is None:
            return "", ""
        return (f": se jätettiin pois oman virheensä vuoksi (kohta {where}); korjaa se",
                f": it was left out for an error of its own (at {where}); fix that")

    def error(self, path: str, record: Any, fi: str, en: str, code: str) -> Problem:
        return Problem.error(self.source, path, fi, en, record_id=getattr(record, "id", None), code=code)

    def warning(self, path: str, record: Any, fi: str, en: str, code: str) -> Problem:
        return Problem.warning(self.source, path, fi, en, record_id=getattr(record, "id", None), code=code)


Rule = Callable[[RuleContext, str, Any], Iterator[Problem]]


@functools.cache
def _may_hold_text(annotation: Any) -> bool:
    if annotation is Text:
        return True
    if get_origin(annotation) in (Union, UnionType, tuple):
        return any(_may_hold_text(argument) for argument in get_args(annotation) if argument is not Ellipsis)
    return attrs.has(annotation) and bool(_text_fields(annotation))


@functools.cache
def _text_fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that can hold a Text, found once from its annotations:
    the walk below then skips ids, dates, flags and vocabularies without looking."""
    annotations = get_type_hints(cls)
    # A volunteer's own words stay in the language they were given in.
    return tuple(field.name for field in attrs.fields(cls)
                 if field.name not in ("provenance", "personal") and _may_hold_text(annotations[field.name]))


def _texts(value: Any, path: str) -> Iterator[tuple[str, Text]]:
    """Every Text inside a record, with its path (tuples and nested classes included)."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")
    elif value is not None:
        for name in _text_fields(type(value)):
            yield from _texts(getattr(value, name), f"{path}.{name}")


def _all_texts_have(value: Any, languages: tuple[str, ...]) -> bool:
    """Whether every Text inside a record has all of ``languages``: :func:`_texts`
    without the paths, which only a text that lacks one needs (a national catalogue has
    millions of texts, nearly all complete)."""
    if isinstance(value, Text):
        # Text.has, inlined: a call per text and language made this walk twice as slow.
        translations = value.translations
        for language in languages:
            for given, _ in translations:
                if given == language:
                    break
            else:
                return False
        return True
    if isinstance(value, tuple):
        for item in value:
            if not _all_texts_have(item, languages):
                return False
        return True
    if value is not None:
        for name in _text_fields(type(value)):
            if not _all_texts_have(getattr(value, name), languages):
                return False
    return True


def required_languages(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    if not context.catalogue.required_languages or _all_texts_have(record, context.catalogue.required_languages):
        return
    names = {"fi": ("suomeksi", "Finnish"), "sv": ("ruotsiksi", "Swedish"), "en": ("englanniksi", "English")}
    for text_path, text in _texts(record, path):
        for language in context.catalogue.required_languages:
            if not text.has(language):
                fi_name, en_name = names.get(language, (f"kielellä {language}", f"language {language}"))
                yield context.error(text_path, record, f"teksti puuttuu {fi_name}", f"the text is missing in {en_name}", "missing_language")


def status_has_reason(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    status = getattr(record, "status", None)
    if status is not None and status.state is RecordState.SUSPENDED and status.reason is None:
        yield context.error(f"{path}.status.reason", record,
                            "keskeytykselle pitää kertoa syy, ettei kävijä jää arvailemaan",
                            "a suspension needs a reason, so visitors are not left guessing", "suspended_without_reason")


def closed_group_can_be_joined(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    if isinstance(record, Group) and record.openness is Openness.CLOSED:
        if record.registration is None and record.contact is None and not record.contacts:
            yield context.warning(f"{path}.registration", record,
                                  "suljetulle ryhmälle ei ole kerrottu, miten siihen voi pyytää mukaan",
                                  "a closed group does not say how to ask to join", "closed_group_no_way_in")


def online_channel_reachable(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    for index, channel in enumerate(getattr(record, "channels", ())):
        if isinstance(channel, OnlineChannel) and channel.url is None and channel.instructions is None:
            yield context.error(f"{path}.channels[{index}]", record,
                                "verkkokanavalle tarvitaan osoite tai liittymisohjeet",
                                "an online channel needs an address or joining instructions", "online_channel_unreachable")


def self_payment_explained(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    fee = getattr(record, "fee", None)
    if fee is not None and fee.kind is FeeKind.SELF_PAYMENT and fee.amount is None and fee.note is None:
        yield context.warning(f"{path}.fee", record, "omavastuuosuudelle ei ole kerrottu hintaa eikä selitettä",
                              "a self-payment gives neither an amount nor a note", "fee_unexplained")


def known_terms(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    for field, vocabulary in _VOCABULARY_FIELDS.items():
        for index, term_id in enumerate(getattr(record, field, ())):
            if (vocabulary, term_id) not in context.terms:
                yield context.warning(f"{path}.{field}[{index}]", record,
                                      f"sanastossa '{vocabulary}' ei ole termiä {term_id!r}; lisää se kohtaan terms tai korjaa kirjoitusasu",
                                      f"vocabulary '{vocabulary}' has no term {term_id!r}; add it under terms or fix the spelling",
                                      "unknown_term")


def references_exist(context: RuleContext, path: str, record: Any) -> Iterator[Problem]:
    catalogue = context.catalogue

    def local(ref: str) -> bool:  # qualified ids point into other catalogues
        return ":" not in ref

    if isinstance(record, (Group, Service, Event)):
        organisers = [("organiser", record.organiser)]
        if isinstance(record, Event):
            organisers += [(f"co_organisers[{i}]", ref) for i, ref in enumerate(record.co_organisers)]
        for field, ref in organisers:
            if local(ref) and catalogue.organisation(ref) is None:
                why_fi, why_en = context.why_missing(("organisations",), ref)
                yield context.error(f"{path}.{field}", record, f"järjestäjää {ref!r} ei löydy kohdasta organisations{why_fi}",
                                    f"organiser {ref!r} is not among the organisations{why_en}", "unknown_reference")
        for index, channel in enumerate(record.channels):
            if isinstance(channel, InPersonChannel) and local(channel.place) and catalogue.place(channel.place) is None:
                why_fi, why_en = context.why_missing(("places",), channel.place)
                yield context.error(f"{path}.channels[{index}].place", record,
                                    f"paikkaa {channel.place!r} ei löydy kohdasta places{why_fi}",
                                    f"place {channel.place!r} is not among the places{why_en}", "unknown_reference")
        people = [(f"contacts[{i}]", ref) for i, ref in enumerate(record.contacts)]
        if isinstance(record, Group) and record.facilitation is not None:
            people += [(f"facilitation.leaders[{i}]", ref) for i, ref in enumerate(record.facilitation.leaders)]
        for field, ref in people:
            if local(ref) and catalogue.person(ref) is None:
                why_fi, why_en = context.why_missing(("volunteers", "coordinators"), ref)
                yield context.error(f"{path}.{field}", record,
                                    f"henkilöä {ref!r} ei löydy vapaaehtoisista eikä koordinaattoreista{why_fi}",
                                    f"person {ref!r} is not among the volunteers or coordinators{why_en}", "unknown_reference")
    if isinstance(record, (Volunteer, Coordinator)) and local(record.organisation) and catalogue.organisation(record.organisation) is None:
        why_fi, why_en = context.why_missing(("organisations",), record.organisation)
        yield context.error(f"{path}.organisation", record, f"organisaatiota {record.organisation!r} ei löydy{why_fi}",
                            f"organisation {record.organisation!r} is not among the organisations{why_en}", "unknown_reference")
    if isinstance(record, Organisation):
        links = [("parent", record.parent)] if record.parent else []
        links += [(f"member_of[{i}]", ref) for i, ref in enumerate(record.member_of)]
        for field, ref in links:
            if ref == record.id:
                yield context.error(f"{path}.{field}", record, "organisaatio ei voi viitata itseensä",
                                    "an organisation cannot refer to itself", "self_reference")
            elif local(ref) and catalogue.organisation(ref) is None:
                # A member association's own catalogue often names a federation it does
                # not describe; that is worth a look, not a reason to hide the record.
                yield context.warning(f"{path}.{field}", record, f"organisaatiota {ref!r} ei ole tässä luettelossa",
                                      f"organisation {ref!r} is not in this catalogue", "unknown_reference")


RULES: tuple[Rule, ...] = (
    required_languages,
    status_has_reason,
    closed_group_can_be_joined,
    online_channel_reachable,
    self_payment_explained,
    known_terms,
    references_exist,
)


def duplicate_ids(context: RuleContext, entries: Mapping[str, list[tuple[int, Any]]]) -> Iterator[tuple[str, int, Problem]]:
    """The second and later records that reuse an id within one collection.

    ``entries`` holds each collection's records with their index in the input, so the
    problem points at the line the editor wrote."""
    for collection, records in entries.items():
        seen: set[Any] = set()
        for index, record in records:
            key = (record.vocabulary, record.id) if isinstance(record, Term) else record.id
            if key in seen:
                yield collection, index, context.error(
                    f"$.{collection}[{index}].id", record, f"tunniste {record.id!r} on jo käytössä",
                    f"id {record.id!r} is already used", "duplicate_id")
            seen.add(key)
