"""The renderer's options (``options = { … }`` in ``catalogue.toml``), read and checked
once so that a typo stops the output with a message instead of exporting wrong ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from vertaistuki import options as option_checks
from vertaistuki.schedule import MAX_WINDOW

DEFAULT_API_BASE = "https://api.hel.fi/linkedevents/v1/"
DEFAULT_DATA_SOURCE = "vertaistuki"
DEFAULT_INTERNET_PLACE = "helsinki:internet"
DEFAULT_WINDOW_DAYS = 90
PUBLICATION_STATUSES = ("public", "draft")

# Linked Events ids are "<data source>:<origin id>"; the data source part is a slug.
_DATA_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KNOWN = {"data_source", "publisher", "api_base", "languages", "window_days", "keyword_map",
          "extra_keywords", "place_map", "internet_place", "audience_ages", "include_services",
          "publication_status", "indent"}


class OptionError(ValueError):
    """An option the renderer cannot use; the core reports it as a renderer problem."""


@attrs.frozen
class AgeRange:
    minimum: int | None = None
    maximum: int | None = None


@attrs.frozen
class Options:
    data_source: str = DEFAULT_DATA_SOURCE
    publisher: str | None = None
    api_base: str = DEFAULT_API_BASE
    languages: tuple[str, ...] = ("fi", "sv", "en")
    window_days: int = DEFAULT_WINDOW_DAYS
    keyword_map: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    extra_keywords: tuple[str, ...] = ()
    place_map: Mapping[str, str] = attrs.field(factory=dict)
    internet_place: str = DEFAULT_INTERNET_PLACE
    audience_ages: Mapping[str, AgeRange] = attrs.field(factory=dict)
    include_services: bool = False
    publication_status: str = "public"
    indent: int | None = None  # compact JSON, as the API answers; 1–8 spaces for reading

    @classmethod
    def read(cls, raw: Mapping[str, Any], default_languages: tuple[str, ...]) -> Options:
        unknown = sorted(set(raw) - _KNOWN)
        if unknown:
            raise OptionError(f"unknown linked-events option(s): {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(_KNOWN))}")
        data_source = _text(raw, "data_source", DEFAULT_DATA_SOURCE)
        if not _DATA_SOURCE.match(data_source):
            raise OptionError(f"data_source {data_source!r} must be a lower-case slug such as 'vertaistuki'")
        api_base = _text(raw, "api_base", DEFAULT_API_BASE)
        if not api_base.startswith(("https://", "http://")):
            raise OptionError(f"api_base {api_base!r} must be an http(s) address")
        window_days = raw.get("window_days", DEFAULT_WINDOW_DAYS)
        if not isinstance(window_days, int) or isinstance(window_days, bool) or not 1 <= window_days <= MAX_WINDOW.days:
            raise OptionError(f"window_days must be a whole number of days from 1 to {MAX_WINDOW.days}")
        status = _text(raw, "publication_status", "public")
        if status not in PUBLICATION_STATUSES:
            raise OptionError(f"publication_status must be one of {', '.join(PUBLICATION_STATUSES)}")
        include_services = raw.get("include_services", False)
        if not isinstance(include_services, bool):
            raise OptionError("include_services must be true or false")
        try:
            indent = option_checks.indent_setting(raw)
        except ValueError as error:
            raise OptionError(str(error)) from None
        return cls(
            data_source=data_source,
            publisher=_text(raw, "publisher", None),
            api_base=api_base if api_base.endswith("/") else api_base + "/",
            languages=_strings(raw, "languages") or default_languages,
            window_days=window_days,
            keyword_map=_keyword_map(raw.get("keyword_map", {})),
            extra_keywords=_strings(raw, "extra_keywords"),
            place_map=_string_map(raw.get("place_map", {}), "place_map"),
            internet_place=_text(raw, "internet_place", DEFAULT_INTERNET_PLACE),
            audience_ages=_audience_ages(raw.get("audience_ages", {})),
            include_services=include_services,
            publication_status=status,
            indent=indent,
        )


def _text(raw: Mapping[str, Any], name: str, default: str | None) -> str | None:
    value = raw.get(name, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise OptionError(f"{name} must be a non-empty text")
    return value


def _strings(raw: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = raw.get(name, ())
    if isinstance(value, str) or not all(isinstance(item, str) and item for item in value):
        raise OptionError(f"{name} must be a list of texts")
    return tuple(value)


def _string_map(value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) and v for v in value.values()):
        raise OptionError(f"{name} must be a table of id = \"linked events id\"")
    return dict(value)


def _keyword_map(value: Any) -> dict[str, tuple[str, ...]]:
    """``{"topic:depression" = "yso:p1234", "audience:relatives" = ["yso:p…", …]}``."""
    if not isinstance(value, Mapping):
        raise OptionError('keyword_map must be a table such as { "topic:depression" = "yso:p1234" }')
    mapped: dict[str, tuple[str, ...]] = {}
    for key, ids in value.items():
        if ":" not in key:
            raise OptionError(f"keyword_map key {key!r} must be 'vocabulary:id', e.g. 'topic:depression'")
        ids = (ids,) if isinstance(ids, str) else ids
        if not isinstance(ids, (list, tuple)) or not all(isinstance(i, str) and ":" in i for i in ids):
            raise OptionError(f"keyword_map[{key!r}] must be a Linked Events keyword id such as 'yso:p1234', or a list of them")
        mapped[key] = tuple(ids)
    return mapped


def _audience_ages(value: Any) -> dict[str, AgeRange]:
    """``{ children = { max = 12 }, youth = { min = 13, max = 29 } }``."""
    if not isinstance(value, Mapping):
        raise OptionError("audience_ages must be a table such as { youth = { min = 13, max = 29 } }")
    ages: dict[str, AgeRange] = {}
    for audience, bounds in value.items():
        if not isinstance(bounds, Mapping) or set(bounds) - {"min", "max"} or not bounds:
            raise OptionError(f"audience_ages[{audience!r}] must be a table with min and/or max")
        for bound in bounds.values():
            if not isinstance(bound, int) or isinstance(bound, bool) or bound < 0:
                raise OptionError(f"audience_ages[{audience!r}]: ages are whole numbers of years, 0 or more")
        ages[audience] = AgeRange(bounds.get("min"), bounds.get("max"))
    return ages
