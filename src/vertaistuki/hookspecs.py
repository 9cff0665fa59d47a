"""The hooks a vertaistuki plugin can implement. Each docstring is the plugin author's
reference; ``docs/plugin_hooks.md`` repeats it with runnable examples.

Built-in sources, renderers and vocabularies are themselves plugins
(``vertaistuki.default_plugins``) on these same hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .model import Catalogue, Term
    from .problems import Problem
    from .registry import RecordContext, Renderer, Source

hookspec = pluggy.HookspecMarker("vertaistuki")
hookimpl = pluggy.HookimplMarker("vertaistuki")


@hookspec
def register_sources(register: Callable[[Source], None]) -> None:
    """Register catalogue sources by calling ``register(Source(...))`` once per source.

    :param register: callback owned by the core; it checks the descriptor and raises
        ``PluginError`` when another plugin already registered the same name.

    Returns nothing. Every implementation is called.
    """


@hookspec
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """Register output renderers by calling ``register(Renderer(...))``.

    :param register: callback owned by the core; a duplicate name is an error naming
        both plugins.

    Returns nothing. Every implementation is called. A renderer gets only the
    publishable catalogue (no unconsented personal details).
    """


@hookspec
def register_vocabularies(register: Callable[[Term], None]) -> None:
    """Register vocabulary terms (audiences, topics, activities, regions, support
    forms) by calling ``register(Term(...))`` once per term.

    :param register: callback owned by the core; the same (vocabulary, id) from two
        plugins is an error naming both.

    Returns nothing. Every implementation is called.
    """


@hookspec
def validate_record(record: object, context: RecordContext) -> Iterable[Problem] | None:
    """Check one structured record against house rules.

    :param record: a model object (Organisation, Place, Group, Service, Event,
        Volunteer, Coordinator or Term) that passed the schema and semantic checks.
    :param context: where the record stands: ``source``, ``collection``, ``index``
        and the ``catalogue`` it belongs to.

    Return the problems found (an error keeps the record out of the published
    catalogue) or None. Every implementation is called; one that raises is reported
    once as a problem naming the plugin, and does not stop the others or drop
    records (a rule that could not run has not found anything wrong).
    """


@hookspec
def transform_catalogue(catalogue: Catalogue) -> Catalogue | None:
    """Return a changed copy of the catalogue (normalise, enrich), or None to leave it.

    :param catalogue: the validated catalogue, as changed by the plugins before this one.

    Implementations are applied in turn in registration order (built-ins first,
    then installed plugins in the order they load), each to the previous one's
    result. One that raises is reported and skipped.
    """
