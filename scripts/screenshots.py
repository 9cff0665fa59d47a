"""Screenshots of the built listing pages, so a person can look at them.

    python scripts/screenshots.py [DIST] [--languages fi sv] [--width 1024]

For every ``DIST/*/widget/<lang>/index.html`` (default DIST: ``dist``) writes
``DIST/screenshots/<example>-<lang>.png``, full page, with the enhancement module
running, served over http under ``default-src 'self'`` as on a strict host.
``make demo`` runs this when Chromium is installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import chromium, serve_directory  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", default="dist")
    parser.add_argument("--languages", nargs="+", default=["fi", "sv"])
    parser.add_argument("--width", type=int, default=1024)
    args = parser.parse_args(argv)
    dist = Path(args.dist).resolve()
    widgets = sorted(path for path in dist.glob("*/widget") if path.is_dir())
    if not widgets:
        print(f"no built listings under {dist}: run `make demo` first", file=sys.stderr)
        return 1
    out = dist / "screenshots"
    out.mkdir(exist_ok=True)
    written = []
    with chromium() as browser, serve_directory(dist) as base:
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        for widget in widgets:
            for language in args.languages:
                if not (widget / language / "index.html").exists():
                    continue
                page.goto(f"{base}{widget.parent.name}/widget/{language}/index.html")
                page.wait_for_selector("[data-vt-enhanced]")  # the module ran: the page as visitors see it
                target = out / f"{widget.parent.name}-{language}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
    for target in written:
        print(f"screenshot: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
