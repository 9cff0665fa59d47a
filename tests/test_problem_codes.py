"""docs/problems.md lists every problem code the code can report, and nothing else: a
federation that counts or filters problems.json by code reads its codes there.

The codes are collected from the source (core and plugins/) without running it: each
``code=...`` given to a call, the ``code`` parameters' defaults, and the helpers that
take a code by position (``_unusable``, ``Failure.of``, the rules' ``context.error``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "problems.md"
# helper → the position of its code argument
POSITIONAL = {"_unusable": 1, "_option_problem": 4, "fail": 3}  # fail: the Meeting Guide source's meeting.fail
FAMILIES = {"schema.": "schema.<keyword>", "feed.": "feed.<failure>"}


def _sources() -> list[Path]:
    return [*sorted((ROOT / "src").rglob("*.py")), *sorted(ROOT.glob("plugins/*/src/**/*.py"))]


def collected() -> tuple[set[str], set[str]]:
    """(problem codes, feed failure codes) written in the source."""
    codes: set[str] = set()
    failures: set[str] = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                positional = [*node.args.posonlyargs, *node.args.args]
                parameters = [*positional, *node.args.kwonlyargs]
                defaults = [*([None] * (len(positional) - len(node.args.defaults))), *node.args.defaults,
                            *node.args.kw_defaults]
                codes.update(default.value for parameter, default in zip(parameters, defaults, strict=True)
                             if parameter.arg == "code" and isinstance(default, ast.Constant))
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    codes.add(keyword.value.value)
                elif keyword.arg == "code" and isinstance(keyword.value, ast.JoinedStr):
                    codes.add(ast.unparse(keyword.value))  # a family: f"schema.{...}", f"feed.{...}"
            if name in POSITIONAL and len(node.args) > POSITIONAL[name] and isinstance(node.args[POSITIONAL[name]], ast.Constant):
                codes.add(node.args[POSITIONAL[name]].value)
            if name == "of" and getattr(function.value, "id", "") == "Failure" and isinstance(node.args[0], ast.Constant):
                failures.add(node.args[0].value)
            if (name in ("error", "warning") and getattr(getattr(function, "value", None), "id", "") == "context"
                    and len(node.args) == 5 and isinstance(node.args[4], ast.Constant)):
                codes.add(node.args[4].value)
    return codes, failures


def documented() -> dict[str, str]:
    """First-column code of each table row → the row."""
    rows = {}
    tables = DOC.read_text(encoding="utf-8").split("## Files and sources", 1)[1]  # after the fields' table
    for line in tables.splitlines():
        match = re.match(r"\| `([^`]+)` \|", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_every_code_the_source_reports_is_documented():
    codes, failures = collected()
    rows = documented()
    missing = []
    for code in codes:
        family = next((name for prefix, name in FAMILIES.items() if code.startswith((prefix, "f'" + prefix, 'f"' + prefix))), None)
        if code in rows:
            continue
        if (family or code) not in rows and code not in ("code",):  # code=code passes one on
            missing.append(code)
    assert not missing, f"docs/problems.md lacks {sorted(missing)}"
    failure_row = rows["feed.<failure>"] + rows["feed_cache_unwritable"]
    assert not [failure for failure in failures if f"`{failure}`" not in failure_row]


def test_every_documented_code_is_one_the_source_reports():
    codes, _ = collected()
    literal = {code for code in codes if not code.startswith(("f'", 'f"'))}
    stale = [code for code in documented() if code not in literal and code not in FAMILIES.values()]
    assert not stale, f"docs/problems.md lists codes nothing reports: {stale}"


def test_the_collector_finds_codes_of_each_kind_it_looks_for():
    """So that the two tests above cannot pass by finding nothing."""
    codes, failures = collected()
    assert {"syntax", "source_unread", "renderer_option", "missing_language", "invalid", "hsds.not_held",
            "house_rule.contact"} <= codes
    assert {"timeout", "certificate"} <= failures
