"""vertaistuki-hsds: Open Referral HSDS 3.0 out of and into vertaistuki.

- renderer ``hsds``: ``hsds/organizations.json``, ``hsds/services.json`` and
  ``hsds/index.json``, valid against the official HSDS 3.0 schemas;
- source ``hsds``: reads HSDS 3.0 JSON (a fully nested organization or service, a list
  of them, or an API page) and reports, per record and path, what vertaistuki cannot
  hold.

The mapping is documented in ``docs/interop/hsds.md``.
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer, Source

from .read import OPTIONS as SOURCE_OPTIONS
from .read import read_hsds
from .render import OPTIONS as RENDERER_OPTIONS
from .render import render_hsds


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="hsds",
        media_type="application/json",
        suffix=".json",
        render=render_hsds,
        description="Open Referral HSDS 3.0: hsds/organizations.json and hsds/services.json (fully nested).",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=RENDERER_OPTIONS,
    ))


@hookimpl
def register_sources(register):
    register(Source(
        name="hsds",
        read=read_hsds,
        description="Open Referral HSDS 3.0 JSON: organizations, services or API pages of them.",
        options=SOURCE_OPTIONS,
    ))
