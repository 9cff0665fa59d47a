"""National scale: vertaistuki against what a user would pick instead, on the same records.

    make bench
    python benchmarks/national.py [--records 10000] [--build-records 100000]
                                  [--memory 10000 25000 50000 100000] [--json results.json]

One run, one seeded catalogue per size (``catalogue_gen.generate``), every figure on the
same records:

1. Validate + structure, in this process, best of ``--repeat`` runs at ``--records``:
   vertaistuki's schema check (jsonschema-rs when installed, as the library does) and
   cattrs structuring into the frozen attrs models; the same with the pure-Python
   jsonschema backend; vertaistuki's whole load (``catalogue_from_data``: schema,
   structure, semantic rules across records, provenance); pydantic v2 and msgspec models
   of equal strictness (``baselines.py``). vertaistuki pauses the cyclic garbage
   collector during a load; the baselines are timed as shipped (collector running) and
   also with the collector paused, and both ratios are printed.
2. End-to-end ``build`` at ``--build-records`` with every renderer installed (html in
   fi, sv and en), from a JSON file on disk to the published files, in a fresh process;
   compared with msgspec decoding and encoding the same JSON bytes.
3. Peak memory (``ru_maxrss`` of the build's process) at each ``--memory`` size, and
   its slope per record from a least-squares line.

Prints a table and the ratio lines (ours divided by theirs; higher is faster for us),
and writes everything as JSON. Needs the ``bench`` extra (``make bench`` installs it).
Run on demand only; the latest figures are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import baselines
import catalogue_gen
from machine import ProcessTreePeak, machine, maxrss_mib
from vertaistuki.jsontext import json_backend

TODAY = dt.date(2026, 11, 23)  # the generator's fixed day: the same schedules and consents every run
TARGETS = {  # from issue #8
    "validate+structure vs pydantic v2": 1.0,
    "validate+structure vs pure jsonschema": 10.0,
}
MAX_BUILD_VS_MSGSPEC = 10.0
MAX_PEAK_MIB = 1024.0


def records_in(data: dict) -> int:
    from vertaistuki.model import COLLECTIONS

    return sum(len(data.get(name, ())) for name in COLLECTIONS)


def best_of(repeat: int, work: Callable[[], Any], *, collector: bool = True) -> float:
    """The fastest of ``repeat`` runs, in seconds; the collector on or paused as asked."""
    times = []
    for _ in range(repeat):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(times)


# --- 1. validate + structure ------------------------------------------------------------

def ours_validate_and_structure(data: dict) -> Callable[[], Any]:
    """Layers 1 and 2 of a load, as ``catalogue_from_data`` runs them on valid data:
    each record checked against its schema (jsonschema-rs when installed, else pure
    Python), then structured, with equal values shared for the load."""
    from vertaistuki.bulk import collector_paused
    from vertaistuki.convert import shared_values, structure_hook
    from vertaistuki.model import COLLECTIONS
    from vertaistuki.schemas import fast_validator_for, validator_for

    validate = importlib.import_module("vertaistuki.validate")  # the function shadows the module

    def run() -> list:
        models = []
        with collector_paused(), shared_values():
            for name, cls in COLLECTIONS.items():
                records = data.get(name, ())
                schema = validate._item_schema(name)
                fast = fast_validator_for(schema)
                is_valid = fast.is_valid if fast is not None else validator_for(schema).is_valid
                assert all(map(is_valid, records)), "the generated catalogue must be valid"
                structure_record = structure_hook(cls)
                models += [structure_record(record, cls) for record in records]
        return models

    return run


def with_backend(backend: str, work: Callable[[], Any]) -> Callable[[], Any]:
    from vertaistuki.schemas import using_backend

    def run() -> Any:
        with using_backend(backend):
            return work()

    return run


def ours_whole_load(data: dict) -> Callable[[], Any]:
    from vertaistuki.validate import catalogue_from_data

    def run() -> Any:
        result = catalogue_from_data(data, "national.json")
        assert not result.problems, result.problems[:3]
        return result

    return run


def throughput(data: dict, repeat: int) -> dict:
    from vertaistuki.schemas import schema_backend

    count = records_in(data)
    rows: dict[str, dict] = {}

    def measure(key: str, label: str, work: Callable[[], Any], runs: int = repeat, **options: Any) -> None:
        seconds = best_of(runs, work, **options)
        rows[key] = {"label": label, "seconds": round(seconds, 4), "records_per_s": round(count / seconds)}
        print(f"  {label}: {count / seconds:,.0f} records/s", file=sys.stderr, flush=True)

    backend = schema_backend()
    measure("ours", f"vertaistuki validate+structure ({backend} schema backend)", ours_validate_and_structure(data))
    measure("ours_python", "vertaistuki validate+structure (pure-Python jsonschema)",
            with_backend("python", ours_validate_and_structure(data)), runs=max(1, repeat // 2))
    measure("ours_load", "vertaistuki whole load (+ semantic rules, provenance)", ours_whole_load(data))
    measure("pydantic", "pydantic v2 validate (as shipped)", lambda: baselines.pydantic_validate(data))
    measure("pydantic_paused", "pydantic v2 validate (collector paused)", lambda: baselines.pydantic_validate(data), collector=False)
    measure("msgspec", "msgspec convert (as shipped)", lambda: baselines.msgspec_convert(data))
    measure("msgspec_paused", "msgspec convert (collector paused)", lambda: baselines.msgspec_convert(data), collector=False)
    return {"records": count, "schema_backend": backend, "rows": rows}


def ratio_lines(rows: dict[str, dict]) -> dict[str, float]:
    ours = rows["ours"]["records_per_s"]
    lines = {
        "validate+structure vs pure jsonschema": ours / rows["ours_python"]["records_per_s"],
        "validate+structure vs pydantic v2": ours / rows["pydantic"]["records_per_s"],
        "validate+structure vs pydantic v2 (collector paused for both)": ours / rows["pydantic_paused"]["records_per_s"],
        "validate+structure vs msgspec": ours / rows["msgspec"]["records_per_s"],
        "validate+structure vs msgspec (collector paused for both)": ours / rows["msgspec_paused"]["records_per_s"],
        "whole load vs pydantic v2": rows["ours_load"]["records_per_s"] / rows["pydantic"]["records_per_s"],
    }
    return {label: round(value, 2) for label, value in lines.items()}


# --- 2. and 3. end-to-end build, peak memory ---------------------------------------------

def every_renderer() -> list[str]:
    from vertaistuki import plugins

    return sorted(plugins.renderers())


def build_in_fresh_process(catalogue_path: Path, out_dir: Path, memory_limit_gib: float, jobs: int = 1) -> dict:
    """Build from a JSON file with every renderer in a process of its own (spawned, so
    its peak memory is its own and nothing is inherited from the measurements above),
    its address space capped so that a build too large for the machine fails alone.
    ``jobs`` above one renders in that many processes, the build's own and ``jobs - 1``
    workers (``build(jobs=...)``)."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    # A plain process, not a pool's: a pool's workers are daemonic and may not have the
    # build's worker processes.
    process = context.Process(target=_build, args=(sending, str(catalogue_path), str(out_dir), memory_limit_gib, jobs))
    process.start()
    sending.close()
    try:
        outcome = receiving.recv()
    except EOFError:
        outcome = {"failed": f"the build's process ended without a result (exit code {process.exitcode})",
                   "peak_rss_mib": 0.0, "jobs": jobs}
    process.join()
    return outcome


def _build(connection: Any, catalogue_path: str, out_dir: str, memory_limit_gib: float, jobs: int) -> None:
    limit = int(memory_limit_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # each worker inherits the cap
    try:
        outcome = _timed_build(catalogue_path, out_dir, jobs)
    except MemoryError:
        outcome = {"failed": f"out of memory (address space capped at {memory_limit_gib} GiB)",
                   "peak_rss_mib": round(maxrss_mib(), 1), "jobs": jobs}
    connection.send(outcome)
    connection.close()


def _timed_build(catalogue_path: str, out_dir: str, jobs: int) -> dict:
    from vertaistuki.build import build
    from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec

    imported_mib = maxrss_mib()
    renderers = every_renderer()
    outputs = tuple(OutputSpec(name, {"languages": ["fi", "sv", "en"]} if name == "html" else {}) for name in renderers)
    config = BuildConfig(path=Path(catalogue_path).with_suffix(".toml"), sources=(SourceSpec(Path(catalogue_path).name),),
                         outputs=outputs, out_dir=Path(out_dir))
    steps: list[tuple[str, float]] = []
    peaks: dict[str, float] = {}  # the process's peak so far when each step ends: which step raised it
    kernel: dict[str, float] = {}  # seconds of the step spent in the kernel (writing, making files)
    last_times = [os.times()]

    def progress(what: str, _done: int, _total: int) -> None:
        if steps and jobs == 1:
            peaks[steps[-1][0].removeprefix("rendering ")] = round(maxrss_mib(), 1)
            now = os.times()
            kernel[steps[-1][0].removeprefix("rendering ")] = round(now.system - last_times[0].system, 2)
            last_times[0] = now
        steps.append((what, time.perf_counter()))

    started = time.perf_counter()
    times_at_start = last_times[0] = os.times()
    # With workers, their memory is sampled; one process's own high-water mark is exact,
    # and the sampling (which reads the process's page tables) would slow it down.
    with ProcessTreePeak(enabled=jobs > 1) as tree:
        result = build(config, today=TODAY, progress=progress, keep_files=False, jobs=jobs)
    finished = time.perf_counter()
    times_at_end = os.times()  # the workers' too (children_*): they have ended by now
    if steps and jobs == 1:
        peaks[steps[-1][0].removeprefix("rendering ")] = round(maxrss_mib(), 1)
        kernel[steps[-1][0].removeprefix("rendering ")] = round(times_at_end.system - last_times[0].system, 2)
    rendering = [at for what, at in steps if what.startswith("rendering ")]
    phases: dict[str, float] = {"reading + validating": round(rendering[0] - started, 3) if rendering else None}
    if jobs == 1:  # one renderer after another: each phase lasts until the next begins
        marks = [*steps, ("finished", finished)]
        for (what, at), (_, until) in zip(steps, marks[1:], strict=False):
            if what.startswith("rendering ") or what == "publishing":
                phases[what.removeprefix("rendering ")] = round(until - at, 3)
    else:  # renderers side by side: each from its start to its end, as its worker reported them
        began = {what.removeprefix("rendering "): at for what, at in steps if what.startswith("rendering ")}
        for what, at in steps:
            if what.startswith("rendered ") and (name := what.removeprefix("rendered ")) in began:
                phases[name] = round(at - began[name], 3)
        publishing = [at for what, at in steps if what == "publishing"]
        last = publishing[0] if publishing else max(at for _, at in steps)
        phases["rendering (all, side by side)"] = round(last - rendering[0], 3) if rendering else None
        if publishing:
            phases["publishing"] = round(finished - publishing[0], 3)
    from vertaistuki.model import COLLECTIONS

    published = sum(len(getattr(result.catalogue, name)) for name in COLLECTIONS)
    if result.errors:  # e.g. the source could not be read: the timing would mean nothing
        return {"failed": f"{len(result.errors)} error(s), first: {result.errors[0].describe('en')}",
                "peak_rss_mib": round(maxrss_mib(), 1), "jobs": jobs}
    return {
        "records_published": published,
        "seconds": round(finished - started, 3),
        "phases": phases,
        "errors": len(result.errors),
        "files": len(result.written),
        "bytes_written": sum(path.stat().st_size for path in result.written),
        "imported_mib": round(imported_mib, 1),
        "peak_mib_after": peaks,
        # CPU time of the build's process and its workers: in Python (user) and in the
        # kernel on its behalf (system: copying output into the page cache, making files).
        "cpu_user_seconds": round(times_at_end.user - times_at_start.user
                                  + times_at_end.children_user - times_at_start.children_user, 2),
        "cpu_system_seconds": round(times_at_end.system - times_at_start.system
                                    + times_at_end.children_system - times_at_start.children_system, 2),
        "kernel_seconds_in": kernel,
        "jobs": jobs,
        # The build's own process; with workers, the sampled peak of all of them together.
        "peak_rss_mib": round(maxrss_mib(), 1) if jobs == 1 else round(tree.peak_mib or 0.0, 1),
        "peak_build_process_mib": round(maxrss_mib(), 1),
        "peak_largest_worker_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        if jobs > 1 else None,
        "peak_process_tree_pss_mib": round(tree.peak_mib, 1) if tree.peak_mib is not None else None,
    }


def rebuild_after_one_edit(path: Path, raw: bytes, out_dir: Path, memory_limit_gib: float) -> dict:
    """What an association's or federation's everyday rebuild costs: the same catalogue
    with one group's name changed, built again into the folder of the build before it
    (one process). Counts the files whose content was written again."""
    before = _file_identities(out_dir)
    path.write_bytes(_one_group_renamed(raw))
    print("rebuild after one group's name changed, into the same folder …", file=sys.stderr, flush=True)
    try:
        outcome = build_in_fresh_process(path, out_dir, memory_limit_gib, 1)
    finally:
        path.write_bytes(raw)  # the next build reads the catalogue as generated
    after = _file_identities(out_dir)
    outcome["files_rewritten"] = sum(1 for name, identity in after.items() if before.get(name) != identity)
    took = outcome.get("failed") or f"{outcome['seconds']:.1f} s"
    print(f"  {took}, {outcome['files_rewritten']:,} files written again", file=sys.stderr, flush=True)
    return outcome


def _file_identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file written again gets new ones."""
    identities = {}
    for path in folder.rglob("*"):
        status = path.stat()
        if not path.is_dir():
            identities[str(path)] = (status.st_ino, status.st_mtime_ns)
    return identities


def _one_group_renamed(raw: bytes) -> bytes:
    """The catalogue's JSON with the first group's Finnish name changed (an edit)."""
    name = b'"name": {"fi": "'
    at = raw.index(name, raw.index(b'"groups": [')) + len(name)
    return raw[:at] + b"Muokattu " + raw[at:]


def msgspec_round_trip(raw: bytes, repeat: int) -> float:
    return best_of(repeat, lambda: baselines.msgspec_encode(baselines.msgspec_decode(raw)))


def linear_fit(points: list[tuple[int, float]]) -> dict:
    """Least-squares line through (records, MiB): slope in KiB per record, and r²."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    if len(points) < 2:
        return {}
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in points)
    return {"kib_per_record": round(slope * 1024, 2), "intercept_mib": round(intercept, 1), "points": len(points),
            "r_squared": round(1 - residual / total, 4) if total else 1.0}


def write_catalogue(folder: Path, records: int, seed: int) -> tuple[Path, bytes, int]:
    data = catalogue_gen.generate(records, seed)
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path = folder / f"national-{records}.json"
    path.write_bytes(raw)
    return path, raw, records_in(data)


# --- report -------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000, help="records for the throughput figures")
    parser.add_argument("--build-records", type=int, default=100_000, help="records for the end-to-end build (0: no builds)")
    parser.add_argument("--memory", type=int, nargs="*", default=[10_000, 25_000, 50_000],
                        help="further sizes whose build's peak memory gives the slope (the build size is added)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per throughput figure (the best counts)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--memory-limit-gib", type=float, default=12.0,
                        help="address-space cap of each build's process: a build that needs more fails alone")
    parser.add_argument("--jobs", type=int, nargs="*", default=None,
                        help="processes rendering the build at --build-records (the build's own and N-1 "
                             "workers), one build each (default: 1 and one per core); the other sizes build "
                             "in one process")
    parser.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                        help="skip the rebuild at --build-records after one record's name changed")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    jobs_list = sorted(set(args.jobs)) if args.jobs else sorted({1, len(os.sched_getaffinity(0))})

    results: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seed": args.seed,
                               "machine": machine("vertaistuki", "jsonschema", "jsonschema-rs", "orjson", "cattrs", "attrs",
                                                  "Jinja2", "icalendar", "pydantic", "pydantic-core", "msgspec"),
                               "json_writer": json_backend()}
    print(f"validate + structure, {args.records:,} records, best of {args.repeat}:", file=sys.stderr)
    data = catalogue_gen.generate(args.records, args.seed)
    results["throughput"] = throughput(data, args.repeat)
    del data
    results["ratios"] = ratio_lines(results["throughput"]["rows"])

    if not args.build_records:  # throughput only
        show(results)
        return 0
    results["renderers"] = every_renderer()
    sizes = sorted({*args.memory, args.build_records})
    builds: dict[tuple[int, int], dict] = {}  # (records, jobs) →
    with tempfile.TemporaryDirectory(prefix="vertaistuki-bench-") as folder:
        for size in sizes:
            path, raw, count = write_catalogue(Path(folder), size, args.seed)
            msgspec_seconds = round(msgspec_round_trip(raw, args.repeat), 4) if size == args.build_records else None
            for jobs in jobs_list if size == args.build_records else [1]:
                print(f"build with every renderer, {count:,} records ({len(raw) / 2**20:.1f} MiB of JSON), "
                      f"{jobs} process(es) …", file=sys.stderr, flush=True)
                outcome = build_in_fresh_process(path, Path(folder) / f"out-{size}", args.memory_limit_gib, jobs)
                outcome.update(records=count, json_bytes=len(raw))
                if msgspec_seconds is not None:
                    outcome["msgspec_decode_encode_seconds"] = msgspec_seconds
                builds[size, jobs] = outcome
                took = outcome.get("failed") or f"{outcome['seconds']:.1f} s"
                print(f"  {took}, peak {outcome['peak_rss_mib']:.0f} MiB", file=sys.stderr, flush=True)
                if size == args.build_records and jobs == 1 and args.rebuild and "failed" not in outcome:
                    results["rebuild"] = rebuild_after_one_edit(path, raw, Path(folder) / f"out-{size}", args.memory_limit_gib)
                    results["rebuild"].update(records=count, json_bytes=len(raw))
                shutil.rmtree(Path(folder) / f"out-{size}", ignore_errors=True)  # gigabytes at national scale
            del raw
    results["builds"] = [builds[key] for key in sorted(builds)]
    main_builds = {jobs: builds[args.build_records, jobs] for jobs in jobs_list}
    finished = [build for build in results["builds"] if "failed" not in build and build["jobs"] == 1]
    results["build_vs_msgspec"] = {
        str(jobs): round(build["seconds"] / build["msgspec_decode_encode_seconds"], 1) if "failed" not in build else None
        for jobs, build in main_builds.items()}
    # Each phase of the one-process build in msgspec round trips: the budget is
    # MAX_BUILD_VS_MSGSPEC for all of them together, so this shows what takes it.
    one = main_builds.get(1)
    if one is not None and "failed" not in one:
        results["phases_vs_msgspec"] = {name: round(seconds / one["msgspec_decode_encode_seconds"], 2)
                                        for name, seconds in one["phases"].items()}
    results["memory"] = linear_fit([(build["records"], build["peak_rss_mib"]) for build in finished])
    results["targets"] = {
        **{label: {"target": f">= {goal}x", "met": results["ratios"][label] >= goal} for label, goal in TARGETS.items()}}
    for jobs, build in main_builds.items():
        how = "one process" if jobs == 1 else f"{jobs} processes"
        ratio = results["build_vs_msgspec"][str(jobs)]
        results["targets"][f"build time vs msgspec decode+encode ({how})"] = {
            "target": f"<= {MAX_BUILD_VS_MSGSPEC}x", "met": (ratio or float("inf")) <= MAX_BUILD_VS_MSGSPEC}
        results["targets"][f"peak memory of the build ({how})"] = {
            "target": f"<= {MAX_PEAK_MIB:.0f} MiB", "met": "failed" not in build and build["peak_rss_mib"] <= MAX_PEAK_MIB}
    show(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    return 0


def show(results: dict) -> None:
    throughput_rows = results["throughput"]["rows"]
    print(f"\nValidate + structure, {results['throughput']['records']:,} records (best of the runs)\n")
    width = max(len(row["label"]) for row in throughput_rows.values())
    print(f"  {'':{width}}  {'records/s':>10}  {'seconds':>8}")
    for row in throughput_rows.values():
        print(f"  {row['label']:{width}}  {row['records_per_s']:>10,}  {row['seconds']:>8.3f}")
    print("\nRatios (ours divided by theirs; higher is faster for us)\n")
    for label, value in results["ratios"].items():
        print(f"{label}: {value:.2f}x")
    if not results.get("builds"):
        return
    print("\nEnd-to-end build with every renderer (" + ", ".join(results["renderers"]) + ")\n")
    print(f"  {'records':>8}  {'JSON MiB':>8}  {'jobs':>4}  {'seconds':>8}  {'peak MiB':>8}  {'files':>6}  phases (s)")
    for build in results["builds"]:
        if "failed" in build:
            print(f"  {build['records']:>8,}  {build['json_bytes'] / 2**20:>8.1f}  {build['jobs']:>4}  "
                  f"did not finish: {build['failed']}")
            continue
        phases = ", ".join(f"{name} {seconds}" for name, seconds in build["phases"].items())
        print(f"  {build['records']:>8,}  {build['json_bytes'] / 2**20:>8.1f}  {build['jobs']:>4}  {build['seconds']:>8.1f}  "
              f"{build['peak_rss_mib']:>8.0f}  {build['files']:>6,}  {phases}")
    print("  (peak MiB: the build process's high-water mark; with workers, the sampled peak of the build's\n"
          "   and its workers' proportional set sizes together)")
    print("\nCPU time of each build (its process and workers): in Python, and in the kernel on its behalf\n"
          "(copying the outputs into the page cache, making files)\n")
    for build in results["builds"]:
        if "failed" in build or "cpu_user_seconds" not in build:
            continue
        kernel = ", ".join(f"{name} {seconds}" for name, seconds in build["kernel_seconds_in"].items())
        print(f"  {build['records']:>8,}  jobs {build['jobs']}: {build['cpu_user_seconds']:.1f} s user, "
              f"{build['cpu_system_seconds']:.1f} s kernel" + (f" ({kernel})" if kernel else ""))
    for build in results["builds"]:
        if "msgspec_decode_encode_seconds" in build and "failed" not in build:
            how = "one process" if build["jobs"] == 1 else f"{build['jobs']} processes"
            print(f"\nbuild of {build['records']:,} records ({how}) vs msgspec decode+encode of the same JSON "
                  f"({build['msgspec_decode_encode_seconds']:.2f} s): {results['build_vs_msgspec'][str(build['jobs'])]}x "
                  f"(lower is better)")
    shares = results.get("phases_vs_msgspec")
    if shares:
        print(f"  one process, phase by phase, in msgspec round trips (the target is {MAX_BUILD_VS_MSGSPEC:g} for the "
              "whole build): " + ", ".join(f"{name} {share:.2f}" for name, share in shares.items()))
    rebuild = results.get("rebuild")
    if rebuild and "failed" not in rebuild:
        print(f"rebuild of {rebuild['records']:,} records after one group's name changed (one process, into the "
              f"previous build's folder): {rebuild['seconds']:.1f} s, {rebuild['cpu_user_seconds']:.1f} s user and "
              f"{rebuild['cpu_system_seconds']:.1f} s kernel; {rebuild['files_rewritten']:,} of {rebuild['files']:,} "
              "files written again")
    memory = results["memory"]
    if memory:
        print(f"peak memory grows by {memory['kib_per_record']} KiB per record (line through {memory['points']} sizes, one process, "
              f"r² {memory['r_squared']}, {memory['intercept_mib']} MiB at zero records)")
    print("\nTargets (issue #8)\n")
    for label, target in results["targets"].items():
        print(f"  {'met    ' if target['met'] else 'NOT met'}  {label} {target['target']}")
    info = results["machine"]
    print(f"\n{info['cpus']} CPUs ({info['cpu_model']}), {info['memory_gib']} GiB, Python {info['python']}, "
          f"pydantic {info['pydantic']}, msgspec {info['msgspec']}, jsonschema {info['jsonschema']}, "
          f"jsonschema-rs {info['jsonschema-rs']}, orjson {info['orjson']} (JSON written by {results.get('json_writer')})")


if __name__ == "__main__":
    sys.exit(main())
