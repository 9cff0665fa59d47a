"""The typed descriptors plugins register: sources and renderers, and the contexts the
core hands them. Plain frozen attrs classes, so a plugin author sees exactly what to
provide and the core can check it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from .atomic import Content, joined
from .model import Catalogue
from .problems import Problem

T = TypeVar("T")


@attrs.frozen
class SourceRequest:
    """What the core asks a source to read."""

    path_or_url: str  # a file or folder path (already resolved) or a URL
    options: Mapping[str, Any] = attrs.field(factory=dict)  # from catalogue.toml
    source_name: str = ""


@attrs.frozen
class SourceOutput:
    """What a source returns: catalogue-shaped plain data, where each record came from,
    and the problems it met. Records are validated by the core, not by the source."""

    # {"groups": [{...}, ...], "places": [...], optional "source": ..., ...}; a record may
    # also be a documents.UnparsedRecord, parsed by the loader when its turn comes
    data: dict[str, Any]
    pointers: Mapping[tuple[str, int], str] = attrs.field(factory=dict)  # ("groups", 0) → "row 2"
    problems: tuple[Problem, ...] = ()


@attrs.frozen
class Source:
    """A kind of input: ``read`` turns a :class:`SourceRequest` into a :class:`SourceOutput`.

    ``suffixes`` lets the core choose this source for files by their ending, and
    ``schemes`` for addresses by their scheme (``https``), when a configuration names
    no type."""

    name: str
    read: Callable[[SourceRequest], SourceOutput]
    description: str = ""
    suffixes: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    #: The options the source takes, name → check (:mod:`vertaistuki.options`), as
    #: :attr:`Renderer.options`: the core checks a ``[[sources]]`` entry's options
    #: against them before ``read`` is called, and a mistake is a ``source_option``
    #: problem (nothing is read from that source). None: the source checks them itself.
    options: Mapping[str, Callable[[Any], tuple[str, str] | None]] | None = None


@attrs.frozen
class RenderContext:
    """What a renderer is told besides the catalogue.

    ``shared`` is a scratch space for the renderers of one build: pieces that several
    renderers make alike (the html and shards renderers show the same cards) are made
    by the first and reused by the next. Key it by your plugin's name; a value with a
    ``close()`` method is closed when the build's rendering ends. Nothing in it may
    change what a renderer writes, only how fast: a renderer run on its own writes the
    same files."""

    options: Mapping[str, Any] = attrs.field(factory=dict)  # from catalogue.toml [[outputs]]
    languages: tuple[str, ...] = ("fi", "sv", "en")
    today: dt.date = attrs.field(factory=dt.date.today)
    shared: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class Renderer:
    """An output format: ``render`` returns relative file path → content, or yields
    ``(path, content)`` pairs one file at a time (a generator: the core stages each file
    on disk as it comes, so a national catalogue's pages need not all fit in memory).
    The content is bytes, or an iterable of byte chunks that the core writes as they
    come (a generator: a page then never exists whole); the chunks of one file are
    consumed before the next pair is asked for.

    Renderers receive only the publishable catalogue (personal details without consent
    already removed) and must not write files themselves: the core writes atomically,
    and a renderer that raises half-way publishes none of its files."""

    name: str
    media_type: str
    suffix: str
    render: Callable[[Catalogue, RenderContext], Mapping[str, Content] | Iterable[tuple[str, Content]]]
    description: str = ""
    #: Names of renderers whose pieces in ``RenderContext.shared`` this one reuses. When
    #: both are configured it renders after them, and a parallel build runs them in the
    #: same worker process, so that the pieces are there. Only speed depends on it.
    reuses: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: True declares that what ``render`` makes forms no reference cycles, so that
    #: reference counting frees all of it and the build may pause Python's cyclic garbage
    #: collector while it renders (a national render makes millions of objects, and the
    #: collector's passes walk those still alive again and again). A renderer that makes
    #: cycles anyway keeps them in memory until it ends. Declare it where a test shows it
    #: (``tests/test_build.py`` holds every renderer of this repository to it).
    cycle_free: bool = False
    #: The options the renderer takes, name → check (:mod:`vertaistuki.options`). The
    #: core checks a configuration's options against them before ``render`` is called,
    #: and ``vertaistuki validate catalogue.toml`` without rendering anything: an unknown
    #: name or a wrong value is a ``renderer_option`` problem. None: not declared (the
    #: renderer checks them itself, if at all). Check them in ``render`` too when it may
    #: be called directly, as the built-in renderers do.
    options: Mapping[str, Callable[[Any], tuple[str, str] | None]] | None = None

    def files(self, catalogue: Catalogue, context: RenderContext) -> dict[str, bytes]:
        """Everything ``render`` produces, whole in memory: path → bytes (chunks
        joined). For tests and small catalogues; builds stream instead."""
        rendered = self.render(catalogue, context)
        pairs = rendered.items() if isinstance(rendered, Mapping) else rendered
        return {relative: joined(relative, content) for relative, content in pairs}


@attrs.frozen
class RecordContext:
    """Where a record under ``validate_record`` stands: its input and its position."""

    source: str  # file or feed label for problems
    collection: str  # "groups", "services", …
    index: int
    catalogue: Catalogue | None = None


@attrs.frozen
class Registered(Generic[T]):
    """A descriptor (Source, Renderer, Term) stamped with the name of the plugin whose
    ``register_*`` implementation passed it to the core's callback. The descriptor
    itself stays as the plugin wrote it; the stamp lives beside it."""

    value: T
    plugin: str
