"""Built-in renderer ``shards``: a national listing cut into per-region and
per-municipality pieces, so that a municipality's web page never downloads the country.

For every region (the records' ``regions``) and every municipality (where an in-person
channel meets) it writes a catalogue feed holding just those records and what they
refer to (organisers, places, people who consented to be shown, terms), and, unless
``html = false``, the embeddable listing fragment and a preview page per language.
``shards/index.json`` lists the shards with their names and record counts, so a widget
or a site generator can find the right one.

Nationwide records (online groups, phone lines) are repeated in every shard while
there are at most ``repeat_nationwide`` of them (default 20, as on the html renderer's
municipality pages). Past that they are a shard of their own (kind ``nationwide``, key
``koko-suomi``), the other shards' listings link to its listing, and ``index.json``
says ``"include_nationwide": false``, so that a widget showing a municipality fetches
the nationwide shard as well. Thousands of nationwide records copied into every shard
would make a municipality's shard as large as the country's, which is what shards are
for avoiding. ``include_nationwide = true`` or ``false`` decides it whatever the count.

A region's listing with more than ``directory_above`` records (default 5,000, as for the
html renderer; 0 never) is a directory of its municipality shards' pages, with the
records that meet in no municipality, when there are municipality shards.

Options: ``html`` (bool), ``languages`` (list, default fi and sv), ``repeat_nationwide``
(int), ``include_nationwide`` (bool), ``by`` (list of "region", "municipality"),
``directory_above`` (int).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from .. import jsontext, plugins
from .. import options as option_checks
from ..hookspecs import hookimpl
from ..listing import slug
from ..convert import make_catalogue_converter
from ..model import COLLECTIONS, Catalogue, InPersonChannel
from ..registry import RenderContext, Renderer
from ..shelf import Handle, Shelf
from ..labels import ui
from .html_widget import (LISTING_OPTIONS, CardMarkups, Listing, ListingMemo, NationwideElsewhere, asset, lists_directory,
                          repeats_nationwide, stream_listing)
from .json_feed import feed_chunks

ACTIVITIES = ("groups", "services", "events")
# Compact: a shard is fetched by the browser of every visitor to a municipality's page,
# and a reader who wants to look inside has a JSON viewer.
FEED_INDENT = None
REFERRED = ("organisations", "places", "volunteers", "coordinators")
NATIONWIDE_SHARD = ("nationwide", "koko-suomi")  # (kind, key) of the nationwide records' own shard


def _dumps(value: Any) -> bytes:
    """``index.json``: small, and read by people setting up a site, so indented."""
    return jsontext.dumps_utf8(value, indent=2) + b"\n"


class _Positions:
    """Where each record of the catalogue is, by id, so that a shard is cut out by
    looking its ids up rather than by testing every record of the country again."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.by_id: dict[str, dict[str, list[int]]] = {}
        for collection in (*ACTIVITIES, *REFERRED):
            found: dict[str, list[int]] = {}
            for position, record in enumerate(getattr(catalogue, collection)):
                found.setdefault(record.id, []).append(position)
            self.by_id[collection] = found
        self.nationwide = {collection: [position for position, record in enumerate(getattr(catalogue, collection))
                                        if record.nationwide] for collection in ACTIVITIES}

    def pick(self, catalogue: Catalogue, collection: str, ids: Iterable[str], extra: Iterable[int] = ()) -> tuple:
        """The records of ``collection`` with these ids (and at these positions), in
        catalogue order."""
        found = self.by_id[collection]
        positions = {position for record_id in ids for position in found.get(record_id, ())}
        positions.update(extra)
        records = getattr(catalogue, collection)
        return tuple(records[position] for position in sorted(positions))


def subset(catalogue: Catalogue, ids: set[str], nationwide: bool, positions: _Positions | None = None) -> Catalogue:
    """The activities with these ids (and, with ``nationwide``, the nationwide ones),
    with the organisations, places and people they refer to, and every term (the
    vocabularies are small and labels need them)."""
    positions = positions or _Positions(catalogue)
    chosen = {collection: positions.pick(catalogue, collection, ids, positions.nationwide[collection] if nationwide else ())
              for collection in ACTIVITIES}
    records = [r for collection in ACTIVITIES for r in chosen[collection]]
    organisations = {r.organiser for r in records} | {o for r in records for o in getattr(r, "co_organisers", ())}
    if catalogue.publisher:
        organisations.add(catalogue.publisher)
    places = {c.place for r in records for c in r.channels if isinstance(c, InPersonChannel)}
    people = {p for r in records for p in r.contacts}
    people |= {p for r in records if getattr(r, "facilitation", None) for p in r.facilitation.leaders}
    return attrs.evolve(
        catalogue,
        organisations=positions.pick(catalogue, "organisations", organisations),
        places=positions.pick(catalogue, "places", places),
        volunteers=positions.pick(catalogue, "volunteers", people),
        coordinators=positions.pick(catalogue, "coordinators", people),
        **chosen,
    )


def shard_keys(catalogue: Catalogue, by: Iterable[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, key) → {"name": {lang: text}, "ids": set of record ids} for every shard."""
    places = {p.id: p for p in catalogue.places}
    terms = dict(plugins.vocabulary_terms())
    terms.update({(t.vocabulary, t.id): t for t in catalogue.terms})
    shards: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"name": {}, "ids": set()})
    by = set(by)
    for collection in ACTIVITIES:
        for record in getattr(catalogue, collection):
            if "region" in by:
                for region in record.regions:
                    term = terms.get(("region", region))
                    entry = shards[("region", region)]
                    entry["name"] = term.label.as_dict() if term else {"fi": region}
                    entry["ids"].add(record.id)
            if "municipality" in by:
                for channel in record.channels:
                    if isinstance(channel, InPersonChannel) and channel.place in places:
                        key = slug(places[channel.place].municipality.get("fi"))
                        entry = shards[("municipality", key)]
                        entry["name"] = places[channel.place].municipality.as_dict()
                        entry["ids"].add(record.id)
    return dict(shards)


class _RecordTexts:
    """Each record's JSON text in the shard feeds, written once and kept on a shelf: a
    record is in several shards (a nationwide one in all of them) and reads the same in
    each."""

    def __init__(self, shelf: Shelf) -> None:
        self.shelf = shelf
        self.converter = make_catalogue_converter()
        self.handles: dict[int, tuple[Any, Handle]] = {}

    def __call__(self, collection: str, record: Any) -> jsontext.Dumped:
        known = self.handles.get(id(record))
        if known is None or known[0] is not record:
            text = jsontext.dumps_utf8(self.converter.unstructure(record, COLLECTIONS[collection]), indent=FEED_INDENT)
            known = self.handles[id(record)] = (record, self.shelf.put(text))
            return jsontext.Dumped(text)
        return jsontext.Dumped(self.shelf.get(known[1]))  # UTF-8, placed as it is


def includes_nationwide(options: dict[str, Any], positions: _Positions) -> bool:
    """Whether every shard repeats the nationwide records (see the module's docstring)."""
    if "include_nationwide" in options:
        return bool(options["include_nationwide"])
    return repeats_nationwide(options, sum(len(found) for found in positions.nationwide.values()))


OPTIONS: dict[str, option_checks.Check] = {
    **LISTING_OPTIONS, "html": option_checks.flag, "include_nationwide": option_checks.flag,
    "by": option_checks.some_of("region", "municipality"),
}


def render_shards(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Any]]:
    """Yield each shard's files as soon as they are made: a national catalogue's shards
    are gigabytes, and the build stages each file on disk as it comes."""
    option_checks.check("shards", context.options, OPTIONS)
    with_html = bool(context.options.get("html", True))
    positions = _Positions(catalogue)
    nationwide = includes_nationwide(context.options, positions)
    index: list[dict[str, Any]] = []
    # A record is in several shards (its region, its municipality, every shard when it is
    # nationwide) and looks the same in each: its text, meetings, card and markup are made once.
    memo = ListingMemo(CardMarkups.of(context))  # cards the html renderer made are copied
    try:
        yield from _shards(catalogue, context, memo, index, positions, nationwide)
    finally:
        memo.forget_cards()
    if with_html and index:
        yield "shards/vertaistuki.css", asset("vertaistuki.css")
        yield "shards/vertaistuki.js", asset("vertaistuki.js")
    yield "shards/index.json", _dumps({"source": catalogue.source, "include_nationwide": nationwide, "shards": index})


def _shards(catalogue: Catalogue, context: RenderContext, memo: ListingMemo, index: list, positions: _Positions,
            nationwide: bool) -> Iterator[tuple[str, Any]]:
    """Every shard's feed, then every shard's listing one language at a time (so that
    only one language's cards are kept), each shard's entry appended to ``index``."""
    options = context.options
    languages = tuple(options.get("languages", ("fi", "sv")))
    with_html = bool(options.get("html", True))
    by = tuple(options.get("by", ("region", "municipality")))
    # From a shard's page (shards/<kind>/<key>/<lang>/) the municipality links go to the
    # municipality shards' pages; without municipality shards there is nothing to link.
    municipality_href = "../../../municipality/{code}/{language}/index.html" if "municipality" in by else None
    html_options = {**options, "languages": languages, "asset_url": "../../../", "municipality_href": municipality_href}
    shards = sorted(shard_keys(catalogue, by).items())
    everywhere = set() if nationwide else {getattr(catalogue, collection)[position].id
                                           for collection, found in positions.nationwide.items() for position in found}
    if everywhere:  # the nationwide records' own shard
        name = {language: ui(language)["nationwide"] for language in ("fi", "sv", "en")}
        shards.append((NATIONWIDE_SHARD, {"name": name, "ids": everywhere}))
    parts: list[tuple[str, Catalogue, dict[str, Any]]] = []
    with Shelf() as shelf:
        texts = _RecordTexts(shelf)
        for (kind, key), entry in shards:
            ids = entry["ids"]
            part = subset(catalogue, ids, nationwide, positions)
            base = f"shards/{kind}/{key}"
            yield f"{base}.json", feed_chunks(part, indent=FEED_INDENT, record_item=texts)
            item = {"kind": kind, "key": key, "name": entry["name"], "local": len(ids),
                    "records": sum(len(getattr(part, c)) for c in ACTIVITIES), "json": f"{kind}/{key}.json"}
            if with_html:
                item["html"] = {}
                # A large region's listing is a directory of its municipality shards' pages, as
                # the html renderer's whole listing is (a region can hold a third of the country).
                item["directory"] = (kind == "region" and municipality_href is not None
                                     and lists_directory(html_options, part))  # a site placing the fragment may want to know
                parts.append((base, part, item))
            index.append(item)
    for language in languages:
        # From a shard's page (shards/<kind>/<key>/<lang>/) to the nationwide shard's.
        elsewhere = NationwideElsewhere("../../../{}/{}/{}/index.html".format(*NATIONWIDE_SHARD, language),
                                        len(everywhere)) if everywhere else None
        for base, part, item in parts:
            # Static pages match no text query: the copied cards need no search text.
            listing = Listing(part, language, context.today, memo=memo, search_texts=False)
            own = (item["kind"], item["key"]) == NATIONWIDE_SHARD
            fragment, page = stream_listing(part, language, context.today, html_options, listing=listing,
                                            nationwide_elsewhere=None if own else elsewhere, directory=item["directory"])
            yield f"{base}/{language}/fragment.html", fragment
            yield f"{base}/{language}/index.html", page
            item["html"][language] = f"{base.removeprefix('shards/')}/{language}/fragment.html"
        memo.forget_cards()  # a language's cards, kept for every shard, would fill the memory


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="shards",
        media_type="application/json",
        suffix=".json",
        render=render_shards,
        description="Per-region and per-municipality feeds and listing fragments, with an index, for national listings.",
        reuses=("html",),  # copies the html renderer's card markup (html_widget.CardMarkups)
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
