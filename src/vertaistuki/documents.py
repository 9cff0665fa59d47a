"""Reading catalogue documents (YAML or JSON) without surprises.

Editors hand-write YAML, so the loader is YAML's safe loader with the YAML 1.1 traps
removed: ``no`` (Norwegian) stays a string instead of False, ``18:00`` stays a string
instead of the sexagesimal number 1080, dates stay strings for the schema to check, and
aliases are refused so that a small file cannot expand into gigabytes. Every failure is
a :class:`Problem`; nothing here raises on bad input.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from .bulk import collector_paused
from .model.catalogue import COLLECTIONS
from .problems import Problem

#: Largest hand-written (YAML) catalogue file read: far more than any editor writes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Largest JSON catalogue file read: machine-written national catalogues are large (about
#: 140 MB for 100,000 records) and JSON parses quickly, but a mistake should not be able
#: to fill the memory.
MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


class CatalogueYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars, no aliases and no duplicate keys."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in catalogue files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (list, dict)):  # "[a]: x" or "{a: b}: x": not a name at all
                raise yaml.constructor.ConstructorError(
                    None, None, "a field's name must be text, not a list or mapping", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _restrict_resolvers() -> None:
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, regexp)
            for tag, regexp in entries
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
                           "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        resolvers[first] = kept
    CatalogueYamlLoader.yaml_implicit_resolvers = resolvers
    add = CatalogueYamlLoader.add_implicit_resolver
    add("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    add("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    add("tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789."))


_restrict_resolvers()


def parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=CatalogueYamlLoader)  # noqa: S506 - safe loader subclass


def read_document(path: str | Path, *, label: str | None = None,
                  defer_records: bool = False) -> tuple[Any | None, list[Problem]]:
    """Read a YAML or JSON file into plain data, or explain why it cannot be read.

    ``defer_records``: a JSON catalogue's records are :class:`UnparsedRecord` objects,
    parsed by the loader one at a time, instead of dicts (for :func:`vertaistuki.load`
    and the build's file sources, which hand the data straight to the loader)."""
    path = Path(path)
    source = label or str(path)
    suffix = path.suffix.lower()
    raw, problems = _read_bytes(path, suffix, source)
    if raw is None:
        return None, problems
    if suffix in JSON_SUFFIXES and b"\x00" not in raw:
        text = _narrow_json_text(raw)
        if text is not None:
            # Nothing needs the bytes any more: a national catalogue's 100 MB are let go
            # before parsing, where the text and the parsed data meet at the peak.
            del raw
            data = _deferred_catalogue(text) if defer_records else _loads_catalogue(text)
            del text  # with deferred records, they keep it until the loader is done
            if data is not None:
                return data, []
            # Broken JSON (rare): read the file again and report its problem as written.
            raw, problems = _read_bytes(path, suffix, source)
            if raw is None:
                return None, problems
    text, problems = _decode(raw, source)
    del raw  # as above: the text and the parsed data are enough from here on
    if text is None:
        return None, problems
    return _parse_text(text, suffix, source)


def _read_bytes(path: Path, suffix: str, source: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a catalogue file within the size limit of its format, or why not."""
    if path.is_dir():  # a volunteer may well give the folder the catalogue is in
        return _unusable(source, "is_folder", "tämä on kansio: anna sen luettelotiedosto (.yaml tai .json)",
                         "this is a folder: give the catalogue file in it (.yaml or .json)")
    if suffix not in YAML_SUFFIXES + JSON_SUFFIXES:
        return _unusable(source, "unknown_format",
                         f"tiedostomuotoa {suffix or '(ei päätettä)'} ei tunneta: käytä .yaml tai .json",
                         f"file type {suffix or '(no suffix)'} is not known: use .yaml or .json")
    largest = MAX_JSON_DOCUMENT_BYTES if suffix in JSON_SUFFIXES else MAX_DOCUMENT_BYTES
    try:
        size = path.stat().st_size
        if size > largest:
            # One decimal: 20.4 MB over a limit of 20 MB must not read "20 MB, at most 20 MB".
            mib, limit = f"{size / 2**20:.1f}", largest // 2**20
            return _unusable(source, "file_too_large", f"tiedosto on liian suuri ({mib.replace('.', ',')} Mt, enintään {limit} Mt)",
                             f"the file is too large ({mib} MB, at most {limit} MB)")
        with path.open("rb") as handle:
            raw = handle.read(largest + 1)
    except FileNotFoundError:
        return _unusable(source, "file_missing", "tiedostoa ei löydy", "the file does not exist")
    except IsADirectoryError:
        return _unusable(source, "file_missing", "polku on kansio, ei tiedosto", "the path is a folder, not a file")
    except OSError as error:
        return _unusable(source, "file_unreadable", f"tiedostoa ei voi lukea ({error.strerror})",
                         f"the file cannot be read ({error.strerror})")
    if len(raw) > largest:  # grew while we looked
        return _unusable(source, "file_too_large", "tiedosto on liian suuri", "the file is too large")
    return raw, []


def _unusable(source: str, code: str, fi: str, en: str) -> tuple[None, list[Problem]]:
    return None, [Problem.error(source, "$", fi, en, code=code)]


def parse_document(raw: bytes, suffix: str, source: str) -> tuple[Any | None, list[Problem]]:
    """Parse bytes already read (from a file or a feed) as YAML or JSON."""
    if suffix in JSON_SUFFIXES and b"\x00" not in raw:
        text = _narrow_json_text(raw)
        data = None if text is None else _loads_catalogue(text)
        del text
        if data is not None:
            return data, []
        # Not a well-formed catalogue: the plain way below says what is wrong.
    text, problems = _decode(raw, source)
    if text is None:
        return None, problems
    return _parse_text(text, suffix, source)


#: UTF-8 lead bytes of the characters above U+00FF; \xff never occurs in UTF-8.
_WIDE_LEADS = bytes(range(0xC4, 0xF5))
_MARK_WIDE_LEADS = bytes.maketrans(_WIDE_LEADS, b"\xff" * len(_WIDE_LEADS))
_UTF8_BOM = b"\xef\xbb\xbf"
_BACKSLASH = ord("\\")


def _narrow_json_text(raw: bytes) -> str | None:
    """The text of a JSON document with every character above U+00FF written as a
    ``\\u`` escape (``\\u2013`` for "–"), or None if the bytes are not plain valid UTF-8
    JSON text.

    CPython stores a string with 1, 2 or 4 bytes per character, as its widest character
    needs: one dash (–), typographic quote (”) or euro sign in a 100 MB catalogue makes
    its decoded text 200 MB. Inside a JSON string an escape stands for the very same
    character, so ``json.loads`` gives the same data from a text half the size; outside
    strings both forms are errors. Errors are left to the plain way (decode, then
    parse), so that messages point at the file as written: a caller falls back to it
    whenever this returns None or the narrow text does not parse into a catalogue.
    """
    first = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
    marked = raw.translate(_MARK_WIDE_LEADS)  # memchr can find one byte value, not a range
    starts = []
    position = marked.find(0xFF, first)
    while position >= 0:
        starts.append(position)
        position = marked.find(0xFF, position + 1)
    del marked
    if not starts:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    # Views, not copies, of the runs between wide characters: the one copy is the join.
    view = memoryview(raw)
    pieces: list[bytes | memoryview] = []
    done = first
    for start in starts:
        lead = raw[start]
        end = start + (2 if lead < 0xE0 else 3 if lead < 0xF0 else 4)
        try:
            (character,) = raw[start:end].decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            return None  # not UTF-8 (or a lone 0xFF): the plain decoder says where
        backslashes = 0
        while start - backslashes > first and raw[start - backslashes - 1] == _BACKSLASH:
            backslashes += 1
        if backslashes % 2:
            return None  # an invalid escape (backslash, dash) must not become a valid one
        code = ord(character)
        if code > 0xFFFF:  # JSON writes these as a surrogate pair
            code -= 0x10000
            escape = b"\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
        else:
            escape = b"\\u%04x" % code
        pieces += (view[done:start], escape)
        done = end
    pieces.append(view[done:])
    narrow = b"".join(pieces)
    del pieces, view
    try:
        return narrow.decode("utf-8")
    except UnicodeDecodeError:
        return None


def loads_json_bytes(raw: bytes) -> Any:
    """``json.loads(raw)`` with the same result or error, in less memory when the JSON
    holds characters above U+00FF (see :func:`_narrow_json_text`): for feeds and other
    JSON that arrives as bytes."""
    if b"\x00" not in raw[:4]:  # json.loads reads UTF-16 and UTF-32 (found by their NULs) too
        text = _narrow_json_text(raw)
        if text is not None:
            # A broken document is parsed again below, so that its error reads as written.
            with contextlib.suppress(json.JSONDecodeError, RecursionError):
                return _parse_json(text)
    return _parse_json(raw)


def _parse_json(text: str | bytes) -> Any:
    """``json.loads``, with the garbage collector paused: parsed JSON is a tree, with no
    cycle to find, and a national catalogue's millions of new objects would otherwise
    set off full collections that walk all of them again and again."""
    with collector_paused():
        return json.loads(text)


def _loads_catalogue(text: str) -> dict | None:
    """``json.loads`` of a text that should hold a catalogue; None if it does not."""
    try:
        data = _parse_json(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


class UnparsedRecord:
    """A record of a JSON catalogue, kept as the place in the document's text where it
    starts until the loader needs it (``read_document(..., defer_records=True)``).

    A national catalogue parsed whole is some 400 MB of dicts, lists and strings at
    100,000 records, and letting them go once the models are made does not give that
    memory back: the strings the models keep pin the allocator's arenas, full of holes
    that only objects of the same sizes can fill. Parsed one at a time, each record's
    objects reuse the memory of the one before, and the loaded catalogue is about a
    third of the size (163 instead of 492 MiB at 100,000 records); with ``--jobs`` every
    process holds a copy of it.

    The text was parsed once already when it was read, so the record is well-formed
    JSON, and :meth:`parse` gives the value ``json.loads`` gives for it.
    """

    __slots__ = ("_start", "_text")

    def __init__(self, text: str, start: int) -> None:
        self._text = text
        self._start = start

    def parse(self) -> Any:
        """The record as plain data, parsed anew on every call."""
        return _DECODER.raw_decode(self._text, self._start)[0]

    def __repr__(self) -> str:
        return f"UnparsedRecord(at={self._start})"


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _deferred_catalogue(text: str) -> dict | None:
    """What ``json.loads(text)`` gives for a catalogue, but with each object in a
    collection's list (``groups``, ``places``, ...) as an :class:`UnparsedRecord`; None
    unless the text is one well-formed JSON object (the plain parser then says what is
    wrong). Each record is parsed here once, to be sure it is well-formed, and let go
    at once. A key given twice keeps its last value, as with ``json.loads``."""
    skip = _JSON_SPACE.match
    try:
        with collector_paused():
            at = skip(text).end()
            if text[at:at + 1] != "{":
                return None
            data: dict[str, Any] = {}
            at = skip(text, at + 1).end()
            if text[at:at + 1] == "}":
                at += 1
            else:
                while True:
                    if text[at:at + 1] != '"':
                        return None
                    key, at = json.decoder.scanstring(text, at + 1)
                    at = skip(text, at).end()
                    if text[at:at + 1] != ":":
                        return None
                    at = skip(text, at + 1).end()
                    if key in COLLECTIONS and text[at:at + 1] == "[":
                        data[key], at = _deferred_records(text, at)
                    else:
                        data[key], at = _DECODER.raw_decode(text, at)
                    at = skip(text, at).end()
                    separator = text[at:at + 1]
                    at = skip(text, at + 1).end()
                    if separator == "}":
                        break
                    if separator != ",":
                        return None
            return data if skip(text, at).end() == len(text) else None
    except (json.JSONDecodeError, RecursionError, _NotJson):
        return None


class _NotJson(Exception):
    """A collection's list is not well-formed JSON."""


def _deferred_records(text: str, at: int) -> tuple[list[Any], int]:
    """The list that starts at ``text[at]`` (a ``[``), its objects as
    :class:`UnparsedRecord`; anything else in it (not a record: the schema will say so)
    parsed. Also where the list ends."""
    skip = _JSON_SPACE.match
    decode = _DECODER.raw_decode
    records: list[Any] = []
    at = skip(text, at + 1).end()
    if text[at:at + 1] == "]":
        return records, at + 1
    while True:
        if text[at:at + 1] == "{":
            end = decode(text, at)[1]  # parsed to be sure it is well-formed, and let go
            records.append(UnparsedRecord(text, at))
            at = end
        else:
            value, at = decode(text, at)
            records.append(value)
        at = skip(text, at).end()
        separator = text[at:at + 1]
        at = skip(text, at + 1).end()
        if separator == "]":
            return records, at
        if separator != ",":
            raise _NotJson


def _decode(raw: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """The text of a document (UTF-8, with or without a byte order mark), or why not."""
    if b"\x00" in raw:
        return _unusable(source, "not_text", "tiedosto ei ole tekstiä (se voi olla kuva, PDF tai Excel-tiedosto)",
                         "the file is not text (it may be an image, a PDF or an Excel file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _unusable(source, "not_utf8", f"tiedosto ei ole UTF-8-merkistöä (kohta {error.start}); tallenna se UTF-8:na",
                         f"the file is not UTF-8 (at byte {error.start}); save it as UTF-8")
    # Same as ``not text.strip()`` without copying a large text that ends in a newline.
    if not text or text.isspace():
        return _unusable(source, "file_empty", "tiedosto on tyhjä", "the file is empty")
    return text, []


def _parse_text(text: str, suffix: str, source: str) -> tuple[Any | None, list[Problem]]:
    """Parse decoded text as JSON or YAML; a catalogue must be a mapping."""
    try:
        data = _parse_json(text) if suffix in JSON_SUFFIXES else parse_yaml(text)
    except json.JSONDecodeError as error:
        return _unusable(source, "syntax", f"JSON-virhe rivillä {error.lineno}, sarakkeessa {error.colno}: {error.msg}",
                         f"JSON error at line {error.lineno}, column {error.colno}: {error.msg}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where_fi = f" rivillä {mark.line + 1}, sarakkeessa {mark.column + 1}" if mark else ""
        where_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(error, "problem", None) or str(error)
        return _unusable(source, "syntax", f"YAML-virhe{where_fi}: {detail}", f"YAML error{where_en}: {detail}")
    except RecursionError:
        return _unusable(source, "syntax", "tiedosto on sisäkkäisyydeltään liian syvä", "the file is nested too deeply")
    if not isinstance(data, dict):
        return _unusable(source, "not_a_catalogue", "tiedoston pitää olla luettelo (avain: arvo -pareja), ei lista tai yksittäinen arvo",
                         "the file must be a catalogue (key: value pairs), not a list or a single value")
    return data, []
