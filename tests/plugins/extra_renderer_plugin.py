"""Test plugin (register_renderers): a plain-text list of groups and volunteers.

It reads volunteers' personal values directly, the way a careless renderer would;
the core hands renderers only the publishable catalogue, so unconsented values are
already gone.
"""

from __future__ import annotations

from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer

LIST_FILE = "ryhmat.txt"


def render_text(catalogue, context):
    language = context.options.get("language", "fi")
    lines = [f"- {group.name.get(language)}" for group in catalogue.groups]
    lines += [f"* {volunteer.personal.name.value}" for volunteer in catalogue.volunteers
              if volunteer.personal.name is not None]
    return {LIST_FILE: ("\n".join(lines) + "\n").encode("utf-8")}


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="text",
        media_type="text/plain",
        suffix=".txt",
        render=render_text,
        description="Group names, one a line.",
    ))
