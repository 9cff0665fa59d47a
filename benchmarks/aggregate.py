"""How the federation aggregator copes with a thousand member feeds, some of them broken.

    python benchmarks/aggregate.py [--feeds 1000] [--groups 100] [--faulty 0.1]
                                   [--concurrency 32] [--json results.json]

Serves N synthetic member feeds (G groups each) from a threaded HTTP server on
127.0.0.1 in a child process (so the aggregator's memory and CPU are its own), a share
of them faulty: HTTP 500, a hang past the total timeout, invalid JSON, a body larger
than the byte cap, or a redirect to a private address (192.168.77.1, which the
aggregator refuses before connecting; a guard transport also refuses to connect
anywhere but 127.0.0.1). Then aggregates twice with the ``json`` renderer only, into a
temporary folder: a first run with an empty cache (every good feed fresh) and a second
against unchanged feeds (conditional GET, 304). Prints a table and JSON with wall times,
bytes transferred, 304 count, peak memory, records aggregated and failing feeds.

Each run happens in a process of its own, forked afresh (as a nightly run would be), and
its peak memory is that process's resident-set high-water mark (``machine.maxrss_mib``:
Linux's ``VmHWM``, else ``ru_maxrss``), the imports inherited at the fork included
(reported as the baseline); the feed server's memory is not included. ``--tracemalloc`` adds the Python
heap peak per run (and slows the runs down, so the times are then not comparable).
``--profile PREFIX`` writes a cProfile of each run and prints the top functions.

Seeded and deterministic (same feeds, same faults, same order); everything stops by
itself: hangs last the total timeout plus two seconds, the server exits with this
process. Run on demand, never in the test suite; figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import json
import multiprocessing
import pstats
import random
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from machine import machine, maxrss_mib
from vertaistuki.aggregate import AggregateConfig, Member, aggregate
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec
from vertaistuki.feeds import FeedPolicy
from vertaistuki.model import COLLECTIONS

TODAY = dt.date(2026, 11, 23)
FAULTS = ("http_500", "hang", "invalid_json", "oversized", "private_redirect")
EXPECTED_CODE = {"http_500": "feed.http_status", "hang": "feed.timeout", "invalid_json": "feed.not_json",
                 "oversized": "feed.too_large", "private_redirect": "feed.refused_address"}
PRIVATE_TARGET = "http://192.168.77.1/catalogue.json"
MUNICIPALITIES = ["Helsinki", "Espoo", "Vantaa", "Tampere", "Turku", "Oulu", "Jyväskylä", "Kuopio", "Lahti", "Pori",
                  "Joensuu", "Lappeenranta", "Vaasa", "Seinäjoki", "Rovaniemi", "Kotka", "Mikkeli", "Hämeenlinna"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]
TOPICS = ["Omaisten", "Mielenterveyskuntoutujien", "Kipupotilaiden", "Nuorten aikuisten", "Työttömien", "Surevien"]


# --- the plan and the feeds (deterministic from the seed) -------------------------------

def plan(feeds: int, faulty: float, seed: int) -> list[str | None]:
    """Per member: None for a good feed, else its fault; faults spread evenly, shuffled."""
    count = round(feeds * faulty)
    kinds = [FAULTS[index % len(FAULTS)] for index in range(count)] + [None] * (feeds - count)
    random.Random(seed).shuffle(kinds)
    return kinds


def member_id(index: int) -> str:
    return f"jasen-{index:04d}"


def feed_body(index: int, groups: int, seed: int) -> bytes:
    """One member association's catalogue.json: its organisation, one place and
    ``groups`` weekly groups; about 1 % of groups share name, town and time with a
    group of another member (duplicates the aggregator links)."""
    rng = random.Random(f"{seed}:{index}")
    member = member_id(index)
    town = MUNICIPALITIES[index % len(MUNICIPALITIES)]
    feed = {
        "format": "vertaistuki/1", "source": member, "publisher": "yhdistys",
        "organisations": [{"id": "yhdistys", "name": {"fi": f"Yhdistys {member}"}, "kind": "association",
                           "regions": ["uusimaa"]}],
        "places": [{"id": "talo", "name": {"fi": f"Järjestötalo {index}"}, "municipality": {"fi": town}}],
        "groups": [],
    }
    for number in range(groups):
        name = f"{rng.choice(TOPICS)} vertaisryhmä {number} ({member})"
        day, hour = DAYS[number % len(DAYS)], 10 + number % 9
        if rng.random() < 0.01:  # shared with a neighbour: same name, town, weekday and time
            shared = rng.randrange(groups)
            name, day, hour = f"{TOPICS[shared % len(TOPICS)]} vertaisryhmä, yhteinen {shared}", DAYS[shared % 6], 18
        feed["groups"].append({
            "id": f"ryhma-{number}", "name": {"fi": name}, "organiser": "yhdistys", "openness": "open",
            "description": {"fi": "Keskustelemme arjen asioista luottamuksellisesti ja omaan tahtiin."},
            "regions": ["uusimaa"], "channels": [{"kind": "in_person", "place": "talo"}],
            "schedule": {"rrule": f"FREQ=WEEKLY;BYDAY={day}", "start_time": f"{hour}:00", "end_time": f"{hour + 1}:30"},
        })
    return json.dumps(feed, ensure_ascii=False).encode("utf-8")


# --- the member web host (child process) --------------------------------------------------

class _Server(ThreadingHTTPServer):
    request_queue_size = 2048  # the default backlog of 5 drops connects from a concurrent reader
    daemon_threads = True
    block_on_close = False


def serve(conn, feeds: int, groups: int, faulty: float, seed: int, hang_seconds: float, oversize: int) -> None:
    """Serve the planned feeds on 127.0.0.1 until the parent says stop or goes away.
    Answers ``stats`` on the pipe: requests by status, bytes sent and received."""
    routes: dict[str, tuple[str, bytes, str]] = {}
    for index, fault in enumerate(plan(feeds, faulty, seed)):
        body = feed_body(index, groups, seed) if fault in (None, "invalid_json") else b""
        if fault == "invalid_json":
            body = body[: len(body) // 2]  # cut in the middle: a 200 that is not JSON
        routes[f"/{member_id(index)}/catalogue.json"] = (fault or "feed", body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    stats: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def reply(self, kind: str, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            head = f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
            for name, value in {**(headers or {}), "Content-Length": str(len(body))}.items():
                head += f"{name}: {value}\r\n"
            data = head.encode("latin-1") + b"\r\n" + body
            self.wfile.write(data)
            self.count(kind, status, len(data), len(body))

        def count(self, kind: str, status: int | None, sent: int, body: int) -> None:
            with lock:
                if status is not None:  # a request (else more bytes of one already counted)
                    stats["requests"] += 1
                    stats[f"status_{status}"] += 1
                    stats["bytes_received"] += len(self.raw_requestline) + len(bytes(self.headers)) + 2
                stats["bytes_sent"] += sent
                stats[f"bytes_sent_{kind}"] += sent
                stats["body_bytes_sent"] += body

        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            kind, body, etag = routes.get(self.path, ("missing", b"", ""))
            try:
                if kind in ("feed", "invalid_json"):
                    if self.headers.get("If-None-Match") == etag:
                        return self.reply(kind, 304, b"", {"ETag": etag})
                    return self.reply(kind, 200, body, {"Content-Type": "application/json", "ETag": etag,
                                                  "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"})
                if kind == "http_500":
                    return self.reply(kind, 500, b"server error")
                if kind == "private_redirect":
                    return self.reply(kind, 302, b"", {"Location": PRIVATE_TARGET})
                if kind == "hang":
                    self.count(kind, 0, 0, 0)  # status 0: no answer
                    stop.wait(hang_seconds)  # past the reader's deadline; then hang up
                    self.close_connection = True
                    return None
                if kind == "oversized":  # chunked, no Content-Length: only counting stops it
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.count(kind, 200, 0, 0)
                    chunk, sent = b" " * 65536, 0
                    try:
                        while sent < oversize and not stop.is_set():
                            self.wfile.write(b"10000\r\n" + chunk + b"\r\n")
                            sent += len(chunk)
                        self.wfile.write(b"0\r\n\r\n")
                    finally:
                        self.close_connection = True
                        self.count(kind, None, sent, sent)
                    return None
                return self.reply(kind, 404, b"not found")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                return None

    httpd = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    conn.send(httpd.server_address[1])
    parent = multiprocessing.parent_process()
    try:
        while parent is None or parent.is_alive():  # stop with the parent, whatever happens to it
            if not conn.poll(1):
                continue
            if conn.recv() != "stats":
                break
            with lock:
                conn.send(dict(stats))
    except (EOFError, OSError):
        pass
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


class LoopbackGuard(httpx.AsyncBaseTransport):
    """The aggregator's own transport (same pool limits as ``client_for``), refusing to
    connect anywhere but 127.0.0.1: this benchmark never reaches a real network."""

    def __init__(self, concurrency: int) -> None:
        self.inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=concurrency,
                                                                  max_keepalive_connections=concurrency))
        self.refused: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            self.refused.append(str(request.url))
            raise httpx.ConnectError(f"benchmark guard: not connecting to {request.url.host}", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# --- measuring ---------------------------------------------------------------------------

def run_isolated(label: str, config: AggregateConfig, server, kinds: list[str | None],
                 use_tracemalloc: bool, profile: str | None) -> dict:
    """One aggregation in a process of its own forked from this one (as a nightly run
    would be), so that its high-water mark is its own peak; with the server's counts."""
    before = request_stats(server)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=lambda: send.send(measure(label, config, kinds, use_tracemalloc, profile)))
    process.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:
        process.join()
        raise SystemExit(f"the {label} run died (exit code {process.exitcode})") from None
    process.join()
    after = request_stats(server)
    outcome["server"] = {key: after.get(key, 0) - before.get(key, 0) for key in after}
    return outcome


def measure(label: str, config: AggregateConfig, kinds: list[str | None], use_tracemalloc: bool, profile: str | None) -> dict:
    guard = LoopbackGuard(config.concurrency)
    rss_at_start = maxrss_mib()
    if use_tracemalloc:
        tracemalloc.start()
    last_feed = [0.0]

    def progress(_what: str, done: int, total: int) -> None:
        last_feed[0] = time.perf_counter()

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = aggregate(config, today=TODAY, progress=progress, transport=guard)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
    if use_tracemalloc:
        tracemalloc.stop()
    if profiler:
        profiler.dump_stats(f"{profile}-{label}.prof")

    statuses = Counter(report.status.value for report in result.feeds)
    failing = [report for report in result.feeds if report.failure is not None]
    by_member = {report.member: report for report in result.feeds}

    def as_planned(kind: str | None, report) -> bool:  # a good feed did not fail; a faulty one failed for its fault
        if kind is None:
            return report.failure is None
        return report.failure is not None and report.failure.code == EXPECTED_CODE[kind]

    unexpected = [member_id(index) for index, kind in enumerate(kinds) if not as_planned(kind, by_member[member_id(index)])]
    good_bytes = sum(r.bytes_received for r, kind in zip(result.feeds, kinds, strict=True) if kind is None)
    return {
        "wall_seconds": round(wall, 2),
        "fetch_seconds": round(last_feed[0] - started, 2) if last_feed[0] else None,
        "records_aggregated": sum(len(getattr(result.catalogue, c)) for c in COLLECTIONS if c != "terms"),
        "groups_aggregated": len(result.catalogue.groups),
        "duplicate_clusters": len(result.changes.duplicates),
        "feed_status": dict(sorted(statuses.items())),
        "not_modified_304": sum(1 for report in result.feeds if report.http_status == 304),
        "failing_feeds_reported": len(failing),
        "failing_feeds_in_change_report": len(result.changes.failing_feeds),
        "failures_by_code": dict(sorted(Counter(report.failure.code for report in failing).items())),
        "unexpected_outcomes": unexpected[:20],
        "bytes_received_by_aggregator": sum(report.bytes_received for report in result.feeds),
        "bytes_received_good_feeds": good_bytes,
        "guard_refused": guard.refused,
        "problems": len(result.problems),
        "files_written": len(result.written),
        "rss_at_start_mib": round(rss_at_start, 1),
        "peak_rss_mib": round(maxrss_mib(), 1),
        "tracemalloc_peak_mib": round(heap_peak / 2**20, 1) if heap_peak is not None else None,
    }


def request_stats(conn) -> dict:
    conn.send("stats")
    return conn.recv()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=100, help="groups per feed")
    parser.add_argument("--faulty", type=float, default=0.1, help="share of faulty feeds")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=5.0, help="total timeout per feed, seconds")
    parser.add_argument("--max-bytes", type=int, default=2_000_000, help="byte cap per feed")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", metavar="PATH", help="write the results here (default: stdout, after the table)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slower)")
    parser.add_argument("--profile", metavar="PREFIX", help="cProfile each run into PREFIX-first.prof / PREFIX-second.prof")
    args = parser.parse_args(argv)
    console = Console(stderr=args.json is None, width=max(110, Console().width))
    kinds = plan(args.feeds, args.faulty, args.seed)

    # The server is forked before this process starts any thread or event loop.
    parent, child = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(child, args.feeds, args.groups, args.faulty, args.seed, args.timeout + 2, args.max_bytes + 1_000_000),
        daemon=True)
    server.start()
    child.close()
    try:
        if not parent.poll(300):
            raise SystemExit("the feed server did not start")
        port = parent.recv()
        baseline = maxrss_mib()
        with tempfile.TemporaryDirectory(prefix="vt-aggregate-bench-") as folder:
            folder = Path(folder)
            (folder / "federation.json").write_text(json.dumps({
                "format": "vertaistuki/1", "source": "liitto", "publisher": "liitto",
                "organisations": [{"id": "liitto", "kind": "federation", "nationwide": True, "name": {"fi": "Esimerkkiliitto"}}],
            }), encoding="utf-8")
            build = BuildConfig(path=folder / "federation.toml", sources=(SourceSpec("federation.json"),),
                                outputs=(OutputSpec("json"),), out_dir=folder / "dist")
            policy = FeedPolicy(allow_http=True, allow_addresses={"loopback"}, connect_timeout=min(2.0, args.timeout),
                                read_timeout=args.timeout, total_timeout=args.timeout, max_bytes=args.max_bytes)
            members = tuple(Member(member_id(index), f"http://127.0.0.1:{port}/{member_id(index)}/catalogue.json")
                            for index in range(args.feeds))
            config = AggregateConfig(path=folder / "federation.toml", build=build, source="liitto", federation="liitto",
                                     members=members, policy=policy, concurrency=args.concurrency, cache_dir=folder / "cache")
            console.print(f"[dim]{args.feeds} feeds × {args.groups} groups, {sum(k is not None for k in kinds)} faulty; first run…[/]")
            first = run_isolated("first", config, parent, kinds, args.tracemalloc, args.profile)
            console.print(f"[dim]first run {first['wall_seconds']} s; second run…[/]")
            second = run_isolated("second", config, parent, kinds, args.tracemalloc, args.profile)
            output_bytes = sum(path.stat().st_size for path in (folder / "dist").rglob("*") if path.is_file())
    finally:
        try:
            parent.send("stop")
        except OSError:
            pass
        parent.close()
        server.join(10)
        if server.is_alive():
            server.terminate()
            server.join(5)

    results = {
        "benchmark": "aggregate", "date": dt.date.today().isoformat(),
        "arguments": {key: value for key, value in vars(args).items() if key not in ("json", "profile")},
        "faults": dict(sorted(Counter(kind for kind in kinds if kind).items())),
        "renderers": ["json"],
        "memory_measure": "peak_rss_mib: resident-set high-water mark (VmHWM, else ru_maxrss) of the process that ran the aggregation, "
                          "forked afresh for each run (rss_at_start_mib: what it inherited, imports included); the feed "
                          "server is another process and not included; tracemalloc_peak_mib only with --tracemalloc",
        "baseline_maxrss_mib": round(baseline, 1),
        "output_bytes": output_bytes,
        "first": first, "second": second,
        "machine": machine("httpx"),
    }
    show(console, results)
    text = json.dumps(results, indent=1, ensure_ascii=False)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
        console.print(f"[dim]results written to {args.json}[/]")
    else:
        print(text)
    if args.profile:
        for label in ("first", "second"):
            console.print(f"\n[bold]{label} run, top 25 by cumulative time[/]")
            stats = pstats.Stats(f"{args.profile}-{label}.prof", stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(25)
    return 1 if any(run["unexpected_outcomes"] or run["guard_refused"] for run in (first, second)) else 0


def show(console: Console, results: dict) -> None:
    first, second = results["first"], results["second"]
    args = results["arguments"]
    table = Table(title=f"Aggregating {args['feeds']} feeds × {args['groups']} groups, {sum(results['faults'].values())} faulty, "
                        f"concurrency {args['concurrency']} (json renderer only)")
    table.add_column("")
    table.add_column("first run (fresh)", justify="right")
    table.add_column("second run (unchanged)", justify="right")

    def row(label: str, key: str, form=str) -> None:
        table.add_row(label, form(first[key]), form(second[key]))

    row("wall time, s", "wall_seconds")
    row("  of which fetching, s", "fetch_seconds")
    row("feeds fresh / 304 / failed", "feed_status",
        lambda s: f"{s.get('fresh', 0)} / {s.get('not_modified', 0)} / {s.get('failed', 0) + s.get('fallback', 0)}")
    row("HTTP 304 answers", "not_modified_304")
    row("bodies received, bytes (all feeds)", "bytes_received_by_aggregator", lambda v: f"{v:,}")
    row("bodies received, bytes (good feeds)", "bytes_received_good_feeds", lambda v: f"{v:,}")
    for label, key in (("server → good feeds' reader, bytes (headers incl.)", "bytes_sent_feed"),
                       ("server → all, bytes (headers incl.)", "bytes_sent")):
        table.add_row(label, f"{first['server'].get(key, 0):,}", f"{second['server'].get(key, 0):,}")
    table.add_row("requests served", str(first["server"].get("requests", 0)), str(second["server"].get("requests", 0)))
    row("records aggregated", "records_aggregated", lambda v: f"{v:,}")
    row("  groups", "groups_aggregated", lambda v: f"{v:,}")
    row("duplicate clusters linked", "duplicate_clusters")
    row("failing feeds reported", "failing_feeds_reported")
    row("failures by code", "failures_by_code", lambda d: ", ".join(f"{k.removeprefix('feed.')} {v}" for k, v in d.items()))
    row("unexpected outcomes", "unexpected_outcomes", lambda v: str(len(v)))
    row("peak memory, MiB (high-water mark)", "peak_rss_mib")
    if first["tracemalloc_peak_mib"] is not None:
        row("Python heap peak, MiB (tracemalloc)", "tracemalloc_peak_mib")
    console.print(table)
    machine = results["machine"]
    console.print(f"[dim]{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, Python {machine['python']}; "
                  f"baseline RSS {results['baseline_maxrss_mib']} MiB; output {results['output_bytes']:,} bytes[/]")


if __name__ == "__main__":
    sys.exit(main())
