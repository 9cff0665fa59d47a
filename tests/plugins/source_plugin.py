"""Test plugin (register_sources): a list of group names, one a line, as a phone-tree
volunteer might keep it. Option ``organiser`` names the organisation."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from vertaistuki.hookspecs import hookimpl
from vertaistuki.problems import Problem
from vertaistuki.registry import Source, SourceOutput, SourceRequest


def read_lines(request: SourceRequest) -> SourceOutput:
    organiser = request.options.get("organiser", "yhdistys")
    groups, pointers, problems = [], {}, []
    text = Path(request.path_or_url).read_text(encoding="utf-8")
    for line_number, line in enumerate(text.splitlines(), start=1):
        name = line.strip()
        if not name:
            continue
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        identifier = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
        if not identifier:
            problems.append(Problem.warning(request.path_or_url, "$", f"rivi {line_number}: ei nimeä",
                                            f"line {line_number}: no name", code="lines.empty"))
            continue
        pointers[("groups", len(groups))] = f"line {line_number}"
        groups.append({"id": identifier, "name": {"fi": name}, "organiser": organiser, "openness": "open"})
    return SourceOutput(data={"groups": groups}, pointers=pointers, problems=tuple(problems))


@hookimpl
def register_sources(register):
    register(Source(name="lines", read=read_lines, description="Group names, one a line.", suffixes=(".lines",)))
