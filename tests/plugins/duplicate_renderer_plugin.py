"""Test plugin (register_renderers): claims the name of the built-in ``json`` renderer."""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="json",
        media_type="application/json",
        suffix=".json",
        render=lambda catalogue, context: {"catalogue.json": b"{}\n"},
    ))
