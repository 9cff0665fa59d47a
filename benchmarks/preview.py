"""What ``vertaistuki serve`` asks of a computer with a national catalogue.

    python benchmarks/preview.py [--records 25000] [--queries 3] [--json results.json]

Writes a seeded catalogue (``catalogue_gen``) and a configuration with the html (fi,
sv, en), shards, ics, json and csv outputs, then, in a spawned process of its own (so
that its peak memory is its own), starts the preview (``PreviewApp``) and asks it for:

- the whole-country listing page (``/widget/fi/index.html``; past 5,000 records a
  directory of the municipality pages), and the largest municipality's page, each read
  through in blocks as a web server would send it;
- the largest listing page with the GET form's choices (``?topic=...``), which the html
  renderer makes on request, ``--queries`` times with different topics (a filtered page
  lists every card of its page, those that do not match ``hidden``).

Prints the time of the first build, of each answer, its size, and the process's
resident-set high-water mark after each step (``machine.maxrss_mib``). Run on demand,
never in the test suite; figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import catalogue_gen
from machine import machine, maxrss_mib

TODAY = dt.date(2026, 11, 23)
OUTPUTS = """
[[sources]]
path = "catalogue.json"

[[outputs]]
renderer = "html"
options = { languages = ["fi", "sv", "en"] }

[[outputs]]
renderer = "shards"

[[outputs]]
renderer = "ics"

[[outputs]]
renderer = "json"

[[outputs]]
renderer = "csv"
"""
TOPICS = tuple(topic.id for topic in catalogue_gen.TOPICS)  # topics the records have


def write_configuration(folder: Path, records: int, seed: int) -> Path:
    data = catalogue_gen.generate(records, seed)
    (folder / "catalogue.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    config = folder / "catalogue.toml"
    config.write_text(OUTPUTS.lstrip(), encoding="utf-8")
    return config


def _get(app: Any, path: str, query: str = "") -> tuple[str, int]:
    """Status and body size of one GET, the body consumed block by block."""
    seen: dict[str, str] = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    size = 0
    for block in app(environ, lambda status, headers: seen.update(status=status)):
        size += len(block)
    return seen["status"], size


def _measure(connection: Any, config: str, queries: int) -> None:
    from vertaistuki.serve import PreviewApp

    steps = []
    started = time.perf_counter()
    with PreviewApp(config, today=lambda: TODAY, log=lambda message: None) as app:
        steps.append({"step": "first build", "seconds": round(time.perf_counter() - started, 2),
                      "files": len(app.result.written) if app.result else 0, "peak_rss_mib": round(maxrss_mib(), 1)})
        pages = sorted((app.folder / "widget" / "fi").glob("*.html"), key=lambda page: page.stat().st_size)
        largest = "/widget/fi/" + pages[-1].name  # the whole listing, or past 5,000 records a municipality's
        asked = [("/widget/fi/index.html", ""), *([(largest, "")] if largest != "/widget/fi/index.html" else []),
                 *((largest, f"topic={topic}") for topic in TOPICS[:queries])]
        for path, query in asked:
            started = time.perf_counter()
            status, size = _get(app, path, query)
            steps.append({"step": path + (f"?{query}" if query else ""), "status": status,
                          "seconds": round(time.perf_counter() - started, 2), "mb": round(size / 1e6, 1),
                          "peak_rss_mib": round(maxrss_mib(), 1)})
    connection.send(steps)
    connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=25000)
    parser.add_argument("--queries", type=int, default=3, help=f"filtered pages to ask for (at most {len(TOPICS)})")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vertaistuki-preview-bench-") as folder:
        config = write_configuration(Path(folder), args.records, args.seed)
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_measure, args=(sending, str(config), min(args.queries, len(TOPICS))))
        process.start()
        sending.close()
        try:
            steps = receiving.recv()
        except EOFError:
            print(f"the preview's process ended without a result (exit code {process.exitcode})", file=sys.stderr)
            return 1
        finally:
            process.join()
    print(f"vertaistuki serve, {args.records:,} records (html fi/sv/en, shards, ics, json, csv)")
    for step in steps:
        size = f"{step['mb']:8.1f} MB" if "mb" in step else f"{step['files']:8d} files"
        print(f"  {step['step']:48s} {step['seconds']:7.2f} s {size}   peak {step['peak_rss_mib']:7.1f} MiB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"records": args.records, "steps": steps, "machine": machine("vertaistuki")},
                                        indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
