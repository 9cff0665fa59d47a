"""Test plugin (register_vocabularies): a topic the built-in vocabularies lack."""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.model import Term, Text


@hookimpl
def register_vocabularies(register):
    register(Term(vocabulary="topic", id="omaishoito",
                  label=Text.of(fi="Omaishoito", sv="Närståendevård", en="Informal care")))
