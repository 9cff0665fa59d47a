"""The published JSON Schemas: well-formed, self-contained, in step with the models,
and really enforcing what they say (formats included)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable

from vertaistuki import schemagen
from vertaistuki.schemas import load_schema, python_validator, registry, schema_dir, schema_names, validator_for

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((Path(__file__).parent / "schema_cases").glob("*.json"))


def _walk(node, key):
    """Every value stored under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                yield value
            yield from _walk(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, key)


@pytest.mark.parametrize("name", schema_names())
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://vertaistuki.fi/schemas/v1/{name}.schema.json"


def test_one_schema_per_entity():
    assert set(schema_names()) >= {
        "catalogue", "organisation", "place", "channel", "group", "service", "event",
        "schedule", "volunteer", "coordinator", "term", "common",
    }


def test_committed_schemas_equal_the_ones_generated_from_the_models():
    """Models and schemas cannot drift: regenerate with ``python -m vertaistuki.schemagen``."""
    generated = schemagen.generate()
    committed = {path.name.removesuffix(".schema.json") for path in (ROOT / "schemas").glob("*.schema.json")}
    assert committed == set(generated)
    for name, schema in generated.items():
        on_disk = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert on_disk == schemagen.render(schema), f"schemas/{name}.schema.json is stale; run python -m vertaistuki.schemagen"


def test_the_installed_schemas_are_the_ones_in_the_repository():
    assert {p.name for p in schema_dir().glob("*.schema.json")} == {p.name for p in (ROOT / "schemas").glob("*.schema.json")}


def test_every_reference_resolves_from_the_local_registry():
    resolved = 0
    for name in schema_names():
        base = load_schema(name)["$id"]
        resolver = registry().resolver(base_uri=base)
        for reference in _walk(load_schema(name), "$ref"):
            resolver.lookup(reference)
            resolved += 1
    assert resolved > 50


def test_an_unknown_reference_is_refused_without_touching_the_network():
    resolver = registry().resolver(base_uri="https://vertaistuki.fi/schemas/v1/group.schema.json")
    with pytest.raises(Unresolvable):
        resolver.lookup("https://example.org/not-ours.schema.json")
    with pytest.raises(Unresolvable):
        resolver.lookup("missing.schema.json")


# A value each format checker must refuse: proof that the format is enforced and not
# merely annotated (jsonschema ignores formats whose optional checker is not installed).
REFUSED_BY_FORMAT = {
    "date": "2026-02-30",
    "date-time": "2026-03-29T18:00:00",
    "email": "no-at-sign.example.fi",
    "uri": "not a uri",
}


def test_every_format_used_in_the_schemas_is_really_checked():
    used = {fmt for name in schema_names() for fmt in _walk(load_schema(name), "format") if isinstance(fmt, str)}
    assert used, "no formats found: the walk is broken"
    assert used <= set(REFUSED_BY_FORMAT), f"add a refused example for {used - set(REFUSED_BY_FORMAT)}"
    checker = Draft202012Validator.FORMAT_CHECKER
    for fmt in used:
        assert fmt in checker.checkers, f"format {fmt!r} has no checker installed"
        validator = Draft202012Validator({"type": "string", "format": fmt}, format_checker=checker)
        assert not validator.is_valid(REFUSED_BY_FORMAT[fmt]), f"format {fmt!r} is not enforced"


def test_entity_validators_check_formats():
    assert not validator_for("schedule").is_valid(
        {"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_time": "12:00", "exceptions": [{"date": "2026-02-30"}]}
    )


def _cases():
    for path in CASES:
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                yield pytest.param(group["schema"], test["data"], test["valid"],
                                   id=f"{path.stem}: {group['description']}: {test['description']}")


def test_schema_cases_exist():
    assert CASES, "tests/schema_cases/*.json is empty"


@pytest.mark.parametrize(("schema", "data", "valid"), list(_cases()))
def test_schema_case(schema, data, valid):
    errors = [error.message for error in python_validator(schema).iter_errors(data)]
    assert (not errors) == valid, errors


def test_every_example_catalogue_unstructures_to_a_schema_valid_document():
    from vertaistuki.convert import unstructure
    from vertaistuki.loading import load

    examples = sorted((ROOT / "examples").glob("*/catalogue.yaml"))
    assert examples
    for path in examples:
        result = load(path)
        assert result.ok, result.errors
        document = unstructure(result.catalogue)
        errors = list(validator_for("catalogue").iter_errors(document))
        assert not errors, f"{path}: {errors[0].message} at {errors[0].json_path}"
