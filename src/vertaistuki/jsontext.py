"""Indented JSON text, exactly as ``json.dumps(value, ensure_ascii=False, indent=…)``
writes it, in about half the time.

The standard library indents in pure Python, through one generator per nesting level,
so every piece of output is passed up through each level above it; the feeds of a
national catalogue are hundreds of megabytes of such text. Here one recursive function
appends to a list instead (strings still go through the standard library's C string
encoder, numbers through the same ``repr``), giving the same characters.

It takes what the renderers build: dicts (keys str, int, float, bool or None, as
``json.dumps`` accepts), lists, tuples, str, int, float, bool and None, subclasses
included. Anything else raises TypeError, as ``json.dumps`` without ``default`` does.

A :class:`Dumped` value is JSON text already written by :func:`dumps` with the same
indent, put in place as it is (indented to where it lands). A renderer writing a
national feed dumps each item as soon as it is made and keeps only the text: the dicts
of all the items would take several times the memory of the feed itself.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from collections.abc import Iterable, Iterator
from typing import Any

_INFINITY = float("inf")


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
    """JSON text written by :func:`dumps` (same indent), to be placed as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def dumps(value: Any, *, indent: int | str | None = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``; ``indent=None`` is the
    compact form, which the standard library already writes in C."""
    if not isinstance(indent, (int, str)):  # None (compact) or something json itself should judge
        return json.dumps(value, ensure_ascii=False, indent=indent)
    pad = " " * indent if isinstance(indent, int) else indent
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
            append(item.text.replace("\n", newline))
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
                append(f"{lead}{key}: {encode(item)}")
            elif kind is dict or kind is list:
                append(f"{lead}{key}: ")
                (mapping if kind is dict else sequence)(item, inner)
            elif isinstance(item, str):
                append(f"{lead}{key}: {encode(item)}")
            elif item is None or item is True or item is False or isinstance(item, (int, float)):
                append(f"{lead}{key}: {_scalar(item)}")
            else:
                append(f"{lead}{key}: ")
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

    container(value, "\n")
    return "".join(chunks)


def array_utf8(items: Iterable[Any], *, indent: int | str = 2, level: int = 0) -> bytes:
    """``json.dumps(list(items), ensure_ascii=False, indent=indent)`` in UTF-8, as it is
    written at nesting ``level`` of an enclosing document.

    Each item (a value, or :class:`Dumped` text) is written and encoded on its own, so
    the text of the whole array exists once, as bytes: a national feed's text held as
    str can take twice its UTF-8 size (one "–" makes every character two bytes wide).
    """
    return b"".join(array_chunks(items, indent=indent, level=level))


def array_chunks(items: Iterable[Any], *, indent: int | str = 2, level: int = 0) -> Iterator[bytes]:
    """:func:`array_utf8` as chunks, one per item: the items (a generator) are made,
    written and dropped one at a time, so neither they nor the text need fit in memory."""
    pad = " " * indent if isinstance(indent, int) else indent
    inner = "\n" + pad * (level + 1)
    lead = b"["
    for item in items:
        text = item.text if isinstance(item, Dumped) else dumps(item, indent=indent)
        yield lead + (inner + text.replace("\n", inner)).encode("utf-8")
        lead = b","
    yield b"[]" if lead == b"[" else ("\n" + pad * level + "]").encode("utf-8")


class Items:
    """An array in a :func:`object_chunks` document whose items are made while it is
    written (a generator of values or :class:`Dumped` texts)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def object_chunks(data: dict, *, indent: int | str = 2) -> Iterator[bytes]:
    """The UTF-8 of ``dumps(data, indent=indent)`` in chunks, where a value may be
    :class:`Items`, written item by item: a national feed (one object whose arrays hold
    every record) then never exists whole, as dicts or as text."""
    pad = " " * indent if isinstance(indent, int) else indent
    if not data:
        yield b"{}"
        return
    lead = "{\n" + pad
    for key, value in data.items():
        head = f"{lead}{_key(key)}: "
        if isinstance(value, Items):
            yield head.encode("utf-8")
            yield from array_chunks(value.items, indent=indent, level=1)
        else:
            yield (head + dumps(value, indent=indent).replace("\n", "\n" + pad)).encode("utf-8")
        lead = ",\n" + pad
    yield b"\n}"
