"""The hooks a vertaistuki plugin can implement. Each docstring is the plugin author's
reference; ``docs/plugin_hooks.md`` repeats it at length, with runnable examples.

Built-in sources, renderers and vocabularies are themselves plugins
(``vertaistuki.default_plugins``) on these same hooks.

None of the hooks is ``firstresult``: the core calls every implementation, one at a
time, in a documented order (:func:`vertaistuki.plugins.apply_transforms` and friends),
so that it can say which plugin failed and carry on with the others. For the same
reason ``wrapper=True`` / ``hookwrapper=True`` implementations are refused: there is no
single call for them to wrap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .model import Catalogue, Record, Term
    from .problems import Problem
    from .registry import RecordContext, Renderer, Source

hookspec = pluggy.HookspecMarker("vertaistuki")
hookimpl = pluggy.HookimplMarker("vertaistuki")


@hookspec
def register_sources(register: Callable[[Source], None]) -> None:
    """Register catalogue sources by calling ``register(Source(...))`` once per source.

    :param register: callback owned by the core. It takes a
        :class:`vertaistuki.registry.Source` (``name``, ``read``, ``description``,
        ``suffixes``), checks its type and raises ``PluginError`` naming both plugins
        when another plugin already registered the same name.

    Returns nothing. Not firstresult: every implementation is called, once per
    process (the result is cached until the set of plugins changes).

    Example::

        @hookimpl
        def register_sources(register):
            register(Source(name="lines", read=read_lines, suffixes=(".lines",)))
    """


@hookspec
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """Register output formats by calling ``register(Renderer(...))`` once per renderer.

    :param register: callback owned by the core. It takes a
        :class:`vertaistuki.registry.Renderer` (``name``, ``media_type``, ``suffix``,
        ``render``, ``description``, ``reuses``, ``cycle_free``); a duplicate name is a ``PluginError``
        naming both plugins.

    Returns nothing. Not firstresult: every implementation is called, once per
    process. ``render`` gets only the publishable catalogue (no unconsented personal
    details) and returns relative path → bytes, or yields ``(path, bytes)`` pairs (a
    generator, for renderers that write many or large files: each file is staged on
    disk as it comes). Instead of bytes a file's content may be an iterable of byte
    chunks, written as they come, for a file too large to hold whole. The core writes
    the files; if ``render`` raises, none of its files are published and the build
    reports the plugin by name. ``context.shared`` is a scratch space the renderers of
    one build share (see :class:`vertaistuki.registry.RenderContext`): key it by your
    plugin's name; it may make a renderer faster, never change what it writes. A
    renderer that copies another's pieces from it names that renderer in ``reuses``:
    it then renders after it, in the same worker process when the build renders in
    several (``--jobs``, :mod:`vertaistuki.parallel`). A renderer whose objects form no
    reference cycles says ``cycle_free=True``, and the build pauses the cyclic garbage
    collector while it renders.

    Example::

        @hookimpl
        def register_renderers(register):
            register(Renderer(name="markdown", media_type="text/markdown", suffix=".md",
                              render=lambda catalogue, context: {"groups.md": b"..."}))
    """


@hookspec
def register_vocabularies(register: Callable[[Term], None]) -> None:
    """Register vocabulary terms (audiences, topics, activities, regions, support
    forms) by calling ``register(Term(...))`` once per term.

    :param register: callback owned by the core. It takes a
        :class:`vertaistuki.model.Term`; the same ``(vocabulary, id)`` from two plugins
        is a ``PluginError`` naming both.

    Returns nothing. Not firstresult: every implementation is called, once per
    process.

    Example::

        @hookimpl
        def register_vocabularies(register):
            register(Term(vocabulary="topic", id="omaishoito",
                          label=Text.of(fi="Omaishoito", sv="Närståendevård", en="Informal care")))
    """


@hookspec
def validate_record(record: Record, context: RecordContext) -> Iterable[Problem] | None:
    """Check one structured record against house rules.

    :param record: a model object (Organisation, Place, Group, Service, Event,
        Volunteer, Coordinator or Term) that passed the schema; check with
        ``isinstance``.
    :param context: a :class:`vertaistuki.registry.RecordContext`: ``source`` (the
        input's label), ``collection`` ("groups", …), ``index`` and the ``catalogue``
        the record belongs to.

    Returns the problems found (any iterable of ``Problem``; an error keeps the record
    out of the published catalogue) or None. Not firstresult: every implementation
    is called for every record, possibly more than once, so it must have no side
    effects. One that raises is reported once as a ``plugin_failed`` problem naming
    the plugin and the hook; it does not stop the others or drop records (a rule that
    could not run has not found anything wrong).

    Example::

        @hookimpl
        def validate_record(record, context):
            if isinstance(record, Group) and record.name.get("fi").isupper():
                return [Problem.error(context.source, f"$.{context.collection}[{context.index}].name",
                                      "ei isoin kirjaimin", "not in capitals", record_id=record.id)]
            return None
    """


@hookspec
def transform_catalogue(catalogue: Catalogue) -> Catalogue | None:
    """Return a changed copy of the catalogue (normalise, enrich), or None to leave it.

    :param catalogue: the validated catalogue, as changed by the transforms that ran
        before this one.

    Returns a new ``Catalogue`` or None (unchanged). Not firstresult: each
    implementation is applied in turn to the previous one's result, in this order:
    ``tryfirst`` implementations, then the others in registration order (built-ins
    first, then installed plugins in the order they load, then plugins registered at
    run time), then ``trylast`` ones. One that raises, or returns something other than
    a Catalogue, is reported as a ``plugin_failed`` problem and skipped.

    Example::

        @hookimpl
        def transform_catalogue(catalogue):
            ordered = tuple(sorted(catalogue.groups, key=lambda group: group.name.get("fi")))
            return None if ordered == catalogue.groups else attrs.evolve(catalogue, groups=ordered)
    """
