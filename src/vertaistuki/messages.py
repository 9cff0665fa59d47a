"""Turning jsonschema and cattrs errors into sentences a volunteer editor understands.

Both libraries speak to programmers ("'ajar' is not one of ['open', 'closed']"); an
editor needs "openness must be one of: open, closed" in Finnish and English, plus the
path, which both libraries give in the same ``$.groups[3].openness`` style.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from jsonschema.exceptions import ValidationError

from .model import InvalidValue

_TYPE_NAMES = {
    "string": ("tekstiä", "text"),
    "integer": ("kokonaisluku", "a whole number"),
    "number": ("luku", "a number"),
    "boolean": ("true tai false", "true or false"),
    "array": ("lista", "a list"),
    "object": ("avain: arvo -pareja", "key: value pairs"),
    "null": ("tyhjä", "empty"),
}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_words(expected: Any) -> tuple[str, str]:
    names = expected if isinstance(expected, list) else [expected]
    fi = " tai ".join(_TYPE_NAMES.get(n, (n, n))[0] for n in names if n != "null")
    en = " or ".join(_TYPE_NAMES.get(n, (n, n))[1] for n in names if n != "null")
    return fi, en


def schema_error_words(error: ValidationError) -> tuple[str, str]:
    """Finnish and English wording for one jsonschema error."""
    keyword, value, expected = error.validator, error.instance, error.validator_value
    field = str(error.path[-1]) if error.path and isinstance(error.path[-1], str) else None
    label = f"kenttä '{field}'" if field else "arvo"
    label_en = f"field '{field}'" if field else "the value"
    if keyword == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        names = ", ".join(missing)
        return f"pakollinen tieto puuttuu: {names}", f"required field missing: {names}"
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted((k for k in value if k not in allowed), key=str) if isinstance(value, dict) else []
        names = ", ".join(map(str, extra))
        return (f"tuntematon kenttä: {names} (kirjoitusvirhe?)", f"unknown field: {names} (a typo?)")
    if keyword == "propertyNames":
        return (f"kentän nimen pitää olla tekstiä, nyt {_short(value)} (lisää lainausmerkit)",
                f"a field's name must be text, got {_short(value)} (put it in quotes)")
    if keyword == "type":
        fi, en = _type_words(expected)
        return f"{label} pitää olla {fi}, nyt {_short(value)}", f"{label_en} must be {en}, got {_short(value)}"
    if keyword == "enum":
        options = ", ".join(str(o) for o in expected if o is not None)
        return (f"{label}: {_short(value)} ei käy; sallitut arvot: {options}",
                f"{label_en}: {_short(value)} is not allowed; use one of: {options}")
    if keyword == "const":
        return f"{label} pitää olla {expected!r}", f"{label_en} must be {expected!r}"
    if keyword == "format":
        return (f"{label}: {_short(value)} ei ole kelvollinen ({expected})",
                f"{label_en}: {_short(value)} is not a valid {expected}")
    if keyword == "pattern":
        hint = error.schema.get("description", "")
        return (f"{label}: {_short(value)} ei ole oikeaa muotoa", f"{label_en}: {_short(value)} is not in the right form"
                + (f" ({hint})" if hint else ""))
    if keyword in ("minLength", "minItems", "minProperties"):
        return f"{label} ei saa olla tyhjä", f"{label_en} must not be empty"
    if keyword in ("maxLength", "maxItems", "maxProperties"):
        return f"{label} on liian pitkä (enintään {expected})", f"{label_en} is too long (at most {expected})"
    if keyword in ("minimum", "exclusiveMinimum"):
        return f"{label} on liian pieni (vähintään {expected})", f"{label_en} is too small (at least {expected})"
    if keyword in ("maximum", "exclusiveMaximum"):
        return f"{label} on liian suuri (enintään {expected})", f"{label_en} is too large (at most {expected})"
    if keyword in ("oneOf", "anyOf"):
        kind = value.get("kind") if isinstance(value, dict) else None
        if kind is not None:
            return (f"{label}: lajia {_short(kind)} ei tunneta tai sen tiedot ovat puutteelliset",
                    f"{label_en}: kind {_short(kind)} is not known or its details are incomplete")
        return f"{label} ei vastaa mitään sallittua muotoa", f"{label_en} does not match any allowed form"
    return f"{label} ei kelpaa: {error.message}", f"{label_en} is not valid: {error.message}"


def cattrs_errors(error: BaseException, path: str) -> Iterator[tuple[str, str, str]]:
    """Walk a cattrs error tree: yield (path, fi, en) for every leaf."""
    if isinstance(error, ForbiddenExtraKeysError):
        names = ", ".join(sorted(error.extra_fields))
        yield path, f"tuntematon kenttä: {names} (kirjoitusvirhe?)", f"unknown field: {names} (a typo?)"
    elif isinstance(error, (ClassValidationError, IterableValidationError)):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            if isinstance(error, IterableValidationError):
                sub = f"{path}[{note.index!r}]"
            else:
                sub = f"{path}.{note.name}"
            yield from cattrs_errors(inner, sub)
        for inner in without:
            yield from cattrs_errors(inner, path)
    elif isinstance(error, InvalidValue):
        yield (f"{path}.{error.field}" if error.field else path), error.fi, error.en
    elif isinstance(error, cattrs.BaseValidationError):
        for inner in error.exceptions:
            yield from cattrs_errors(inner, path)
    elif isinstance(error, KeyError):
        yield path, f"pakollinen tieto puuttuu: {error.args[0]}", f"required field missing: {error.args[0]}"
    elif isinstance(error, (ValueError, TypeError)):
        detail = str(error)
        yield path, f"arvo ei kelpaa: {detail}", f"the value is not valid: {detail}"
    else:
        yield path, f"odottamaton virhe: {type(error).__name__}: {error}", f"unexpected error: {type(error).__name__}: {error}"
