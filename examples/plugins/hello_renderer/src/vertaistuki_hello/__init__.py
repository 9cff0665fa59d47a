"""vertaistuki-hello: the example plugin of docs/writing-a-plugin.md.

A renderer named ``hello`` that writes ``hello.txt``: a greeting and the Finnish name
of every published group, one a line.
"""

from __future__ import annotations

from vertaistuki import options
from vertaistuki.hookspecs import hookimpl
from vertaistuki.registry import Renderer

HELLO_FILE = "hello.txt"
OPTIONS = {"greeting": options.text}  # checked by the core before render_hello is called


def render_hello(catalogue, context):
    greeting = context.options.get("greeting", "Hei! Tervetuloa ryhmiimme:")
    lines = [greeting, *(f"- {group.name.get('fi')}" for group in catalogue.groups)]
    return {HELLO_FILE: ("\n".join(lines) + "\n").encode("utf-8")}


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="hello",
        media_type="text/plain",
        suffix=".txt",
        render=render_hello,
        description="hello.txt: a greeting and every group's Finnish name.",
        options=OPTIONS,
    ))
