"""The renderers of this repository's own plugins (plugins/), for tests that hold every
renderer to a property. Tests load no installed plugin by themselves (conftest.py), so
these are registered explicitly; where a plugin is not installed, its renderer is skipped."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Iterator

import pytest

from vertaistuki import plugins

#: renderer name → (module, plugin name)
PLUGIN_RENDERERS = {
    "hsds": ("vertaistuki_hsds", "hsds"),
    "linked-events": ("vertaistuki_linked_events", "linked_events"),
    "meeting-guide": ("vertaistuki_meeting_guide", "meeting_guide"),
}


def every_renderer_name() -> list[str]:
    """The built-in renderers' names and the plugins' (installed or not)."""
    return sorted({*plugins.renderers(), *PLUGIN_RENDERERS})


@contextlib.contextmanager
def renderer_available(name: str) -> Iterator[None]:
    """Inside the block the renderer ``name`` is registered; skips the test when it is
    a plugin's and that plugin is not installed."""
    if name not in PLUGIN_RENDERERS or name in plugins.renderers():
        yield
        return
    module_name, plugin_name = PLUGIN_RENDERERS[name]
    if importlib.util.find_spec(module_name) is None:
        pytest.skip(f"the plugin {module_name} is not installed")
    with plugins.registered_plugin(importlib.import_module(module_name), plugin_name):
        yield


@contextlib.contextmanager
def every_renderer_available() -> Iterator[list[str]]:
    """Every renderer of :func:`every_renderer_name` that can be had, registered inside
    the block; yields their names."""
    with contextlib.ExitStack() as stack:
        for module_name, plugin_name in PLUGIN_RENDERERS.values():
            if importlib.util.find_spec(module_name) is not None:
                stack.enter_context(plugins.registered_plugin(importlib.import_module(module_name), plugin_name))
        yield sorted(plugins.renderers())
