"""Built-in renderer ``json``: the catalogue feed that other sites and federations read.

The feed is the catalogue file format itself (valid against ``schemas/``), with the
``format`` version always written so that a reader can tell what it is reading. It
carries no build timestamp: an unchanged catalogue gives byte-identical output, which
lets feed readers' conditional requests (ETag) save everyone a download.
"""

from __future__ import annotations

from .. import jsontext
from ..convert import catalogue_to_data
from ..hookspecs import hookimpl
from ..model import Catalogue
from ..registry import RenderContext, Renderer

FEED_FILE = "catalogue.json"


def feed_data(catalogue: Catalogue) -> dict:
    data = catalogue_to_data(catalogue)
    return {"format": catalogue.format, **{key: value for key, value in data.items() if key != "format"}}


def render_json(catalogue: Catalogue, context: RenderContext) -> dict[str, bytes]:
    indent = context.options.get("indent", 2)
    text = jsontext.dumps(feed_data(catalogue), indent=indent)
    return {FEED_FILE: (text + "\n").encode("utf-8")}


@hookimpl
def register_renderers(register):
    register(Renderer(
        name="json",
        media_type="application/json",
        suffix=".json",
        render=render_json,
        description="The catalogue feed (vertaistuki/1), valid against the published JSON Schemas.",
    ))
