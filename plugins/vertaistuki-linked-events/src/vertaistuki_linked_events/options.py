"""The renderer's options (``options = { … }`` in ``catalogue.toml``), read and checked
once (by :mod:`vertaistuki.options`, as the built-in renderers' are) so that a typo
stops the output with a message naming the option instead of exporting wrong ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from vertaistuki import options as option_checks
from vertaistuki.options import shown
from vertaistuki.schedule import MAX_WINDOW

DEFAULT_API_BASE = "https://api.hel.fi/linkedevents/v1/"
DEFAULT_DATA_SOURCE = "vertaistuki"
DEFAULT_INTERNET_PLACE = "helsinki:internet"
DEFAULT_WINDOW_DAYS = 90
PUBLICATION_STATUSES = ("public", "draft")

# Linked Events ids are "<data source>:<origin id>"; the data source part is a slug.
_DATA_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _data_source(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and _DATA_SOURCE.match(value):
        return None
    return (f'pienin kirjaimin kirjoitettu tunnus, esimerkiksi "vertaistuki", ei {shown(value)}',
            f'a lower-case slug such as "vertaistuki", not {shown(value)}')


def _filled_text(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"teksti, joka ei ole tyhjä, ei {shown(value)}", f"a text that is not empty, not {shown(value)}"


def _web_address(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return None
    return (f'http(s)-osoite, esimerkiksi "{DEFAULT_API_BASE}", ei {shown(value)}',
            f'an http(s) address such as "{DEFAULT_API_BASE}", not {shown(value)}')


def _filled_texts(value: Any) -> tuple[str, str] | None:
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) and item for item in value):
        return None
    return (f'luettelo tekstejä, esimerkiksi ["yso:p1234"], ei {shown(value)}',
            f'a list of texts such as ["yso:p1234"], not {shown(value)}')


def _place_map(value: Any) -> tuple[str, str] | None:
    if isinstance(value, Mapping) and all(isinstance(v, str) and v for v in value.values()):
        return None
    return (f'taulukko paikan tunniste = "Linked Events -paikan tunniste", esimerkiksi {{ talo = "tprek:12345" }}, ei {shown(value)}',
            f'a table of place id = "Linked Events place id" such as {{ talo = "tprek:12345" }}, not {shown(value)}')


def _keyword_map(value: Any) -> tuple[str, str] | None:
    """``{"topic:depression" = "yso:p1234", "audience:relatives" = ["yso:p…", …]}``."""
    if not isinstance(value, Mapping):
        return (f'taulukko, esimerkiksi {{ "topic:depression" = "yso:p1234" }}, ei {shown(value)}',
                f'a table such as {{ "topic:depression" = "yso:p1234" }}, not {shown(value)}')
    for key, ids in value.items():
        if ":" not in key:
            return (f'taulukko, jonka avaimet ovat muotoa "sanasto:tunniste", esimerkiksi "topic:depression", ei "{key}"',
                    f'a table whose keys are "vocabulary:id" such as "topic:depression", not "{key}"')
        ids = (ids,) if isinstance(ids, str) else ids
        if not isinstance(ids, (list, tuple)) or not all(isinstance(i, str) and ":" in i for i in ids):
            return (f'taulukko, jossa "{key}" on Linked Events -asiasanan tunniste kuten "yso:p1234" tai luettelo niitä',
                    f'a table in which "{key}" is a Linked Events keyword id such as "yso:p1234", or a list of them')
    return None


def _audience_ages(value: Any) -> tuple[str, str] | None:
    """``{ children = { max = 12 }, youth = { min = 13, max = 29 } }``."""
    if not isinstance(value, Mapping):
        return (f"taulukko, esimerkiksi {{ youth = {{ min = 13, max = 29 }} }}, ei {shown(value)}",
                f"a table such as {{ youth = {{ min = 13, max = 29 }} }}, not {shown(value)}")
    for audience, bounds in value.items():
        if not isinstance(bounds, Mapping) or set(bounds) - {"min", "max"} or not bounds:
            return (f"taulukko, jossa {audience} on taulukko, jossa on min, max tai molemmat",
                    f"a table in which {audience} is a table with min and/or max")
        if not all(isinstance(bound, int) and not isinstance(bound, bool) and bound >= 0 for bound in bounds.values()):
            return (f"taulukko, jossa kohderyhmän {audience} iät ovat kokonaisia vuosia, vähintään 0",
                    f"a table in which the ages of {audience} are whole numbers of years, 0 or more")
    return None


#: What each option must be: the build reports a mistake as a renderer_option problem.
OPTIONS: dict[str, option_checks.Check] = {
    "data_source": _data_source,
    "publisher": _filled_text,
    "api_base": _web_address,
    "languages": option_checks.LANGUAGES,
    "window_days": option_checks.whole_number(1, MAX_WINDOW.days),
    "keyword_map": _keyword_map,
    "extra_keywords": _filled_texts,
    "place_map": _place_map,
    "internet_place": _filled_text,
    "audience_ages": _audience_ages,
    "include_services": option_checks.flag,
    "publication_status": option_checks.one_of(*PUBLICATION_STATUSES),
    "indent": option_checks.indent,
}


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
        """The options checked (:data:`OPTIONS`); :class:`vertaistuki.options.OptionError`
        names the first unknown or mistaken one."""
        option_checks.check("linked-events", raw, OPTIONS)
        api_base = raw.get("api_base", DEFAULT_API_BASE)
        keyword_map = raw.get("keyword_map", {})
        return cls(
            data_source=raw.get("data_source", DEFAULT_DATA_SOURCE),
            publisher=raw.get("publisher"),
            api_base=api_base if api_base.endswith("/") else api_base + "/",
            languages=tuple(raw.get("languages", default_languages)),
            window_days=raw.get("window_days", DEFAULT_WINDOW_DAYS),
            keyword_map={key: (ids,) if isinstance(ids, str) else tuple(ids) for key, ids in keyword_map.items()},
            extra_keywords=tuple(raw.get("extra_keywords", ())),
            place_map=dict(raw.get("place_map", {})),
            internet_place=raw.get("internet_place", DEFAULT_INTERNET_PLACE),
            audience_ages={audience: AgeRange(bounds.get("min"), bounds.get("max"))
                           for audience, bounds in raw.get("audience_ages", {}).items()},
            include_services=raw.get("include_services", False),
            publication_status=raw.get("publication_status", "public"),
            indent=option_checks.indent_setting(raw),
        )
