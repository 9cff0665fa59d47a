"""The federation demo: serve the built example feeds on 127.0.0.1 and aggregate them.

Run by ``make demo`` after the examples are built::

    python scripts/demo_federation.py dist

The members' feeds (``dist/<example>/catalogue.json``) are served by a plain static
server on a free loopback port, as a member association's web host would serve them;
``examples/federation/federation.toml`` is then aggregated against it. Run it twice to
see the second run answered with "304 Not Modified".
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from vertaistuki.cli import main as vertaistuki

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def run(feeds: Path) -> int:
    handler = functools.partial(QuietHandler, directory=str(feeds))
    try:  # the port of federation.toml, so that the feed cache's urls stay the same
        server = ThreadingHTTPServer(("127.0.0.1", 8765), handler)
    except OSError:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"Serving the member feeds in {feeds} at {base}")
        return vertaistuki(["aggregate", str(ROOT / "examples/federation/federation.toml"), "--base-url", base])
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist").resolve()))
