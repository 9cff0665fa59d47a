"""The two schema backends agree: jsonschema-rs (the ``fast`` extra) and pure-Python
jsonschema give the same verdicts and the same error paths, on the whole schema-case
corpus and on catalogues that hypothesis builds and then breaks.

The accelerator only decides; the words still come from jsonschema. So a record that
jsonschema-rs let through but jsonschema would refuse would be published unchecked:
that is what these tests guard against.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from strategies import catalogues
from vertaistuki import schemas
from vertaistuki.convert import unstructure
from vertaistuki.validate import catalogue_from_data

if os.environ.get("CI"):
    import jsonschema_rs  # in CI the accelerator is installed: a missing one is a failure
else:
    jsonschema_rs = pytest.importorskip("jsonschema_rs", reason="jsonschema-rs (the 'fast' extra) is not installed")

CASES = sorted((Path(__file__).parent / "schema_cases").glob("*.json"))
FORMATS = {name: schemas._python_format(name) for name in Draft202012Validator.FORMAT_CHECKER.checkers}


def _cases():
    for path in CASES:
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                yield pytest.param(group["schema"], test["data"], id=f"{path.stem}: {group['description']}: {test['description']}")


def _comparable(path) -> tuple:
    # jsonschema-rs (0.60) leaves an empty-string key out of an error's instance_path
    # ({"name": {"": null}} is reported at $.name, not $.name[""]). The library words its
    # problems from jsonschema's paths, never from these, so that segment is not compared.
    return tuple(segment for segment in path if segment != "")


def _python_paths(schema: dict, instance) -> set[tuple]:
    return {_comparable(error.absolute_path) for error in schemas.python_validator(schema).iter_errors(instance)}


def _rust_validator(schema: dict):
    # Built here, not taken from the library, so the test also checks how it is wired.
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in map(schemas.load_schema, schemas.schema_names())])
    return jsonschema_rs.Draft202012Validator(schema, registry=registry, validate_formats=True, formats=FORMATS)


@functools.cache
def _rust_catalogue_validator():
    return _rust_validator(schemas.load_schema("catalogue"))


def _rust_paths(validator, instance) -> set[tuple]:
    return {_comparable(error.instance_path) for error in validator.iter_errors(instance)}


@pytest.mark.parametrize(("schema", "data"), list(_cases()))
def test_both_backends_agree_on_every_schema_case(schema, data):
    rust = _rust_validator(schema)
    python_paths = _python_paths(schema, data)
    assert rust.is_valid(data) == (not python_paths)
    assert _rust_paths(rust, data) == python_paths


# --- Hypothesis: valid catalogues, then broken in the ways editors and feeds break them.

# Values that sit on the edges where regex and format engines differ: a trailing newline
# (Python's "$" accepts it, ECMA-262's does not), non-ASCII digits, near-miss formats.
TRICKY_STRINGS = ["33100\n", "fi\n", "٣٣١٠٠", "３３１００", "tampere\n", "18:00\n", "x@y", "a@b.fi\n", "https://", "http://a b",
                  "https://example.org/\n", "HTTPS://EXAMPLE.ORG/", "2026-13-01", "2026-02-30", "2026-09-01\n",
                  "2026-09-01T18:00:00", "2026-09-01T18:00:00+03:00", "25:00", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=TU\n",
                  "0201256-6\n", "+358 40 123 4567", "", " ", "\u00a0", "ä"]
json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(max_size=8), st.sampled_from(TRICKY_STRINGS))
json_values = st.recursive(json_leaves, lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=6), inner, max_size=2),
                           max_leaves=4)


def _slots(node, path=()):
    """Every (container, key) pair in a JSON document, the document's own keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from _slots(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from _slots(value, (*path, index))


@st.composite
def broken_catalogues(draw) -> dict:
    data = copy.deepcopy(unstructure(draw(catalogues)))
    for _ in range(draw(st.integers(1, 3))):
        slots = list(_slots(data))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "tricky", "delete", "add", "newline"]))
        if action == "replace":
            container[key] = draw(json_values)
        elif action == "tricky":
            container[key] = draw(st.sampled_from(TRICKY_STRINGS))
        elif action == "delete":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["extra", "notes", "Name", "id", "kind", "fi"]))] = draw(json_values)
        elif action == "newline" and isinstance(container[key], str):
            container[key] += "\n"
    return data


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(broken_catalogues())
def test_both_backends_agree_on_broken_catalogues(data):
    rust = _rust_catalogue_validator()
    python_paths = _python_paths(schemas.load_schema("catalogue"), data)
    assert rust.is_valid(data) == (not python_paths)
    assert _rust_paths(rust, data) == python_paths


def _load_with(backend: str, data: dict):
    with schemas.using_backend(backend):
        return catalogue_from_data(copy.deepcopy(data), "feed.json")


@FAST
@given(broken_catalogues())
def test_loading_gives_the_same_problems_with_either_backend(data):
    with_rust = _load_with("rust", data)
    assert with_rust == _load_with("python", data)


def test_the_accelerator_is_used_when_installed_and_can_be_turned_off(monkeypatch):
    monkeypatch.delenv(schemas.BACKEND_VARIABLE, raising=False)
    assert schemas.schema_backend() == "rust"
    assert schemas.fast_validator_for("catalogue") is not None
    monkeypatch.setenv(schemas.BACKEND_VARIABLE, "python")
    assert schemas.schema_backend() == "python"
    assert schemas.fast_validator_for("catalogue") is None
    monkeypatch.setenv(schemas.BACKEND_VARIABLE, "fastest")
    with pytest.raises(ValueError, match="auto, python or rust"):
        schemas.schema_backend()


def test_one_bad_record_among_many_is_reported_alike_and_the_rest_kept(monkeypatch):
    good = {"id": "g", "name": {"fi": "Ryhmä"}, "organiser": "o", "openness": "open"}
    data = {"source": "yhdistys", "organisations": [{"id": "o", "name": {"fi": "Yhdistys"}, "kind": "association"}],
            "groups": [{**good, "id": f"g{i}"} for i in range(50)]}
    data["groups"][37] = {**good, "id": "g37", "openness": "half-open", "colour": "red"}
    data["places"] = "Tampere"  # the envelope is wrong too
    results = {}
    for backend in ("python", "rust"):
        monkeypatch.setenv(schemas.BACKEND_VARIABLE, backend)
        results[backend] = catalogue_from_data(copy.deepcopy(data), "feed.json")
    assert results["rust"] == results["python"]
    result = results["rust"]
    assert len(result.catalogue.groups) == 49
    assert {(p.record_id, p.path) for p in result.errors} == {
        (None, "$.places"), ("g37", "$.groups[37]"), ("g37", "$.groups[37].openness")}


def test_problems_under_an_empty_key_name_the_key_with_either_backend():
    # The one place where the backends' raw paths differ (see _comparable): what the
    # library reports is the same, and names the empty key.
    data = {"source": "s", "places": [{"id": "p", "name": {"": None}, "municipality": {"fi": "Espoo"}}]}
    with_rust, with_python = _load_with("rust", data), _load_with("python", data)
    assert with_rust == with_python
    assert "$.places[0].name['']" in [problem.path for problem in with_rust.problems]
