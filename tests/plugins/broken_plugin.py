"""Test plugin: a bug in both record hooks. The core must report it by name and carry on."""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl


@hookimpl
def validate_record(record, context):
    raise RuntimeError("sääntötiedosto puuttuu")


@hookimpl
def transform_catalogue(catalogue):
    raise KeyError("geokoodauspalvelu")
