"""The one cattrs converter: catalogue files (plain JSON/YAML data) ⇄ model objects.

File conventions, kept in one place so that schemas, examples and outputs agree:

- field names are the attribute names (snake_case); unknown keys are an error;
- fields equal to their default are omitted when writing;
- multilingual text is an object of BCP 47 language → string;
- dates are ``YYYY-MM-DD``, times ``HH:MM``, instants ISO 8601 with an offset;
- money is a JSON number of euros; phone numbers are normalised to E.164 on reading;
- a channel is an object tagged by ``kind`` (``in_person``, ``online``, ``phone``);
- enumerations are their code strings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

import cattrs
from cattrs.strategies import configure_tagged_union

from .model import Catalogue, Channel, PhoneNumber, Provenance, Text, normalise_phone
from .model.catalogue import COLLECTIONS
from .model.errors import InvalidValue

T = TypeVar("T")


class SharedValues:
    """Equal immutable values met while loading one catalogue, each kept once.

    A national catalogue repeats itself: vocabulary ids, languages, municipality names,
    room names and the boilerplate an association writes on every group ("Ilmoittaudu
    etukäteen…"). Parsed JSON makes a new object of every occurrence; while the table is
    active (see :func:`shared_values`) the structure hooks hand out the first equal
    value instead, so the catalogue keeps one string, tuple or :class:`Text` for all of
    them. Sharing is safe because model values are immutable, and invisible: every
    shared value is equal to the one it stands for.
    """

    __slots__ = ("fresh_copies", "strings", "texts", "tuples")

    def __init__(self, *, fresh_copies: bool = False) -> None:
        self.strings: dict[str, str] = {}
        self.texts: dict[tuple[tuple[str, str], ...], Text] = {}
        self.tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Keep copies of non-ASCII strings rather than the raw ones (see :meth:`string`).
        self.fresh_copies = fresh_copies

    def string(self, value: str) -> str:
        if type(value) is not str:  # a str subclass (an enum member, say) stays itself
            return value
        kept = self.strings.get(value)
        if kept is None:
            kept = value
            if self.fresh_copies and not value.isascii():
                # jsonschema-rs reads the raw strings as UTF-8, and CPython keeps that
                # UTF-8 copy inside every non-ASCII string for the string's lifetime. When
                # the raw data is going away anyway, a fresh copy lets the cache go with
                # it; otherwise the raw string is the cheaper one to keep.
                kept = "".join((value, ""))  # noqa: FLY002 - an f-string would return the same object
            self.strings[kept] = kept
        return kept


#: The table of the catalogue being loaded, or None outside :func:`shared_values`.
_shared: SharedValues | None = None


@contextlib.contextmanager
def shared_values(*, fresh_copies: bool = False) -> Iterator[None]:
    """Share equal values among the records structured in the ``with`` block.

    The table lives for one load only, so nothing is kept once the load is over. Nested
    (or concurrent) loads use the outermost table; a hook that finds no table simply
    does not share, so the values are the same either way. ``fresh_copies``: see
    :meth:`SharedValues.string` (for raw data that is dropped as it is structured).
    """
    global _shared
    if _shared is not None:
        yield
        return
    _shared = SharedValues(fresh_copies=fresh_copies)
    try:
        yield
    finally:
        _shared = None


def _structure_time(value: Any, _: type) -> dt.time:
    if not isinstance(value, str):
        raise ValueError(f"expected a time like 18:00, got {value!r}")
    return _parse_time(value)


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")


def _structure_date(value: Any, _: type) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2026-09-01, got {value!r}")
    return _parse_date(value)


# A catalogue's dates and times fall on a few thousand days and minutes: parse each once
# and share the (immutable) result among all the records that give it.
_parse_date = functools.lru_cache(maxsize=8192)(dt.date.fromisoformat)
_parse_time = functools.lru_cache(maxsize=4096)(dt.time.fromisoformat)


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected a date and time like 2026-09-01T18:00:00+03:00, got {value!r}")
    return dt.datetime.fromisoformat(value)


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"expected a number of euros, got {value!r}")
    return Decimal(str(value))


def _unstructure_decimal(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Control characters but tab and line breaks: "\u0000" in a YAML string, a feed's stray
# "\u000b". Invisible on a page, they end up raw in every output (a CSV with one is not
# text to a spreadsheet, nor to our own CSV source).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(pairs: tuple[tuple[str, str], ...]) -> None:
    for _, text in pairs:
        # isprintable() is one pass in C and true for nearly every name; a line break or
        # a tab (allowed) makes it false, and then the pattern decides.
        if not text.isprintable() and (control := _CONTROL.search(text)) is not None:
            code = f"U+{ord(control.group()):04X}"
            raise InvalidValue(fi=f"tekstissä on näkymätön ohjausmerkki ({code}), joka rikkoo taulukot ja kalenterit: poista se",
                               en=f"the text holds an invisible control character ({code}), which breaks spreadsheets "
                                  "and calendars: remove it")


def _structure_text(value: Any, _: type) -> Text:
    if not isinstance(value, dict):
        raise ValueError(f"expected texts by language, like {{fi: …, sv: …}}, got {value!r}")
    pairs = tuple(sorted(value.items()))
    plain = True
    for _, text in pairs:
        if type(text) is not str:
            if not isinstance(text, str):
                raise ValueError("every translation must be a string")
            plain = False
    shared = _shared
    if shared is None or not plain:
        _no_control_characters(pairs)
        return Text(pairs)
    known = shared.texts.get(pairs)  # an equal text met before was checked then
    if known is None:
        _no_control_characters(pairs)
        string = shared.string
        kept = tuple((string(language), string(text)) for language, text in pairs)
        known = shared.texts[kept] = Text(kept)  # keyed by the kept strings: the raw ones can go
    return known


def _is_optional(cls: Any) -> bool:
    arguments = get_args(cls)
    return get_origin(cls) in (Union, UnionType) and len(arguments) == 2 and type(None) in arguments


def _make_structure_optional(cls: Any, converter: cattrs.Converter) -> Any:
    # cattrs looks up the hook of ``X`` on every call for ``X | None``; most fields of
    # a record are optional, so look it up once.
    (inner,) = (argument for argument in get_args(cls) if argument is not type(None))
    structure_inner = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: type) -> Any:
        return None if value is None else structure_inner(value, inner)

    return structure_optional


def _is_tuple_of_str(cls: Any) -> bool:
    return cls == tuple[str, ...]


def _make_structure_str_tuple(converter: cattrs.Converter) -> Any:
    # Id and vocabulary lists are the most common field; cattrs' generic tuple hook
    # dispatches per item. Anything but a list of strings takes the generic way, whose
    # errors name the index of each bad item.
    generic = converter.get_structure_hook(tuple[str, ...])

    def structure_str_tuple(value: Any, cls: type) -> tuple[str, ...]:
        if isinstance(value, list) and all(type(item) is str for item in value):
            items = tuple(value)
            shared = _shared
            if shared is None or not items:
                return items
            known = shared.tuples.get(items)
            if known is None:
                known = tuple(map(shared.string, items))
                shared.tuples[known] = known
            return known
        return generic(value, cls)

    return structure_str_tuple


def _structure_phone(value: Any, _: type) -> PhoneNumber:
    if not isinstance(value, str):
        raise ValueError(f"expected a phone number as text, got {value!r}")
    return normalise_phone(value)


def _model_enums() -> list[type[Enum]]:
    from . import model

    return [value for value in vars(model).values() if isinstance(value, type) and issubclass(value, Enum) and value is not Enum]


def _enum_code(member: Enum) -> Any:
    return member.value


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        options = ", ".join(str(member.value) for member in cls)
        raise ValueError(f"{value!r} is not one of: {options}") from None


def _structure_shared_str(value: Any, cls: type) -> str:
    """Text, shared within a load; anything else is refused.

    cattrs' own hook would turn 42 into "42": a postal code typed as a number (00100
    read as 100 by a spreadsheet) would become "100" without a word. The schema refuses
    such values before structuring; this hook refuses them for callers who structure
    data themselves. It takes the place of cattrs' own str hook, which cattrs registers
    by singledispatch and would consult before any predicate hook.
    """
    if type(value) is not str:  # one test for the common case: plain text
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        value = cls(value)
    shared = _shared
    return value if shared is None else shared.string(value)


@functools.cache
def make_catalogue_converter() -> cattrs.Converter:
    """Build (once) the converter used everywhere catalogues are read or written."""
    # A plain Converter rather than cattrs' JSON preset: the preset leaves str-enums for
    # json.dumps to handle, but our plain data also goes to YAML and CSV.
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    # The model enums (str mixins) get their own hooks below, which singledispatch
    # prefers to this one.
    converter.register_structure_hook(str, _structure_shared_str)
    # str-mixin enums would otherwise reach json.dumps/yaml as enum objects.
    # Enums become their codes. Hooks go on each concrete class: cattrs' built-in str
    # handling would otherwise win for str-mixin enums and pass the members through.
    for enum_class in _model_enums():
        converter.register_unstructure_hook(enum_class, _enum_code)
        converter.register_structure_hook(enum_class, _structure_enum)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.time, _structure_time)
    converter.register_unstructure_hook(dt.time, _unstructure_time)
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_structure_hook(Text, _structure_text)
    converter.register_unstructure_hook(Text, Text.as_dict)
    converter.register_structure_hook(PhoneNumber, _structure_phone)
    converter.register_structure_hook_func(_is_tuple_of_str, _make_structure_str_tuple(converter))
    converter.register_structure_hook_factory(_is_optional, _make_structure_optional)
    # The loader stamps provenance into the raw record before structuring it, which
    # costs one small object instead of rebuilding (and re-validating) the record.
    structure_provenance = converter.get_structure_hook(Provenance)
    converter.register_structure_hook(
        Provenance, lambda value, cls: value if isinstance(value, Provenance) else structure_provenance(value, cls))
    configure_tagged_union(
        Channel,
        converter,
        tag_generator=lambda cls: cls.kind.value,
        tag_name="kind",
    )
    return converter


def structure(data: Any, cls: type[T]) -> T:
    return make_catalogue_converter().structure(data, cls)


def structure_hook(cls: type[T]) -> Callable[[Any, type[T]], T]:
    """The function :func:`structure` calls for ``cls``, for structuring many records."""
    return make_catalogue_converter().get_structure_hook(cls)


def unstructure(obj: Any) -> Any:
    return make_catalogue_converter().unstructure(obj)


def record_class(collection: str) -> type:
    return COLLECTIONS[collection]


def catalogue_to_data(catalogue: Catalogue) -> dict[str, Any]:
    """A catalogue as plain data, ready for ``json.dumps`` or ``yaml.safe_dump``."""
    return unstructure(catalogue)
