"""The plugin manager: built-in plugins, installed plugins and the registries they fill.

- Built-in sources, renderers and vocabularies live in :mod:`vertaistuki.default_plugins`
  and register through the same hooks as any installed plugin.
- Installed plugins are found through the ``vertaistuki`` entry-point group, loaded
  lazily on first use. ``VERTAISTUKI_LOAD_PLUGINS`` chooses which distributions load:
  unset loads all, an empty value none, a comma-separated list only those.
- Register hooks receive a callback owned by the core, so the core type-checks every
  descriptor, refuses duplicate names (naming both plugins) and remembers who
  registered what.
- ``validate_record`` and ``transform_catalogue`` implementations are called one at a
  time (``get_hookimpls()``, public pluggy API), so one that raises becomes a Problem
  naming the plugin and the hook and the others still run. Their order: ``tryfirst``
  ones, then registration order (built-ins, installed plugins, run-time ones), then
  ``trylast`` ones. Wrapper implementations are refused, as there is no single call
  to wrap.
- After loading, :func:`check_plugins` (``pm.check_pending()`` and the wrapper check)
  turns a misspelled hook name into a ``PluginError`` naming the plugin.
- A plugin that sets ``VERTAISTUKI_OPT_IN = True`` (house rules of one federation, say)
  is loaded but used only where a build enables it (``[plugins] enable`` in
  catalogue.toml, ``--enable-plugin`` on the command line, or :func:`enabled`), so
  installing it does not impose one organisation's policy on every catalogue.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import importlib.metadata
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import attrs
import pluggy

from . import hookspecs
from .model import Catalogue, Term
from .options import did_you_mean, nearest
from .problems import Problem
from .registry import RecordContext, Registered, Renderer, Source

T = TypeVar("T")

ENTRY_POINT_GROUP = "vertaistuki"
LOAD_PLUGINS_VARIABLE = "VERTAISTUKI_LOAD_PLUGINS"
#: Built-in plugins, registered first and always (whatever VERTAISTUKI_LOAD_PLUGINS
#: says), under their module names. Order matters: it is the order of transforms and
#: of choosing a source by file ending.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "vertaistuki.default_plugins.vocabularies",
    "vertaistuki.default_plugins.file_sources",
    "vertaistuki.default_plugins.csv_source",
    "vertaistuki.default_plugins.http_feed",
    "vertaistuki.default_plugins.json_feed",
    "vertaistuki.default_plugins.csv_files",
    "vertaistuki.default_plugins.ics",
    "vertaistuki.default_plugins.jsonld",
    "vertaistuki.default_plugins.html_widget",
    "vertaistuki.default_plugins.shards",
)


class PluginError(Exception):
    """A plugin is broken in a way that makes the whole run untrustworthy (a duplicate
    name, a misspelled hook); reported with the plugin's name."""


@attrs.frozen(kw_only=True)
class PluginInfo:
    """One registered plugin, for ``vertaistuki plugins``."""

    name: str
    distribution: str | None  # None for built-ins and plugins registered at run time
    version: str | None
    hooks: tuple[str, ...]
    is_default: bool
    opt_in: bool = False
    sources: tuple[str, ...] = ()  # names of the sources it registers
    renderers: tuple[str, ...] = ()  # names of the renderers it registers


# Where pluggy's markers leave their options on a decorated function.
_SPEC_MARK = f"{hookspecs.hookspec.project_name}_spec"
_IMPL_MARK = f"{hookspecs.hookimpl.project_name}_impl"

_lock = threading.RLock()
_manager: pluggy.PluginManager | None = None
_distributions: dict[str, tuple[str, str]] = {}  # plugin name → (distribution, version)
_load_problems: list[Problem] = []
_disabled: frozenset[str] = frozenset()
_enabled: frozenset[str] = frozenset()
_cache: dict[tuple[str, frozenset[str], frozenset[str]], dict[Any, Registered]] = {}


def _selected_distributions() -> set[str] | None:
    value = os.environ.get(LOAD_PLUGINS_VARIABLE)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _describe(name: str) -> str:
    """``'name'`` or ``'name' (distribution 1.0)``, for messages."""
    distribution = _distributions.get(name)
    return f"{name!r} ({distribution[0]} {distribution[1]})" if distribution else repr(name)


def _load_entry_points(manager: pluggy.PluginManager) -> None:
    wanted = _selected_distributions()
    installed = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    if wanted:
        # A misspelt name would leave that plugin out without a word (and `vertaistuki
        # plugins` saying none is installed): said, with the nearest installed name.
        known = {name for entry_point in installed
                 for name in (entry_point.name, entry_point.dist.name if entry_point.dist else None) if name}
        for name in sorted(wanted - known):
            hint_fi, hint_en = did_you_mean(nearest(name, known))
            _load_problems.append(Problem.warning(
                LOAD_PLUGINS_VARIABLE, "$", f'{LOAD_PLUGINS_VARIABLE} nimeää liitännäisen "{name}", jota ei ole asennettu{hint_fi}',
                f'{LOAD_PLUGINS_VARIABLE} names "{name}", which no installed plugin is{hint_en}', code="unknown_plugin"))
    for entry_point in installed:
        distribution = entry_point.dist.name if entry_point.dist else None
        if wanted is not None and distribution not in wanted and entry_point.name not in wanted:
            continue
        if manager.is_blocked(entry_point.name):
            continue
        if manager.get_plugin(entry_point.name) is not None:
            # Two plugins under one name: whichever loaded first would silently win.
            raise PluginError(f"plugin name {entry_point.name!r} is used by both {_describe(entry_point.name)} "
                              f"and {distribution} (entry point {entry_point.value}); rename one entry point")
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=entry_point.name)
        except Exception as error:  # a broken install must not stop every build
            _load_problems.append(Problem.error(
                f"plugin {entry_point.name}", "$",
                f"liitännäistä {entry_point.name} ({distribution}) ei voitu ladata: {type(error).__name__}: {error}",
                f"plugin {entry_point.name} ({distribution}) could not be loaded: {type(error).__name__}: {error}",
                code="plugin_failed"))
            continue
        if entry_point.dist is not None:
            _distributions[entry_point.name] = (entry_point.dist.name, entry_point.dist.version)


def check_pending(manager: pluggy.PluginManager) -> None:
    """Fail loudly, naming the plugin, when an implementation matches no hook."""
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin) or repr(error.plugin)
        unknown = [hook for hook in _implemented_names(error.plugin) if not hasattr(hookspecs, hook)]
        hints = "".join(f"; did you mean {close[0]!r} for {hook!r}?" for hook in unknown
                        for close in [difflib.get_close_matches(hook, _hook_names(), n=1)] if close)
        raise PluginError(f"plugin {_describe(name)} implements an unknown hook (misspelled?): {error}{hints}"
                          ) from error


def _hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), _SPEC_MARK))


def _implemented_names(plugin: object) -> list[str]:
    return [name for name in dir(plugin) if hasattr(getattr(plugin, name, None), _IMPL_MARK)]


def check_wrappers(manager: pluggy.PluginManager) -> None:
    """Refuse ``wrapper=True``/``hookwrapper=True`` implementations: the core calls each
    implementation on its own (to name the one that fails), so nothing would be wrapped
    and a wrapper's generator would be taken for its result."""
    for hook_name in _hook_names():
        for impl in getattr(manager.hook, hook_name).get_hookimpls():
            if impl.wrapper or impl.hookwrapper:
                raise PluginError(f"plugin {_describe(impl.plugin_name)} implements {hook_name} as a wrapper; "
                                  "vertaistuki calls every implementation on its own, so wrappers are not supported")


def check_plugins(manager: pluggy.PluginManager) -> None:
    check_pending(manager)
    check_wrappers(manager)


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager, loading the plugins on first use (not at import, so
    ``import vertaistuki`` stays cheap and a broken plugin breaks only what uses it)."""
    global _manager
    with _lock:
        if _manager is None:
            _distributions.clear()
            _load_problems.clear()
            manager = pluggy.PluginManager("vertaistuki")
            manager.add_hookspecs(hookspecs)
            for module_name in DEFAULT_PLUGINS:
                manager.register(importlib.import_module(module_name), name=module_name)
            _load_entry_points(manager)
            check_plugins(manager)
            _manager = manager
        return _manager


def _reset_caches() -> None:
    _cache.clear()


def is_opt_in(plugin: object) -> bool:
    return bool(getattr(plugin, "VERTAISTUKI_OPT_IN", False))


def _in_use(impl: pluggy.HookImpl) -> bool:
    if impl.plugin_name in _disabled:
        return False
    return not is_opt_in(impl.plugin) or impl.plugin_name in _enabled


def _implementations(hook_name: str) -> list[pluggy.HookImpl]:
    """Implementations in the documented order: ``tryfirst`` ones, then the rest in
    registration order (built-ins, installed plugins in load order, run-time ones),
    then ``trylast`` ones. (pluggy itself *calls* them last-registered first; we call
    them one by one so that a failure can be pinned on its plugin.)"""
    manager = get_plugin_manager()
    registered = {name: position for position, (name, _) in enumerate(manager.list_name_plugin())}
    impls = [impl for impl in getattr(manager.hook, hook_name).get_hookimpls() if _in_use(impl)]
    return sorted(impls, key=lambda impl: (0 if impl.tryfirst else 2 if impl.trylast else 1,
                                           registered.get(impl.plugin_name, len(registered))))


def _call(impl: pluggy.HookImpl, **kwargs: Any) -> Any:
    return impl.function(*(kwargs[name] for name in impl.argnames))


def _collect(hook_name: str, kind: type[T], key: Callable[[T], Any]) -> dict[Any, Registered[T]]:
    """Call every implementation of a ``register_*`` hook with a callback of ours that
    type-checks each descriptor, refuses a duplicate key naming both plugins and
    stamps the descriptor with the plugin's name."""
    cache_key = (hook_name, _disabled, _enabled)
    with _lock:
        if cache_key in _cache:
            return _cache[cache_key]
        found: dict[Any, Registered[T]] = {}
        # Built-ins register first, so when sources are chosen by file ending a
        # plugin claiming ".csv" does not silently replace the built-in reader.
        for impl in _implementations(hook_name):
            def register(descriptor: Any, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(descriptor, kind):
                    raise PluginError(f"plugin {_plugin!r} passed {type(descriptor).__name__} to {hook_name}; expected {kind.__name__}")
                name = key(descriptor)
                if name in found:
                    raise PluginError(f"{kind.__name__.lower()} {name!r} is registered by both {found[name].plugin!r} and {_plugin!r}")
                found[name] = Registered(descriptor, _plugin)

            try:
                _call(impl, register=register)
            except PluginError:
                raise
            except Exception as error:
                raise PluginError(f"plugin {impl.plugin_name!r} failed in {hook_name}: {type(error).__name__}: {error}") from error
        _cache[cache_key] = found
        return found


def registered_sources() -> dict[str, Registered[Source]]:
    """Every source by name, with the plugin that registered it."""
    return dict(_collect("register_sources", Source, lambda source: source.name))


def registered_renderers() -> dict[str, Registered[Renderer]]:
    """Every renderer by name, with the plugin that registered it."""
    return dict(_collect("register_renderers", Renderer, lambda renderer: renderer.name))


def registered_terms() -> dict[tuple[str, str], Registered[Term]]:
    """Every vocabulary term by (vocabulary, id), with the plugin that registered it."""
    return dict(_collect("register_vocabularies", Term, lambda term: (term.vocabulary, term.id)))


def sources() -> dict[str, Source]:
    return {name: entry.value for name, entry in registered_sources().items()}


def renderers() -> dict[str, Renderer]:
    return {name: entry.value for name, entry in registered_renderers().items()}


def vocabulary_terms() -> dict[tuple[str, str], Term]:
    return {key: entry.value for key, entry in registered_terms().items()}


def provider_of(descriptor: Any) -> str:
    """The name of the plugin that registered a source, renderer or term ("?" for a
    descriptor no plugin registered)."""
    for registered in list(_cache.values()):
        for entry in registered.values():
            if entry.value is descriptor:
                return entry.plugin
    return "?"


def _plugin_failed(impl: pluggy.HookImpl, hook_name: str, source: str, error: Exception, record_id: str | None = None,
                   path: str = "$") -> Problem:
    return Problem.error(
        source, path,
        f"liitännäinen {impl.plugin_name} kaatui koukussa {hook_name}: {type(error).__name__}: {error}",
        f"plugin {impl.plugin_name} failed in hook {hook_name}: {type(error).__name__}: {error}",
        record_id=record_id, code="plugin_failed")


def record_validators() -> list[pluggy.HookImpl]:
    """The ``validate_record`` implementations in use, in call order: a load looks them
    up once, not once per record."""
    return _implementations("validate_record")


def validate_record_problems(record: Any, context: RecordContext,
                             validators: list[pluggy.HookImpl] | None = None) -> list[Problem]:
    """House-rule problems from every plugin (or from ``validators``, as
    :func:`record_validators` gave them); a raising plugin is itself a problem."""
    problems: list[Problem] = []
    for impl in _implementations("validate_record") if validators is None else validators:
        try:
            found = _call(impl, record=record, context=context)
            for problem in found or ():
                if not isinstance(problem, Problem):
                    raise TypeError(f"returned {type(problem).__name__}, not Problem")
                problems.append(problem)
        except Exception as error:
            problems.append(_plugin_failed(impl, "validate_record", context.source, error))
    return problems


def apply_transforms(catalogue: Catalogue) -> tuple[Catalogue, list[Problem]]:
    """Apply every ``transform_catalogue`` in turn; skip (and report) one that raises."""
    problems: list[Problem] = []
    for impl in _implementations("transform_catalogue"):
        try:
            changed = _call(impl, catalogue=catalogue)
            if changed is not None:
                if not isinstance(changed, Catalogue):
                    raise TypeError(f"returned {type(changed).__name__}, not Catalogue")
                catalogue = changed
        except Exception as error:
            problems.append(_plugin_failed(impl, "transform_catalogue", "transform_catalogue", error))
    return catalogue, problems


def load_problems() -> list[Problem]:
    """Plugins that were installed but could not be loaded."""
    get_plugin_manager()
    return list(_load_problems)


def list_plugins() -> list[PluginInfo]:
    """Every registered plugin, built-ins first, then by name."""
    manager = get_plugin_manager()
    provided: dict[str, dict[str, list[str]]] = {}
    for kind, registered in (("sources", registered_sources()), ("renderers", registered_renderers())):
        for item_name, item in registered.items():
            provided.setdefault(item.plugin, {}).setdefault(kind, []).append(item_name)
    infos = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))
        distribution, version = _distributions.get(name, (None, None))
        own = provided.get(name, {})
        infos.append(PluginInfo(name=name, distribution=distribution, version=version, hooks=hooks,
                                is_default=name in DEFAULT_PLUGINS, opt_in=is_opt_in(plugin),
                                sources=tuple(sorted(own.get("sources", ()))),
                                renderers=tuple(sorted(own.get("renderers", ())))))
    return sorted(infos, key=lambda info: (not info.is_default, info.name))


def known_names() -> set[str]:
    """Every name ``enabled`` and ``disabled`` accept: each plugin's, and each installed
    plugin's distribution's."""
    manager = get_plugin_manager()
    return {name for name, _ in manager.list_name_plugin()} | {distribution for distribution, _ in _distributions.values()}


def _matching(names: set[str]) -> set[str]:
    """Plugin names matching ``names`` given as plugin or distribution names."""
    manager = get_plugin_manager()
    return {name for name, _ in manager.list_name_plugin()
            if name in names or _distributions.get(name, (None,))[0] in names}


@contextlib.contextmanager
def enabled(names: Iterable[str]) -> Iterator[None]:
    """Use the named opt-in plugins (by plugin or distribution name) for a while."""
    global _enabled
    wanted = _matching(set(names))
    with _lock:
        previous = _enabled
        _enabled = previous | wanted
    try:
        yield
    finally:
        with _lock:
            _enabled = previous


@contextlib.contextmanager
def disabled(names: Iterable[str]) -> Iterator[None]:
    """Leave out the named plugins (by plugin or distribution name) for a while."""
    global _disabled
    wanted = set(names)
    if not wanted:
        yield
        return
    plugin_names = _matching(wanted)
    with _lock:
        previous = _disabled
        _disabled = previous | plugin_names
    try:
        yield
    finally:
        with _lock:
            _disabled = previous


@contextlib.contextmanager
def registered_plugin(plugin: T, name: str) -> Iterator[T]:
    """Register a one-off plugin (tests, notebooks) and always unregister it after.

    It goes through the same checks as an installed plugin (unknown hooks, wrappers)
    and comes after every plugin registered before it."""
    manager = get_plugin_manager()
    manager.register(plugin, name=name)
    _reset_caches()
    try:
        check_plugins(manager)
        yield plugin
    finally:
        manager.unregister(name=name)
        _reset_caches()
