"""The pieces behind the fixtures in tests/browser/conftest.py: skip-or-fail when the
browser is absent, a static file server with the widget's Content-Security-Policy, a
watcher for a page's console errors, uncaught errors and dialogs, and axe-core.

Import from tests (``pythonpath = ["tests"]``)::

    from browser.harness import describe_violations
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Dialog, Error, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = (f"axe-core not found at {AXE_JS.relative_to(ROOT)}: run `npm ci` "
               "(make install does when npm is on PATH)")
REQUIRE_BROWSER = "VERTAISTUKI_REQUIRE_BROWSER"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_CSP = "default-src 'self'"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def browser_required() -> bool:
    """True when a missing browser (or axe-core) must fail the run instead of skipping."""
    return os.environ.get(REQUIRE_BROWSER, "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it when VERTAISTUKI_REQUIRE_BROWSER is set (as in CI)."""
    if browser_required():
        pytest.fail(f"{reason} ({REQUIRE_BROWSER} is set, so this is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(reason)


# --- a page and what went wrong in it -----------------------------------------------


@dataclass
class PageWatch:
    """A Page in its own browser context, and what it reported while the test ran.

    ``console_errors``: text of console messages of type "error" (includes Chromium's
    CSP violation reports and failed resource loads); ``page_errors``: uncaught
    exceptions and unhandled rejections; ``dialogs``: "type: message" of every
    alert/confirm/prompt/beforeunload, each dismissed as soon as it opened.
    """

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("dialog", self._on_dialog)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}" if error.name else error.message)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    @property
    def problems(self) -> list[str]:
        """Everything recorded, one line each, prefixed with its kind."""
        return ([f"console error: {text}" for text in self.console_errors]
                + [f"page error: {text}" for text in self.page_errors]
                + [f"dialog: {text}" for text in self.dialogs])

    def assert_clean(self) -> None:
        """Fail when the page logged a console error, threw, or opened a dialog."""
        assert not self.problems, "the page reported problems:\n" + "\n".join(self.problems)


# --- a static site ----------------------------------------------------------------


@dataclass
class StaticSite:
    """A directory served over http on 127.0.0.1; see the serve_directory fixture."""

    directory: Path
    headers: dict[str, str]
    url: str = ""
    # Request paths, query included, in order received. Chromium also asks for
    # /favicon.ico once per browser (answered 204 when the directory has none), so
    # check for the paths you expect rather than comparing the whole list.
    requests: list[str] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Module scripts need a JavaScript MIME type; /etc/mime.types may not know .mjs.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".ics": "text/calendar",
        ".jsonld": "application/ld+json",
    }

    def __init__(self, *args: Any, site: StaticSite, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.directory), **kwargs)

    def send_head(self):  # type: ignore[no-untyped-def]  # every GET and HEAD
        self.site.requests.append(self.path)
        if (self.path.partition("?")[0] == "/favicon.ico"
                and not (self.site.directory / "favicon.ico").exists()):
            # Chromium asks once per browser; a 404 would be a console error in
            # whichever test happened to load a page first.
            self.send_response(204)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        for name, value in self.site.headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser closing a connection early is not news


def site_headers(headers: Mapping[str, str | None] | None) -> dict[str, str]:
    """The default CSP header, updated by ``headers``; a value of None removes a header."""
    merged: dict[str, str | None] = {"Content-Security-Policy": DEFAULT_CSP}
    lower = {name.lower(): name for name in merged}
    for name, value in (headers or {}).items():
        merged.pop(lower.get(name.lower(), name), None)
        merged[name] = value
    return {name: value for name, value in merged.items() if value is not None}


class ServedDirectory:
    """Start serving on a free port now; ``stop()`` shuts the server and its thread down."""

    def __init__(self, directory: Path, headers: Mapping[str, str | None] | None = None) -> None:
        directory = Path(directory)
        if not directory.is_dir():
            raise NotADirectoryError(directory)
        self.site = StaticSite(directory=directory, headers=site_headers(headers))
        handler = functools.partial(_Handler, site=self.site)
        self._server = _Server(("127.0.0.1", 0), handler)
        self.site.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name=f"serve {directory}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# --- axe-core ---------------------------------------------------------------------


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe(page: Page, tags: Iterable[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """axe-core's violations for the page's document, limited to rules with these tags.

    axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
    Content-Security-Policy does not govern; ``page.add_script_tag`` would insert an
    inline script, and ``default-src 'self'`` refuses those. The page's own scripts can
    see ``window.axe`` afterwards. Skips (or fails, see ``unavailable``) without
    node_modules/axe-core.
    """
    if not AXE_JS.is_file():
        unavailable(AXE_MISSING)
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(_axe_source() + "\n;undefined")
        if page.evaluate("typeof window.axe") != "object":
            raise RuntimeError("axe-core did not load into the page")
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations;
        }""",
        list(tags),
    )


def describe_violations(violations: Iterable[Mapping[str, Any]]) -> str:
    """One line per violated rule and one per offending element, for assertion messages."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']}"
                     f" <{violation.get('helpUrl', '')}>")
        for node in violation.get("nodes", []):
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)
