"""The published JSON Schemas: found, loaded once, and wired into validators.

In a wheel the top-level ``schemas/`` folder is packaged as ``vertaistuki/schemas``;
in an editable checkout it is read from the repository. ``$ref`` between files resolve
through a ``referencing.Registry`` built from these files alone: nothing is fetched
from the network, and an unknown reference is a clear error.

Two backends check data against them. ``jsonschema`` (pure Python) is always there and
its errors carry everything our wording needs. ``jsonschema-rs`` (the ``fast`` extra) is
a compiled validator a hundred times faster; when it is installed it decides which
records are valid, and only what it rejects is checked again by ``jsonschema`` for the
words. ``VERTAISTUKI_SCHEMA_BACKEND=python`` turns the accelerator off.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from .envvars import temporarily

SUFFIX = ".schema.json"
#: ``auto`` (the default: jsonschema-rs when installed), ``python`` or ``rust``.
BACKEND_VARIABLE = "VERTAISTUKI_SCHEMA_BACKEND"


@functools.cache
def schema_dir() -> Path:
    packaged = files("vertaistuki").joinpath("schemas")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "schemas"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the vertaistuki JSON Schemas are missing from this installation")


@functools.cache
def _documents() -> dict[str, dict[str, Any]]:
    return {
        path.name.removesuffix(SUFFIX): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(schema_dir().glob(f"*{SUFFIX}"))
    }


def schema_names() -> list[str]:
    return list(_documents())


def load_schema(name: str) -> dict[str, Any]:
    return _documents()[name]


def schema_ids() -> dict[str, str]:
    return {name: document["$id"] for name, document in _documents().items()}


def _refuse_retrieval(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


@functools.cache
def registry() -> Registry:
    # Each file names its dialect in "$schema"; jsonschema would then follow a "$ref"
    # with its stock class for that dialect instead of ours (see SchemaValidator). The
    # registry holds the files without it, all known to be Draft 2020-12.
    resources = [
        (doc["$id"], DRAFT202012.create_resource({key: value for key, value in doc.items() if key != "$schema"}))
        for doc in _documents().values()
    ]
    return Registry(retrieve=_refuse_retrieval).with_resources(resources).crawl()


def _ecma_regex(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern as a Python regex meaning the same.

    Two differences matter for ours: in Python ``$`` also matches before a final newline
    (so ``"33100\\n"`` would pass as a postal code), and ``\\d`` matches any Unicode
    digit. ECMA-262 means the very end and ASCII 0-9, and so does jsonschema-rs.
    """
    translated, index, in_class = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            if escaped == "d":
                translated.append("0-9" if in_class else "[0-9]")
            elif escaped == "D" and not in_class:
                translated.append("[^0-9]")
            else:
                translated.append(char + escaped)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        translated.append(r"\Z" if char == "$" and not in_class else char)
        index += 1
    return "".join(translated)


@functools.lru_cache(maxsize=256)
def _compiled_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_regex(pattern))


def _pattern_keyword(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12 with ``pattern`` read as ECMA-262, as the specification says.
SchemaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})


def python_validator(schema: dict[str, Any]) -> Any:
    """A pure-Python validator for any schema that may refer to ours, formats checked."""
    return SchemaValidator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def validator_for(name: str) -> Any:
    """A validator for one entity (``catalogue``, ``group``, …) with formats checked."""
    return python_validator(load_schema(name))


def name_for_id(schema_id: str) -> str:
    """The short name (``group``) of the schema whose ``$id`` this is."""
    for name, document in _documents().items():
        if document["$id"] == schema_id.removesuffix("#"):
            return name
    raise KeyError(schema_id)


@contextlib.contextmanager
def using_backend(backend: str) -> Iterator[None]:
    """Validate with ``backend`` (``auto``, ``python`` or ``rust``) inside the block, for
    comparing the two; the choice is the process's, through :data:`BACKEND_VARIABLE`."""
    with temporarily(BACKEND_VARIABLE, backend):
        yield


def schema_backend() -> str:
    """Which validator decides validity: ``rust`` (jsonschema-rs) or ``python``."""
    wanted = os.environ.get(BACKEND_VARIABLE, "auto").strip().lower() or "auto"
    if wanted not in ("auto", "python", "rust"):
        raise ValueError(f"{BACKEND_VARIABLE} must be auto, python or rust, not {wanted!r}")
    if wanted == "python":
        return "python"
    if _jsonschema_rs() is None:
        if wanted == "rust":
            raise RuntimeError(f"{BACKEND_VARIABLE}=rust but jsonschema-rs is not installed (pip install 'vertaistuki[fast]')")
        return "python"
    return "rust"


@functools.cache
def _jsonschema_rs() -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs


def _python_format(name: str) -> Any:
    # The Python backend's format semantics (jsonschema-rs's own checks differ in the
    # details): the two backends must agree on every verdict.
    checker = Draft202012Validator.FORMAT_CHECKER
    return lambda value: checker.conforms(value, name)


def fast_validator_for(name: str) -> Any | None:
    """A jsonschema-rs validator for one entity, or ``None`` when the Python backend is
    in use. It answers valid/invalid and where; :func:`validator_for` says why."""
    return _rust_validator(name) if schema_backend() == "rust" else None


@functools.cache
def _rust_validator(name: str) -> Any:
    jsonschema_rs = _jsonschema_rs()
    documents = _documents()
    registry = jsonschema_rs.Registry([(document["$id"], document) for document in documents.values()])
    formats = sorted(Draft202012Validator.FORMAT_CHECKER.checkers)
    return jsonschema_rs.Draft202012Validator(
        documents[name], registry=registry, validate_formats=True,
        formats={format_name: _python_format(format_name) for format_name in formats},
    )
