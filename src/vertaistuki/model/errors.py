"""The exception raised by model invariants, worded for volunteer editors.

A model validator raises :class:`InvalidValue` with a Finnish and an English sentence
and, where it knows it, the field it is about; the converter turns it into a
:class:`vertaistuki.problems.Problem` that also names the source, record and path.
"""

from __future__ import annotations

import functools


class InvalidValue(ValueError):
    def __init__(self, fi: str, en: str, field: str | None = None) -> None:
        super().__init__(en)
        self.fi = fi
        self.en = en
        self.field = field



def names_field(check):
    """Decorate an attrs validator so that the :class:`InvalidValue` it raises names the
    field it guards, which cattrs alone would not report (it raises from ``__init__``)."""

    @functools.wraps(check)
    def validator(instance, attribute, value):
        try:
            check(instance, attribute, value)
        except InvalidValue as error:
            if error.field is None:
                error.field = attribute.name
            raise

    return validator
