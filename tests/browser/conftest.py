"""Real-browser fixtures: Debian's headless Chromium driven by Playwright (sync API).

Every test in this folder is marked ``browser`` (``make test-fast`` leaves them out).
Without the ``playwright`` package, the ``chromium`` executable on PATH or
node_modules/axe-core, the tests that need them skip with the reason; with
VERTAISTUKI_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead. Playwright never
downloads a browser here: it launches /usr/bin/chromium (``apt-get install -y chromium``).

    from browser.harness import describe_violations

    def test_listing(serve_directory, new_page, axe, tmp_path):
        site = serve_directory(tmp_path)             # CSP default-src 'self' on every response
        watch = new_page()                           # watch.page is a fresh Page
        watch.page.goto(site.url + "index.html")
        violations = axe(watch.page)                 # axe-core, WCAG 2.1 A/AA rules
        assert violations == [], describe_violations(violations)
        watch.assert_clean()                         # no console errors, page errors, dialogs
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from browser.harness import (
    AXE_JS,
    AXE_MISSING,
    CHROMIUM_ARGS,
    PageWatch,
    ServedDirectory,
    StaticSite,
    axe as run_axe,
    unavailable,
)

HERE = Path(__file__).resolve().parent
TIMEOUT_MS = 10_000  # Playwright's default of 30 s only makes a broken test slower


@pytest.hookimpl(tryfirst=True)  # before -m "not browser" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless playwright.sync_api.Browser on Debian's Chromium, shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright not installed: .venv/bin/pip install -e '.[test]'")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("Chromium not found: apt-get install -y chromium")
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except Exception as error:  # present but broken: never a skip
            pytest.fail(f"Chromium at {executable} did not start: {error}", pytrace=False)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., PageWatch]]:
    """``new_page(javascript=True, width=1024, height=800, **context_options)`` -> PageWatch.

    Each call opens a Page in a fresh browser context (no shared cookies, storage or
    cache) and starts recording its console errors, page errors and dialogs (dismissed).
    Extra keyword arguments go to ``browser.new_context`` (locale, reduced_motion, ...).
    Every context is closed at teardown.
    """
    contexts: list[Any] = []

    def open_page(javascript: bool = True, width: int = 1024, height: int = 800,
                  **context_options: Any) -> PageWatch:
        context = browser.new_context(java_script_enabled=javascript,
                                      viewport={"width": width, "height": height},
                                      **context_options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        return PageWatch(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def serve_directory() -> Iterator[Callable[..., StaticSite]]:
    """``serve_directory(path, headers=None)`` -> StaticSite with ``.url`` and ``.requests``.

    Serves ``path`` over http on 127.0.0.1 (a free port) from a background thread until
    teardown. Every response carries ``Content-Security-Policy: default-src 'self'``;
    ``headers`` adds or replaces headers, and a value of None removes one
    (``{"Content-Security-Policy": None}``). ``.url`` ends with "/"; ``.requests``
    lists every request path (query included) in the order received.
    """
    servers: list[ServedDirectory] = []

    def serve(path: Path | str, headers: Mapping[str, str | None] | None = None) -> StaticSite:
        server = ServedDirectory(Path(path), headers)
        servers.append(server)
        return server.site

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def axe() -> Callable[..., list[dict[str, Any]]]:
    """``axe(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))`` -> violations.

    The same function as browser.harness.axe; skips (fails under
    VERTAISTUKI_REQUIRE_BROWSER=1) when node_modules/axe-core is missing.
    """
    if not AXE_JS.is_file():  # here, so the skip is reported against the test
        unavailable(AXE_MISSING)
    return run_axe
