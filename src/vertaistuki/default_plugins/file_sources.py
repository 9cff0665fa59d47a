"""Built-in sources ``yaml`` and ``json``: catalogue files written by hand or by tools."""

from __future__ import annotations

from .. import options as option_checks
from ..documents import JSON_SUFFIXES, YAML_SUFFIXES, read_document
from ..hookspecs import hookimpl
from ..registry import Source, SourceOutput, SourceRequest


def read_catalogue_file(request: SourceRequest) -> SourceOutput:
    option_checks.check(request.source_name or "json", request.options, {})  # it takes none
    # The build hands the data straight to the loader, which parses a JSON file's
    # records one at a time (UnparsedRecord): a national file's parsed data is never
    # all in memory at once.
    data, problems = read_document(request.path_or_url, defer_records=True)
    return SourceOutput(data=data if data is not None else {}, problems=tuple(problems))


@hookimpl
def register_sources(register):
    register(Source(
        name="yaml",
        read=read_catalogue_file,
        description="A catalogue file in YAML (safe loader, no aliases, 20 MB at most).",
        suffixes=YAML_SUFFIXES,
        options={},  # none
    ))
    register(Source(
        name="json",
        read=read_catalogue_file,
        description="A catalogue file or feed snapshot in JSON.",
        suffixes=JSON_SUFFIXES,
        options={},  # none
    ))
