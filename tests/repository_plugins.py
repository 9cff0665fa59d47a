"""The renderers and sources of this repository's own plugins (plugins/), for tests that
hold every renderer or source to a property. Tests load no installed plugin by
themselves (conftest.py), so these are registered explicitly; where a plugin is not
installed, its renderer or source is skipped."""

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


#: source name → (module, plugin name)
PLUGIN_SOURCES = {
    "hsds": ("vertaistuki_hsds", "hsds"),
    "meeting-guide": ("vertaistuki_meeting_guide", "meeting_guide"),
    "relatives-spreadsheet": ("vertaistuki_relatives_spreadsheet.source", "relatives_spreadsheet"),
}


def every_renderer_name() -> list[str]:
    """The built-in renderers' names and the plugins' (installed or not)."""
    return sorted({*plugins.renderers(), *PLUGIN_RENDERERS})


def every_source_name() -> list[str]:
    """The built-in sources' names and the plugins' (installed or not)."""
    return sorted({*plugins.sources(), *PLUGIN_SOURCES})


def renderer_available(name: str) -> contextlib.AbstractContextManager[None]:
    """Inside the block the renderer ``name`` is registered; skips the test when it is
    a plugin's and that plugin is not installed."""
    return _available(PLUGIN_RENDERERS, plugins.renderers(), name)


def source_available(name: str) -> contextlib.AbstractContextManager[None]:
    """As :func:`renderer_available`, for the source ``name``."""
    return _available(PLUGIN_SOURCES, plugins.sources(), name)


@contextlib.contextmanager
def _available(table: dict[str, tuple[str, str]], registered: dict, name: str) -> Iterator[None]:
    if name not in table or name in registered:
        yield
        return
    module_name, plugin_name = table[name]
    if not _installed(module_name):
        pytest.skip(f"the plugin {module_name} is not installed")
    with plugins.registered_plugin(importlib.import_module(module_name), plugin_name):
        yield


@contextlib.contextmanager
def every_plugin_available() -> Iterator[list[str]]:
    """Every renderer and source of this repository's plugins that can be had (the
    examples' configurations use some: relatives-association reads its sheet with the
    relatives-spreadsheet source), registered inside the block; yields the renderers'
    names."""
    with contextlib.ExitStack() as stack:
        for module_name, plugin_name in {*PLUGIN_RENDERERS.values(), *PLUGIN_SOURCES.values()}:
            if _installed(module_name) and plugin_name not in {name for name, _ in plugins.get_plugin_manager().list_name_plugin()}:
                stack.enter_context(plugins.registered_plugin(importlib.import_module(module_name), plugin_name))
        yield sorted(plugins.renderers())


def _installed(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:  # a submodule's package is not installed
        return False
