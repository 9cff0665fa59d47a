"""Rendering in several processes: ``build(config, jobs=N)``, ``vertaistuki build --jobs N``.

A national build spends nearly all its time in renderers that do not depend on one
another (html, iCalendar, HSDS, ...), each on one core. With ``jobs`` above one they run
in that many processes: the build's own and ``jobs - 1`` workers forked from it once the
catalogue is loaded and checked. A worker inherits the publishable catalogue as it is in
memory (nothing is pickled on the way in), stages its files in the output folder under
temporary names, and sends back only what the build needs to publish them: their
names, and their bytes when the build keeps them.

The result is the one a single process gives: the same files byte for byte, the same
problems in the same order. Every decision that involves more than one renderer is made
in the build's process, in render order, after the workers are done: a renderer that
would overwrite another's file fails as it would have failed alone; a renderer that
raises publishes none of its files; one that writes outside the folder stops the build.
A worker that dies (killed, out of memory) fails the renderers it had not finished, its
half-written files are removed, and every other renderer's files are still published.

The work is cut into *lanes*: renderers that reuse one another's pieces
(:attr:`Renderer.reuses`, e.g. the shards renderer copying the html renderer's cards)
form one lane and run one after the other in the same process, so the pieces are
there; every other renderer is a lane of its own. Longest lanes first, each process
takes the next lane when it is free: the workers get the first ones when they start,
the build's process the one after them, and from then on whoever is done first asks
for another. A thread of the build's process answers the workers and reads everything
they send as it comes, so no worker waits on a full pipe while the build's process is
busy rendering; the build's process acts on the news (progress, a renderer writing
outside the folder) between two of its own renderers.

Memory: a worker shares the catalogue's pages with the build's process until it
touches them, and one that reads every record ends up with its own copy of most of them
(reference counts are written as objects are read); :func:`gc.freeze` keeps the
collector from touching the rest. The build's process renders instead of waiting
because it holds the catalogue anyway: ``jobs`` processes hold ``jobs`` copies, not
one more. Needs the ``fork`` start method (Linux and other Unixes but macOS) and a
process that may have children; elsewhere, and when no process can be started, the
lanes render in the build's own process, with the same result.
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import attrs

from .atomic import OutputsUnwritable, StagedOutputs, UnsafeOutputPath
from .build import Progress, clash_problem, close_shared, missing_renderer_problem, render_one, renderer_label
from .config import BuildConfig
from .model import Catalogue
from .problems import Problem
from .registry import RenderContext, Renderer


def can_fork() -> bool:
    """Whether worker processes can inherit the loaded catalogue: the ``fork`` start
    method (macOS has it, but its system libraries are not safe to fork), in a process
    that may have children (a ``multiprocessing`` pool's worker may not)."""
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and not multiprocessing.current_process().daemon)  # a daemonic process may not have workers


def available_cpus() -> int:
    """The cores this process may run on (``--jobs auto``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@attrs.frozen
class _Rendered:
    """One renderer's outcome as a worker reports it."""

    files: dict[str, bytes]  # kept files (a build that keeps them, or a strict one)
    staged: dict[str, tuple[Path | None, Path]]  # relative → (temporary or None if unchanged, target), handed over
    paths: list[str]  # what it produced, in order: the build's process judges clashes
    problem: Problem | None


def _stopped(label: str, renderer: str, exitcode: int | None, reason: str | None) -> Problem:
    if reason is not None:  # the worker could not go on, and said why
        return Problem.error(label, "$", f"tuloste {renderer} keskeytyi: sen työprosessi pysähtyi: {reason}",
                             f"renderer {renderer} did not finish: its worker process stopped: {reason}",
                             code="renderer_failed")
    # A negative exit code is the signal that ended the worker: 9 is usually the
    # kernel's out-of-memory killer.
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return Problem.error(label, "$", f"tuloste {renderer} keskeytyi: sen työprosessi päättyi ({how}); muisti loppui?",
                         f"renderer {renderer} did not finish: its worker process ended ({how}); out of memory?",
                         code="renderer_failed")


def _render_lane(lane: list[int], catalogue: Catalogue, config: BuildConfig, today: dt.date,
                 available: Mapping[str, Renderer], staging_dir: Path | None, tag: str, keep: bool,
                 send: Callable[[tuple], None]) -> None:
    """Render the lane's outputs in order, telling ``send`` as each starts and ends."""
    staging = StagedOutputs(staging_dir, tag=tag) if staging_dir is not None else None
    shared: dict[str, Any] = {}
    try:
        for index in lane:
            output = config.outputs[index]
            send(("start", index))
            context = RenderContext(options=output.options, today=today, shared=shared)
            # Clashes between renderers are judged by the build's process, in render
            # order; here a renderer is only checked against itself.
            own, paths, problem = render_one(catalogue, available[output.renderer], context,
                                             renderer_label(config, output), staging=staging, keep=keep,
                                             produced=set())
            staged = staging.hand_over(paths) if staging is not None else {}
            send(("done", index, _Rendered(own, staged, paths, problem)))
    except UnsafeOutputPath as error:
        if staging is not None:
            staging.discard()
        send(("unsafe", str(error)))
    except OutputsUnwritable as stopped:
        if staging is not None:
            staging.discard()
        send(("unwritable", stopped.error.errno, stopped.error.strerror, stopped.error.filename))
    finally:
        close_shared(shared)


def _work(connection: Connection, lane: list[int] | None, *build: Any) -> None:
    """A worker process: :func:`_render_lane` for its first lane, then for each lane the
    build's process hands it on asking, until there is none; every message goes to the
    build's process."""
    try:
        while lane is not None:
            _render_lane(lane, *build, send=connection.send)
            connection.send(("next",))
            lane = connection.recv()
    except BaseException as error:  # e.g. an outcome that cannot be sent: the lane's rest fails
        try:
            connection.send(("broken", f"{type(error).__name__}: {error}"))
        except BaseException:
            pass
    finally:
        connection.close()


class _Lanes:
    """The lanes nobody has started, longest first, handed out one at a time to
    whichever process is free: the build's own process, or a worker asking through the
    relay thread. Closed when the build stops: nothing more is handed out."""

    def __init__(self, lanes: list[list[int]]) -> None:
        self._waiting = collections.deque(lanes)
        self._lock = threading.Lock()
        self._closed = False

    def take(self) -> list[int] | None:
        with self._lock:
            return None if self._closed or not self._waiting else self._waiting.popleft()

    def put_back(self, lane: list[int]) -> None:
        """A lane taken for a worker that could not be started: first again."""
        with self._lock:
            self._waiting.appendleft(lane)

    def close(self) -> None:
        with self._lock:
            self._closed = True


@attrs.define(eq=False)
class _Worker:
    process: Any
    connection: Connection
    tag: str  # in the names of the files it stages
    lanes: list[list[int]]  # every lane it was given, in order


def _relay(workers: list[_Worker], lanes: _Lanes, inbox: queue.Queue) -> None:
    """The build's reading thread while its main thread renders lanes too: it answers
    the workers asking for their next lane and passes every other message on to
    ``inbox``, ``(worker, None)`` once a worker is gone. Reading as messages come keeps
    a worker from waiting, pipe full, until the main thread is free."""
    by_connection = {worker.connection: worker for worker in workers}
    try:
        while by_connection:
            for connection in wait(list(by_connection)):
                worker = by_connection[connection]
                try:
                    message = connection.recv()
                except EOFError:  # the worker is done, or died
                    message = None
                except Exception as error:  # an outcome that does not arrive whole: the worker is of no more use
                    inbox.put((worker, ("broken", f"{type(error).__name__}: {error}")))
                    worker.process.terminate()
                    message = None
                if message is None:
                    del by_connection[connection]
                    connection.close()
                    inbox.put((worker, None))
                elif message[0] == "next":
                    lane = lanes.take()
                    if lane is not None:
                        worker.lanes.append(lane)  # before it is sent: a worker that dies with it fails it
                    try:
                        connection.send(lane)
                    except OSError:  # it died meanwhile: its end of the pipe follows
                        pass
                else:
                    inbox.put((worker, message))
    finally:
        for worker in by_connection.values():  # only if this thread itself failed
            worker.process.terminate()
            inbox.put((worker, None))


def _sweep(out_dir: Path | None, tag: str, kept: set[str]) -> None:
    """Remove a dead worker's half-written temporary files (their names end in its
    tag), but not those of the renderers it finished."""
    if out_dir is None or not out_dir.exists():
        return
    for leftover in out_dir.rglob(f"*.{tag}.tmp"):
        if os.path.abspath(leftover) not in kept:
            leftover.unlink(missing_ok=True)


def render_in_workers(catalogue: Catalogue, config: BuildConfig, today: dt.date, available: Mapping[str, Renderer],
                      order: list[int], lanes: list[list[int]], *, jobs: int, progress: Progress | None,
                      staging: StagedOutputs | None, keep: bool) -> tuple[dict[str, bytes], list[Problem]]:
    """:func:`vertaistuki.build.render_all` with the lanes in ``jobs`` processes: the
    build's own and ``jobs - 1`` workers; ``order`` is the render order, in which the
    outcomes are judged."""
    context = multiprocessing.get_context("fork")
    outcomes: dict[int, _Rendered | Problem] = {}
    total = sum(len(lane) for lane in lanes)
    # A renderer that is not installed is reported by _assemble; the rest of its lane runs.
    installed = [kept for lane in lanes
                 if (kept := [index for index in lane if config.outputs[index].renderer in available])]
    # Longer lanes first (a lane of several renderers is likely to take longest), so that
    # the short ones fill the other processes' time instead of delaying the long one's start.
    installed.sort(key=len, reverse=True)
    waiting = _Lanes(installed)
    workers: list[_Worker] = []
    counts = {"start": 0, "done": 0}
    stops: list[Exception] = []  # why the whole build stops (a renderer writing outside, a full disk)
    reasons: dict[str, str] = {}  # tag → why a worker stopped early, if it said
    staging_dir = staging.out_dir if staging is not None else None
    own_tag = f"vt{os.getpid()}b"  # the build's own process

    def handle(message: tuple, tag: str) -> None:
        kind = message[0]
        if kind in counts:
            name = config.outputs[message[1]].renderer
            if kind == "done":
                outcomes[message[1]] = message[2]
            if progress:
                progress(f"{'rendering' if kind == 'start' else 'rendered'} {name}", counts[kind], total)
            counts[kind] += 1
        elif kind in ("unsafe", "unwritable"):
            stops.append(UnsafeOutputPath(message[1]) if kind == "unsafe" else OutputsUnwritable(OSError(*message[1:])))
            waiting.close()  # the build stops: no need to finish
            for worker in workers:
                worker.process.terminate()
        else:  # "broken": the rest of the worker's lanes fail, at its end
            reasons[tag] = message[1]

    def ended(worker: _Worker) -> None:
        worker.process.join()
        unfinished = [index for lane in worker.lanes for index in lane if index not in outcomes]
        for index in unfinished:
            output = config.outputs[index]
            outcomes[index] = _stopped(renderer_label(config, output), output.renderer, worker.process.exitcode,
                                       reasons.get(worker.tag))
        if unfinished:
            _sweep(staging_dir, worker.tag, _staged_files(outcomes))

    inbox: queue.Queue = queue.Queue()
    remaining = 0  # workers whose end has not been handled

    def deliver(block: bool) -> None:
        nonlocal remaining
        while remaining:
            try:
                worker, message = inbox.get(block=block)
            except queue.Empty:
                return
            if message is None:
                remaining -= 1
                ended(worker)
            else:
                handle(message, worker.tag)

    def own(message: tuple) -> None:
        handle(message, own_tag)
        deliver(block=False)  # the workers' news, as the build's own renderers start and end

    # Workers share the parent's objects until they write to them; a collection in a
    # worker would write to every one (its bookkeeping lives in each object). render_all
    # has frozen them out of the collector's passes (bulk.collector_skips_existing).
    relay: threading.Thread | None = None
    try:
        for number in range(min(jobs, len(installed)) - 1):  # the build's process is one of the jobs
            lane = waiting.take()
            tag = f"vt{os.getpid()}w{number}"
            mine, theirs = context.Pipe()
            process = context.Process(target=_work, args=(theirs, lane, catalogue, config, today, available,
                                                          staging_dir, tag, keep),
                                      daemon=True, name=f"vertaistuki-render-{tag}")
            try:
                process.start()
            except OSError:  # no process to be had (a limit on processes or memory): render it here
                mine.close()
                theirs.close()
                waiting.put_back(lane)
                break
            theirs.close()  # the worker's end: EOF here once the worker is gone
            workers.append(_Worker(process, mine, tag, [lane]))
        remaining = len(workers)
        # The build's process takes its first lane before any worker can ask for one: the
        # lane after the workers' first ones is always rendered here.
        lane = waiting.take()
        if workers:  # started once every process is forked: a thread must not be forked
            relay = threading.Thread(target=_relay, args=(workers, waiting, inbox), daemon=True,
                                     name="vertaistuki-render-relay")
            relay.start()
        arguments = (catalogue, config, today, available, staging_dir, own_tag, keep)
        while lane is not None and not stops:
            _render_lane(lane, *arguments, send=own)
            lane = waiting.take()
        deliver(block=True)
    except BaseException:
        waiting.close()
        for worker in workers:
            worker.process.terminate()
            worker.process.join()
            _sweep(staging_dir, worker.tag, set())
        _sweep(staging_dir, own_tag, set())
        _discard(outcomes)
        raise
    finally:
        if relay is not None:
            relay.join()
    if stops:
        _discard(outcomes)
        raise stops[0]
    return _assemble(config, available, order, outcomes, staging)


def _staged_files(outcomes: Mapping[int, _Rendered | Problem]) -> set[str]:
    return {os.path.abspath(temporary) for outcome in outcomes.values() if isinstance(outcome, _Rendered)
            for temporary, _ in outcome.staged.values() if temporary is not None}


def _discard(outcomes: Mapping[int, _Rendered | Problem]) -> None:
    for outcome in outcomes.values():
        if isinstance(outcome, _Rendered):
            for temporary, _ in outcome.staged.values():
                if temporary is not None:  # None: the target already held these bytes
                    Path(temporary).unlink(missing_ok=True)


def _assemble(config: BuildConfig, available: Mapping[str, Renderer], order: list[int],
              outcomes: Mapping[int, _Rendered | Problem], staging: StagedOutputs | None
              ) -> tuple[dict[str, bytes], list[Problem]]:
    """The outcomes in render order, judged as one process would have: a renderer that
    produced a path an earlier one published fails, and none of its files is kept."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    produced: set[str] = set()
    for index in order:
        output = config.outputs[index]
        label = renderer_label(config, output)
        outcome = outcomes.get(index)
        if output.renderer not in available:
            problems.append(missing_renderer_problem(label, output.renderer, available))
        elif isinstance(outcome, Problem):
            problems.append(outcome)
        elif outcome.problem is not None:
            problems.append(outcome.problem)
        elif (clash := next((path for path in outcome.paths if path in produced), None)) is not None:
            problems.append(clash_problem(label, output.renderer, clash))
            _discard({index: outcome})
        else:
            produced.update(outcome.paths)
            files.update(outcome.files)
            if staging is not None:
                staging.adopt(outcome.staged)
                staging.own(outcome.paths, output.renderer)
            continue
        if staging is not None:  # whichever way it failed: its files from the last build stay
            staging.failed(output.renderer)
    return files, problems
