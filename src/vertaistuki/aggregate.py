"""Federation aggregation: many member feeds into one national catalogue, nothing lost.

A federation lists its member associations' ``catalogue.json`` feeds in a
``federation.toml``. One run:

1. reads the federation's own sources (its organisation record, national groups);
2. fetches every member feed concurrently through a bounded pool (:mod:`.feeds`: https,
   timeouts, byte caps, private addresses refused, conditional GET, last good copy);
3. validates each member's records separately: a bad record is quarantined and
   reported, never its feed, and a broken feed falls back to its last good copy;
4. namespaces every id with the member's id (``omaiset-uusimaa:miesten-voimaa``) and
   stamps each record's provenance (member, feed URL, fetched at, last modified);
5. makes each member association a member (``member_of``) of the federation;
6. links duplicates (a group listed by its association and by a regional peer centre)
   with ``same_as``, found by identifiers, then by name + municipality + schedule;
   they are reported, never merged;
7. publishes through the ordinary renderers (the ``shards`` renderer cuts the listing per
   region and municipality), after consent is applied as of the run's day;
8. compares with the previous run: new, changed and removed records, withdrawn
   consents, failing feeds; removed records become tombstones for downstream readers.

``federation.toml``::

    [federation]
    source = "mielenterveys-fi"          # namespace and name of the national catalogue
    organisation = "mtkl"                # the federation's own organisation record
    base_url = "https://feeds.example/"  # optional: member urls are relative to this

    [[members]]
    id = "tampereen-vertaistukikeskus"   # the member's namespace (its feed's "source")
    url = "tampere/catalogue.json"
    organisation = "vertaistukikeskus"   # optional: its organisation record in its feed

    [fetch]                              # FeedPolicy limits, plus:
    concurrency = 16
    cache = ".feed-cache"                # last good copies and the previous run's state
    tombstone_days = 90

    [[sources]]                          # the federation's own records
    path = "federation.yaml"
    [[outputs]]
    renderer = "json"
    [[outputs]]
    renderer = "shards"
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import json
import re
import typing
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import attrs
import httpx

from . import plugins
from .atomic import OutputsUnwritable, Published, StagedOutputs, UnsafeOutputPath, check_writable_folder, write_atomic
from .build import (problem_report, publish, read_sources, render_all, source_unread_problem, unknown_plugin_problems,
                    unreadable_sources, unwritable_folder)
from .config import BuildConfig, ConfigError, config_from_data, read_toml, refuse_unknown_settings
from .convert import unstructure
from .feeds import (FeedCache, FeedPolicy, FeedRead, FetchStatus, catalogue_offers, client_for, decode_catalogue, read_feed, run_async,
                    set_aside_oversized)
from .loading import load_data
from .model import COLLECTIONS, Catalogue, Organisation, Provenance, Severity, Text, Training
from .model.identifiers import SOURCE_ID, check_record_id, check_record_ids
from .options import OptionError
from .privacy import publishable
from .problems import Problem, os_reason

STATE_FILE = "aggregate-state.json"
TOMBSTONES_FILE = "tombstones.json"
FEEDS_REPORT = "aggregate/feeds.json"
CHANGES_REPORT = "aggregate/changes.json"
TEXT_REPORT = "aggregate/report.txt"

#: Called as feeds arrive: (what was done, feeds done, feeds in all).
Progress = Callable[[str, int, int], None]


# --- configuration ---------------------------------------------------------------------

@attrs.frozen
class Member:
    """One member association's feed."""

    id: str  # namespace of its records in the aggregate; normally its feed's ``source``
    url: str
    organisation: str | None = None  # its own organisation record's id in its feed


@attrs.frozen
class AggregateConfig:
    path: Path
    build: BuildConfig  # the federation's own sources, outputs, plugins and output folder
    source: str
    federation: str  # the federation's organisation id (in its own sources)
    members: tuple[Member, ...]
    policy: FeedPolicy = FeedPolicy()
    concurrency: int = 16
    cache_dir: Path | None = None
    tombstone_days: int = 90
    name: Text | None = None

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.path.parent / ".feed-cache"


def _config_fail(label: str, path: str, fi: str, en: str) -> ConfigError:
    return ConfigError(Problem.error(label, path, fi, en, code="config"))


def read_aggregate_config(path: str | Path, *, base_url: str | None = None) -> AggregateConfig:
    """Read and check a ``federation.toml``; raises ConfigError with a Problem.

    ``base_url`` overrides ``[federation] base_url`` (the demo serves its members from
    a port chosen at run time)."""
    path = Path(path).resolve()
    label = str(path)
    raw = read_toml(path)
    build = config_from_data(raw, path, extra_sections=frozenset({"federation", "members", "fetch"}))
    federation = raw.get("federation")
    if not isinstance(federation, dict):
        raise _config_fail(label, "$.federation", "asetuksista puuttuu [federation]", "the configuration needs a [federation] table")
    refuse_unknown_settings(label, "$.federation", federation, ("source", "organisation", "name", "base_url"))
    for key in ("source", "organisation"):
        if not isinstance(federation.get(key), str) or not SOURCE_ID.fullmatch(federation[key]):
            raise _config_fail(label, f"$.federation.{key}", f"[federation] {key} puuttuu tai ei ole kelvollinen tunniste",
                               f"[federation] {key} is missing or not a valid id")
    base = base_url or federation.get("base_url")
    members = []
    seen: set[str] = set()
    raw_members = raw.get("members", [])
    if not isinstance(raw_members, list):
        raise _config_fail(label, "$.members", "[[members]] on lista jäseniä", "[[members]] is a list of members")
    for index, entry in enumerate(raw_members):
        where = f"$.members[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("url"), str):
            raise _config_fail(label, where, "jäseneltä puuttuu id tai url", "a member needs an id and a url")
        if not SOURCE_ID.fullmatch(entry["id"]):
            raise _config_fail(label, f"{where}.id", f"jäsenen tunniste {entry['id']!r} ei kelpaa (a–z, 0–9, - _ .)",
                               f"member id {entry['id']!r} is not valid (a–z, 0–9, - _ .)")
        if entry["id"] in seen:
            raise _config_fail(label, f"{where}.id", f"jäsen {entry['id']} on listattu kahdesti", f"member {entry['id']} is listed twice")
        seen.add(entry["id"])
        refuse_unknown_settings(label, where, entry, ("id", "url", "organisation"))
        url = urljoin(base, entry["url"]) if base else entry["url"]
        members.append(Member(entry["id"], url, entry.get("organisation")))
    fetch = raw.get("fetch", {})
    if not isinstance(fetch, dict):
        raise _config_fail(label, "$.fetch", "[fetch] on taulukko", "[fetch] must be a table")
    try:
        policy = FeedPolicy.from_options(fetch)
    except OptionError as error:
        raise _config_fail(label, f"$.fetch.{error.name}", f"[fetch]: {error.fi}", f"[fetch]: {error.en}") from None
    refuse_unknown_settings(label, "$.fetch", fetch, (*attrs.fields_dict(FeedPolicy), "concurrency", "cache", "tombstone_days"))
    concurrency = fetch.get("concurrency", 16)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 256:
        raise _config_fail(label, "$.fetch.concurrency", "concurrency on 1–256", "concurrency must be 1–256")
    tombstone_days = fetch.get("tombstone_days", 90)
    if isinstance(tombstone_days, bool) or not isinstance(tombstone_days, int) or tombstone_days < 0:
        raise _config_fail(label, "$.fetch.tombstone_days", "tombstone_days on päivien määrä", "tombstone_days must be a number of days")
    name = federation.get("name")
    return AggregateConfig(
        path=path, build=build, source=federation["source"], federation=federation["organisation"],
        members=tuple(members), policy=policy, concurrency=concurrency,
        cache_dir=(path.parent / fetch["cache"]).resolve() if isinstance(fetch.get("cache"), str) else None,
        tombstone_days=tombstone_days,
        name=Text.of(**name) if isinstance(name, dict) else None,
    )


# --- ids and provenance ------------------------------------------------------------------

@functools.cache
def _reference_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(field name, is it a tuple) for every field of ``cls`` holding record ids that
    live in the same catalogue. Found from the id validators, so a new reference field
    in the model is namespaced without anyone remembering this module."""
    found = []
    for field in attrs.fields(cls):
        if field.name == "same_as":
            continue  # already global stable ids, pointing into other catalogues
        validators = _validators(field.validator)
        if check_record_id in validators:
            found.append((field.name, False))
        elif check_record_ids in validators:
            found.append((field.name, True))
    # Ids without an id validator (free references, checked by the semantic rules).
    found += {Organisation: [("parent", False)], Training: [("organiser", False)]}.get(cls, [])
    return tuple(found)


def _validators(validator: Any) -> set:
    if validator is None:
        return set()
    inner = getattr(validator, "_validators", None)  # attrs' and_()
    if inner is not None:
        return {item for part in inner for item in _validators(part)}
    return {validator}


def namespaced_id(namespace: str, record_id: str) -> str:
    """``tampere:kahvila`` for ``kahvila`` in member ``tampere``. An id that already
    holds a colon is a stable id from another catalogue and is kept."""
    return record_id if ":" in record_id else f"{namespace}:{record_id}"


@functools.cache
def _renaming_plan(cls: type) -> tuple[tuple[str, str], ...]:
    """(field name, what namespacing does to it) for the fields of ``cls`` it touches:
    ``"id"`` or ``"ids"`` (a reference, or a tuple of them), ``"provenance"`` (stamped on
    a record), or ``"within"`` (a value whose declared type holds references further
    down, such as a group's channels). Every other field (texts, dates, schedules, fees)
    is left alone without being looked into: a national aggregate has millions of such
    values, and walking them all took longer than loading the records."""
    references = dict(_reference_fields(cls))
    try:
        hints: dict[str, Any] | None = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 (an annotation that cannot be resolved: look into every field)
        hints = None
    plan = []
    for field in attrs.fields(cls):
        if field.name in references:
            plan.append((field.name, "ids" if references[field.name] else "id"))
        elif field.name == "provenance":
            plan.append((field.name, "provenance"))
        elif hints is None or _may_hold_references(hints.get(field.name, Any)):
            plan.append((field.name, "within"))
    return tuple(plan)


_PLANNING: set[type] = set()  # classes whose plan is being made (a type that contains itself)


def _may_hold_references(annotation: Any) -> bool:
    """Whether a value of this declared type can hold record references: it is, or
    contains (in a tuple, a union), a model class with reference fields of its own or
    further down. Undeclared (``Any``) values are looked into, to be safe."""
    if annotation is Any:
        return True
    if isinstance(annotation, type) and attrs.has(annotation):
        if annotation in _PLANNING:
            return True
        _PLANNING.add(annotation)
        try:
            return any(action != "provenance" for _, action in _renaming_plan(annotation))
        finally:
            _PLANNING.discard(annotation)
    return any(_may_hold_references(argument) for argument in typing.get_args(annotation))


def _rename(value: Any, namespace: str, stamp: Callable[[Provenance | None], Provenance | None] | None) -> Any:
    if isinstance(value, tuple):
        renamed = tuple(_rename(item, namespace, None) for item in value)
        return renamed if any(a is not b for a, b in zip(renamed, value, strict=True)) else value
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for name, action in _renaming_plan(type(value)):
        current = getattr(value, name)
        if current is None:
            continue
        if action == "id":
            changes[name] = namespaced_id(namespace, current)
        elif action == "ids":
            changes[name] = tuple(namespaced_id(namespace, item) for item in current)
        elif action == "provenance":
            if stamp is not None:
                changes[name] = stamp(current)
        else:
            renamed = _rename(current, namespace, None)
            if renamed is not current:
                changes[name] = renamed
    return attrs.evolve(value, **changes) if changes else value


def namespaced(catalogue: Catalogue, namespace: str,
               stamp: Callable[[Provenance | None], Provenance | None] | None = None) -> Catalogue:
    """The catalogue with every record id and every reference to one prefixed by
    ``namespace`` (vocabulary terms keep theirs), provenance re-stamped by ``stamp``."""
    changes = {collection: tuple(_rename(record, namespace, stamp) for record in getattr(catalogue, collection))
               for collection in COLLECTIONS if collection != "terms"}
    publisher = namespaced_id(namespace, catalogue.publisher) if catalogue.publisher else None
    return attrs.evolve(catalogue, publisher=publisher, **changes)


# --- duplicates ----------------------------------------------------------------------------

def _normal_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _duplicate_keys(record: Any, catalogue: Catalogue, places: Mapping[str, Any]) -> list[tuple]:
    keys: list[tuple] = [("id", same) for same in getattr(record, "same_as", ())]
    municipalities = sorted({
        _normal_name(place.municipality.get("fi"))
        for channel in record.channels if (place := places.get(getattr(channel, "place", None))) is not None})
    schedule = getattr(record, "schedule", None)
    when = (schedule.rrule, schedule.start_time.isoformat()) if schedule is not None else (
        (record.start_date.isoformat(), record.start_time.isoformat() if record.start_time else None)
        if hasattr(record, "start_date") else None)
    if municipalities:
        keys.append(("similar", _normal_name(record.name.get("fi")), tuple(municipalities), when))
    return keys


def link_duplicates(parts: Mapping[str, Catalogue]) -> tuple[dict[str, dict[str, tuple[str, ...]]], list[tuple[str, ...]]]:
    """Groups, services and events that two members both list.

    Matched by identifiers first (a declared ``same_as``, or a web address that exactly
    one record of each member has), then by normalised name + municipality + schedule.
    Records of one member are never linked to each other (that member knows best).
    Returns, per collection, stable id → the ids of its duplicates, and the clusters."""
    links: dict[str, dict[str, tuple[str, ...]]] = {}
    clusters: list[tuple[str, ...]] = []
    for collection in ("groups", "services", "events"):
        owner: dict[str, str] = {}
        by_key: dict[tuple, list[str]] = defaultdict(list)
        url_owners: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for member, catalogue in parts.items():
            places = {place.id: place for place in catalogue.places}
            for record in getattr(catalogue, collection):
                owner[record.id] = member
                by_key[("id", record.id)].append(record.id)  # so a declared same_as finds its target
                for key in _duplicate_keys(record, catalogue, places):
                    by_key[key].append(record.id)
                if record.url:
                    url_owners[record.url.rstrip("/").lower()][member].append(record.id)
        for per_member in url_owners.values():
            unique = [ids[0] for ids in per_member.values() if len(ids) == 1]
            if len(unique) > 1:
                by_key[("url", *unique)] = unique
        parent = {record_id: record_id for record_id in owner}

        def find(item: str, parent: dict[str, str] = parent) -> str:  # this collection's, bound now
            while parent[item] != item:
                parent[item] = parent[parent[item]]
                item = parent[item]
            return item

        for ids in by_key.values():
            known = [record_id for record_id in ids if record_id in parent]
            for other in known[1:]:
                if owner[other] != owner[known[0]]:
                    parent[find(other)] = find(known[0])
        members_of: dict[str, list[str]] = defaultdict(list)
        for record_id in owner:
            members_of[find(record_id)].append(record_id)
        linked: dict[str, tuple[str, ...]] = {}
        for cluster in members_of.values():
            if len({owner[record_id] for record_id in cluster}) < 2:
                continue
            clusters.append(tuple(sorted(cluster)))
            for record_id in cluster:
                linked[record_id] = tuple(sorted(other for other in cluster if owner[other] != owner[record_id]))
        links[collection] = linked
    return links, clusters


# --- change tracking -----------------------------------------------------------------------

def record_fingerprint(record: Any) -> str:
    """A hash of what a record publishes (its provenance, which changes on every fetch,
    left out)."""
    data = unstructure(record)
    if isinstance(data, dict):
        data.pop("provenance", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:24]


def _published_personal(record: Any) -> list[str]:
    personal = getattr(record, "personal", None)
    if personal is None:
        return []
    return sorted(field.name for field in attrs.fields(type(personal)) if getattr(personal, field.name) is not None)


@attrs.frozen
class FeedReport:
    """What happened to one member feed in this run."""

    member: str
    url: str
    status: FetchStatus
    failure: Problem | None = None
    http_status: int | None = None
    bytes_received: int = 0
    fetched_at: dt.datetime | None = None
    last_modified: dt.datetime | None = None
    records: int = 0  # published from this feed
    quarantined: int = 0  # records left out for errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member, "url": self.url, "status": self.status.value,
            "failure": self.failure.as_dict() if self.failure else None, "http_status": self.http_status,
            "bytes_received": self.bytes_received,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "last_modified": self.last_modified.isoformat() if self.last_modified else None,
            "records": self.records, "quarantined": self.quarantined,
        }


@attrs.frozen
class ChangeReport:
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    consent_withdrawn: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (person id, fields no longer published)
    failing_feeds: tuple[str, ...] = ()  # member ids
    duplicates: tuple[tuple[str, ...], ...] = ()
    # Published before, still in their member's feed, left out this run for an error:
    # not removed (no tombstone), published again once the member fixes them.
    left_out: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "left_out": list(self.left_out),
            "new": list(self.new), "changed": list(self.changed), "removed": list(self.removed),
            "consent_withdrawn": [{"id": person, "fields": list(fields)} for person, fields in self.consent_withdrawn],
            "failing_feeds": list(self.failing_feeds), "duplicates": [list(cluster) for cluster in self.duplicates],
        }


def compare_runs(previous: Mapping[str, Any], current: dict[str, dict[str, Any]], reports: Iterable[FeedReport],
                 today: dt.date, tombstone_days: int,
                 left_out: Iterable[str] = ()) -> tuple[ChangeReport, list[dict[str, Any]]]:
    """New, changed and removed records against the previous run's state, and the
    tombstones to publish. A member whose feed gave nothing this run (failed with no
    last good copy) has its records reported as unavailable, not removed: a bad
    night on their server must not erase them downstream. Nor is a record ``left_out``
    (still in its member's feed, but with an error this run) removed: its previous
    state goes into ``current``, so that it is a removal only once it leaves the feed."""
    reports = list(reports)
    unavailable = {report.member for report in reports if report.status is FetchStatus.FAILED}
    before: dict[str, dict[str, Any]] = previous.get("records", {}) if isinstance(previous.get("records"), dict) else {}
    held = sorted(record_id for record_id in set(left_out) & set(before) if record_id not in current)
    current.update((record_id, before[record_id]) for record_id in held)
    new = sorted(set(current) - set(before))
    changed = sorted(record_id for record_id in set(current) & set(before) if current[record_id]["hash"] != before[record_id].get("hash"))
    removed = sorted(record_id for record_id, entry in before.items()
                     if record_id not in current and entry.get("member") not in unavailable)
    withdrawn = []
    for record_id in sorted(set(current) & set(before)):
        gone = sorted(set(before[record_id].get("personal", ())) - set(current[record_id].get("personal", ())))
        if gone:
            withdrawn.append((record_id, tuple(gone)))
    horizon = today - dt.timedelta(days=tombstone_days)
    tombstones = [stone for stone in previous.get("tombstones", []) if isinstance(stone, dict)
                  and stone.get("id") not in current and _date(stone.get("removed")) >= horizon]
    known = {stone["id"] for stone in tombstones}
    tombstones += [{"id": record_id, "collection": before[record_id].get("collection"), "member": before[record_id].get("member"),
                    "removed": today.isoformat()} for record_id in removed if record_id not in known]
    failing = sorted(report.member for report in reports if report.status in (FetchStatus.FAILED, FetchStatus.FALLBACK))
    return ChangeReport(tuple(new), tuple(changed), tuple(removed), tuple(withdrawn), tuple(failing), left_out=tuple(held)), \
        sorted(tombstones, key=lambda stone: (stone["removed"], stone["id"]))


def _date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return dt.date.min


# --- the run -------------------------------------------------------------------------------

@attrs.frozen
class AggregateResult:
    catalogue: Catalogue  # everything valid, before consent is applied for publishing
    problems: tuple[Problem, ...]
    feeds: tuple[FeedReport, ...]
    changes: ChangeReport
    files: dict[str, bytes]
    written: tuple[Path, ...] = ()  # as BuildResult's
    changed: tuple[Path, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


async def _fetch_all(config: AggregateConfig, cache: FeedCache, progress: Progress | None,
                     transport: httpx.AsyncBaseTransport | None) -> list[FeedRead]:
    decode = functools.partial(decode_catalogue, policy=config.policy)
    pool = asyncio.Semaphore(config.concurrency)
    done = 0

    async with client_for(config.policy, concurrency=config.concurrency, transport=transport) as client:
        async def one(member: Member) -> FeedRead:
            nonlocal done
            async with pool:
                read = await read_feed(client, member.url, decode, policy=config.policy, cache=cache, offers=catalogue_offers)
            done += 1
            if progress:
                progress(f"{member.id}: {read.status.value}", done, len(config.members))
            return read

        return list(await asyncio.gather(*(one(member) for member in config.members)))


def _member_part(member: Member, read: FeedRead, config: AggregateConfig, label_problems: list[Problem]
                 ) -> tuple[Catalogue | None, FeedReport]:
    """One member's feed as a namespaced catalogue, and what happened to it."""
    failure = None
    if read.failure is not None:
        words = "käytettiin viimeisintä toimivaa kopiota" if read.status is FetchStatus.FALLBACK else "jäsenen tietoja ei ole mukana"
        words_en = "the last good copy was used" if read.status is FetchStatus.FALLBACK else "nothing of this member is included"
        failure = Problem(member.url, Text.of(fi=f"jäsenen {member.id} syöte: {read.failure.message.get('fi')}; {words}",
                                              en=f"feed of member {member.id}: {read.failure.message.get('en')}; {words_en}"),
                          code=f"feed.{read.failure.code}",
                          severity=Severity.WARNING if read.status is FetchStatus.FALLBACK else Severity.ERROR)
        label_problems.append(failure)
    report = FeedReport(member.id, member.url, read.status, failure, read.http_status, read.bytes_received,
                        read.fetched_at, read.last_modified)
    if not read.usable:
        return None, report
    data, origins, oversized = set_aside_oversized(read.value, config.policy, member.url)
    label_problems.extend(oversized)
    if data.get("source") != member.id:
        label_problems.append(Problem.warning(
            member.url, "$.source",
            f"syötteen source on {data.get('source')!r}, mutta jäsenen tunniste on {member.id!r}; käytetään jäsenen tunnistetta",
            f"the feed's source is {data.get('source')!r} but the member id is {member.id!r}; the member id is used", code="feed.source_mismatch"))
    result = load_data(data, member.url, origins=origins)
    label_problems.extend(result.problems)
    quarantined = len({(p.record_path, p.record_id) for p in result.problems if p.is_error and p.record_path != "$"}) + len(oversized)

    def stamp(provenance: Provenance | None) -> Provenance:
        return Provenance(source=member.id, location=member.url, pointer=provenance.pointer if provenance else None,
                          retrieved=read.fetched_at, last_modified=read.last_modified)

    part = namespaced(result.catalogue, member.id, stamp)
    # The member association becomes a member of the federation.
    own = namespaced_id(member.id, member.organisation) if member.organisation else part.publisher
    federation_id = namespaced_id(config.source, config.federation)
    if own and part.organisation(own):
        part = attrs.evolve(part, organisations=tuple(
            attrs.evolve(o, member_of=tuple(dict.fromkeys((*o.member_of, federation_id)))) if o.id == own else o
            for o in part.organisations))
    else:
        wanted = (f'organisaatiota "{member.organisation}" (organisation federation.toml-tiedostossa)' if member.organisation
                  else f'organisaatiota "{result.catalogue.publisher}" (publisher)' if result.catalogue.publisher
                  else "omaa organisaatiota: syöte ei kerro sitä (publisher) eikä federation.toml (organisation)")
        wanted_en = (f'organisation "{member.organisation}" (organisation in federation.toml)' if member.organisation
                     else f'organisation "{result.catalogue.publisher}" (its publisher)' if result.catalogue.publisher
                     else "own organisation: neither the feed (publisher) nor federation.toml (organisation) names it")
        label_problems.append(Problem.warning(
            member.url, "$.publisher", f"jäsenen {member.id} {wanted} ei löydy syötteestä, joten sitä ei merkitty liiton jäseneksi",
            f"member {member.id}'s {wanted_en} is not in its feed, so it is not marked as a member of the federation",
            code="feed.no_member_organisation"))
    records = sum(len(getattr(part, collection)) for collection in COLLECTIONS)
    return part, attrs.evolve(report, records=records, quarantined=quarantined)


def _merge(parts: Mapping[str, Catalogue], config: AggregateConfig, today: dt.date, problems: list[Problem]
           ) -> tuple[Catalogue, list[tuple[str, ...]]]:
    merged: dict[str, list] = {collection: [] for collection in COLLECTIONS}
    owners: dict[tuple[str, str], str] = {}
    seen_terms: set[tuple[str, str]] = set()
    for member, part in parts.items():
        for collection in COLLECTIONS:
            for record in getattr(part, collection):
                if collection == "terms":
                    if (record.vocabulary, record.id) not in seen_terms:
                        seen_terms.add((record.vocabulary, record.id))
                        merged["terms"].append(record)
                    continue
                key = (collection, record.id)
                if key in owners:
                    problems.append(Problem.error(
                        getattr(record.provenance, "location", member), "$",
                        f"tunniste {record.id} on jo jäsenen {owners[key]} käytössä; tietue jätettiin pois",
                        f"id {record.id} is already used by member {owners[key]}; the record was left out", record_id=record.id,
                        code="aggregate.id_clash"))
                    continue
                owners[key] = member
                merged[collection].append(record)
    links, clusters = link_duplicates(parts)
    for collection, linked in links.items():
        merged[collection] = [attrs.evolve(record, same_as=tuple(dict.fromkeys((*record.same_as, *linked[record.id]))))
                              if record.id in linked else record for record in merged[collection]]
    own = parts.get(config.source)
    catalogue = Catalogue(source=config.source, name=config.name or (own.name if own else None),
                          publisher=namespaced_id(config.source, config.federation), updated=today,
                          **{collection: tuple(records) for collection, records in merged.items()})
    return catalogue, clusters


def aggregate(config: AggregateConfig, *, today: dt.date | None = None, out_dir: Path | None = None, write: bool = True,
              progress: Progress | None = None, transport: httpx.AsyncBaseTransport | None = None,
              keep_files: bool = True, jobs: int = 1) -> AggregateResult:
    """Run one aggregation and (unless ``write=False``) publish it atomically.

    As in :func:`vertaistuki.build.build`, the renderers' files are staged on disk as
    they are made and renamed into place together at the end; ``keep_files=False``
    leaves them out of :attr:`AggregateResult.files` (the command line does this: a
    federation's outputs need not fit in memory); ``jobs`` above one renders in that
    many processes, this one and ``jobs - 1`` workers (:mod:`vertaistuki.parallel`)."""
    today = today or dt.date.today()
    keep = keep_files or not write
    target = out_dir or config.build.out_dir or config.path.parent / "dist"
    staging = StagedOutputs(target) if write else None
    cache = FeedCache(config.cache)
    # Both folders are checked before hundreds of feeds are fetched: the outputs', and
    # the cache's, which holds the last good copies and the state the next run compares with.
    for folder, path in ((target, "$.build.out"), (config.cache, "$.fetch.cache")) if write else ():
        try:
            check_writable_folder(folder)
        except OSError as error:
            return AggregateResult(Catalogue(source=config.source), (unwritable_folder(str(config.path), path, folder, error),),
                                   (), ChangeReport(), {}, ())
    problems: list[Problem] = []
    with plugins.enabled(config.build.enabled_plugins), plugins.disabled(config.build.disabled_plugins):
        problems += plugins.load_problems() + unknown_plugin_problems(config.build)
        data, origins, source_problems = read_sources(config.build)
        problems += source_problems
        if unreadable_sources(source_problems):  # as a build: the federation's own records would be lost
            return AggregateResult(Catalogue(source=config.source), (*problems, source_unread_problem(str(config.path))),
                                   (), ChangeReport(), {}, ())
        data = {**data, "source": config.source}
        own = load_data(data, str(config.path), origins=origins)
        problems += own.problems
        parts: dict[str, Catalogue] = {config.source: namespaced(own.catalogue, config.source)}
        if parts[config.source].organisation(namespaced_id(config.source, config.federation)) is None:
            problems.append(Problem.error(str(config.path), "$.federation.organisation",
                                          f"liiton organisaatiota {config.federation} ei ole liiton omissa lähteissä",
                                          f"the federation's organisation {config.federation} is not in its own sources", code="config"))
        reads = run_async(lambda: _fetch_all(config, cache, progress, transport))
        for message in dict.fromkeys(read.cache_failure.message for read in reads if read.cache_failure is not None):
            problems.append(Problem.warning(str(config.path), "$.fetch.cache", message.get("fi"), message.get("en"),
                                            code="feed_cache_unwritable"))
        reports = []
        for number, (member, read) in enumerate(zip(config.members, reads, strict=True)):
            reads[number] = None  # the decoded JSON is not needed once the part is made (~15 % of peak memory)
            if member.id == config.source:
                problems.append(Problem.error(str(config.path), "$.members", f"jäsenellä ei voi olla liiton tunnistetta {member.id}",
                                              f"a member cannot use the federation's id {member.id}", code="config"))
                continue
            part, report = _member_part(member, read, config, problems)
            reports.append(report)
            if part is not None:
                parts[member.id] = part
        catalogue, clusters = _merge(parts, config, today, problems)
        catalogue, transform_problems = plugins.apply_transforms(catalogue)
        problems += transform_problems
        published = publishable(catalogue, today)
        try:
            files, render_problems = render_all(published, config.build, today, staging=staging, keep=keep, jobs=jobs)
        except UnsafeOutputPath as error:
            if staging:
                staging.discard()
            return _unsafe(config, error, catalogue, tuple(problems), tuple(reports))
        except OutputsUnwritable as stopped:  # a full disk, say: the folder's problem, not a renderer's
            if staging:
                staging.discard()
            unwritable = unwritable_folder(str(config.path), "$.build.out", target, stopped.error)
            return AggregateResult(catalogue, (*problems, unwritable), tuple(reports), ChangeReport(), {}, ())
        except BaseException:
            if staging:
                staging.discard()
            raise
        problems += render_problems

    state_path = config.cache / STATE_FILE
    try:
        previous = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    current = {record.id: {"hash": record_fingerprint(record), "collection": collection,
                           "member": record.id.split(":", 1)[0], "personal": _published_personal(record)}
               for collection, _, record in published.records() if collection != "terms"}
    member_of_feed = {report.url: report.member for report in reports}
    left_out = {f"{member_of_feed[problem.source]}:{problem.record_id}" for problem in problems
                if problem.is_error and problem.record_id and problem.source in member_of_feed}
    changes, tombstones = compare_runs(previous if isinstance(previous, dict) else {}, current, reports, today,
                                       config.tombstone_days, left_out)
    changes = attrs.evolve(changes, duplicates=tuple(sorted(clusters)))
    all_problems = tuple(problems)
    reports_files = problem_report(all_problems)
    reports_files[TOMBSTONES_FILE] = _json({"format": "vertaistuki-tombstones/1", "source": config.source, "tombstones": tombstones})
    reports_files[FEEDS_REPORT] = _json({"feeds": [report.as_dict() for report in reports]})
    reports_files[CHANGES_REPORT] = _json(changes.as_dict())
    reports_files[TEXT_REPORT] = run_summary(reports, changes).encode("utf-8")
    files.update(reports_files)
    published = Published()
    if staging:
        # fixed names inside the folder: nothing here can be unsafe
        published, unwritable = publish(staging, reports_files, str(config.path))
        if unwritable is not None:
            return AggregateResult(catalogue, (*all_problems, unwritable), tuple(reports), changes, files, ())
        # The state moves on only once the outputs it describes are in place; if it cannot
        # be saved, the next run compares with the one before and reports the same changes again.
        try:
            write_atomic(state_path, _json({"updated": today.isoformat(), "records": current, "tombstones": tombstones}))
        except OSError as error:
            reason = os_reason(error)
            all_problems += (Problem.warning(
                str(config.path), "$.fetch.cache", f"ajon tilaa ei voitu tallentaa ({reason}): "
                "seuraava ajo vertaa edelliseen tallennettuun tilaan", f"the state of this run could not be saved "
                f"({reason}): the next run compares with the last saved one", code="feed_cache_unwritable"),)
    if not keep_files and write:
        files = {name: content for name, content in files.items() if name in reports_files}
    return AggregateResult(catalogue, all_problems, tuple(reports), changes, files, published.files, published.changed)


def _unsafe(config: AggregateConfig, error: UnsafeOutputPath, catalogue: Catalogue, problems: tuple[Problem, ...],
            reports: tuple[FeedReport, ...]) -> AggregateResult:
    """A renderer tried to write outside the output folder: nothing is published."""
    unsafe = Problem.error(str(config.path), "$", f"tuloste yritti kirjoittaa kansion ulkopuolelle: {error}",
                           f"an output tried to write outside the folder: {error}", code="renderer_failed")
    return AggregateResult(catalogue, (*problems, unsafe), reports, ChangeReport(), {}, ())


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


def run_summary(reports: Iterable[FeedReport], changes: ChangeReport) -> str:
    """The change report for people, Finnish then English."""
    reports = list(reports)
    counts = defaultdict(int)
    for report in reports:
        counts[report.status] += 1
    lines = [
        f"Syötteitä {len(reports)}: uusia {counts[FetchStatus.FRESH]}, ennallaan {counts[FetchStatus.NOT_MODIFIED]}, "
        f"vanhasta kopiosta {counts[FetchStatus.FALLBACK]}, puuttuu {counts[FetchStatus.FAILED]}.",
        f"Feeds {len(reports)}: fresh {counts[FetchStatus.FRESH]}, unchanged {counts[FetchStatus.NOT_MODIFIED]}, "
        f"from the last good copy {counts[FetchStatus.FALLBACK]}, missing {counts[FetchStatus.FAILED]}.",
        f"Tietueita uusia {len(changes.new)}, muuttuneita {len(changes.changed)}, poistuneita {len(changes.removed)}, "
        f"virheen vuoksi pois jätettyjä {len(changes.left_out)}; "
        f"suostumuksia peruttu {len(changes.consent_withdrawn)}; kaksoiskappaleita {len(changes.duplicates)}.",
        f"Records new {len(changes.new)}, changed {len(changes.changed)}, removed {len(changes.removed)}, "
        f"left out for an error {len(changes.left_out)}; "
        f"consents withdrawn {len(changes.consent_withdrawn)}; duplicates linked {len(changes.duplicates)}.",
    ]
    failing = [report for report in reports if report.failure is not None]
    if failing:
        lines.append("")
        lines.append("Ongelmalliset syötteet / failing feeds:")
        lines += [f"- {report.member} <{report.url}> [{report.status.value}]: {report.failure.message.get('fi')} / "
                  f"{report.failure.message.get('en')}" for report in failing]
    return "\n".join(lines) + "\n"
