"""The plugin manager: built-in plugins, installed plugins and the registries they fill.

- Built-in sources, renderers and vocabularies live in :mod:`vertaistuki.default_plugins`
  and register through the same hooks as any installed plugin.
- Installed plugins are found through the ``vertaistuki`` entry-point group, loaded
  lazily on first use. ``VERTAISTUKI_LOAD_PLUGINS`` chooses which distributions load:
  unset loads all, an empty value none, a comma-separated list only those.
- Register hooks receive a callback owned by the core, so the core type-checks every
  descriptor, refuses duplicate names (naming both plugins) and remembers who
  registered what.
- A hook implementation that raises becomes a Problem naming the plugin and the hook;
  the other plugins still run.
- A plugin that sets ``VERTAISTUKI_OPT_IN = True`` (house rules of one federation, say)
  is loaded but used only where a build enables it (``[plugins] enable`` in
  catalogue.toml, ``--enable-plugin`` on the command line, or :func:`enabled`), so
  installing it does not impose one organisation's policy on every catalogue.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .model import Catalogue, Term
from .problems import Problem
from .registry import RecordContext, Registered, Renderer, Source

ENTRY_POINT_GROUP = "vertaistuki"
LOAD_PLUGINS_VARIABLE = "VERTAISTUKI_LOAD_PLUGINS"
DEFAULT_PLUGINS: tuple[str, ...] = (
    "vertaistuki.default_plugins.vocabularies",
    "vertaistuki.default_plugins.file_sources",
    "vertaistuki.default_plugins.csv_source",
    "vertaistuki.default_plugins.json_feed",
    "vertaistuki.default_plugins.csv_files",
)


class PluginError(Exception):
    """A plugin is broken in a way that makes the whole run untrustworthy (a duplicate
    name, a misspelled hook); reported with the plugin's name."""


@attrs.frozen
class PluginInfo:
    name: str
    hooks: tuple[str, ...]
    is_default: bool
    distribution: str | None = None
    version: str | None = None
    opt_in: bool = False


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


def _load_entry_points(manager: pluggy.PluginManager) -> None:
    wanted = _selected_distributions()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        distribution = entry_point.dist.name if entry_point.dist else None
        if wanted is not None and distribution not in wanted and entry_point.name not in wanted:
            continue
        if manager.get_plugin(entry_point.name) is not None or manager.is_blocked(entry_point.name):
            continue
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
        raise PluginError(f"plugin {name!r} implements an unknown hook (misspelled?): {error}") from error


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager, loading the plugins on first use."""
    global _manager
    with _lock:
        if _manager is None:
            manager = pluggy.PluginManager("vertaistuki")
            manager.add_hookspecs(hookspecs)
            for module_name in DEFAULT_PLUGINS:
                manager.register(importlib.import_module(module_name), name=module_name)
            _load_entry_points(manager)
            check_pending(manager)
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
    """Implementations in registration order: built-ins first, then installed plugins
    in load order (``get_hookimpls`` lists them so; pluggy *calls* them the other way)."""
    hook = getattr(get_plugin_manager().hook, hook_name)
    return [impl for impl in hook.get_hookimpls() if _in_use(impl)]


def _call(impl: pluggy.HookImpl, **kwargs: Any) -> Any:
    return impl.function(*(kwargs[name] for name in impl.argnames))


def _collect(hook_name: str, kind: type, key: Callable[[Any], Any]) -> dict[Any, Registered]:
    cache_key = (hook_name, _disabled, _enabled)
    with _lock:
        if cache_key in _cache:
            return _cache[cache_key]
        found: dict[Any, Registered] = {}
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


def sources() -> dict[str, Source]:
    return {name: entry.value for name, entry in _collect("register_sources", Source, lambda s: s.name).items()}


def renderers() -> dict[str, Renderer]:
    return {name: entry.value for name, entry in _collect("register_renderers", Renderer, lambda r: r.name).items()}


def vocabulary_terms() -> dict[tuple[str, str], Term]:
    registered = _collect("register_vocabularies", Term, lambda t: (t.vocabulary, t.id))
    return {key: entry.value for key, entry in registered.items()}


def provider_of(descriptor: Any) -> str:
    """The name of the plugin that registered a source, renderer or term."""
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


def validate_record_problems(record: Any, context: RecordContext) -> list[Problem]:
    """House-rule problems from every plugin; a raising plugin is itself a problem."""
    problems: list[Problem] = []
    for impl in _implementations("validate_record"):
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
    manager = get_plugin_manager()
    infos = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:
            continue
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))
        distribution, version = _distributions.get(name, (None, None))
        infos.append(PluginInfo(name, hooks, name in DEFAULT_PLUGINS, distribution, version, is_opt_in(plugin)))
    return sorted(infos, key=lambda info: (not info.is_default, info.name))


def _matching(names: set[str]) -> set[str]:
    """Plugin names matching ``names`` given as plugin or distribution names."""
    manager = get_plugin_manager()
    return {name for name, _ in manager.list_name_plugin()
            if name in names or _distributions.get(name, (None,))[0] in names}


@contextlib.contextmanager
def enabled(names: Iterator[str] | tuple[str, ...]) -> Iterator[None]:
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
def disabled(names: Iterator[str] | tuple[str, ...]) -> Iterator[None]:
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
def registered_plugin(plugin: object, name: str) -> Iterator[object]:
    """Register a one-off plugin (tests, notebooks) and always unregister it after."""
    manager = get_plugin_manager()
    manager.register(plugin, name=name)
    _reset_caches()
    try:
        check_pending(manager)
        yield plugin
    finally:
        manager.unregister(name=name)
        _reset_caches()
