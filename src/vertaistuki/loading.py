"""The public entry points for reading catalogues: :func:`load` and :func:`load_data`.

Both run the same checks (:mod:`.validate`) with the vocabularies and house rules that
plugins provide, and return a :class:`LoadResult`: the valid records and the problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import plugins
from .documents import read_document
from .model import Catalogue
from .problems import Problem, ProblemError
from .registry import RecordContext
from .validate import LoadResult, Origin, _fallback_source, catalogue_from_data

#: Problem codes meaning "the input could not be read at all", as opposed to
#: "some records are wrong". The CLI exits 2 for these.
UNUSABLE_CODES = frozenset(
    {"unknown_format", "is_folder", "file_too_large", "file_missing", "file_unreadable", "not_text", "not_utf8",
     "file_empty", "syntax", "not_a_catalogue", "source_failed", "source_option", "config"}
)


def _house_rules(label: str) -> tuple:
    """The record check that runs the plugins' house rules, or none when no plugin has
    any (the plugins are looked up once per load, not per record)."""
    validators = plugins.record_validators()
    if not validators:
        return ()

    def check(record: Any, collection: str, index: int, catalogue: Catalogue) -> list[Problem]:
        return plugins.validate_record_problems(record, RecordContext(label, collection, index, catalogue), validators)

    return (check,)


def load_data(
    data: Any, label: str = "<data>", *, origins: Mapping[tuple[str, int], Origin] | None = None, strict: bool = False,
    consume: bool = False,
) -> LoadResult:
    """Validate already-parsed catalogue data (e.g. from a feed, merged sources or a test).

    ``origins`` maps (collection, index) to the :class:`~vertaistuki.validate.Origin`
    of each record when the data was merged from several inputs (``from
    vertaistuki.validate import Origin``: the attribute ``vertaistuki.validate`` is the
    function :func:`validate`).

    ``strict=True`` raises :class:`ProblemError` when there is any problem, a warning
    included; ``build(strict=True)`` and ``vertaistuki build --strict`` act on errors only.

    ``consume=True`` hands ``data`` over to the loader, which empties it as it goes:
    each raw record is let go once structured, so a large catalogue's parsed data and
    its models are not both held in full. Pass it when neither ``data`` nor its
    collection lists are used (or shared) afterwards: they are left empty.
    """
    result = catalogue_from_data(
        data, label, origins=origins, terms=plugins.vocabulary_terms(), record_checks=_house_rules(label),
        consume=consume,
    )
    if strict and result.problems:
        raise ProblemError(result.problems)
    return result


def load(path: str | Path, *, strict: bool = False) -> LoadResult:
    """Read and validate one YAML or JSON catalogue file.

    Never raises for bad input (unless ``strict``): an unreadable file gives an empty
    catalogue and a problem saying why.
    """
    data, problems = read_document(path, defer_records=True)
    if data is None:
        result = LoadResult(Catalogue(source=_fallback_source(str(path))), tuple(problems))
    else:
        result = load_data(data, str(path), consume=True)  # nobody else holds the parsed file
    if strict and result.problems:
        raise ProblemError(result.problems)
    return result


def validate(paths: str | Path | Iterable[str | Path]) -> list[Problem]:
    """All problems in one or more catalogue files (empty list: all good)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return [problem for path in paths for problem in load(path).problems]


def is_unusable(problem: Problem) -> bool:
    return problem.code in UNUSABLE_CODES
