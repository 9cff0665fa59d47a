"""Rendering in worker processes (``build(..., jobs=N)``): the same outputs and problems
as one process, and a failing, clashing, escaping or dying renderer handled as alone."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from repository_plugins import every_plugin_available
from vertaistuki import plugins
from vertaistuki.build import build, render_lanes, render_order
from vertaistuki.cli import main
from vertaistuki.config import BuildConfig, OutputSpec, read_config
from vertaistuki.hookspecs import hookimpl
from vertaistuki.parallel import can_fork
from vertaistuki.registry import Renderer

from test_build import RaisingRenderer, YieldingRenderer, project  # noqa: F401 (project is a fixture)

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes need the fork start method (Linux)")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2026, 11, 23)


def every_renderer(config: BuildConfig, out_dir: Path) -> BuildConfig:
    outputs = tuple(OutputSpec(name, {"languages": ["fi", "sv", "en"]} if name == "html" else {})
                    for name in sorted(plugins.renderers()))
    return BuildConfig(path=config.path, sources=config.sources, outputs=outputs, out_dir=out_dir,
                       catalogue=config.catalogue)


def published(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*.tmp")]


def with_outputs(project: Path, *extra: str, first: tuple[str, ...] = ()) -> BuildConfig:
    """The project's json and csv outputs, and ics: three lanes before ``extra``."""
    config = read_config(project / "catalogue.toml")
    return BuildConfig(path=config.path, sources=config.sources, out_dir=config.out_dir,
                       outputs=(*map(OutputSpec, first), *config.outputs, OutputSpec("ics"), *map(OutputSpec, extra)))


def described(result) -> list[str]:
    return [problem.describe("en") for problem in result.problems]


@pytest.mark.parametrize("example", sorted(path.parent.name for path in EXAMPLES.glob("*/catalogue.toml")))
@pytest.mark.parametrize("jobs", [2, 3])
def test_every_example_publishes_the_same_files_and_problems_in_workers(tmp_path, example, jobs):
    config = read_config(EXAMPLES / example / "catalogue.toml")
    with every_plugin_available():  # the sources the examples read
        alone = build(every_renderer(config, tmp_path / "one"), today=TODAY, keep_files=False)
        parallel = build(every_renderer(config, tmp_path / "many"), today=TODAY, keep_files=False, jobs=jobs)
    assert published(tmp_path / "many") == published(tmp_path / "one")
    assert len(parallel.written) == len(alone.written) > 20
    assert described(parallel) == described(alone)


def test_kept_files_and_a_strict_build_are_the_same_in_workers(project):
    alone = build(with_outputs(project), today=TODAY, write=False)
    parallel = build(with_outputs(project), today=TODAY, write=False, jobs=2)
    assert parallel.files == alone.files and "catalogue.json" in parallel.files
    assert described(parallel) == described(alone) and parallel.errors  # the catalogue has a wrong record
    strict = build(with_outputs(project), today=TODAY, strict=True, jobs=2)
    assert strict.written == () and not (project / "public").exists()


def test_a_renderer_that_raises_in_a_worker_is_reported_and_the_rest_published(project):
    with plugins.registered_plugin(RaisingRenderer(), "raising-renderer"):
        result = build(with_outputs(project, first=("exploding",)), today=TODAY, jobs=2)
    [problem] = [p for p in result.problems if p.code == "renderer_failed"]
    assert "raising-renderer" in problem.message.get("en") and "template missing" in problem.message.get("en")
    assert {"catalogue.json", "csv", "calendar"} <= set(os.listdir(project / "public"))
    assert not leftovers(project / "public")


@pytest.mark.parametrize("renderer, jobs", [(YieldingRenderer(fail_after=2), 5), (YieldingRenderer(clash="catalogue.json"), 2)],
                         ids=["fails half-way in the build's process", "clashes with another process's file"])
def test_a_renderer_that_fails_half_way_in_workers_publishes_none_of_its_files(project, renderer, jobs):
    # Failing half-way: five jobs for four lanes, so three workers take the first three and
    # the build's own process the last, this renderer's. The clash may be in either.
    with plugins.registered_plugin(renderer, "page-per-group"):
        alone = build(with_outputs(project, "pages"), project / "one", today=TODAY)
        parallel = build(with_outputs(project, "pages"), project / "many", today=TODAY, jobs=jobs)
    assert described(parallel) == described(alone)
    [problem] = [p for p in parallel.problems if p.code == "renderer_failed"]
    assert "pages" in problem.message.get("en")
    assert published(project / "many") == published(project / "one")
    assert not (project / "many" / "pages").exists() or not any((project / "many" / "pages").iterdir())
    assert b"mine" not in (project / "many" / "catalogue.json").read_bytes()  # json's own file stands
    assert not leftovers(project / "many")


class DyingRenderer:
    """Stages one file, then its process is killed (as the out-of-memory killer would)."""

    def __init__(self, reuses: tuple[str, ...] = ()) -> None:
        self.reuses = reuses

    @hookimpl
    def register_renderers(self, register):
        def pages(catalogue, context):
            yield "dying/first.txt", b"staged before the end"
            os.kill(os.getpid(), signal.SIGKILL)
            yield "dying/second.txt", b"never"

        register(Renderer(name="dying", media_type="text/plain", suffix=".txt", render=pages, reuses=self.reuses))


@pytest.mark.parametrize("reuses", [(), ("json",)], ids=["a lane of its own", "after json in the same worker"])
def test_a_worker_that_dies_fails_its_renderer_and_the_rest_is_published(project, reuses):
    # Its lane comes first (configured first, or the longest), so a worker renders it:
    # in the build's own process it would end the test run.
    with plugins.registered_plugin(DyingRenderer(reuses), "dying-renderer"):
        result = build(with_outputs(project, first=("dying",)), today=TODAY, jobs=2)
    [problem] = [p for p in result.problems if p.code == "renderer_failed"]
    assert "dying" in problem.message.get("en") and "signal 9" in problem.message.get("en")
    assert "dying" in problem.message.get("fi")
    public = project / "public"
    assert (public / "catalogue.json").is_file() and (public / "calendar" / "catalogue.ics").is_file()
    assert any((public / "csv").iterdir())
    assert not (public / "dying").exists() or not any((public / "dying").iterdir())
    assert not leftovers(public)


class EscapingRenderer:
    @hookimpl
    def register_renderers(self, register):
        def escape(catalogue, context):
            yield "inside.txt", b"fine"
            yield "../outside.txt", b"never"

        register(Renderer(name="escaping", media_type="text/plain", suffix=".txt", render=escape))


@pytest.mark.parametrize("where", ["worker", "build"], ids=["in a worker", "in the build's process"])
def test_a_renderer_writing_outside_the_folder_stops_a_parallel_build(project, where):
    first = build(with_outputs(project), today=TODAY)
    before = published(project / "public")
    with plugins.registered_plugin(EscapingRenderer(), "escaping-renderer"):
        if where == "worker":  # the first lane goes to a worker
            result = build(with_outputs(project, first=("escaping",)), today=TODAY, jobs=2)
        else:  # four lanes, five jobs: three workers, and the build's process takes the last lane
            result = build(with_outputs(project, "escaping"), today=TODAY, jobs=5)
    assert first.written and result.written == ()
    [stopped] = [p for p in result.problems if "outside the folder" in p.message.get("en")]
    assert "renderer escaping of plugin escaping-renderer" in stopped.message.get("en")  # whose path it was
    assert published(project / "public") == before  # the previous outputs stand
    assert not (project / "outside.txt").exists() and not leftovers(project)


def test_a_renderer_that_reuses_another_runs_after_it_in_the_same_lane():
    available = plugins.renderers()
    assert available["shards"].reuses == ("html",)
    outputs = tuple(map(OutputSpec, ("shards", "csv", "html", "json")))
    assert render_order(outputs, available) == [1, 2, 0, 3]  # csv, html, shards, json
    assert render_lanes(outputs, available, render_order(outputs, available)) == [[1], [2, 0], [3]]
    alone = tuple(map(OutputSpec, ("shards", "csv")))  # html not configured: nothing to wait for
    assert render_order(alone, available) == [0, 1]
    assert render_lanes(alone, available, render_order(alone, available)) == [[0], [1]]


def test_the_command_line_renders_in_workers_on_request(project, capsys):
    assert main(["build", str(project / "catalogue.toml"), "--jobs", "2"]) == 1  # the wrong record is an error
    assert (project / "public" / "catalogue.json").is_file()
    assert main(["build", str(project / "catalogue.toml"), "-j", "auto"]) == 1
    with pytest.raises(SystemExit):
        main(["build", str(project / "catalogue.toml"), "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_without_worker_processes_the_lanes_render_in_the_build_process(project, monkeypatch):
    alone = build(with_outputs(project), project / "one", today=TODAY)

    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("multiprocessing.context.ForkProcess.start", refuse)
    parallel = build(with_outputs(project), project / "many", today=TODAY, jobs=2)
    assert published(project / "many") == published(project / "one") and parallel.written
    assert described(parallel) == described(alone)


class WhoseRenderer:
    """Writes which process rendered it."""

    @hookimpl
    def register_renderers(self, register):
        register(Renderer(name="whose", media_type="text/plain", suffix=".txt",
                          render=lambda catalogue, context: {"whose.txt": str(os.getpid()).encode()}))


def test_the_build_process_renders_too_beside_one_worker_fewer_than_jobs(project, monkeypatch):
    import multiprocessing.context

    started = []
    start = multiprocessing.context.ForkProcess.start

    def counted(self):
        started.append(self.name)
        return start(self)

    monkeypatch.setattr("multiprocessing.context.ForkProcess.start", counted)
    with plugins.registered_plugin(WhoseRenderer(), "whose-renderer"):
        alone = build(with_outputs(project, "whose"), project / "one", today=TODAY)
        # Four lanes (json, csv, ics, whose) and four jobs: three workers take the first
        # three, the build's own process the fourth; every process is busy.
        parallel = build(with_outputs(project, "whose"), project / "many", today=TODAY, jobs=4)
    assert len(started) == 3
    assert (project / "many" / "whose.txt").read_bytes() == str(os.getpid()).encode()
    assert described(parallel) == described(alone)
    assert {path: data for path, data in published(project / "many").items() if path != "whose.txt"} == \
        {path: data for path, data in published(project / "one").items() if path != "whose.txt"}


def _build_in_pool_worker(folder: str) -> list[str]:
    result = build(with_outputs(Path(folder)), Path(folder) / "from-pool", today=TODAY, jobs=2)
    return described(result)


def test_a_build_asking_for_workers_inside_a_daemonic_process_renders_in_that_process(project):
    import multiprocessing

    alone = build(with_outputs(project), project / "one", today=TODAY)
    with multiprocessing.get_context("fork").Pool(1) as pool:  # its workers may not have children
        problems = pool.apply(_build_in_pool_worker, (str(project),))
    assert problems == described(alone)
    assert published(project / "from-pool") == published(project / "one")


class ReusingRenderer:
    """Reuses the pieces of a renderer that is not installed: it renders all the same."""

    @hookimpl
    def register_renderers(self, register):
        register(Renderer(name="reusing", media_type="text/plain", suffix=".txt", reuses=("not-installed",),
                          render=lambda catalogue, context: {"reusing.txt": b"made alone"}))


def test_a_renderer_reusing_one_that_is_not_installed_still_renders_in_a_worker(project):
    with plugins.registered_plugin(ReusingRenderer(), "reusing-renderer"):
        config = with_outputs(project, "not-installed", "reusing")
        alone = build(config, project / "one", today=TODAY)
        parallel = build(config, project / "many", today=TODAY, jobs=2)
    assert described(parallel) == described(alone)
    assert any("no renderer 'not-installed'" in problem for problem in described(parallel))
    assert (project / "many" / "reusing.txt").read_bytes() == b"made alone"
    assert published(project / "many") == published(project / "one")
