"""Helpers for the HSDS plugin's tests: where the official HSDS 3.0 files are, and a
validator that reads them in place (no network, formats really checked).

A plugin's tests cannot import the core's ``tests/conftest.py``, so its ``shared_dir``
rule is repeated here: ``../shared`` beside the checkout is used when present, the
tests skip with the reason when it is absent, and fail instead when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
HSDS = SHARED / "interop" / "hsds-3.0"
EXAMPLES = REPO / "examples"
#: Where the HSDS schemas are published; their ``$ref``s ("phone.json") resolve
#: against it, and the registry answers for it from the local copies.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@pytest.fixture
def hsds_dir() -> Path:
    """../shared/interop/hsds-3.0 beside the checkout: present in CI, maybe absent on a user's machine."""
    if not HSDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/interop/hsds-3.0 is missing, but CI must provide it")
        pytest.skip("../shared/interop/hsds-3.0 (official HSDS 3.0 schemas and examples) is not beside this checkout")
    return HSDS


@cache
def registry(schema_dir: Path) -> Registry:
    resources = []
    for path in sorted(schema_dir.glob("*.json")) + sorted((schema_dir / "compiled").glob("*.json")):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        # The files declare no $schema; HSDS 3.0 publishes them for JSON Schema 2020-12.
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((BASE + path.relative_to(schema_dir).as_posix(), resource))
    return Registry().with_resources(resources)


def validator(hsds: Path, schema: str) -> Draft202012Validator:
    """A validator for ``schema`` (``"compiled/organization.json"``, ``"phone.json"``)."""
    return Draft202012Validator({"$ref": BASE + schema}, registry=registry(hsds / "schema"),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(hsds: Path, schema: str, document: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator(hsds, schema).iter_errors(document)]


@cache
def _typed_fields(schema_dir: Path) -> dict[str, str]:
    """Field name → ``date``/``time``/``datetime`` where HSDS says so in
    ``datapackage_type``: JSON Schema checks these only as strings."""
    typed = {}
    for path in schema_dir.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for name, field in schema.get("properties", {}).items():
            if field.get("datapackage_type") in ("date", "time", "datetime"):
                typed[name] = field["datapackage_type"]
    return typed


def typed_value_errors(hsds: Path, document: Any, path: str = "$") -> list[str]:
    """Dates, times and date-times that do not parse, anywhere in ``document``."""
    import datetime as dt

    parse = {"date": dt.date.fromisoformat, "time": dt.time.fromisoformat, "datetime": dt.datetime.fromisoformat}
    found = []
    if isinstance(document, list):
        for index, item in enumerate(document):
            found += typed_value_errors(hsds, item, f"{path}[{index}]")
    elif isinstance(document, dict):
        for key, value in document.items():
            kind = _typed_fields(hsds / "schema").get(key)
            if kind and isinstance(value, str):
                try:
                    parse[kind](value)
                except ValueError:
                    found.append(f"{path}.{key}: {value!r} is not a {kind}")
            found += typed_value_errors(hsds, value, f"{path}.{key}")
    return found
