"""Built-in renderer ``html``: the embeddable listing, server-rendered.

For each language (option ``languages``, default fi and sv) it writes:

- ``widget/<lang>/fragment.html`` — what an association pastes or includes in its own
  page: one ``<section>`` whose headings start at ``heading_level`` (default 2, never
  1) and which holds no ``<main>``, no inline script and no ``style=``;
- ``widget/<lang>/index.html`` — a standalone preview page around the fragment;
- ``widget/<lang>/<municipality>.html`` — the listing of one municipality, so that
  filtering by place works on a static site even with JavaScript off; it lists the
  nationwide records too while there are at most ``repeat_nationwide`` of them
  (default 20), and otherwise links to
- ``widget/<lang>/nationwide.html`` — the nationwide records alone (written when the
  municipality pages do not repeat them, or the whole listing is a directory);
- ``widget/vertaistuki.css`` and ``widget/vertaistuki.js`` — the stylesheet
  (``--vt-`` custom properties) and the optional progressive-enhancement module.

Options (``[[outputs]]`` in catalogue.toml): ``languages``, ``heading_level`` (2–4),
``id_prefix`` (default ``vt``; change it when two listings share a page), ``asset_url``
(where the page finds the CSS and JS; default relative to the preview pages),
``page_size`` (with JavaScript, each section first shows this many matches and a
"show more" button; default 50, 0 shows all; without JavaScript everything shows),
``repeat_nationwide`` (see above; 0 never repeats the nationwide records),
``embed_jsonld`` (the fragment embeds the catalogue's schema.org JSON-LD while it lists
at most this many records, default 2,000; 0 never), ``directory_above`` (past this many
records, default 5,000, the fragment and ``index.html`` are a directory of the
municipality pages instead of every record; 0 never; see :func:`lists_directory`).

Server-side filtering (the GET form without JavaScript): a host that receives
``widget/fi/index.html?topic=stress`` calls this renderer with the options ``page``
(that path) and ``query`` (the query parameters); it returns just that page, with the
cards that do not match marked ``hidden``. ``vertaistuki serve`` does exactly this.

Everything is escaped by Jinja2's autoescape; links are written only for http(s),
mailto and tel addresses; schema.org JSON-LD goes through Jinja2's ``tojson``, which
makes ``</script>`` inert.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import heapq
import secrets
import urllib.parse
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any

import attrs
import jinja2
from babel.dates import get_day_names
from babel.numbers import format_decimal
from markupsafe import Markup

from .. import options as option_checks
from .. import plugins
from ..hookspecs import hookimpl
from ..labels import code_label, count_text, language_name, ui
from ..listing import CHANNELS, OPENNESS, TIMES_OF_DAY, WEEKDAY_CODES, Facets, Query, searchable, slug, time_of_day
from ..model import Catalogue, Event, Group, InPersonChannel, OnlineChannel, PhoneChannel, RecordState, Service, national_phone
from ..registry import RenderContext, Renderer
from ..schedule import Expansions
from ..shelf import Handle, Shelf
from ..wording import describe_meeting, describe_schedule, describe_season, describe_status, describe_times, short_date
from .jsonld import GraphTexts, script_json

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
UPCOMING_DAYS = 56  # meeting dates written for "meets this week": a page stays useful for weeks
# A season that ended at most this long ago is a break between seasons (the summer, the
# Christmas holidays); one that ended longer ago is shown as ended, with its last day.
SEASON_BREAK_DAYS = 120
NATIONWIDE = "nationwide"  # the name of the page that lists the nationwide records
REPEAT_NATIONWIDE = 20  # default of the option ``repeat_nationwide``
# Default of the option ``directory_above``. benchmarks/widget_filter.py: 5,000 groups
# are a page of 18.6 MB that takes seconds to load, and filters that still answer within
# a frame or two; a national catalogue's whole listing (60 MB per language at 25,000
# records, 240 MB at 100,000) is beyond what a browser shows usefully.
DIRECTORY_ABOVE = 5000
# Default of the option ``embed_jsonld``. A larger listing is a page of tens of megabytes:
# a search engine reads only its start (Googlebot the first 15 MB of a page), and every
# visitor would download the graph for nothing; the jsonld renderer's file has it.
EMBED_JSONLD = 2000
ACCESSIBILITY_FLAGS = ("step_free_entrance", "elevator", "accessible_toilet", "induction_loop",
                       "accessible_parking", "public_transport_nearby")


def municipality_links(pattern: str | None, municipalities: list[tuple[str, str]],
                       language: str) -> list[tuple[str, str, str]]:
    """(href, slug, name) of each municipality's page, from the option
    ``municipality_href``: a pattern with ``{code}`` (the slug) and ``{language}``,
    default ``{code}.html`` (the pages beside this one). None: there are no such pages,
    so no links. A pattern that makes a link with a scheme other than http(s) gives no
    links either (a listing's links are limited to http(s), mailto and tel)."""
    if pattern is None:
        return []
    links = [(pattern.format(code=code, language=language), code, name) for code, name in municipalities]
    if any(urllib.parse.urlsplit(href).scheme.lower() not in ("", "http", "https") for href, _, _ in links):
        return []
    return links


def safe_href(url: str | None) -> str | None:
    """The URL if a link to it is safe to write (http, https, mailto, tel), else None.

    Browsers ignore tabs and newlines inside a scheme (``java\\tscript:``), so those are
    refused rather than parsed."""
    if not url:
        return None
    url = url.strip()
    if any(c in url for c in "\t\r\n\x00"):
        return None
    # Nearly every link names a safe scheme before its first colon, which urlsplit would
    # read as the scheme too (letters only); only the rest need it (a card has several
    # links, each asked about twice, and their texts are too many to cache). urlsplit
    # refuses some addresses with brackets or other than ASCII: those go to it too.
    head, colon, _ = url.partition(":")
    if colon and head.lower() in SAFE_SCHEMES and url.isascii() and "[" not in url and "]" not in url:
        return url
    try:
        scheme = urllib.parse.urlsplit(url).scheme.lower()
    except ValueError:  # "https://[::1": not an address a browser could follow
        return None
    return url if scheme in SAFE_SCHEMES else None


# What urllib.parse.quote writes for each byte (%XX, or the character itself for letters,
# digits and _.-~/), as text: quoting a string is then one str.translate (in C) of its
# UTF-8 bytes read as Latin-1, instead of one Python call per byte, for the subject of
# every card's report link. A list, not a dict: translate looks each character up by
# index, without hashing it (twice as fast).
_QUOTED = [chr(byte) if chr(byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/"
           else f"%{byte:02X}" for byte in range(256)]


def url_quote(text: str) -> str:
    """``urllib.parse.quote(text)``: UTF-8, every byte but letters, digits, ``_.-~/`` as %XX."""
    return text.encode("utf-8").decode("latin-1").translate(_QUOTED)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("vertaistuki").joinpath("templates"))),
        autoescape=True,  # every value is escaped; no template marks anything safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_href"] = safe_href
    return env


def render_without_globals(template: jinja2.Template, values: dict[str, Any]) -> str:
    """``template.render(**values)`` for a template that names only ``values``: the
    context is ``values`` itself, where ``render`` first copies the environment's
    globals into a new dict. A national listing renders hundreds of thousands of cards,
    and that copy was a tenth of each; a global the template did name would be
    undefined, which ``StrictUndefined`` makes an error, not an empty string."""
    environment = template.environment
    try:
        return environment.concat(template.root_render_func(template.new_context(values, shared=True)))
    except Exception:
        environment.handle_exception()  # raises it again, pointing at the template's line


@attrs.frozen
class NationwideElsewhere:
    """Where a page that leaves the nationwide records out links to instead, and how
    many records are there."""

    href: str
    count: int


def repeats_nationwide(options: Mapping[str, Any], count: int) -> bool:
    """Whether the pages of one area (a municipality's page, a shard) repeat the
    ``count`` nationwide records. A few online groups and phone lines belong on every
    municipality's page; thousands of them would bury the municipality's own records and
    make every page as large as the country's. Past the option ``repeat_nationwide``
    (default 20; 0 never repeats them) they are listed on a page of their own, and each
    area's page says how many there are and links to it."""
    return count <= max(int(options.get("repeat_nationwide", REPEAT_NATIONWIDE)), 0)


def lists_directory(options: Mapping[str, Any], catalogue: Catalogue) -> bool:
    """Whether the whole listing (``index.html``, the fragment) is a directory of the
    municipality pages rather than every record: past the option ``directory_above``
    records (default :data:`DIRECTORY_ABOVE`; 0 never). The municipality pages and
    ``nationwide.html`` then hold the records, and the directory itself the few that
    meet in no municipality and are not nationwide, so that every record stays listed."""
    most = int(options.get("directory_above", DIRECTORY_ABOVE))
    return most > 0 and _listed_records(catalogue) > most


def embeds_jsonld(options: Mapping[str, Any], catalogue: Catalogue) -> bool:
    """Whether the fragment embeds the catalogue's JSON-LD (option ``embed_jsonld``)."""
    most = int(options.get("embed_jsonld", EMBED_JSONLD))
    return most > 0 and _listed_records(catalogue) <= most


def _listed_records(catalogue: Catalogue) -> int:
    """How many records a listing of ``catalogue`` has: its groups, services and events."""
    return len(catalogue.groups) + len(catalogue.services) + len(catalogue.events)


def asset(name: str) -> bytes:
    return files("vertaistuki").joinpath("static", name).read_bytes()


class CardMarkups:
    """Every card's markup made in one build, kept on a :class:`Shelf` (on disk) by the
    record, the language and what else the markup depends on, and the facts about each
    record that no language changes (:meth:`Listing.facts`: its filters' values, its
    next meeting). The html and shards renderers show the same cards in the same
    languages: the first to render a card works it out, the next copies it (see
    :meth:`of`). Neither depends on the listing the card is in, as long as that
    listing's catalogue keeps what the record refers to."""

    KEY = "vertaistuki.html:card-markups"  # in RenderContext.shared

    def __init__(self) -> None:
        self.shelf = Shelf()
        # A card is (id(record), kind, language, today, report e-mail); its markup also
        # depends on the variant (visible, id prefix, heading). (card, variant) → (record,
        # where the markup is); records are kept so that an id is never reused.
        self.handles: dict[tuple, tuple[Any, Handle]] = {}
        # (id(record), kind, today) → (record, facts): the shards renderer, which lists
        # every record again, would otherwise expand every schedule again.
        self.facts: dict[tuple, tuple[Any, dict[str, Any]]] = {}

    @classmethod
    def of(cls, context: RenderContext | None) -> CardMarkups:
        """The build's store (made by its first user), or one of its own without a build."""
        if context is None:
            return cls()
        store = context.shared.get(cls.KEY)
        if store is None:
            store = context.shared[cls.KEY] = cls()
        return store

    def get_utf8(self, record: Any, card: tuple, variant: tuple) -> bytes | None:
        """The markup as it was put, in UTF-8 (a streamed page places it as it is)."""
        known = self.handles.get((card, variant))
        if known is None or known[0] is not record:
            return None
        return self.shelf.get(known[1])

    def put(self, record: Any, card: tuple, variant: tuple, text: str) -> bytes:
        """Keep the markup; returns it in UTF-8."""
        utf8 = text.encode("utf-8")
        self.handles[(card, variant)] = (record, self.shelf.put(utf8))
        return utf8

    def forget_markup(self) -> None:
        """Drop the markup (and keep the facts)."""
        self.handles.clear()
        self.shelf.clear()

    def close(self) -> None:
        self.forget_markup()
        self.facts.clear()


class ListingMemo:
    """What the listings made in one render call share, so that nothing about a record
    is worked out twice: the facts about a record that no language changes (its meetings
    among them), and per language its card; the facts and the cards' markup go to
    ``markups`` (the build's :class:`CardMarkups` when given, else one of its own).

    Listings of *parts* of one catalogue (the shards) may share it, as long as each part
    keeps what its records refer to (places, organisations, people, terms): a record's
    card does not depend on the part it is listed in. Keep one per render call, never
    longer."""

    def __init__(self, markups: CardMarkups | None = None) -> None:
        # Each schedule is expanded once for the JSON-LD and once for the facts, and
        # never again (cards of later languages use the facts): remembering a year of
        # meetings per group would cost more memory than the second expansion costs time.
        self.expansions = Expansions(remember=False)
        self.cards: dict[tuple, tuple[Any, dict[str, Any]]] = {}
        self._own_markups = markups is None
        self.markups = markups or CardMarkups()
        self.facts = self.markups.facts
        self.shared: dict[Any, Any] = {}  # equal immutable values, kept once

    def forget_cards(self) -> None:
        """Drop the cards (made per language) once a language is done, or the render is;
        the facts and meetings that every language shares are kept, and so is the
        markup of a build's store, which later renderers copy."""
        self.cards.clear()
        if self._own_markups:
            self.markups.forget_markup()


# What a listing's card holds: what the filters, the form's choices and the pages'
# order need. What it shows is made from the record when its markup is (card_markup).
LISTED_CARD_KEYS = frozenset({"id", "anchor", "kind", "record", "facets", "regions", "support_forms",
                              "audiences", "topics"})


class Listing:
    """One catalogue seen in one language: cards for the templates, with their facets."""

    def __init__(self, catalogue: Catalogue, language: str, today: dt.date, *, memo: ListingMemo | None = None,
                 search_texts: bool = True) -> None:
        """``search_texts=False``: the listing's cards (:meth:`_listed_card`) get no
        search text. Their markup carries its own; only a text query (``q``) matched on
        the server needs it, and such a listing refuses one."""
        self.catalogue, self.language, self.today = catalogue, language, today
        self.search_texts = search_texts
        terms = dict(plugins.vocabulary_terms())
        terms.update({(t.vocabulary, t.id): t for t in catalogue.terms})
        self.terms = terms
        self.now = dt.datetime.combine(today, dt.time(0), dt.UTC)
        self.memo = memo or ListingMemo()
        self.expansions = self.memo.expansions
        self.report_email = self._report_email()
        self._terms_shown: dict[tuple[str, str], dict[str, str]] = {}
        self._places_shown: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._term_lists: dict[tuple[str, tuple[str, ...]], Markup] = {}
        self.sections = [
            ("groups", [self._known_card(g, "group") for g in catalogue.groups]),
            ("services", [self._known_card(s, "service") for s in catalogue.services]),
            ("events", [self._known_card(e, "event") for e in catalogue.events]),
        ]

    def _known_card(self, record, kind: str) -> dict[str, Any]:
        # Only what the listing's filters and order use: what a card shows is made when
        # its markup is (card_markup), so that a national listing never holds every
        # card's texts, channels and people at once (about 180 MB at 100,000 records).
        key = (id(record), kind, self.language, self.today, self.report_email)
        known = self.memo.cards.get(key)
        if known is None or known[0] is not record:
            known = self.memo.cards[key] = (record, self._listed_card(record, kind))
        return known[1]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [card for _, cards in self.sections for card in cards]

    # -- small pieces -------------------------------------------------------------
    def shown(self, value) -> dict[str, str] | None:
        """Text in the page language, or its fallback with the language it is in (for ``lang``)."""
        if value is None:
            return None
        language, text = value.resolve(self.language)
        return {"text": text, "lang": language}

    def term(self, vocabulary: str, term_id: str) -> dict[str, str]:
        """A term's label (shared by every card that has the term: do not change it)."""
        shown = self._terms_shown.get((vocabulary, term_id))
        if shown is None:
            term = self.terms.get((vocabulary, term_id))
            label = self.shown(term.label) if term else {"text": term_id, "lang": self.language}
            shown = self._terms_shown[(vocabulary, term_id)] = {"id": term_id, **label}
        return shown

    def term_list(self, vocabulary: str, term_ids: tuple[str, ...]) -> Markup:
        """A card's list of terms as markup (terms.html.j2), rendered once per distinct
        list: a national listing's records share a few thousand lists of topics,
        audiences and support forms."""
        key = (vocabulary, term_ids)
        made = self._term_lists.get(key)
        if made is None:
            terms = [self.term(vocabulary, term_id) for term_id in term_ids]
            # The autoescaped output of our own template, placed as an include would be.
            made = self._term_lists[key] = Markup(self._terms_template.render(terms=terms, language=self.language))
        return made

    @functools.cached_property
    def _terms_template(self) -> jinja2.Template:
        return environment().get_template("terms.html.j2")

    def place(self, place) -> dict[str, Any]:
        """What a card shows of a place (found once per place: many groups meet there)."""
        known = self._places_shown.get(id(place))
        if known is None:
            access = place.accessibility
            features = [code_label("accessibility", flag, self.language) for flag in ACCESSIBILITY_FLAGS
                        if access is not None and getattr(access, flag) is True]
            locality = " ".join(filter(None, [place.postal_code, place.municipality.get(self.language)]))
            street = place.street_address.get(self.language) if place.street_address else None
            known = self._places_shown[id(place)] = (place, {
                "kind": "in_person", "name": self.shown(place.name), "address": ", ".join(filter(None, [street, locality])),
                "directions": self.shown(place.directions), "accessibility": features,
                "accessibility_note": self.shown(access.note) if access else None})
        return known[1]

    def channels(self, record) -> list[dict]:
        shown = []
        for channel in record.channels:
            if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place)):
                shown.append({**self.place(place), "room": self.shown(channel.room)})
            elif isinstance(channel, OnlineChannel):
                shown.append({"kind": "online", "url": channel.url, "platform": channel.platform,
                              "instructions": self.shown(channel.instructions)})
            elif isinstance(channel, PhoneChannel):
                shown.append({"kind": "phone", "phone": national_phone(channel.phone), "tel": f"tel:{channel.phone}",
                              "note": self.shown(channel.note)})
        return shown

    def people(self, ids) -> list[dict]:
        shown = []
        for person_id in ids:
            person = self.catalogue.person(person_id)
            if person is None:
                continue
            details = person.personal.published(self.today)  # consented fields only
            if details.name or details.phone or details.email:
                shown.append({"name": details.name,
                              "phone": national_phone(details.phone) if details.phone else None,
                              "tel": f"tel:{details.phone}" if details.phone else None,
                              "email": f"mailto:{details.email}" if details.email else None,
                              "email_text": details.email})
        return shown

    def fee(self, record) -> str:
        label = ui(self.language)[record.fee.kind.value]
        if record.fee.amount is not None:
            label += " " + format_decimal(record.fee.amount, locale=self.language) + " €"
        note = record.fee.note.get(self.language) if record.fee.note else None
        return f"{label} ({note})" if note else label

    def registration_ways(self, registration) -> dict[str, str] | None:
        """How to sign up besides a web form: by e-mail, by phone, and by when."""
        if registration is None or not (registration.email or registration.phone or registration.deadline):
            return None
        language = self.language
        return {
            "email": registration.email, "mailto": f"mailto:{registration.email}" if registration.email else None,
            "phone": national_phone(registration.phone) if registration.phone else None,
            "tel": f"tel:{registration.phone}" if registration.phone else None,
            # a last day that has passed says so: "register by" a day gone by would mislead
            "deadline": (ui(language)["register_by" if registration.deadline >= self.today else "registration_closed"].format(
                date=short_date(registration.deadline, language, with_year=True)) if registration.deadline else None),
            "deadline_iso": registration.deadline.isoformat() if registration.deadline else None,
        }

    def _report_email(self) -> str | None:
        """Where reports of outdated information go: the publisher's address, else the
        first organisation's that has one (the same for every card, so found once)."""
        publisher = self.catalogue.organisation(self.catalogue.publisher) if self.catalogue.publisher else None
        candidates = [publisher] if publisher else list(self.catalogue.organisations)
        return next((o.contact.email for o in candidates if o and o.contact and o.contact.email), None)

    def report_link(self, name: str, stable_id: str) -> str | None:
        if not self.report_email:
            return None
        subject = url_quote(f"{ui(self.language)['report']}: {name} ({stable_id})")
        return f"mailto:{self.report_email}?subject={subject}"

    # -- one card -----------------------------------------------------------------
    def facts(self, record, kind: str) -> dict[str, Any]:
        """What a card says of a record whatever the language, worked out once per render."""
        key = (id(record), kind, self.today)
        known = self.memo.facts.get(key)
        if known is None or known[0] is not record:
            known = self.memo.facts[key] = (record, self._facts(record, kind))
        return known[1]

    def _facts(self, record, kind: str) -> dict[str, Any]:
        # Most records share their sets of regions, topics, weekdays...: one copy of each
        # distinct set serves them all (a national listing has a hundred thousand).
        shared = self.memo.shared

        def share(value):
            return shared.setdefault(value, value)

        stable_id = self.catalogue.stable_id(record.id)
        municipalities: set[str] = set()
        channel_kinds: set[str] = set()
        for channel in record.channels:
            if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place)):
                municipalities.add(place.municipality.get("fi"))
                channel_kinds.add("in_person")
            elif isinstance(channel, OnlineChannel):
                channel_kinds.add("online")
            elif isinstance(channel, PhoneChannel):
                channel_kinds.add("phone")
        people = self.people(record.contacts)
        if isinstance(record, Group) and record.facilitation:
            people = self.people(record.facilitation.leaders) + people
        weekdays: set[str] = set()
        times: set[str] = set()
        dates: list[dt.date] = []
        upcoming = None
        next_iso = None
        if isinstance(record, Event):
            last = record.end_date or record.start_date
            if record.start_time:
                times.add(time_of_day(record.start_time))
            next_iso = record.start_date.isoformat()
            span = (last - record.start_date).days
            dates = [record.start_date + dt.timedelta(days=n) for n in range(min(span, 30) + 1)]
            weekdays = {WEEKDAY_CODES[day.weekday()] for day in dates[:7]}
        schedule = getattr(record, "schedule", None)
        if schedule is not None:
            weekdays = {WEEKDAY_CODES[rule.weekday] for rule in schedule.rule.by_day}
            times.add(time_of_day(schedule.start_time))
            upcoming, coming = self.expansions.next_and_coming(schedule, record.status, self.now, self.today,
                                                               UPCOMING_DAYS)
            if upcoming is not None:
                next_iso = upcoming.start.isoformat()
                dates = [o.start.date() for o in coming]
        if record.status.state is not RecordState.ACTIVE:
            dates = []
        return {
            "id": stable_id, "anchor": slug(stable_id), "municipalities": sorted(municipalities), "people": people,
            "upcoming": upcoming, "next_iso": next_iso,
            "facets": {  # all of Facets but the search text
                "municipalities": share(frozenset(slug(m) for m in municipalities)), "regions": share(frozenset(record.regions)),
                "nationwide": record.nationwide, "support_forms": share(frozenset(record.support_forms)),
                "audiences": share(frozenset(record.audiences)), "topics": share(frozenset(record.topics)),
                "channels": share(frozenset(channel_kinds)), "openness": record.openness.value if isinstance(record, Group) else None,
                "weekdays": share(frozenset(weekdays)), "times": share(frozenset(times)), "free": record.fee.kind.value == "free",
                "dates": share(tuple(sorted(set(dates)))),
            },
        }

    def card(self, record, kind: str, listed: dict[str, Any] | None = None) -> dict[str, Any]:
        """All a card shows of a record. ``listed``: the record's card in this listing
        (:meth:`_listed_card`), whose term lists and facets are the same and not made again."""
        language = self.language
        texts = ui(language)
        facts = self.facts(record, kind)
        channels = self.channels(record)
        stable_id = facts["id"]
        name = self.shown(record.name)
        organiser = self.catalogue.organisation(record.organiser)
        card: dict[str, Any] = {
            "id": stable_id, "anchor": facts["anchor"], "kind": kind, "record": record, "name": name,
            "description": self.shown(record.description), "channels": channels,
            "municipalities": facts["municipalities"], "nationwide": record.nationwide,
            "fee": self.fee(record), "languages": [language_name(code, language) for code in record.languages],
            "url": record.url, "status": describe_status(record.status, language),
            "state": record.status.state.value, "people": facts["people"],
            "contact": record.contact, "registration": record.registration,
            "registration_note": self.shown(record.registration.instructions) if record.registration else None,
            "registration_ways": self.registration_ways(record.registration),
            "organiser": self.shown(organiser.name) if organiser else None,
            # an event's partners (a first-information day with a patient association)
            "co_organisers": [self.shown(other.name) for ref in getattr(record, "co_organisers", ())
                              if (other := self.catalogue.organisation(ref)) is not None],
            "when": None, "season": None, "next": None, "next_iso": facts["next_iso"], "badges": [], "notes": [],
            "activities": [], "facilitation_note": None, "report": self.report_link(name["text"], stable_id),
            "updated": short_date(record.updated, language, with_year=True) if record.updated else None,
            "updated_iso": record.updated.isoformat() if record.updated else None,
        }
        if listed is not None:
            card.update((key, listed[key]) for key in ("audiences", "topics", "support_forms", "regions"))
        else:
            card.update(audiences=[self.term("audience", a) for a in record.audiences],
                        topics=[self.term("topic", t) for t in record.topics],
                        support_forms=[self.term("support_form", s) for s in record.support_forms],
                        regions=[self.term("region", r) for r in record.regions])
        if isinstance(record, Group):
            card["badges"].append(code_label("openness", record.openness.value, language))
            if record.facilitation:
                card["badges"].append(code_label("facilitation", record.facilitation.kind.value, language))
            card["notes"] = [texts[key] for key, flag in (("staff", record.staff_sometimes_present),
                                                          ("guests", record.guest_lecturers)) if flag]
            card["facilitation_note"] = self.shown(record.facilitation.note) if record.facilitation else None
            card["activities"] = [self.term("activity", a) for a in record.activities]
            card["activities_html"] = self.term_list("activity", record.activities)
        elif isinstance(record, Service):
            card["badges"].append(code_label("service", record.kind.value, language))
        elif isinstance(record, Event):
            card["badges"].append(code_label("event", record.kind.value, language))
            last = record.end_date or record.start_date
            when = short_date(record.start_date, language, with_year=True)
            if last != record.start_date:
                when += "–" + short_date(last, language, with_year=True)
            if record.start_time:
                when += " " + describe_times(record.start_time, record.end_time, language)
            card["when"] = when
        schedule = getattr(record, "schedule", None)
        if schedule is not None:
            card["when"] = describe_schedule(schedule, language)
            if schedule.season:
                card["season"] = describe_season(schedule.season, language)
            badge = self._season_badge(schedule, facts["upcoming"]) if record.status.state is RecordState.ACTIVE else None
            if badge:
                card["badges"].append(badge)
            if facts["upcoming"] is not None:
                card["next"] = describe_meeting(facts["upcoming"], language)
        elif getattr(record, "schedule_note", None) is not None:
            card["when_note"] = self.shown(record.schedule_note)
        card.setdefault("when_note", None)
        card["audiences_html"] = self.term_list("audience", record.audiences)
        card["support_forms_html"] = self.term_list("support_form", record.support_forms)
        card["topics_html"] = self.term_list("topic", record.topics)
        if listed is not None and self.search_texts:
            card["facets"] = listed["facets"]
        else:  # a listing without search texts still writes them into the markup it makes
            terms = [t for key in ("audiences", "topics", "support_forms", "activities", "regions") for t in card[key]]
            places = [c["name"]["text"] for c in channels if c["kind"] == "in_person"]
            card["facets"] = Facets(text=self._search_text(record, terms, places, facts["municipalities"], card["organiser"]),
                                    **facts["facets"])
        card["data"] = data_attributes(card["facets"])
        return card

    def _season_badge(self, schedule, upcoming) -> str | None:
        """A new season coming, a break between seasons, or meetings that are over: a
        group whose last season ended years ago must not read as meeting now."""
        texts, today, language = ui(self.language), self.today, self.language
        season, rule = schedule.season, schedule.rule
        if season is not None and season.start > today:
            return texts["new_season"]
        if season is not None and season.end < today:
            if (today - season.end).days <= SEASON_BREAK_DAYS:
                return texts["season_break"]
            return texts["season_ended"].format(date=short_date(season.end, language, with_year=True))
        if rule.until is not None and rule.until < today:
            return texts["meetings_ended"].format(date=short_date(rule.until, language, with_year=True))
        first = schedule.first_date
        if rule.count is not None and upcoming is None and first is not None and first <= today:
            return texts["meetings_held"]
        return None

    def _listed_card(self, record, kind: str) -> dict[str, Any]:
        """The part of :meth:`card` a listing holds for every record (``LISTED_CARD_KEYS``),
        made without the rest: the same values, found the same way."""
        facts = self.facts(record, kind)
        card: dict[str, Any] = {
            "id": facts["id"], "anchor": facts["anchor"], "kind": kind, "record": record,
            "audiences": [self.term("audience", a) for a in record.audiences],
            "topics": [self.term("topic", t) for t in record.topics],
            "support_forms": [self.term("support_form", s) for s in record.support_forms],
            "regions": [self.term("region", r) for r in record.regions],
        }
        text = ""
        if self.search_texts:
            organiser = self.catalogue.organisation(record.organiser)
            activities = [self.term("activity", a) for a in record.activities] if isinstance(record, Group) else []
            terms = [*card["audiences"], *card["topics"], *card["support_forms"], *activities, *card["regions"]]
            places = [self.place(place)["name"]["text"] for channel in record.channels
                      if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place))]
            text = self._search_text(record, terms, places, facts["municipalities"],
                                     self.shown(organiser.name) if organiser else None)
        card["facets"] = Facets(text=text, **facts["facets"])
        return card

    @staticmethod
    def _search_text(record, terms: list[dict[str, str]], places: list[str], municipalities: list[str],
                     organiser: dict[str, str] | None) -> str:
        # The search text: the names and descriptions in every language, then what the
        # card shows in this one. Made per language rather than kept across languages: a
        # national listing's texts would take more memory than making them takes time.
        parts = [text for _, text in record.name.translations]
        if record.description:
            parts += [text for _, text in record.description.translations]
        parts += [t["text"] for t in terms]
        parts += places
        parts += municipalities
        if organiser:
            parts.append(organiser["text"])
        return searchable(" ".join(filter(None, parts)))

    # -- the filter form ------------------------------------------------------------
    def options(self) -> dict[str, list[tuple[str, str]]]:
        """Choices for each select, only those that some record has (the same for every
        page of the listing: do not change the lists)."""
        return self._options

    @functools.cached_property
    def _options(self) -> dict[str, list[tuple[str, str]]]:
        cards = self.cards
        municipalities: dict[str, str] = {}
        for record in (*self.catalogue.groups, *self.catalogue.services, *self.catalogue.events):
            for channel in record.channels:
                if isinstance(channel, InPersonChannel) and (place := self.catalogue.place(channel.place)):
                    municipalities[slug(place.municipality.get("fi"))] = place.municipality.get(self.language)

        def terms(key: str) -> list[tuple[str, str]]:
            seen = {t["id"]: t["text"] for card in cards for t in card[key]}
            return sorted(seen.items(), key=lambda item: searchable(item[1]))

        # Stand-alone names, as a list of choices shows them: Finnish's format context
        # would give "maanantaina" (on Monday) beside Babel's "sunnuntai".
        days = {index: name[:1].upper() + name[1:]
                for index, name in get_day_names("wide", context="stand-alone", locale=self.language).items()}
        texts = ui(self.language)
        return {
            "municipality": sorted(municipalities.items(), key=lambda item: searchable(item[1])),
            "region": terms("regions"),
            "form": terms("support_forms"),
            "audience": terms("audiences"),
            "topic": terms("topics"),
            "channel": [(code, texts[f"channel_{code}"]) for code in CHANNELS
                        if any(code in card["facets"].channels for card in cards)],
            "openness": [(code, texts[f"openness_{code}"]) for code in OPENNESS
                         if any(card["facets"].openness == code for card in cards)],
            "day": [(code, days[index]) for index, code in enumerate(WEEKDAY_CODES)
                    if any(code in card["facets"].weekdays for card in cards)],
            "time": [(code, texts[f"time_{code}"]) for code in TIMES_OF_DAY
                     if any(code in card["facets"].times for card in cards)],
        }

    # -- pages --------------------------------------------------------------------
    def in_municipality(self, municipality: str, *, nationwide: bool = True) -> list[tuple[str, list[dict[str, Any]]]]:
        """The sections with only the cards of one municipality (a slug) and, with
        ``nationwide``, the nationwide ones, in listing order."""
        return [(name, [cards[index] for index in (heapq.merge(local.get(municipality, ()), everywhere)
                                                   if nationwide else local.get(municipality, ()))])
                for (name, cards), (local, everywhere) in zip(self.sections, self._by_municipality, strict=True)]

    def only_nationwide(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The sections with only the nationwide cards, in listing order."""
        return [(name, [cards[index] for index in everywhere])
                for (name, cards), (_, everywhere) in zip(self.sections, self._by_municipality, strict=True)]

    @property
    def nationwide_count(self) -> int:
        return sum(len(everywhere) for _, everywhere in self._by_municipality)

    def municipality_counts(self) -> dict[str, int]:
        """Municipality slug → how many records its page lists of its own."""
        counts: collections.Counter[str] = collections.Counter()
        for local, _ in self._by_municipality:
            counts.update({municipality: len(indexes) for municipality, indexes in local.items()})
        return dict(counts)

    def without_municipality(self, *, nationwide: bool = False) -> list[tuple[str, list[dict[str, Any]]]]:
        """The sections with only the cards that no municipality's page lists (an online
        group of one region, say) and, with ``nationwide``, the nationwide ones, in
        listing order."""
        return [(name, [card for card in cards if (nationwide if card["facets"].nationwide else not card["facets"].municipalities)])
                for name, cards in self.sections]

    @functools.cached_property
    def _by_municipality(self) -> list[tuple[dict[str, list[int]], list[int]]]:
        """Per section: municipality slug → indexes of its own cards, and the indexes of
        the nationwide ones (each in order); found in one pass rather than one pass per
        municipality page."""
        found = []
        for _, cards in self.sections:
            local: dict[str, list[int]] = {}
            everywhere: list[int] = []
            for index, card in enumerate(cards):
                facets = card["facets"]
                if facets.nationwide:
                    everywhere.append(index)
                else:
                    for municipality in facets.municipalities:
                        local.setdefault(municipality, []).append(index)
            found.append((local, everywhere))
        return found

    def card_markup(self, card: dict[str, Any], visible: bool, prefix: str, heading: int) -> Markup:
        """One card's ``<li>``, rendered by ``card.html.j2`` once and then reused on every
        page of this listing that shows it. It is the autoescaped output of our own
        template, so it goes into the page as markup, just as an ``include`` would.

        What the card shows is made from its record just for this (:meth:`card`), and the
        markup waits in the memo's :class:`CardMarkups` (on disk): the listing of a whole
        country holds little more than its records and what its filters need."""
        return Markup(self.card_markup_utf8(card, visible, prefix, heading).decode("utf-8"))

    def card_markup_utf8(self, card: dict[str, Any], visible: bool, prefix: str, heading: int) -> bytes:
        """:meth:`card_markup` in UTF-8, as the store keeps it: a streamed page
        (:class:`_SplicedCards`) places it as it is, not decoded and encoded again."""
        record = card["record"]
        made, variant = (id(record), card["kind"], self.language, self.today, self.report_email), (visible, prefix, heading)
        utf8 = self.memo.markups.get_utf8(record, made, variant)
        if utf8 is None:
            shown = card if "name" in card else self.card(record, card["kind"], card)
            text = render_without_globals(self._card_template, {
                "card": shown, "visible": visible, "prefix": prefix, "heading": heading,
                "ui": ui(self.language), "language": self.language})
            utf8 = self.memo.markups.put(record, made, variant, text)
        return utf8

    @functools.cached_property
    def _card_template(self) -> jinja2.Template:
        return environment().get_template("card.html.j2")


# A national listing's records share a few hundred distinct sets of codes and of dates
# (Listing._facts keeps one copy of each): each set is written as words once.
@functools.lru_cache(maxsize=16384)
def _words(values: frozenset[str]) -> str:
    return " ".join(sorted(values))


@functools.lru_cache(maxsize=16384)
def _days(dates: tuple[dt.date, ...]) -> str:
    return " ".join(day.isoformat() for day in dates)


def data_attributes(facets: Facets) -> dict[str, str]:
    """``data-vt-*`` attributes the browser module filters by (space-separated codes)."""
    words = _words
    return {
        "data-vt-text": facets.text,
        "data-vt-municipality": words(facets.municipalities),
        "data-vt-region": words(facets.regions),
        "data-vt-nationwide": "1" if facets.nationwide else "",
        "data-vt-form": words(facets.support_forms),
        "data-vt-audience": words(facets.audiences),
        "data-vt-topic": words(facets.topics),
        "data-vt-channel": words(facets.channels),
        "data-vt-openness": facets.openness or "",
        "data-vt-day": words(facets.weekdays),
        "data-vt-time": words(facets.times),
        "data-vt-free": "1" if facets.free else "",
        "data-vt-dates": _days(facets.dates),
    }


def jsonld_script(jsonld: Mapping[str, Any]) -> Markup:
    """The JSON-LD for the ``<script>`` element (:func:`jsonld.script_json`: compact,
    ``<>&'`` escaped, as Jinja2's ``|tojson`` escapes them)."""
    return Markup(script_json(jsonld))


class ShelvedScript:
    """The catalogue's JSON-LD for the ``<script>`` element, as :func:`jsonld_script`
    writes it, from the build's :class:`GraphTexts` (made once, kept on a shelf: a
    national graph is hundreds of megabytes, and every language's fragment embeds it).
    Iterating gives its parts as markup, in order."""

    def __init__(self, graph: GraphTexts) -> None:
        self.graph = graph

    def __iter__(self) -> Iterator[Markup]:
        for part in self.graph.document():
            yield Markup(part.decode("utf-8"))  # our own serialiser's escaped output


def _listing_values(catalogue: Catalogue, language: str, today: dt.date, options: Mapping[str, Any] | None,
                    query: Query | None, municipality: str | None, listing: Listing | None,
                    jsonld: Mapping[str, Any] | Markup | ShelvedScript | None,
                    elsewhere: NationwideElsewhere | None = None, directory: bool = False) -> dict[str, Any]:
    options = options or {}
    listing = listing or Listing(catalogue, language, today)
    query = query or Query()
    if query.q and not listing.search_texts:
        raise ValueError("a text query needs a listing made with search texts")
    if municipality and municipality != NATIONWIDE:
        query = attrs.evolve(query, municipality=municipality)  # shows as chosen in the form
    heading = min(max(int(options.get("heading_level", 2)), 2), 4)
    prefix = slug(str(options.get("id_prefix", "vt")))
    texts = ui(language)
    if municipality == NATIONWIDE:
        chosen = listing.only_nationwide()
    elif municipality:
        chosen = listing.in_municipality(municipality, nationwide=elsewhere is None)
    elif directory:  # the nationwide records too, unless they have a page to link to
        chosen = listing.without_municipality(nationwide=elsewhere is None)
    else:
        chosen = listing.sections
    sections = []
    shown = 0
    for name, cards in chosen:
        visible = [(card, query.matches(card["facets"], today)) for card in cards]
        shown += sum(1 for _, ok in visible if ok)
        if visible:
            sections.append({"key": name, "title": texts[name], "cards": visible,
                             "any_visible": any(ok for _, ok in visible)})
    nationwide_link = None
    if elsewhere and elsewhere.count and municipality != NATIONWIDE:
        nationwide_link = {"href": elsewhere.href, "text": texts["see_nationwide"].format(count=elsewhere.count)}
    option_lists = listing.options()
    municipality_names = dict(option_lists["municipality"])
    links = municipality_links(options.get("municipality_href", "{code}.html"), option_lists["municipality"], language)
    directory_links = []
    if directory and not municipality:
        # The directory: each municipality's page with how many records it has of its own.
        counts = listing.municipality_counts()
        directory_links = [(href, code, name, format_decimal(counts.get(code, 0), locale=language))
                           for href, code, name in links]
        shown = len(listing.cards)
    title = catalogue.name.get(language) if catalogue.name else texts["title"]
    if jsonld and not municipality and not isinstance(jsonld, (Markup, ShelvedScript)):
        jsonld = jsonld_script(jsonld)
    if isinstance(jsonld, Markup):
        jsonld = (jsonld,)
    return dict(
        ui=texts, language=language, heading=heading, page_size=max(int(options.get("page_size", 50)), 0), prefix=prefix,
        sections=sections, query=query,
        options=option_lists, municipality=municipality,
        municipality_links=links, directory=directory and not municipality,
        directory_links=directory_links, whole_is_directory=directory,
        municipality_name=texts["nationwide"] if municipality == NATIONWIDE else municipality_names.get(municipality or ""),
        subset=municipality if municipality != NATIONWIDE else None, nationwide_link=nationwide_link,
        count=count_text(shown, language), count_one=count_text(1, language).replace("1", "{count}", 1),
        count_other=count_text(2, language).replace("2", "{count}", 1), shown=shown,
        jsonld=jsonld if jsonld and not municipality else None, today=today.isoformat(),
        title=title, asset_url=str(options.get("asset_url", "../")), page_languages=options.get("languages", ()),
        generated=short_date(today, language, with_year=True),
        language_names={code: language_name(code, code).capitalize() for code in options.get("languages", ())},
        card_markup=functools.partial(listing.card_markup, prefix=prefix, heading=heading),
    )


def render_listing(catalogue: Catalogue, language: str, today: dt.date, options: Mapping[str, Any] | None = None,
                   *, query: Query | None = None, municipality: str | None = None,
                   listing: Listing | None = None,
                   jsonld: Mapping[str, Any] | Markup | ShelvedScript | None = None,
                   nationwide_elsewhere: NationwideElsewhere | None = None, directory: bool = False) -> tuple[str, str]:
    """The fragment and the preview page for one language.

    ``query`` marks non-matching cards ``hidden`` (the server-side GET form);
    ``municipality`` (a slug) leaves other municipalities' records out altogether (the
    pre-rendered pages, which must stay small), and :data:`NATIONWIDE` lists the
    nationwide records alone. A municipality's page lists the nationwide records too,
    unless ``nationwide_elsewhere`` says where they are listed instead: then it links
    there (as does any page given it, such as a shard's that holds none of them).
    ``jsonld`` is the catalogue's JSON-LD, or :func:`jsonld_script` of it (or a
    :class:`ShelvedScript`) when several pages embed the same. ``directory``: the whole
    listing is a directory of the municipality pages (:func:`lists_directory`), which
    the page itself shows without ``municipality`` (linking to ``nationwide_elsewhere``
    if given, and otherwise listing the nationwide records itself) and the municipality
    pages' forms know of."""
    values = _listing_values(catalogue, language, today, options, query, municipality, listing, jsonld,
                             nationwide_elsewhere, directory)
    env = environment()
    # The page includes the fragment template itself (cheap: the cards are rendered once
    # per listing), so nothing but our own templates' output is inserted as markup.
    return env.get_template("fragment.html.j2").render(**values), env.get_template("page.html.j2").render(**values)


def stream_listing(catalogue: Catalogue, language: str, today: dt.date, options: Mapping[str, Any] | None = None,
                   *, query: Query | None = None, municipality: str | None = None, listing: Listing | None = None,
                   jsonld: Mapping[str, Any] | Markup | ShelvedScript | None = None,
                   nationwide_elsewhere: NationwideElsewhere | None = None,
                   directory: bool = False) -> tuple[Iterator[bytes], Iterator[bytes]]:
    """:func:`render_listing`'s fragment and page as UTF-8 chunks, made while they are
    written (consume the fragment first, or only the page): a national listing's page
    is hundreds of megabytes and never needs to exist whole, as text or twice."""
    listing = listing or Listing(catalogue, language, today)
    values = _listing_values(catalogue, language, today, options, query, municipality, listing, jsonld,
                             nationwide_elsewhere, directory)
    cards = _SplicedCards(listing, values["prefix"], values["heading"])
    pieces = environment().get_template("fragment.html.j2").generate(**{**values, "card_markup": cards})
    fragment = _KeptFragment(_utf8(pieces, cards=cards))
    return iter(fragment), _page_around(fragment, values)


# The markers a streamed page is put together at (where the fragment goes in the page
# shell, where each card goes in the fragment) hold a token made at random per process.
# A catalogue's texts are escaped into the same stream (a municipality's name on its
# page), and no text can foresee the token: a fixed marker, given as a municipality's
# name by a member's feed, broke every page.
_MARKER_TOKEN = secrets.token_hex(8)


class _SplicedCards:
    """``card_markup`` for a page written as UTF-8 chunks (:func:`_utf8`): the template
    gets a marker for each card, and the card's markup goes into the chunk in its place
    as the bytes the build's store keeps (:meth:`Listing.card_markup_utf8`). A national
    listing places each card on several pages; decoding it from the store and encoding
    it again for each took about a tenth of the html and shards renderers' time.

    The marker holds :data:`_MARKER_TOKEN`, so no text of a catalogue can pass for it."""

    MARK = f"\x00vertaistuki-card-{_MARKER_TOKEN}\x00"

    def __init__(self, listing: Listing, prefix: str, heading: int) -> None:
        self.listing, self.prefix, self.heading = listing, prefix, heading
        self.waiting: collections.deque[bytes] = collections.deque()

    def __call__(self, card: dict[str, Any], visible: bool) -> Markup:
        self.waiting.append(self.listing.card_markup_utf8(card, visible, self.prefix, self.heading))
        return Markup(self.MARK)  # our own marker, standing for our own template's output


class _KeptFragment:
    """The fragment's chunks as they are made, each also put on a shelf: the preview page
    holds the very same text, and copying it back is much cheaper than rendering every
    card of a national listing a second time."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.shelf = Shelf()
        self.handles: list[Handle] = []

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.handles.append(self.shelf.put(chunk))
            yield chunk

    def kept(self) -> Iterator[bytes]:
        for _ in self:  # whatever of the fragment was not written yet
            pass
        try:
            for handle in self.handles:
                yield self.shelf.get(handle)
        finally:
            self.shelf.clear()


# Where the page shell takes the fragment (see _MARKER_TOKEN).
_FRAGMENT_HERE = f"\x00vertaistuki-fragment-{_MARKER_TOKEN}\x00"


def _page_around(fragment: _KeptFragment, values: dict[str, Any]) -> Iterator[bytes]:
    """The preview page: page.html.j2 rendered with a marker where it includes the
    fragment, then the fragment's kept text in its place."""
    shell = environment().get_template("page.html.j2").render(**values, fragment=Markup(_FRAGMENT_HERE))
    before, after = shell.split(_FRAGMENT_HERE)
    yield before.encode("utf-8")
    yield from fragment.kept()
    yield after.encode("utf-8")


def _utf8(pieces: Iterator[str], size: int = 1 << 20, cards: _SplicedCards | None = None) -> Iterator[bytes]:
    """Template output in UTF-8 chunks of about ``size`` (bytes, and characters of text
    not encoded yet; a chunk per piece would make the writing slower than the
    rendering), with each of ``cards``' markers replaced by its card's markup."""
    mark = cards.MARK if cards is not None else None
    done: list[bytes] = []  # encoded parts of the chunk
    done_size = 0
    batch: list[str] = []  # pieces not encoded yet
    length = 0
    for piece in pieces:
        if piece == mark:
            if batch:
                done.append("".join(batch).encode("utf-8"))
                done_size += len(done[-1])
                batch, length = [], 0
            done.append(cards.waiting.popleft())
            done_size += len(done[-1])
        else:
            batch.append(piece)
            length += len(piece)
        if done_size + length >= size:
            if batch:
                done.append("".join(batch).encode("utf-8"))
                batch, length = [], 0
            yield b"".join(done)
            done, done_size = [], 0
    if batch:
        done.append("".join(batch).encode("utf-8"))
    if done:
        yield b"".join(done)


# The options the listing's pages read (the shards renderer's listings take them too).
LISTING_OPTIONS: dict[str, option_checks.Check] = {
    "languages": option_checks.LANGUAGES, "heading_level": option_checks.whole_number(1, 6),
    "id_prefix": option_checks.text, "page_size": option_checks.whole_number(0),
    "repeat_nationwide": option_checks.whole_number(0), "directory_above": option_checks.whole_number(0),
}
#: The options catalogue.toml may give (Renderer.options: what the core checks).
OPTIONS: dict[str, option_checks.Check] = {
    **LISTING_OPTIONS, "asset_url": option_checks.text, "municipality_href": option_checks.text,
    "embed_jsonld": option_checks.whole_number(0),
}
#: And those a host answering the GET form gives besides (docs/widget.md): in
#: catalogue.toml, query would turn the build into one answer.
ANSWERING_OPTIONS: dict[str, option_checks.Check] = {**OPTIONS, "page": option_checks.text, "query": option_checks.anything}


def render_html(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Iterator[bytes] | bytes]]:
    """Yield the listing's pages one by one (every language, every municipality), each
    as chunks made while it is written: the build stages them as they come, so a
    national listing's pages never sit in memory, whole or all together."""
    option_checks.check("html", context.options, ANSWERING_OPTIONS)
    languages = tuple(context.options.get("languages", ("fi", "sv")))
    options = {**context.options, "languages": languages}
    if isinstance(context.options.get("query"), Mapping):
        yield from _answer_query(catalogue, context, options).items()
        return
    yield "widget/vertaistuki.css", asset("vertaistuki.css")
    yield "widget/vertaistuki.js", asset("vertaistuki.js")
    # What the languages (and the JSON-LD) have in common is made once; the cards' markup
    # goes to the build's store, for the shards renderer to copy.
    memo = ListingMemo(CardMarkups.of(context))
    directory = lists_directory(options, catalogue)
    # A directory embeds no JSON-LD: it lists next to none of the records the graph has.
    embeds = embeds_jsonld(options, catalogue) and not directory
    script = ShelvedScript(GraphTexts.of(catalogue, context, memo.expansions)) if embeds else None
    try:
        for language in languages:
            listing = Listing(catalogue, language, context.today, memo=memo)
            fragment, page = stream_listing(catalogue, language, context.today, options, listing=listing, jsonld=script,
                                            directory=directory, nationwide_elsewhere=_directory_elsewhere(directory, listing))
            yield f"widget/{language}/fragment.html", fragment
            yield f"widget/{language}/index.html", page
            elsewhere = _elsewhere(options, listing)
            for code, _ in listing.options()["municipality"]:
                yield f"widget/{language}/{code}.html", stream_listing(
                    catalogue, language, context.today, options, listing=listing, municipality=code,
                    nationwide_elsewhere=elsewhere, directory=directory)[1]
            if elsewhere or (directory and listing.nationwide_count):  # the directory links to it
                yield f"widget/{language}/{NATIONWIDE}.html", stream_listing(
                    catalogue, language, context.today, options, listing=listing, municipality=NATIONWIDE,
                    directory=directory)[1]
            del listing
            memo.forget_cards()  # a national listing's cards, kept for every language, would fill the memory
    finally:
        memo.forget_cards()


def _elsewhere(options: Mapping[str, Any], listing: Listing) -> NationwideElsewhere | None:
    """Where the municipality pages link to instead of repeating the nationwide records
    (None while they repeat them)."""
    count = listing.nationwide_count
    return None if repeats_nationwide(options, count) else NationwideElsewhere(f"{NATIONWIDE}.html", count)


def _directory_elsewhere(directory: bool, listing: Listing) -> NationwideElsewhere | None:
    """Where the whole listing links to for the nationwide records: ``nationwide.html``
    when it is a directory (the page is then always written) and there are some."""
    count = listing.nationwide_count
    return NationwideElsewhere(f"{NATIONWIDE}.html", count) if directory and count else None


def _answer_query(catalogue: Catalogue, context: RenderContext, options: Mapping[str, Any]) -> dict[str, bytes]:
    page = str(context.options.get("page", ""))
    parts = page.split("/")
    if len(parts) != 3 or parts[0] != "widget" or parts[1] not in options["languages"] or not parts[2].endswith(".html"):
        return {}
    language, name = parts[1], parts[2].removesuffix(".html")
    listing = _answering_listing(catalogue, language, context)
    elsewhere = _elsewhere(options, listing)
    directory = lists_directory(options, catalogue)
    if name == NATIONWIDE and not elsewhere and not (directory and listing.nationwide_count):
        return {}  # the nationwide records are on every municipality's page: no page of their own
    municipalities = dict(listing.options()["municipality"])
    if name not in ("index", NATIONWIDE) and name not in municipalities:
        return {}
    query = Query.from_params(context.options["query"])
    municipality = None if name == "index" else name
    if directory and name == "index":
        # The directory has no form, but a municipality page's form asks it (JavaScript
        # off): answer with that municipality's page, and anything else with the directory.
        municipality = query.municipality if query.municipality in municipalities else None
        query = query if municipality else Query()
    # The page as the build writes it: the whole listing links to the nationwide page
    # only when it is a directory, a municipality's page when it does not repeat them.
    if municipality is None:
        elsewhere = _directory_elsewhere(directory, listing)
    elif municipality == NATIONWIDE:
        elsewhere = None
    # Only the page is made, in chunks: the whole country's page is tens of megabytes,
    # and making its fragment as well, or holding it as text, doubled the time and memory.
    chunks = stream_listing(catalogue, language, context.today, options, query=query, municipality=municipality,
                            listing=listing, nationwide_elsewhere=elsewhere, directory=directory)[1]
    return {page: b"".join(chunks)}


def _answering_listing(catalogue: Catalogue, language: str, context: RenderContext) -> Listing:
    """The listing answers are made from, kept in ``RenderContext.shared`` with the facts
    about each record and each card's markup: a host that keeps ``shared`` from one
    answer to the next (the preview does, until its next build) makes them once, and an
    answer then costs its page. A national listing is seconds to make again."""
    kept = context.shared.setdefault("vertaistuki.html:answering-listings", {})
    key = (language, context.today)
    known = kept.get(key)
    if known is None or known[0] is not catalogue:
        known = kept[key] = (catalogue, Listing(catalogue, language, context.today, memo=ListingMemo(CardMarkups.of(context))))
    return known[1]


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="html",
        media_type="text/html",
        suffix=".html",
        render=render_html,
        description="The embeddable listing: a server-rendered fragment, preview pages per language and "
                    "municipality, CSS and an optional filtering module.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
