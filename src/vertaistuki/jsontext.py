"""JSON text for the renderers' feeds: what ``json.dumps(value, ensure_ascii=False,
indent=…)`` writes, made fast.

With orjson installed (the ``fast`` extra, which ``make`` installs) indented (``indent=2``)
and compact (``indent=None``) text is written by orjson, in Rust, about fifteen times
faster than Python indents it. Everything else, and whatever orjson cannot write the
way ``json`` does (a :class:`Dumped` text inside a value, an integer beyond 64 bits, a
key that is not a string, a date or another type ``json`` refuses), is written here in
Python, or refused with ``json``'s words. The text is the same either way but where
``json`` itself is odd or wrong: orjson writes a float whose magnitude is below 0.0001
as ``1e-7`` rather than ``1e-07``, NaN and the infinities (which JSON cannot hold) as
``null``, and a UUID or a plain Enum, which ``json`` refuses, as its value. The
renderers write none of these. ``VERTAISTUKI_JSON_BACKEND=python`` turns orjson off.

The standard library indents in pure Python, through one generator per nesting level,
so every piece of output is passed up through each level above it. The Python writer
here is one recursive function appending to a list instead (strings still go through
the standard library's C string encoder, numbers through the same ``repr``), giving
the same characters in about half the time.

It takes what the renderers build: dicts (keys str, int, float, bool or None, as
``json.dumps`` accepts), lists, tuples, str, int, float, bool and None, subclasses
included. Anything else raises TypeError, as ``json.dumps`` without ``default`` does.

Compact text (``indent=None``) has no spaces: ``separators=(",", ":")``, the smallest
feed and what orjson writes.

A :class:`Dumped` value is JSON text already written by :func:`dumps` with the same
indent, put in place as it is (indented to where it lands). A renderer writing a
national feed dumps each item as soon as it is made and keeps only the text: the dicts
of all the items would take several times the memory of the feed itself.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any

from .envvars import temporarily

_INFINITY = float("inf")
BACKEND_VARIABLE = "VERTAISTUKI_JSON_BACKEND"
COMPACT_SEPARATORS = (",", ":")


def json_backend() -> str:
    """``orjson`` when it is installed and not turned off, else ``python``."""
    return "python" if _orjson_writer() is None else "orjson"


@contextlib.contextmanager
def using_backend(backend: str) -> Iterator[None]:
    """Write with ``backend`` (``auto``, ``python`` or ``orjson``) inside the block, for
    comparing the two; the choice is the process's, through :data:`BACKEND_VARIABLE`."""
    with temporarily(BACKEND_VARIABLE, backend):
        _orjson_writer.cache_clear()  # the writer is chosen once per setting
        try:
            yield
        finally:
            _orjson_writer.cache_clear()


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is left to the Python writer")


@functools.cache
def _orjson_writer() -> Callable[[Any, int | str | None], bytes | None] | None:
    """A function writing a value as UTF-8 with orjson, or None where it cannot write
    it as ``json`` would (then the Python writer does); None when orjson is off."""
    wanted = os.environ.get(BACKEND_VARIABLE, "auto").strip().lower() or "auto"
    if wanted not in ("auto", "python", "orjson"):
        raise ValueError(f"{BACKEND_VARIABLE} must be auto, python or orjson, not {wanted!r}")
    if wanted == "python":
        return None
    try:
        import orjson
    except ImportError:
        if wanted == "orjson":
            raise RuntimeError(f"{BACKEND_VARIABLE}=orjson but orjson is not installed "
                               "(pip install 'vertaistuki[fast]')") from None
        return None
    # Dates and dataclasses orjson would write itself, but json refuses them: they go to
    # ``default``, which hands them to the Python writer, so that both refuse the same.
    strict = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    options = {2: strict | orjson.OPT_INDENT_2, None: strict}
    encode, failed = orjson.dumps, orjson.JSONEncodeError

    def write(value: Any, indent: int | str | None) -> bytes | None:
        option = options.get(indent) if type(indent) is not bool else None  # True == 1: not ours
        if option is None:
            return None
        try:
            return encode(value, default=_refuse, option=option)
        except failed:
            return None

    return write


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    """A value that is not a container, in the order ``json`` tests the types."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A key as ``json`` writes it: a string, or the scalar's text in quotes (none of
    which needs escaping)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if key is None or isinstance(key, (int, float)):  # bool is an int
        return f'"{_scalar(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


class Dumped:
    """JSON text written by :func:`dumps` (same indent), to be placed as it is. An item
    of an array that :func:`array_chunks` writes may hold the text's UTF-8 bytes
    instead (as kept on a shelf: no decoding to encode it again); inside a value the
    text is a str."""

    __slots__ = ("text",)

    def __init__(self, text: str | bytes) -> None:
        self.text = text


def kept(value: Any, *, indent: int | str | None = 2) -> Any:
    """A value that will be placed in many documents, in the form that is cheapest to
    place again: the value itself when orjson writes it (rewriting it in Rust costs less
    than moving its text to the depth where it lands, and orjson cannot place text
    inside a value), else its text as :class:`Dumped`, written once."""
    if _orjson_writer() is not None:
        return value
    return Dumped(_python_dumps(value, indent))


def dumps(value: Any, *, indent: int | str | None = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``; ``indent=None`` is the
    compact form without spaces (``separators=(",", ":")``)."""
    fast = _orjson_writer()
    if fast is not None and (text := fast(value, indent)) is not None:
        return text.decode("utf-8")
    return _python_dumps(value, indent)


def dumps_utf8(value: Any, *, indent: int | str | None = 2) -> bytes:
    """:func:`dumps` in UTF-8 (orjson writes UTF-8: no text to encode)."""
    fast = _orjson_writer()
    if fast is not None and (text := fast(value, indent)) is not None:
        return text
    return _python_dumps(value, indent).encode("utf-8")


def _python_dumps(value: Any, indent: int | str | None) -> str:
    if indent is not None and not isinstance(indent, (int, str)):  # something json itself should judge
        return json.dumps(value, ensure_ascii=False, indent=indent)
    # Compact text is indented text without line breaks, indents or the space after ":".
    pad = _pad(indent)
    colon = ": " if indent is not None else ":"
    chunks: list[str] = []
    append = chunks.append
    encode = encode_basestring

    def container(item: Any, newline: str) -> None:
        if isinstance(item, (str, int, float)) or item is None:
            append(_scalar(item))
        elif isinstance(item, (list, tuple)):
            sequence(item, newline)
        elif isinstance(item, dict):
            mapping(item, newline)
        elif isinstance(item, Dumped):
            # JSON strings cannot hold a raw line break, so every "\n" in the text starts a line.
            append(item.text.replace("\n", newline) if newline != "\n" else item.text)
        else:
            append(_scalar(item))  # raises TypeError

    def mapping(data: dict, newline: str) -> None:
        if not data:
            append("{}")
            return
        inner = newline + pad
        lead = "{" + inner
        separator = "," + inner
        for key, item in data.items():
            key = encode(key) if type(key) is str else _key(key)
            kind = type(item)
            if kind is str:
                append(f"{lead}{key}{colon}{encode(item)}")
            elif kind is dict or kind is list:
                append(f"{lead}{key}{colon}")
                (mapping if kind is dict else sequence)(item, inner)
            elif isinstance(item, str):
                append(f"{lead}{key}{colon}{encode(item)}")
            elif item is None or item is True or item is False or isinstance(item, (int, float)):
                append(f"{lead}{key}{colon}{_scalar(item)}")
            else:
                append(f"{lead}{key}{colon}")
                container(item, inner)
            lead = separator
        append(newline + "}")

    def sequence(items: list | tuple, newline: str) -> None:
        if not items:
            append("[]")
            return
        inner = newline + pad
        lead = "[" + inner
        separator = "," + inner
        for item in items:
            kind = type(item)
            if kind is str:
                append(lead + encode(item))
            elif kind is dict:
                append(lead)
                mapping(item, inner)
            elif kind is list:
                append(lead)
                sequence(item, inner)
            elif isinstance(item, str) or item is None or item is True or item is False or isinstance(item, (int, float)):
                append(lead + _scalar(item))
            else:
                append(lead)
                container(item, inner)
            lead = separator
        append(newline + "]")

    try:
        container(value, "\n" if indent is not None else "")
    finally:
        # The three writers refer to one another: unbound, they and the text are freed
        # now rather than by the garbage collector's next full pass.
        container = mapping = sequence = None  # type: ignore[assignment]  # noqa: F841
    return "".join(chunks)


def _pad(indent: int | str | None) -> str:
    """One level of indentation ("" for compact text)."""
    if indent is None:
        return ""
    return " " * indent if isinstance(indent, int) else indent


def _placed(text: bytes, inner: bytes) -> bytes:
    """Indented text moved to where it lands: every line after the first starts ``inner``
    further in (compact text has no line breaks to move)."""
    return text.replace(b"\n", inner) if len(inner) > 1 else text


def array_utf8(items: Iterable[Any], *, indent: int | str | None = 2, level: int = 0) -> bytes:
    """``json.dumps(list(items), ensure_ascii=False, indent=indent)`` in UTF-8, as it is
    written at nesting ``level`` of an enclosing document.

    Each item (a value, or :class:`Dumped` text) is written and encoded on its own, so
    the text of the whole array exists once, as bytes: a national feed's text held as
    str can take twice its UTF-8 size (one "–" makes every character two bytes wide).
    """
    return b"".join(array_chunks(items, indent=indent, level=level))


def array_chunks(items: Iterable[Any], *, indent: int | str | None = 2, level: int = 0) -> Iterator[bytes]:
    """:func:`array_utf8` as chunks, one per item: the items (a generator) are made,
    written and dropped one at a time, so neither they nor the text need fit in memory."""
    pad = _pad(indent).encode("utf-8")
    newline = b"\n" if indent is not None else b""
    inner = newline + pad * (level + 1)
    lead = b"["
    for item in items:
        if isinstance(item, Dumped):
            text = item.text if isinstance(item.text, bytes) else item.text.encode("utf-8")
        else:
            text = dumps_utf8(item, indent=indent)
        yield lead + inner + _placed(text, inner)
        lead = b","
    yield b"[]" if lead == b"[" else newline + pad * level + b"]"


class Items:
    """An array in a :func:`object_chunks` document whose items are made while it is
    written (a generator of values or :class:`Dumped` texts)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def object_chunks(data: dict, *, indent: int | str | None = 2) -> Iterator[bytes]:
    """The UTF-8 of ``dumps(data, indent=indent)`` in chunks, where a value may be
    :class:`Items`, written item by item: a national feed (one object whose arrays hold
    every record) then never exists whole, as dicts or as text."""
    pad = _pad(indent)
    if not data:
        yield b"{}"
        return
    newline = "\n" if indent is not None else ""
    colon = ": " if indent is not None else ":"
    inner = (newline + pad).encode("utf-8")
    lead = "{" + newline + pad
    for key, value in data.items():
        head = f"{lead}{_key(key)}{colon}".encode()
        if isinstance(value, Items):
            yield head
            yield from array_chunks(value.items, indent=indent, level=1)
        else:
            yield head + _placed(dumps_utf8(value, indent=indent), inner)
        lead = "," + newline + pad
    yield (newline + "}").encode("utf-8")
