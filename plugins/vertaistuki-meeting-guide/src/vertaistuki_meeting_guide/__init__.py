"""vertaistuki-meeting-guide: Meeting Guide JSON feeds in and out.

- source ``meeting-guide``: a Meeting Guide feed file → groups, places and
  organisations, every meeting either kept or reported, every unmapped field reported;
- renderer ``meeting-guide``: the weekly groups → ``meeting-guide.json``, with
  ``meeting-guide-skipped.json`` listing the groups the format cannot express.

The mapping both ways is in docs/interop/meeting-guide.md.
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer, Source

from .renderer import FEED_FILE, SKIPPED_FILE, render_meeting_guide
from .renderer import OPTIONS as RENDERER_OPTIONS
from .source import OPTIONS as SOURCE_OPTIONS
from .source import feed_to_data, read_meeting_guide

__all__ = ["FEED_FILE", "SKIPPED_FILE", "feed_to_data", "read_meeting_guide", "render_meeting_guide"]


@hookimpl
def register_sources(register):
    register(Source(
        name="meeting-guide",
        read=read_meeting_guide,
        description="A Meeting Guide JSON feed (code4recovery/spec): weekly meetings become groups; "
                    "what cannot be kept is reported.",
        suffixes=(),  # a .json file is a catalogue unless the configuration says type = "meeting-guide"
        options=SOURCE_OPTIONS,
    ))


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="meeting-guide",
        media_type="application/json",
        suffix=".json",
        render=render_meeting_guide,
        description="meeting-guide.json: weekly groups as a Meeting Guide feed, and meeting-guide-skipped.json.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=RENDERER_OPTIONS,
    ))
