"""How fast the listing filters in a real browser with thousands of groups.

    python benchmarks/widget_filter.py [--groups 5000] [--repeat 7]

Builds a synthetic catalogue (N groups over 60 municipalities, weekly schedules,
topics, fees), renders it with the ``html`` renderer, opens the Finnish page in
headless Chromium under ``default-src 'self'``, and times, inside the page, each
filter change from the input event until the next frame after the list was updated
(what a visitor perceives as lag). Prints the build time, page size and per-action
median and worst times. Run on demand; the figure is quoted in docs/widget.md and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from browser import chromium, serve_directory  # noqa: E402

from vertaistuki.build import build  # noqa: E402
from vertaistuki.config import BuildConfig, OutputSpec, SourceSpec  # noqa: E402

TOPICS = ["stress", "depression", "pain", "insomnia", "crisis", "illness", "disability"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]

# Each action sets one control and reports how long until the frame after filtering.
MEASURE = """async ([selector, value]) => {
  const control = document.querySelector(selector);
  const status = document.querySelector('[data-vt-count]');
  const start = performance.now();
  if (control.type === 'checkbox') control.checked = value === '1'; else control.value = value;
  control.dispatchEvent(new Event(control.tagName === 'SELECT' || control.type === 'checkbox' ? 'change' : 'input',
                                  {bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - start, status.textContent];
}"""

ACTIONS = [
    ("search 'ryhmä 12'", "#vt-q", "ryhmä 12"),
    ("clear search", "#vt-q", ""),
    ("municipality", "#vt-municipality", "kunta-7"),
    ("all municipalities", "#vt-municipality", ""),
    ("topic", "#vt-topic", "pain"),
    ("weekday", "#vt-day", "we"),
    ("free only", "#vt-free", "1"),
    ("back to everything", "#vt-free", "0"),
]


def synthetic_catalogue(groups: int) -> dict:
    municipalities = [f"Kunta {n}" for n in range(60)]
    places = [{"id": f"p{n}", "name": {"fi": f"Järjestötalo {n}"}, "municipality": {"fi": name}}
              for n, name in enumerate(municipalities)]
    records = []
    for n in range(groups):
        records.append({
            "id": f"g{n}", "organiser": "liitto", "openness": "open" if n % 3 else "closed",
            "name": {"fi": f"Vertaisryhmä {n}", "sv": f"Kamratgrupp {n}"},
            "description": {"fi": "Keskustelemme arjen asioista luottamuksellisesti."},
            "topics": [TOPICS[n % len(TOPICS)], TOPICS[(n * 3) % len(TOPICS)]],
            "channels": [{"kind": "in_person", "place": f"p{n % len(places)}"}],
            "schedule": {"rrule": f"FREQ=WEEKLY;BYDAY={DAYS[n % 5]}", "start_time": f"{10 + n % 9}:00",
                         "end_time": f"{11 + n % 9}:30"},
            "fee": {"kind": "free"} if n % 4 else {"kind": "self_payment", "amount": 5},
        })
    return {"source": "bench", "organisations": [{"id": "liitto", "kind": "federation", "name": {"fi": "Liitto"}}],
            "places": places, "groups": records}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "catalogue.json").write_text(json.dumps(synthetic_catalogue(args.groups)), encoding="utf-8")
        config = BuildConfig(path=folder / "catalogue.toml", sources=(SourceSpec("catalogue.json"),),
                             outputs=(OutputSpec("html", {"languages": ["fi"]}),))
        started = time.perf_counter()
        result = build(config, folder / "dist", today=dt.date(2026, 11, 23))
        build_seconds = time.perf_counter() - started
        page_bytes = (folder / "dist" / "widget" / "fi" / "index.html").stat().st_size
        timings: dict[str, list[float]] = {label: [] for label, _, _ in ACTIONS}
        with chromium() as browser, serve_directory(folder / "dist") as base:
            page = browser.new_page(viewport={"width": 1024, "height": 800})
            started = time.perf_counter()
            page.goto(f"{base}widget/fi/index.html", timeout=300_000)
            page.wait_for_selector("[data-vt-enhanced]", timeout=120_000)
            load_seconds = time.perf_counter() - started
            for _ in range(args.repeat):
                for label, selector, value in ACTIONS:
                    elapsed, status = page.evaluate(MEASURE, [selector, value])
                    timings[label].append(elapsed)
    print(f"{args.groups} groups: build {build_seconds:.1f} s ({len(result.files)} files), "
          f"page {page_bytes / 1e6:.1f} MB, loaded and enhanced in {load_seconds:.1f} s")
    print(f"{'action':<22} {'median ms':>10} {'worst ms':>10}")
    for label, values in timings.items():
        print(f"{label:<22} {statistics.median(values):>10.0f} {max(values):>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
