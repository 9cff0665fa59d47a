"""Built-in renderer ``json``: the catalogue feed that other sites and federations read.

The feed is the catalogue file format itself (valid against ``schemas/``), with the
``format`` version always written so that a reader can tell what it is reading. It
carries no build timestamp: an unchanged catalogue gives byte-identical output, which
lets feed readers' conditional requests (ETag) save everyone a download.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from .. import jsontext
from .. import options as option_checks
from ..convert import make_catalogue_converter
from ..hookspecs import hookimpl
from ..model import COLLECTIONS, Catalogue
from ..registry import RenderContext, Renderer

FEED_FILE = "catalogue.json"


def feed_chunks(catalogue: Catalogue, *, indent: int | str = 2,
                record_item: Callable[[str, Any], Any] | None = None) -> Iterator[bytes]:
    """The feed's UTF-8 text (the catalogue's plain data, ``format`` first, as
    ``jsontext.dumps`` writes it) in chunks, each record unstructured and written on its
    own: a national feed never exists whole, as dicts or as text.

    ``record_item(collection, record)`` may give a record's data, or its text as
    :class:`jsontext.Dumped` with the same indent, instead (a renderer writing the same
    record into many feeds writes its text once)."""
    converter = make_catalogue_converter()
    # Everything but the records, as the whole feed writes it (empty collections and
    # other defaults are left out the same way).
    head = converter.unstructure(attrs.evolve(catalogue, **{name: () for name in COLLECTIONS}))
    document: dict = {"format": catalogue.format}
    for field in attrs.fields(Catalogue):
        records = getattr(catalogue, field.name) if field.name in COLLECTIONS else None
        if records:
            if record_item is None:
                items = map(converter.get_unstructure_hook(COLLECTIONS[field.name]), records)
            else:
                items = map(functools.partial(record_item, field.name), records)
            document[field.name] = jsontext.Items(items)
        elif field.name in head and field.name != "format":
            document[field.name] = head[field.name]
    yield from jsontext.object_chunks(document, indent=indent)
    yield b"\n"


OPTIONS: dict[str, option_checks.Check] = {"indent": option_checks.indent}


def render_json(catalogue: Catalogue, context: RenderContext) -> Iterator[tuple[str, Iterator[bytes]]]:
    """``catalogue.json``, indented by 2 spaces unless the option ``indent`` says 1–8 or
    ``false`` (compact). Any other value is refused: given to the JSON writer, a text
    such as ``"x"`` made a file that was not JSON."""
    option_checks.check("json", context.options, OPTIONS)
    indent = option_checks.indent_setting(context.options) if "indent" in context.options else 2
    yield FEED_FILE, feed_chunks(catalogue, indent=indent)


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="json",
        media_type="application/json",
        suffix=".json",
        render=render_json,
        description="The catalogue feed (vertaistuki/1), valid against the published JSON Schemas.",
        cycle_free=True,  # tests/test_build.py: what it makes goes by reference counting
        options=OPTIONS,
    ))
