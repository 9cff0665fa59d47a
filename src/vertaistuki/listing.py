"""What a visitor can filter the listing by, and the filter itself.

Every group, service and event gets :class:`Facets`: plain codes (municipality slugs,
vocabulary ids, weekday and time-of-day codes, meeting dates) that the HTML widget
writes into ``data-*`` attributes. The same :class:`Query` runs in two places: here, for
the server-side GET form (``vertaistuki serve`` and any WSGI host), and in
``static/vertaistuki.js`` in the browser. Keep the two in step: the browser tests compare
them on the same queries.

Query parameters (all optional; an unknown value matches nothing rather than raising):

===============  =====================================================================
``q``            words that must all appear in the name, description or terms
``municipality`` municipality slug (``tampere``); nationwide records always match
``region``       region vocabulary id; nationwide records always match
``form``         support_form vocabulary id
``audience``     audience vocabulary id
``topic``        topic vocabulary id
``channel``      ``in_person``, ``online`` or ``phone``
``openness``     ``open`` or ``closed`` (groups only)
``day``          ``mo`` … ``su``: meets on that weekday
``time``         ``morning`` (before 12), ``afternoon`` (12–17), ``evening`` (from 17)
``free``         ``1``: free of charge only
``week``         ``1``: meets during the current week (Monday–Sunday)
===============  =====================================================================
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

WEEKDAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
TIMES_OF_DAY = ("morning", "afternoon", "evening")
CHANNELS = ("in_person", "online", "phone")
OPENNESS = ("open", "closed")
MAX_QUERY_LENGTH = 200  # a search box, not an essay: longer input is cut


def slug(text: str) -> str:
    """``Hämeenlinna`` → ``hameenlinna``: ASCII, lower case, hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


class _WithoutCombining(dict):
    """A ``str.translate`` table that drops combining characters (accents after NFKD)
    and keeps every other one. Filled as characters are first met, so translating runs
    at C speed rather than one Python call per character."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


# What NFKD leaves of most Finnish, Swedish and English text: ASCII and the combining
# diacritical marks of its accented letters (U+0300–U+036F; U+034F, the grapheme joiner,
# is no combining character). Such text loses its marks in one C call.
_NOT_LATIN = re.compile("[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


def searchable(text: str) -> str:
    """Lower case without diacritics, so "aanekoski" finds "Äänekoski" (as in the JS)."""
    decomposed = unicodedata.normalize("NFKD", text)
    if _NOT_LATIN.search(decomposed) is None:
        return decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return decomposed.translate(_WITHOUT_COMBINING).lower()


def time_of_day(start: dt.time) -> str:
    if start.hour < 12:
        return "morning"
    return "afternoon" if start.hour < 17 else "evening"


@attrs.frozen
class Facets:
    """The filterable codes of one listed record."""

    text: str = ""  # already :func:`searchable`
    municipalities: frozenset[str] = frozenset()  # slugs
    regions: frozenset[str] = frozenset()
    nationwide: bool = False
    support_forms: frozenset[str] = frozenset()
    audiences: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    openness: str | None = None
    weekdays: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    free: bool = True
    dates: tuple[dt.date, ...] = ()  # upcoming meeting days, for "meets this week"


def _choice(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()[:MAX_QUERY_LENGTH]
    return value or None


def _flag(params: Mapping[str, str], name: str) -> bool:
    return str(params.get(name, "")).strip() in ("1", "on", "true")


@attrs.frozen
class Query:
    """A visitor's filter choices. Empty fields do not filter."""

    q: str | None = None
    municipality: str | None = None
    region: str | None = None
    form: str | None = None
    audience: str | None = None
    topic: str | None = None
    channel: str | None = None
    openness: str | None = None
    day: str | None = None
    time: str | None = None
    free: bool = False
    week: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Query:
        """From URL query parameters (first value of each name)."""
        choices = {name: _choice(params, name) for name in
                   ("q", "municipality", "region", "form", "audience", "topic", "channel", "openness", "day", "time")}
        return cls(**choices, free=_flag(params, "free"), week=_flag(params, "week"))

    def params(self) -> dict[str, str]:
        """The non-empty choices as URL query parameters (the inverse of :meth:`from_params`)."""
        out = {name: value for name, value in attrs.asdict(self).items() if isinstance(value, str) and value}
        out.update({name: "1" for name in ("free", "week") if getattr(self, name)})
        return out

    @property
    def is_empty(self) -> bool:
        return not self.params()

    def matches(self, facets: Facets, today: dt.date) -> bool:
        if self.q and not all(word in facets.text for word in searchable(self.q).split()):
            return False
        if self.municipality and not (facets.nationwide or self.municipality in facets.municipalities):
            return False
        if self.region and not (facets.nationwide or self.region in facets.regions):
            return False
        for wanted, present in ((self.form, facets.support_forms), (self.audience, facets.audiences),
                                (self.topic, facets.topics), (self.channel, facets.channels),
                                (self.day, facets.weekdays), (self.time, facets.times)):
            if wanted and wanted not in present:
                return False
        if self.openness and self.openness != facets.openness:
            return False
        if self.free and not facets.free:
            return False
        if self.week:
            monday = today - dt.timedelta(days=today.weekday())
            if not any(monday <= day <= monday + dt.timedelta(days=6) for day in facets.dates):
                return False
        return True

    def filter(self, items: Iterable, today: dt.date, facets_of=lambda item: item.facets) -> list:
        return [item for item in items if self.matches(facets_of(item), today)]
