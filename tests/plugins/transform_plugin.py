"""Test plugin (transform_catalogue): tidy the whitespace editors paste into group names."""

from __future__ import annotations

import attrs

from vertaistuki.hookspecs import hookimpl
from vertaistuki.model import Text


def _tidy(text: Text) -> Text:
    return Text.of({language: " ".join(value.split()) for language, value in text.translations})


@hookimpl
def transform_catalogue(catalogue):
    if all(_tidy(group.name) == group.name for group in catalogue.groups):
        return None  # nothing to change: leave the catalogue as it is
    return attrs.evolve(catalogue, groups=tuple(attrs.evolve(group, name=_tidy(group.name)) for group in catalogue.groups))
