"""Test plugin: ``register_renderer`` (singular) is no hook; check_pending must catch it."""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer


@hookimpl
def register_renderer(register):
    register(Renderer(name="never", media_type="text/plain", suffix=".txt",
                      render=lambda catalogue, context: {}))
