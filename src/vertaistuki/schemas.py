"""The published JSON Schemas: found, loaded once, and wired into validators.

In a wheel the top-level ``schemas/`` folder is packaged as ``vertaistuki/schemas``;
in an editable checkout it is read from the repository. ``$ref`` between files resolve
through a ``referencing.Registry`` built from these files alone: nothing is fetched
from the network, and an unknown reference is a clear error.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

SUFFIX = ".schema.json"


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
    resources = [(doc["$id"], Resource.from_contents(doc)) for doc in _documents().values()]
    return Registry(retrieve=_refuse_retrieval).with_resources(resources).crawl()


@functools.cache
def validator_for(name: str) -> Draft202012Validator:
    """A validator for one entity (``catalogue``, ``group``, …) with formats checked."""
    return Draft202012Validator(
        load_schema(name), registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
