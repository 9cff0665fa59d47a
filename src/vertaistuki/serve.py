"""``vertaistuki serve``: a live preview of the listing on 127.0.0.1.

A small WSGI application (standard library ``wsgiref``, no framework) that

- builds the configuration into a private temporary folder, exactly as ``vertaistuki
  build`` publishes (streamed and atomic), and serves every output from there, so
  ``/widget/fi/index.html``, ``/catalogue.json`` and the calendars can be looked at as
  they would be published. Held in memory, a national catalogue's outputs (gigabytes)
  would not fit; on disk the preview needs the memory a build needs;
- answers the listing's GET filter form on the server: ``/widget/fi/index.html?topic=
  stress`` is the page with the other cards ``hidden``, which is how the form works
  with JavaScript off. Any Python host can mount :class:`PreviewApp` for the same;
- rebuilds when the configuration or a local source file changes (checked on each
  request, so a reload in the browser shows the edit), and keeps serving the last good
  build, with its problems report, when a rebuild fails;
- sends ``Content-Security-Policy: default-src 'self'``, the policy the widget is
  written for, so a preview that works here works on a strict host too.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import urllib.parse
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, BinaryIO, Self
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import attrs

from . import plugins
from .build import BuildResult, build, close_shared
from .config import BuildConfig, OutputSpec, read_config
from .model import Catalogue
from .privacy import publishable
from .registry import RenderContext

SECURITY_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),  # a preview must never show yesterday's build
]
LISTING_PAGE = re.compile(r"^widget/(?P<language>[a-z]{2,3})/(?P<page>[a-z0-9-]+)\.html$")
FILE_BLOCK = 1 << 18  # bytes read and sent at a time
TEXT_TYPES = {".json": "application/json", ".jsonld": "application/ld+json", ".ics": "text/calendar",
              ".csv": "text/csv", ".txt": "text/plain", ".js": "text/javascript", ".css": "text/css",
              ".html": "text/html"}


def with_html_output(config: BuildConfig) -> BuildConfig:
    """The configuration, with the HTML listing added if it does not publish one."""
    if any(output.renderer == "html" for output in config.outputs):
        return config
    return attrs.evolve(config, outputs=(*config.outputs, OutputSpec("html", {"languages": ["fi", "sv", "en"]})))


def watched_files(config: BuildConfig) -> list[Path]:
    paths = [config.path]
    for source in config.sources:
        location = config.resolve(source.path)
        if "://" not in location:
            paths.append(Path(location))
    return paths


def _stamp(paths: Iterable[Path]) -> tuple:
    stamp = []
    for path in paths:
        try:
            info = path.stat()
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((str(path), None, None))
    return tuple(stamp)


class PreviewApp:
    """WSGI application serving one configuration's outputs, rebuilt when its files change."""

    def __init__(self, config_path: str | Path, *, today: Callable[[], dt.date] = dt.date.today,
                 log: Callable[[str], None] = lambda message: print(message, file=sys.stderr)) -> None:
        self.config_path = Path(config_path)
        self.today = today
        self.log = log
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._config: BuildConfig | None = None
        self.result: BuildResult | None = None
        self.builds = 0
        self.last_failure: str | None = None
        # The builds are published here, each over the last as `vertaistuki build` does
        # (a file that did not change is left alone, one no longer made is removed). The
        # folder is ours: close() removes it, and so does the garbage collector.
        self.folder = Path(tempfile.mkdtemp(prefix="vertaistuki-preview-"))
        self._remove_folder = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self._served: frozenset[str] = frozenset()  # the last good build's files, relative to the folder
        # What the answers to the GET form share until the next build: the publishable
        # catalogue of a day, and the renderer's pieces (RenderContext.shared: each
        # record's facts and card markup), so that an answer renders only its page.
        # Answers are made one at a time: the pieces are not for two threads at once.
        self._answering = threading.Lock()
        self._answers_for: tuple[BuildResult, dt.date] | None = None  # the build and the day they were made for
        self._answer_catalogue: Catalogue | None = None
        self._answer_pieces: dict[str, Any] = {}
        self.refresh()

    def close(self) -> None:
        """Remove the preview's folder (the application serves nothing after this)."""
        self._served = frozenset()
        self._forget_answers()
        self._remove_folder()

    def _forget_answers(self) -> None:
        with self._answering:
            close_shared(self._answer_pieces)
            self._answer_pieces, self._answer_catalogue, self._answers_for = {}, None, None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- building -------------------------------------------------------------------
    def _load_config(self) -> BuildConfig:
        if self.config_path.suffix.lower() in (".yaml", ".yml", ".json"):
            return with_html_output(BuildConfig.for_file(self.config_path))
        return with_html_output(read_config(self.config_path))

    def refresh(self) -> None:
        """Rebuild if the configuration or a local source changed since the last build."""
        with self._lock:
            paths = watched_files(self._config) if self._config else [self.config_path]
            stamp = _stamp(paths)
            if stamp == self._stamp and self.result is not None:
                return
            try:
                config = self._load_config()
                result = build(config, self.folder, today=self.today(), keep_files=False)
                if not result.written:  # nothing could be published (the folder): say why
                    raise RuntimeError(result.errors[0].describe("en") if result.errors else "nothing was built")
            except Exception as error:  # the preview must survive a broken edit; show why
                self.last_failure = f"{type(error).__name__}: {error}"
                self.log(f"rebuild failed, still serving the previous build: {self.last_failure}")
                self._stamp = stamp
                return
            self._forget_answers()  # made from the previous build's catalogue
            self._config, self.result, self.last_failure = config, result, None
            self._served = frozenset(path.relative_to(self.folder).as_posix() for path in result.written)
            self._stamp = _stamp(watched_files(config))
            self.builds += 1
            errors = len(result.errors)
            self.log(f"built {self.config_path}: {len(result.written)} files" + (f", {errors} error(s)" if errors else ""))

    # -- serving --------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        self.refresh()
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", b"GET only\n", "text/plain", [("Allow", "GET, HEAD")])
        raw_path = urllib.parse.unquote(environ.get("PATH_INFO", "/"))
        path = posixpath.normpath("/" + raw_path).lstrip("/")
        if path in ("", "."):
            language = self._languages()[0] if self._languages() else "fi"
            return self._send(start_response, "302 Found", b"", "text/plain", [("Location", f"/widget/{language}/index.html")])
        if self.result is None:
            message = f"The catalogue could not be built: {self.last_failure}\n".encode()
            return self._send(start_response, "503 Service Unavailable", message, "text/plain")
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=False))
        suffix = Path(path).suffix.lower()
        media_type = TEXT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith("json"):
            media_type += "; charset=utf-8"
        served = self._served
        if params and LISTING_PAGE.match(path) and path in served:
            body = self._filtered_page(path, params)
            if body is not None:
                return self._send(start_response, "200 OK", body, media_type)
        try:
            # Only what the build published: never its manifest, a staged file or
            # anything a crafted path could reach.
            published = open(self.folder / path, "rb") if path in served else None  # noqa: SIM115 (closed by the response)
        except OSError:  # removed by a rebuild on another thread since this request began
            published = None
        if published is None:
            return self._send(start_response, "404 Not Found", f"Not found: /{path}\n".encode(), "text/plain; charset=utf-8")
        headers = [("Content-Type", media_type), ("Content-Length", str(os.fstat(published.fileno()).st_size)), *SECURITY_HEADERS]
        start_response("200 OK", headers)
        file_wrapper = environ.get("wsgi.file_wrapper")
        return file_wrapper(published, FILE_BLOCK) if file_wrapper else _blocks(published)

    def _languages(self) -> list[str]:
        """The listing's languages in the configured order (the first is the default page)."""
        if self._config is None:
            return []
        options = next((o.options for o in self._config.outputs if o.renderer == "html"), {})
        return list(options.get("languages", ("fi", "sv")))

    def _filtered_page(self, path: str, params: dict[str, str]) -> bytes | None:
        """The page with the GET form's choices applied, from the ``html`` renderer itself."""
        config, result = self._config, self.result
        assert result is not None and config is not None
        options = next(output.options for output in config.outputs if output.renderer == "html")
        today = self.today()
        with self._answering, plugins.enabled(config.enabled_plugins), plugins.disabled(config.disabled_plugins):
            renderer = plugins.renderers().get("html")
            if renderer is None:
                return None
            answers_for = self._answers_for
            if answers_for is None or answers_for[0] is not result or answers_for[1] != today:  # consent may end overnight
                close_shared(self._answer_pieces)
                self._answer_pieces, self._answers_for = {}, (result, today)
                self._answer_catalogue = publishable(result.catalogue, today)
            context = RenderContext(options={**options, "page": path, "query": params}, today=today, shared=self._answer_pieces)
            return dict(renderer.render(self._answer_catalogue, context)).get(path)

    @staticmethod
    def _send(start_response, status: str, body: bytes, media_type: str, extra: list | None = None) -> list[bytes]:
        headers = [("Content-Type", media_type), ("Content-Length", str(len(body))), *SECURITY_HEADERS, *(extra or [])]
        start_response(status, headers)
        return [body]


def _blocks(file: BinaryIO) -> Iterator[bytes]:
    """A published file in blocks, closed at the end (or when the server drops the
    response): a national listing page is hundreds of megabytes."""
    with file:
        while block := file.read(FILE_BLOCK):
            yield block


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        pass


def serve(config_path: str | Path, host: str = "127.0.0.1", port: int = 8000, *,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the preview until interrupted. ``ready`` receives the base URL once listening."""
    previews: list[PreviewApp] = []  # the port is taken first: a port in use must not cost a build

    def application(environ: dict[str, Any], start_response) -> Iterable[bytes]:
        return previews[0](environ, start_response)

    with make_server(host, port, application, server_class=_ThreadingServer, handler_class=_QuietHandler) as server, \
            PreviewApp(config_path) as app:
        previews.append(app)
        url = f"http://{host}:{server.server_port}/"
        (ready or (lambda u: print(f"Preview at {u} (Ctrl+C stops)", flush=True)))(url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
