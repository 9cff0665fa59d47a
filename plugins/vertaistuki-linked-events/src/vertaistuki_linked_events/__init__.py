"""vertaistuki-linked-events: a renderer for Linked Events, the event API of Helsinki,
Espoo, Turku and other Finnish cities.

Writes ``linked-events/events.json`` (a recurring super event and its dated sub-events
for every group, a single event for every first-information day, course or camp),
``linked-events/places.json`` (our places the events refer to) and, when terms had to
be given keywords of our own, ``linked-events/keywords.json``. The mapping and the
options are described in ``docs/interop/linked-events.md``.
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer

from .options import OPTIONS
from .render import EVENTS_FILE, render_linked_events

__all__ = ["EVENTS_FILE", "render_linked_events"]


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="linked-events",
        media_type="application/json",
        suffix=".json",
        render=render_linked_events,
        description="Linked Events JSON (Finnish city event APIs): groups as recurring series with dated meetings, events.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
