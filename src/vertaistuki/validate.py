"""From raw catalogue data to a Catalogue of valid records plus a list of Problems.

Three layers look at every record, each reporting in the same Problem shape:

1. the published JSON Schema (``schemas/``), which catches wrong types, unknown keys,
   missing fields and malformed values;
2. the cattrs converter and the models' invariants (Y-tunnus check digit, recurrence
   rules, seasons that end before they start, …);
3. semantic rules (:mod:`.rules`) and house rules from plugins, over structured records.

A record with an error is left out and reported; every other record is kept, so one
typo never hides the rest of a catalogue.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from jsonschema.exceptions import ValidationError, best_match

from .bulk import collector_paused
from .convert import shared_values, structure, structure_hook
from .documents import UnparsedRecord
from .messages import cattrs_errors, schema_error_words
from .model import COLLECTIONS, Catalogue, Provenance, Term
from .problems import Problem
from .rules import RULES, Rule, RuleContext, Terms, duplicate_ids
from .schemas import fast_validator_for, load_schema, name_for_id, validator_for

#: Extra per-record checks (house rules from plugins): (record, collection, index, catalogue) → problems
RecordCheck = Callable[[Any, str, int, Catalogue], Iterable[Problem]]


@attrs.frozen
class Origin:
    """Where a record of merged data came from: the file or feed (``label``), its index
    in that input's collection, and a human pointer such as ``row 14``."""

    label: str
    index: int
    pointer: str | None = None
    # What the published provenance says: the source as catalogue.toml names it (a
    # relative path, an address), not the editor's own folders in ``label``.
    published: str | None = None


@attrs.frozen
class LoadResult:
    """The valid part of a catalogue and everything that was wrong with the rest."""

    catalogue: Catalogue
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def _most_relevant(error: ValidationError) -> ValidationError:
    """For "matches none of" errors (optional fields, channel kinds), the inner error
    that says what is actually wrong, e.g. the unknown key, not "not valid under any"."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        inner = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        if not inner:
            break
        if error.validator == "oneOf" and isinstance(error.instance, dict) and "kind" in error.instance:
            const_failures = {id(e) for e in inner if e.validator == "const" and list(e.relative_path) == ["kind"]}
            # keep the branch whose kind matched; if none matched the kind is wrong
            matched = [e for e in inner if id(e) not in const_failures and not any(
                c.validator == "const" and list(c.relative_path) == ["kind"] and c.relative_schema_path[0] == e.relative_schema_path[0]
                for c in inner)]
            if not matched:
                break
            inner = matched
        error = best_match(inner)
    return error


def _envelope_errors(data: dict) -> Iterator[ValidationError]:
    """The jsonschema errors of a catalogue's envelope (its name, source, languages, ...)
    in jsonschema's order. The records are checked one by one (:func:`_record_checker`);
    their lists are kept, empty, so that a collection which is not a list is still
    reported as such. The catalogue schema only says that each collection is a list of
    its records (a test holds it to that), so the verdicts are those of checking the
    whole catalogue at once."""
    outline = {key: [] if key in COLLECTIONS and isinstance(value, list) else value for key, value in data.items()}
    fast = fast_validator_for("catalogue")
    yield from _schema_errors(fast.is_valid if fast is not None else None, validator_for("catalogue").iter_errors,
                              outline, "the catalogue")


def _schema_errors(is_valid: Callable[[Any], bool] | None, explain: Callable[[Any], Iterable[ValidationError]],
                   value: Any, what: str) -> list[ValidationError]:
    """``value``'s schema errors: jsonschema-rs (``is_valid``) decides when installed, and
    jsonschema (``explain``) says why. A name that is not text (YAML's "1:" or "null:")
    is said as what it is, not as an unknown field "1" (jsonschema-rs cannot even look):
    the rest is checked once it is text."""
    try:
        if is_valid is not None and is_valid(value):
            return []
        errors = list(explain(value))
        failed = bool(errors)
    except (TypeError, ValueError):
        errors, failed = [], True
    if failed:
        errors = list(_names_not_text(value)) or errors
        if not errors:  # a validator raised, and nothing wrong can be named: not ours to hide
            raise RuntimeError(f"the schema check of {what} failed without a reason")
    return errors


def _record_checker(collection: str) -> Callable[[Any, int], list[ValidationError]]:
    """The check of one record of ``collection``: its jsonschema errors, their paths from
    the catalogue's root (``$.groups[3].name``).

    With jsonschema-rs installed it decides, and jsonschema only looks again at the
    records it rejected: a national catalogue with one typo costs one record's worth of
    pure-Python validation, not a hundred thousand. jsonschema-rs is asked record by
    record, which is as fast as asking once: given the whole catalogue it would first
    copy all of it into its own memory (some 180 MB more at the peak for 100,000 records).
    """
    explain = validator_for(_item_schema(collection)).iter_errors
    fast = fast_validator_for(_item_schema(collection))
    is_valid = fast.is_valid if fast is not None else None

    def check(record: Any, index: int) -> list[ValidationError]:
        errors = _schema_errors(is_valid, explain, record, f"{collection}[{index}]")
        for error in errors:
            error.path.extendleft((index, collection))  # now the path from the catalogue's root
        return errors

    return check


def _names_not_text(value: Any, path: tuple = ()) -> Iterator[ValidationError]:
    """Every name in ``value`` that is not text, where it is: YAML reads ``1: x`` and
    ``null: x`` as a number and a null, which no schema validator takes as a name."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield ValidationError(f"name {key!r} is not text", validator="propertyNames",
                                      validator_value={"type": "string"}, instance=key, path=path, schema={})
            else:
                yield from _names_not_text(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _names_not_text(item, (*path, index))


@functools.cache
def _item_schema(collection: str) -> str:
    """The schema of one record of a collection, as the catalogue schema names it."""
    catalogue = load_schema("catalogue")
    reference = catalogue["properties"][collection]["items"]["$ref"]
    return name_for_id(catalogue["$id"].rsplit("/", 1)[0] + "/" + reference)


def _raw_id(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _fallback_source(label: str) -> str:
    stem = label.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem).strip("-._")
    return cleaned or "catalogue"


def catalogue_from_data(
    data: Any,
    label: str,
    *,
    origins: Mapping[tuple[str, int], Origin] | None = None,
    terms: Terms | None = None,
    record_checks: Sequence[RecordCheck] = (),
    consume: bool = False,
) -> LoadResult:
    """Validate raw data (parsed YAML/JSON, or rows mapped by a source) record by record.

    ``label`` names the input in problems (a file path or feed URL). When the data was
    merged from several inputs, ``origins`` says where each record came from, and
    problems and provenance name that input and the record's place in it instead.

    With ``consume`` the caller hands the data over: each raw record is dropped from its
    list as soon as it has been structured (or reported), so the parsed data shrinks
    while the models grow instead of both being held at once. The collection lists are
    emptied in place and ``data`` is left empty, so nothing else may hold them. Without
    it ``data`` is not changed.

    A record may be an :class:`~vertaistuki.documents.UnparsedRecord` (a JSON file read
    with ``read_document(..., defer_records=True)``): it is parsed when its turn comes,
    and with ``consume`` let go before the next one is parsed.
    """
    with collector_paused(), shared_values(fresh_copies=consume):
        return _catalogue_from_data(data, label, origins or {}, terms, record_checks, consume)


def _catalogue_from_data(
    data: Any, label: str, origins: Mapping[tuple[str, int], Origin], terms: Terms | None,
    record_checks: Sequence[RecordCheck], consume: bool,
) -> LoadResult:
    if not isinstance(data, dict):
        problem = Problem.error(label, "$", "luettelon pitää olla avain: arvo -pareja", "a catalogue must be key: value pairs",
                                code="not_a_catalogue")
        return LoadResult(Catalogue(source=_fallback_source(label)), (problem,))

    problems: list[Problem] = []
    envelope_failed = False
    for problem in dict.fromkeys(_schema_problem(label, error) for error in _envelope_errors(data)):
        problems.append(problem)
        envelope_failed = True

    base = _structure_envelope(data, label, problems, envelope_failed)
    kept: dict[str, list[tuple[int, Any]]] = {name: [] for name in COLLECTIONS}
    left_out: dict[tuple[str, str], str] = {}  # (collection, id) → where, for the rules' messages
    for collection, cls in COLLECTIONS.items():
        raw_records = data.get(collection)
        if not isinstance(raw_records, list):
            continue
        stamped = "provenance" in attrs.fields_dict(cls)
        schema_errors = _record_checker(collection)
        structure_record = structure_hook(cls)  # looked up once, not once per record
        for index, raw in enumerate(raw_records):
            if consume:
                raw_records[index] = None  # ``raw`` is the last reference, gone with the next record
            if type(raw) is UnparsedRecord:
                # Parsed only now, and let go with the next one: a large JSON catalogue's
                # records are never all in memory as parsed data (see UnparsedRecord).
                raw = raw.parse()
            errors = schema_errors(raw, index)
            if errors:
                # One problem per distinct message: jsonschema reports each missing field
                # apart, and the message already names them all.
                found = list(dict.fromkeys(_at_origin(_schema_problem(label, error, _raw_id(raw)), collection, index, origins)
                                           for error in errors))
                problems.extend(found)
                _note_left_out(left_out, collection, _raw_id(raw), found[0])
                continue
            if stamped and raw.get("provenance") is None:
                origin = origins.get((collection, index))
                if origin is None:
                    location, pointer = label, f"$.{collection}[{index}]"
                else:
                    location, pointer = origin.published or origin.label, origin.pointer or f"$.{collection}[{origin.index}]"
                raw = {**raw, "provenance": Provenance(source=base.source, location=location, pointer=pointer)}
            try:
                record = structure_record(raw, cls)
            except Exception as error:  # cattrs wraps every failure; report each leaf
                found = [_at_origin(Problem.error(label, where, fi, en, record_id=_raw_id(raw), code="invalid_value"),
                                    collection, index, origins)
                         for where, fi, en in cattrs_errors(error, f"$.{collection}[{index}]")]
                problems.extend(found)
                if found:
                    _note_left_out(left_out, collection, _raw_id(raw), found[0])
                continue
            kept[collection].append((index, record))
        if consume:
            raw_records.clear()
    if consume:
        data.clear()

    catalogue, semantic = _apply_rules(base, kept, label, terms, record_checks, origins, left_out)
    return LoadResult(catalogue, tuple(problems + semantic))


def _note_left_out(left_out: dict[tuple[str, str], str], collection: str, record_id: str | None, problem: Problem) -> None:
    if record_id is not None:  # "catalogue.yaml $.organisations[0].business_id", "ryhmat.csv row 3 $.groups[1]"
        source = problem.source.replace("\\", "/").rsplit("/", 1)[-1]
        where = f" {problem.where}" if problem.where else ""
        left_out.setdefault((collection, record_id), f"{source}{where} {problem.path}")


def _schema_problem(label: str, error: ValidationError, record_id: str | None = None) -> Problem:
    """A jsonschema error in words an editor understands, at its path."""
    error = _most_relevant(error)
    fi, en = schema_error_words(error)
    return Problem.error(label, error.json_path, fi, en, record_id=record_id, code=f"schema.{error.validator}")


def _at_origin(problem: Problem, collection: str, index: int, origins: Mapping[tuple[str, int], Origin]) -> Problem:
    """Re-address a problem found in merged data to the input the record came from."""
    origin = origins.get((collection, index))
    if origin is None:
        return problem
    merged_prefix = f"$.{collection}[{index}]"
    path = problem.path
    if path.startswith(merged_prefix):
        path = f"$.{collection}[{origin.index}]" + path[len(merged_prefix):]
    return attrs.evolve(problem, source=origin.label, path=path, where=origin.pointer)


def _structure_envelope(data: dict, label: str, problems: list[Problem], envelope_failed: bool) -> Catalogue:
    envelope = {key: value for key, value in data.items() if key not in COLLECTIONS}
    if not envelope_failed:
        try:
            return structure(envelope, Catalogue)
        except Exception as error:
            problems.extend(Problem.error(label, where, fi, en, code="invalid_value") for where, fi, en in cattrs_errors(error, "$"))
    # Keep going with what can be trusted: the records are still worth publishing.
    source = envelope.get("source")
    try:
        return Catalogue(source=source) if isinstance(source, str) else Catalogue(source=_fallback_source(label))
    except ValueError:
        return Catalogue(source=_fallback_source(label))


def _apply_rules(
    base: Catalogue,
    kept: dict[str, list[tuple[int, Any]]],
    label: str,
    terms: Terms | None,
    record_checks: Sequence[RecordCheck],
    origins: Mapping[tuple[str, int], Origin],
    left_out: dict[tuple[str, str], str] | None = None,
) -> tuple[Catalogue, list[Problem]]:
    """Run semantic rules until no more records drop out (a dropped place can make
    the groups that meet there invalid), reporting each problem once."""
    reported: dict[Problem, None] = {}
    left_out = dict(left_out or {})
    while True:
        catalogue = attrs.evolve(base, **{name: tuple(record for _, record in kept[name]) for name in COLLECTIONS})
        all_terms: dict[tuple[str, str], Term] = dict(terms or {})
        all_terms.update({(term.vocabulary, term.id): term for term in catalogue.terms})
        context = RuleContext(label, catalogue, all_terms, left_out)
        failing: set[tuple[str, int]] = set()
        for collection, index, problem in duplicate_ids(context, kept):
            reported.setdefault(_at_origin(problem, collection, index, origins))
            failing.add((collection, index))
        for collection, entries in kept.items():
            for index, record in entries:
                found = _record_problems(context, collection, index, record, RULES, record_checks)
                for problem in found:
                    if problem.code == "plugin_failed":
                        # A crashed house rule found nothing wrong: say so once, keep the records.
                        if not any(p.code == "plugin_failed" and p.message == problem.message for p in reported):
                            reported.setdefault(problem)
                        continue
                    placed = _at_origin(problem, collection, index, origins)
                    reported.setdefault(placed)
                    if problem.is_error:
                        failing.add((collection, index))
                        _note_left_out(left_out, collection, getattr(record, "id", None), placed)
        if not failing:
            return catalogue, list(reported)
        kept = {name: [(i, r) for i, r in entries if (name, i) not in failing] for name, entries in kept.items()}


def _record_problems(
    context: RuleContext, collection: str, index: int, record: Any, rules: Iterable[Rule], record_checks: Sequence[RecordCheck]
) -> list[Problem]:
    path = f"$.{collection}[{index}]"
    found = [problem for rule in rules for problem in rule(context, path, record)]
    for check in record_checks:
        found.extend(check(record, collection, index, context.catalogue))
    return found
