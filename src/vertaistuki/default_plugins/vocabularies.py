"""Built-in vocabularies: Finland's 19 regions and the common group activities."""

from __future__ import annotations

import functools
from importlib.resources import files

import yaml

from ..hookspecs import hookimpl
from ..model import Term, Text


@functools.cache
def builtin_terms() -> tuple[Term, ...]:
    data = yaml.safe_load(files(__package__).joinpath("vocabularies.yaml").read_text(encoding="utf-8"))
    return tuple(
        Term(vocabulary=vocabulary, id=term_id, notation=notation, label=Text.of(fi=fi, sv=sv, en=en))
        for vocabulary, rows in data.items()
        for term_id, notation, fi, sv, en in rows
    )


@hookimpl
def register_vocabularies(register):
    for term in builtin_terms():
        register(term)
