"""The build pipeline: sources → validated catalogue → transforms → renderers → files.

One pass, left to right, with nothing lost on the way: a source that fails, a record
that is wrong or a renderer that raises becomes a Problem naming the plugin, the source
and the record, and everything else is still published. ``strict=True`` publishes
nothing when there is any error (the previous outputs stay as they were).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from . import plugins
from .atomic import (OUT_OF_ROOM, Content, OutputsUnwritable, Published, StagedOutputs, UnsafeOutputPath, check_writable_folder,
                     joined)
from .bulk import collector_paused, collector_skips_existing
from .config import BuildConfig, OutputSpec, SourceSpec
from .loading import load_data
from .model import COLLECTIONS, Catalogue
from .options import OptionError, did_you_mean, nearest
from .options import check as check_options
from .privacy import publishable
from .problems import Problem, os_reason
from .registry import RenderContext, Renderer, Source, SourceRequest
from .validate import Origin

PROBLEMS_JSON = "problems.json"
PROBLEMS_TEXT = "problems.txt"

#: Called as work advances: (what is being done, steps done, steps in all).
Progress = Callable[[str, int, int], None]


@attrs.frozen
class BuildResult:
    catalogue: Catalogue
    problems: tuple[Problem, ...]
    files: dict[str, bytes]
    written: tuple[Path, ...] = ()  # every published file, those a rebuild left as they were included
    changed: tuple[Path, ...] = ()  # of those, the ones written this time (new, or their bytes changed)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def _choose_source(spec: SourceSpec, available: dict[str, Source]) -> Source | None:
    if spec.type is not None:
        return available.get(spec.type)
    if "://" in spec.path:
        scheme = spec.path.split("://", 1)[0].lower()
        return next((source for source in available.values() if scheme in source.schemes), None)
    suffix = Path(spec.path).suffix.lower()
    return next((source for source in available.values() if suffix in source.suffixes), None)


#: The keys a catalogue file may have at its top: its settings and its collections.
CATALOGUE_FIELDS = frozenset(attrs.fields_dict(Catalogue))


# Said of a source type or renderer that no installed plugin provides.
_NOT_INSTALLED = (" (tuleeko se liitännäisestä, jota ei ole asennettu? vertaistuki plugins näyttää asennetut)",
                  " (does a plugin that is not installed provide it? vertaistuki plugins lists those installed)")


def _source_failed(label: str, fi: str, en: str) -> Problem:
    return Problem.error(label, "$", fi, en, code="source_failed")


def read_sources(config: BuildConfig, progress: Progress | None = None) -> tuple[dict[str, Any], dict, list[Problem]]:
    """Read every source; merge their records, remembering where each came from."""
    available = plugins.sources()
    merged: dict[str, Any] = {}
    origins: dict[tuple[str, int], Origin] = {}
    problems: list[Problem] = []
    for number, spec in enumerate(config.sources):
        location = config.resolve(spec.path)
        if progress:
            progress(f"reading {spec.path}", number, len(config.sources))
        source = _choose_source(spec, available)
        if source is None:
            wanted = spec.type or Path(spec.path).suffix or spec.path
            problems.append(_source_failed(
                location, f"lähdetyyppiä {wanted!r} ei ole; saatavilla: {', '.join(sorted(available))}{_NOT_INSTALLED[0]}",
                f"no source type {wanted!r}; available: {', '.join(sorted(available))}{_NOT_INSTALLED[1]}"))
            continue
        try:
            if source.options is not None:
                check_options(source.name, spec.options, source.options)
            output = source.read(SourceRequest(location, spec.options, source.name))
        except OptionError as error:  # the editor's to fix in catalogue.toml: said in their words
            problems.append(_option_problem(source_label(config, spec), error, f"lähteen {source.name}", f"source {source.name}",
                                            "source_option", ("; sen tietoja ei luettu", "; nothing was read from it")))
            continue
        except Exception as error:  # a plugin's bug must not take the other sources down
            provider = plugins.provider_of(source)
            problems.append(_source_failed(
                location, f"liitännäinen {provider} (lähde {source.name}) kaatui: {type(error).__name__}: {error}",
                f"plugin {provider} (source {source.name}) failed: {type(error).__name__}: {error}"))
            continue
        problems.extend(output.problems)
        data = output.data if isinstance(output.data, dict) else {}
        for key, value in data.items():
            if key not in CATALOGUE_FIELDS:
                # A misspelt collection ("gruops:"): published without it, the listing
                # would lose every record under it. Said here, where the file is named.
                hint_fi, hint_en = did_you_mean(nearest(str(key), CATALOGUE_FIELDS))
                problems.append(Problem.error(location, "$", f"tuntematon kenttä: {key}{hint_fi}",
                                              f"unknown field: {key}{hint_en}", code="schema.additionalProperties"))
            elif key not in COLLECTIONS:
                merged.setdefault(key, value)  # the first source's settings win
        for collection in COLLECTIONS:
            records = data.get(collection)
            if records is None:
                continue
            if not isinstance(records, list):
                problems.append(Problem.error(location, f"$.{collection}", f"{collection} pitää olla lista",
                                              f"{collection} must be a list", code="schema.type"))
                continue
            target = merged.setdefault(collection, [])
            # A national source is millions of parsed objects, which every full pass of
            # the collector would walk while these are made; they hold no cycles.
            with collector_paused():
                for index, record in enumerate(records):
                    origins[(collection, len(target))] = Origin(location, index, output.pointers.get((collection, index)),
                                                                published=spec.path)
                    target.append(record)
    # Copies of any lists: the loader empties the merged data's lists as it goes, and
    # these belong to the configuration.
    merged.update({key: list(value) if isinstance(value, list) else value for key, value in config.catalogue.items()})
    return merged, origins, problems


def unreadable_sources(problems: Iterable[Problem]) -> list[Problem]:
    """Of :func:`read_sources`' problems, those that say a source, or a whole collection
    of one, could not be read at all: an error at ``$`` (a missing file, broken YAML, a
    feed with no last good copy) or at ``$.<collection>``, or a mistaken option (at
    ``$.options.<name>``: nothing was read)."""
    whole = {"$", *(f"$.{collection}" for collection in COLLECTIONS)}
    return [problem for problem in problems
            if problem.is_error and (problem.path in whole or problem.code == "source_option")]


def source_unread_problem(label: str) -> Problem:
    """Why nothing was published: see :func:`unreadable_sources`."""
    return Problem.error(label, "$.sources",
                         "lähdettä ei voitu lukea, joten mitään ei julkaistu: aiemmin julkaistut tiedostot jäivät ennalleen",
                         "a source could not be read, so nothing was published: the outputs published before stay as they were",
                         code="source_unread")


def read_catalogue(config: BuildConfig, progress: Progress | None = None) -> tuple[Catalogue, list[Problem]]:
    """Read every source, validate and structure the records and apply the plugins'
    transforms: the catalogue a build renders (before :func:`publishable`), and every
    problem met on the way (plugins that could not be loaded among them). Call it with
    the configuration's plugins enabled and disabled, as :func:`build` does."""
    catalogue, problems, _ = _read_catalogue(config, progress)
    return catalogue, problems


def _read_catalogue(config: BuildConfig, progress: Progress | None) -> tuple[Catalogue, list[Problem], list[Problem]]:
    """:func:`read_catalogue`, and apart the problems of reading the sources: only those
    can say that a source was not read (:func:`unreadable_sources`). A plugin that
    failed, or a record's error at ``$``, is reported at ``$`` too, and loses nothing."""
    data, origins, source_problems = read_sources(config, progress)
    problems = plugins.load_problems() + source_problems
    # Handed over: each raw record goes once structured, so the parsed data and the
    # models of a national catalogue are never both held in full.
    result = load_data(data, str(config.path), origins=origins, consume=True)
    del data, origins
    problems += result.problems
    catalogue, transform_problems = plugins.apply_transforms(result.catalogue)
    return catalogue, unknown_plugin_problems(config) + problems + transform_problems, source_problems


def unknown_plugin_problems(config: BuildConfig) -> list[Problem]:
    """A name in ``[plugins] enable`` or ``disable`` that no installed plugin has: a
    misspelt opt-in plugin (house rules, say) would otherwise not run, without a word."""
    known = plugins.known_names()
    problems = []
    for key, names in (("enable", config.enabled_plugins), ("disable", config.disabled_plugins)):
        for index, name in enumerate(names):
            if name in known:
                continue
            hint_fi, hint_en = did_you_mean(nearest(name, known))
            problems.append(Problem.error(
                str(config.path), f"$.plugins.{key}[{index}]", f'liitännäistä "{name}" ei ole asennettu{hint_fi}',
                f'no installed plugin is named "{name}"{hint_en}', code="unknown_plugin"))
    return problems


def check_outputs(config: BuildConfig) -> list[Problem]:
    """What can be known of the configured outputs without rendering them: that each
    renderer exists, and that its options are ones it takes, when it declares them
    (:attr:`Renderer.options`). The problems are the ones a build would report."""
    available = plugins.renderers()
    problems = []
    for output in config.outputs:
        label = renderer_label(config, output)
        renderer = available.get(output.renderer)
        if renderer is None:
            problems.append(missing_renderer_problem(label, output.renderer, available))
        elif renderer.options is not None:
            try:
                check_options(renderer.name, output.options, renderer.options)
            except OptionError as error:
                problems.append(renderer_option_problem(label, renderer.name, error))
    return problems


def renderer_option_problem(label: str, renderer: str, error: OptionError) -> Problem:
    return _option_problem(label, error, f"tulosteen {renderer}", f"output {renderer}", "renderer_option")


def _option_problem(label: str, error: OptionError, owner_fi: str, owner_en: str, code: str,
                    outcome: tuple[str, str] = ("", "")) -> Problem:
    """An option of a [[sources]] or [[outputs]] entry that its source or renderer
    cannot use, at ``$.options.<name>`` of the entry."""
    return Problem.error(label, f"$.options.{error.name}" if error.name else "$.options",
                         f"{owner_fi} {error.fi}{outcome[0]}", f"{owner_en}: {error.en}{outcome[1]}", code=code)


class _Clash(Exception):
    """A renderer produced a path that another renderer (or itself) already produced."""


def source_label(config: BuildConfig, source: SourceSpec) -> str:
    """Where a source's entry is written: its options are fixed there, not in its file."""
    return f"{config.path} [sources: {source.path}]"


def renderer_label(config: BuildConfig, output: OutputSpec) -> str:
    return f"{config.path} [outputs.{output.renderer}]"


def missing_renderer_problem(label: str, name: str, available: Mapping[str, Renderer]) -> Problem:
    hint_fi, hint_en = did_you_mean(nearest(name, available))
    return Problem.error(label, "$", f"tulostetta {name!r} ei ole{hint_fi}; saatavilla: {', '.join(sorted(available))}"
                         f"{_NOT_INSTALLED[0]}",
                         f"no renderer {name!r}{hint_en}; available: {', '.join(sorted(available))}{_NOT_INSTALLED[1]}",
                         code="renderer_failed")


def clash_problem(label: str, renderer: str, path: str) -> Problem:
    return Problem.error(label, "$", f"tuloste {renderer} kirjoittaisi saman tiedoston kuin toinen: {path}",
                         f"renderer {renderer} would overwrite another's file: {path}", code="renderer_failed")


def render_one(catalogue: Catalogue, renderer: Renderer, context: RenderContext, label: str, *,
               staging: StagedOutputs | None, keep: bool, produced: set[str]
               ) -> tuple[dict[str, bytes], list[str], Problem | None]:
    """Run one renderer: its files (kept ones), the paths it produced in order, and the
    problem if it failed or clashed, in which case none of its files are kept or staged
    and ``produced`` is as before. :class:`UnsafeOutputPath` stops the whole build."""
    own: dict[str, bytes] = {}  # this renderer's files, while it may still fail
    own_paths: list[str] = []
    try:
        if renderer.options is not None:
            check_options(renderer.name, context.options, renderer.options)
        with collector_paused() if renderer.cycle_free else contextlib.nullcontext():
            rendered = renderer.render(catalogue, context)
            for relative, content in rendered.items() if isinstance(rendered, Mapping) else rendered:
                if relative in produced:
                    raise _Clash(relative)
                produced.add(relative)
                own_paths.append(relative)
                if keep or staging is None:
                    content = joined(relative, content)
                    own[relative] = content
                if staging is not None:
                    try:
                        staging.stage(relative, content)  # chunks go to disk as they come
                    except OSError as error:
                        if error.errno in OUT_OF_ROOM:  # not the renderer's doing, and no other output will fare better
                            raise OutputsUnwritable(error) from error
                        raise
            del rendered
    except UnsafeOutputPath as error:  # the whole build stops (see build()), saying whose the path was
        raise UnsafeOutputPath(f"{error} (renderer {renderer.name} of plugin {plugins.provider_of(renderer)}, "
                               f"{label})") from error
    except OutputsUnwritable:
        raise  # the whole build stops: see build()
    except _Clash as clash:
        problem = clash_problem(label, renderer.name, str(clash))
    except OptionError as error:  # the editor's to fix in catalogue.toml: said in their words
        problem = renderer_option_problem(label, renderer.name, error)
    except Exception as error:
        provider = plugins.provider_of(renderer)
        problem = Problem.error(
            label, "$", f"liitännäinen {provider} (tuloste {renderer.name}) kaatui: {type(error).__name__}: {error}",
            f"plugin {provider} (renderer {renderer.name}) failed: {type(error).__name__}: {error}", code="renderer_failed")
    else:
        return own, own_paths, None
    # Failed or clashed: none of this renderer's files are published.
    produced.difference_update(own_paths)
    if staging is not None:
        staging.remove(own_paths)
    return {}, [], problem


def close_shared(shared: dict[str, Any]) -> None:
    """End a build's (or a worker's) :attr:`RenderContext.shared`: close what can be closed."""
    for value in shared.values():
        if callable(getattr(value, "close", None)):
            value.close()


def render_all(catalogue: Catalogue, config: BuildConfig, today: dt.date, progress: Progress | None = None,
               *, staging: StagedOutputs | None = None, keep: bool = True, jobs: int = 1
               ) -> tuple[dict[str, bytes], list[Problem]]:
    """Run every configured renderer; a renderer that fails or clashes is a Problem and
    publishes none of its files.

    A renderer returns a mapping of path → content or yields (path, content) pairs; the
    content is bytes or an iterable of byte chunks (see :class:`Renderer`). With
    ``staging`` every file is staged on disk as it is made, chunk by chunk, and kept in
    the returned mapping (joined) only if ``keep``: a national build then holds one
    chunk at a time from a renderer that streams.

    Renderers run in the configured order, except that one which reuses another's
    pieces (:attr:`Renderer.reuses`) runs after it. With ``jobs`` above one they run in
    that many processes, this one and ``jobs - 1`` workers (:mod:`vertaistuki.parallel`),
    with the same result.
    """
    with collector_skips_existing():  # the catalogue outlives the render: no collection need walk it
        return _render_all(catalogue, config, today, progress, staging=staging, keep=keep, jobs=jobs)


def _render_all(catalogue: Catalogue, config: BuildConfig, today: dt.date, progress: Progress | None,
                *, staging: StagedOutputs | None, keep: bool, jobs: int) -> tuple[dict[str, bytes], list[Problem]]:
    available = plugins.renderers()
    order = render_order(config.outputs, available)
    if jobs > 1:
        from .parallel import can_fork, render_in_workers

        lanes = render_lanes(config.outputs, available, order)
        if len(lanes) > 1 and can_fork():
            return render_in_workers(catalogue, config, today, available, order, lanes,
                                     jobs=jobs, progress=progress, staging=staging, keep=keep)
    files: dict[str, bytes] = {}
    produced: set[str] = set()
    problems: list[Problem] = []
    # RenderContext.shared: one scratch space for the whole build, closed at its end.
    shared: dict[str, Any] = {}
    try:
        for number, index in enumerate(order):
            output = config.outputs[index]
            if progress:
                progress(f"rendering {output.renderer}", number, len(order))
            label = renderer_label(config, output)
            renderer = available.get(output.renderer)
            if renderer is None:
                problems.append(missing_renderer_problem(label, output.renderer, available))
                if staging is not None:
                    staging.failed(output.renderer)
                continue
            context = RenderContext(options=output.options, today=today, shared=shared)
            own, paths, problem = render_one(catalogue, renderer, context, label, staging=staging, keep=keep, produced=produced)
            if problem is None:
                files.update(own)
                if staging is not None:
                    staging.own(paths, output.renderer)
            else:
                problems.append(problem)
                if staging is not None:
                    staging.failed(output.renderer)
    finally:
        close_shared(shared)
    return files, problems


def render_order(outputs: tuple[OutputSpec, ...], available: Mapping[str, Renderer]) -> list[int]:
    """The outputs' indexes in the order they render: as configured, except that a
    renderer comes after the configured renderers it reuses (:attr:`Renderer.reuses`)."""
    order: list[int] = []
    waiting = list(range(len(outputs)))
    while waiting:  # the first (in configured order) whose reused renderers have run
        ready = next((index for index in waiting
                      if not any(outputs[other].renderer in _reuses(available, outputs[index].renderer)
                                 for other in waiting if other != index)),
                     waiting[0])  # renderers that reuse each other: configured order
        order.append(ready)
        waiting.remove(ready)
    return order


def render_lanes(outputs: tuple[OutputSpec, ...], available: Mapping[str, Renderer],
                 order: list[int]) -> list[list[int]]:
    """The outputs' indexes in lanes: renderers that reuse one another's pieces share a
    lane; the rest are a lane each. Within a lane, and from lane to lane (by their
    first output), ``order`` (:func:`render_order`). A parallel build runs a lane in
    one process, so that what one renderer leaves in ``RenderContext.shared`` is there for
    the next."""
    group = list(range(len(outputs)))  # union-find over the outputs' indexes

    def root(index: int) -> int:
        while group[index] != index:
            group[index] = group[group[index]]
            index = group[index]
        return index

    for index, output in enumerate(outputs):
        for other, candidate in enumerate(outputs):
            if candidate.renderer in _reuses(available, output.renderer):
                group[root(other)] = root(index)
    lanes: dict[int, list[int]] = {}
    for index in order:
        lanes.setdefault(root(index), []).append(index)
    return list(lanes.values())


def _reuses(available: Mapping[str, Renderer], name: str) -> tuple[str, ...]:
    renderer = available.get(name)
    return renderer.reuses if renderer is not None else ()


def problem_report(problems: tuple[Problem, ...]) -> dict[str, bytes]:
    """The problems of a build for people (Finnish, then English) and for machines, as
    published beside the outputs (:meth:`Problem.for_publishing`)."""
    problems = tuple(problem.for_publishing() for problem in problems)
    as_json = json.dumps({"problems": [p.as_dict() for p in problems],
                          "errors": sum(p.is_error for p in problems),
                          "warnings": sum(not p.is_error for p in problems)}, ensure_ascii=False, indent=2)
    lines = [f"{p.severity.value}: {p.describe('fi')}\n    {p.message.get('en')}" for p in problems]
    text = "\n".join(lines) + "\n" if lines else "Ei ongelmia. No problems.\n"
    return {PROBLEMS_JSON: (as_json + "\n").encode("utf-8"), PROBLEMS_TEXT: text.encode("utf-8")}


def _unsafe_output(config: BuildConfig, error: UnsafeOutputPath) -> Problem:
    return Problem.error(str(config.path), "$", f"tuloste yritti kirjoittaa kansion ulkopuolelle: {error}",
                         f"an output tried to write outside the folder: {error}", code="renderer_failed")


def unwritable_folder(source: str, path: str, folder: Path, error: OSError, *, published: bool = False) -> Problem:
    """The problem of a folder a build or an aggregation cannot write to. ``published``:
    the error came while the outputs were being renamed into place."""
    reason = os_reason(error)
    outcome = ("aiemmin julkaistut tiedostot jäivät ennalleen tai osa uusista ehti paikoilleen",
               "the outputs published before stay, or some of the new ones were put in place") if published else (
               "mitään ei julkaistu ja aiemmat tiedostot jäivät ennalleen", "nothing was published and the previous outputs stay")
    return Problem.error(source, path, f"kansioon {folder} ei voi kirjoittaa ({reason}): {outcome[0]}",
                         f"cannot write to the folder {folder} ({reason}): {outcome[1]}", code="folder_unwritable")


def publish(staging: StagedOutputs, last: Mapping[str, Content], source: str, progress: Progress | None = None
            ) -> tuple[Published, Problem | None]:
    """Stage the ``last`` files (the reports) and rename everything staged into place:
    (what was published, None). When the folder cannot be written (the disk filled up,
    the folder went away, ...) what was staged is discarded and the error is the
    problem, ``$.build.out`` of ``source``: (nothing published, problem). An output
    that failed keeps its files from the previous build (see StagedOutputs.commit)."""
    try:
        staging.add(last)
    except OSError as error:
        staging.discard()
        return Published(), unwritable_folder(source, "$.build.out", staging.out_dir, error)
    if progress:  # renaming tens of thousands of files, after a sync of gigabytes
        progress("publishing", 0, 1)
    try:
        return staging.commit(), None
    except OSError as error:
        staging.discard()
        return Published(), unwritable_folder(source, "$.build.out", staging.out_dir, error, published=True)


def build(config: BuildConfig, out_dir: Path | None = None, *, strict: bool = False, today: dt.date | None = None,
          write: bool = True, progress: Progress | None = None, keep_files: bool = True, jobs: int = 1) -> BuildResult:
    """Run the whole pipeline for one configuration and publish the outputs.

    Outputs are staged on disk renderer by renderer and renamed into place together at
    the end. ``keep_files=False`` leaves them out of :attr:`BuildResult.files` (the
    command line does this: a national catalogue's outputs need not fit in memory);
    without ``write`` they are always kept, as there is nowhere else for them to go.
    ``jobs`` above one renders in that many processes, this one and ``jobs - 1``
    workers (see :mod:`vertaistuki.parallel`); the outputs and problems are the same.
    """
    today = today or dt.date.today()
    keep = keep_files or not write
    staging = StagedOutputs(out_dir or config.out_dir or config.base_dir / "dist") if write else None
    with plugins.enabled(config.enabled_plugins), plugins.disabled(config.disabled_plugins):
        catalogue, problems, source_problems = _read_catalogue(config, progress)
        if unreadable_sources(source_problems):
            # The outputs would lack all of that source's records: an editor's broken
            # YAML or a moved file would empty the association's published listing.
            return BuildResult(catalogue, (*problems, source_unread_problem(str(config.path))), {}, ())
        if staging is not None:
            try:
                check_writable_folder(staging.out_dir)
            except OSError as error:  # a folder that cannot be made or written: say so before rendering
                return BuildResult(catalogue, (*problems, unwritable_folder(str(config.path), "$.build.out", staging.out_dir, error)), {}, ())
        try:
            # Renderers never see what a volunteer did not agree to publish.
            # A strict build stages nothing until it knows there is no error at all.
            streaming = staging is not None and not strict
            files, render_problems = render_all(publishable(catalogue, today), config, today, progress,
                                                staging=staging if streaming else None, keep=keep, jobs=jobs)
        except UnsafeOutputPath as error:
            if staging:
                staging.discard()
            return BuildResult(catalogue, (*problems, _unsafe_output(config, error)), {}, ())
        except OutputsUnwritable as stopped:  # a full disk, say: reported as the folder's, not a renderer's
            if staging:
                staging.discard()
            return BuildResult(catalogue, (*problems, unwritable_folder(str(config.path), "$.build.out", staging.out_dir,
                                                                        stopped.error)), {}, ())
        except BaseException:
            if staging:
                staging.discard()
            raise
        problems += render_problems
    all_problems = tuple(problems)
    if strict and any(p.is_error for p in all_problems):
        return BuildResult(catalogue, all_problems, {}, ())
    report = problem_report(all_problems)
    files.update(report)
    published = Published()
    if staging:
        try:
            published, unwritable = publish(staging, files if strict else report, str(config.path), progress)
        except UnsafeOutputPath as error:  # only a strict build stages renderers' files this late
            staging.discard()
            return BuildResult(catalogue, (*all_problems, _unsafe_output(config, error)), files, ())
        if unwritable is not None:
            return BuildResult(catalogue, (*all_problems, unwritable), files, ())
    if not keep_files and write:
        files = {}
    return BuildResult(catalogue, all_problems, files, published.files, published.changed)
