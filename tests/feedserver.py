"""A misbehaving member web host on 127.0.0.1, for the feed reader and aggregator tests.

Each path is given a behaviour: a feed (with ETag / Last-Modified and conditional
answers), an HTTP status, a hang, an endless or oversized body, a gzip bomb, invalid
JSON or a redirect. The server records every request so tests can assert what was
asked and what was sent. Every behaviour stops by itself (a hang or an endless body
gives up after ``limit`` seconds), so a test never leaves a thread behind for long.
"""

from __future__ import annotations

import collections

import gzip
import hashlib
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import httpx


@attrs.define
class Feed:
    body: bytes
    etag: bool = True
    last_modified: str | None = "Mon, 02 Nov 2026 10:00:00 GMT"
    gzip: bool = False

    @classmethod
    def of(cls, data: Any, **kwargs) -> Feed:
        return cls(json.dumps(data, ensure_ascii=False).encode("utf-8"), **kwargs)


@attrs.define
class Status:
    code: int


@attrs.define
class Hang:
    limit: float = 8.0


@attrs.define
class Endless:
    limit: float = 8.0
    chunk: bytes = b"[" + b" " * 16383


@attrs.define
class Unsized:
    """A body larger than the cap, sent in chunks with no Content-Length."""

    size: int


@attrs.define
class Declared:
    """Declares a large Content-Length up front."""

    size: int


@attrs.define
class GzipBomb:
    size: int  # bytes after decompression


@attrs.define
class Redirect:
    location: str


@attrs.define
class Request:
    path: str
    headers: dict[str, str]
    status: int
    body_bytes: int


class _Server(ThreadingHTTPServer):
    request_queue_size = 512  # the default backlog of 5 drops connects from a concurrent reader


class FeedServer:
    """``tls``: serve https with this server-side context (the address stays 127.0.0.1;
    a test names the host by monkeypatching the resolver)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        # Requests being answered, by path: a client has its answer before the handler
        # records the request, so requests_to waits for them (else a test is flaky).
        self._answering: collections.Counter[str] = collections.Counter()
        self._answered = threading.Condition(self._lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the base class's name
                with server._lock:
                    server._answering[self.path] += 1
                status, sent = 0, 0
                try:
                    status, sent = server._answer(self)
                finally:
                    with server._lock:
                        server.requests.append(Request(self.path, dict(self.headers), status, sent))
                        server._answering[self.path] -= 1
                        server._answered.notify_all()

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        if tls is not None:  # a failed handshake is an OSError in accept(), which the server survives
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str, wait: float = 5.0) -> list[Request]:
        """The requests to ``path`` so far, once those being answered are recorded
        (waiting at most ``wait`` seconds: a route that hangs is still answering)."""
        with self._answered:
            self._answered.wait_for(lambda: not self._answering[path], timeout=wait)
            return [r for r in self.requests if r.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> tuple[int, int]:
        behaviour = self.routes.get(handler.path)
        try:
            return self._respond(handler, behaviour)
        except (BrokenPipeError, ConnectionResetError):
            return 0, 0

    def _send(self, handler, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[int, int]:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return status, len(body)

    def _respond(self, handler, behaviour) -> tuple[int, int]:
        if behaviour is None:
            return self._send(handler, 404, b"not found")
        if isinstance(behaviour, Feed):
            etag = '"' + hashlib.sha256(behaviour.body).hexdigest()[:16] + '"' if behaviour.etag else None
            headers = {"Content-Type": "application/json"}
            if etag:
                headers["ETag"] = etag
            if behaviour.last_modified:
                headers["Last-Modified"] = behaviour.last_modified
            if etag and handler.headers.get("If-None-Match") == etag:
                return self._send(handler, 304, b"", {"ETag": etag})
            if not etag and behaviour.last_modified and handler.headers.get("If-Modified-Since") == behaviour.last_modified:
                return self._send(handler, 304)
            body = behaviour.body
            if behaviour.gzip:
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            return self._send(handler, 200, body, headers)
        if isinstance(behaviour, Status):
            return self._send(handler, behaviour.code, b"server error")
        if isinstance(behaviour, Redirect):
            return self._send(handler, 302, b"", {"Location": behaviour.location})
        if isinstance(behaviour, Hang):
            time.sleep(behaviour.limit)
            return 0, 0
        if isinstance(behaviour, Declared):
            handler.send_response(200)
            handler.send_header("Content-Length", str(behaviour.size))
            handler.end_headers()
            handler.wfile.write(b"[" * 1024)
            return 200, 1024
        if isinstance(behaviour, GzipBomb):
            body = gzip.compress(b" " * behaviour.size)
            return self._send(handler, 200, body, {"Content-Encoding": "gzip", "Content-Type": "application/json"})
        if isinstance(behaviour, (Endless, Unsized)):
            handler.send_response(200)
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            sent = 0
            deadline = time.monotonic() + (behaviour.limit if isinstance(behaviour, Endless) else 30)
            chunk = behaviour.chunk if isinstance(behaviour, Endless) else b" " * 65536
            while time.monotonic() < deadline and (isinstance(behaviour, Endless) or sent < behaviour.size):
                handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
                if isinstance(behaviour, Endless):
                    time.sleep(0.01)
            handler.wfile.write(b"0\r\n\r\n")
            return 200, sent
        raise TypeError(f"unknown behaviour {behaviour!r}")


class LoopbackOnly(httpx.AsyncBaseTransport):
    """A transport that refuses to connect anywhere but 127.0.0.1: proof, in the
    tests, that a refused address is refused before any connection is tried."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.host != "127.0.0.1":
            raise AssertionError(f"tried to connect to {request.url.host}")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def member_feed(member: str, groups: int = 3, *, invalid: int = 0, municipality: str = "Espoo",
                volunteer_consent: dict | None = None, group_names: list[str] | None = None) -> dict[str, Any]:
    """A valid vertaistuki feed of one member association, with ``invalid`` extra
    groups that fail validation (a weekday that does not exist)."""
    feed: dict[str, Any] = {
        "format": "vertaistuki/1", "source": member, "publisher": "yhdistys",
        "organisations": [{"id": "yhdistys", "name": {"fi": f"Yhdistys {member}"}, "kind": "association", "regions": ["uusimaa"]}],
        "places": [{"id": "talo", "name": {"fi": "Järjestötalo"}, "municipality": {"fi": municipality}}],
        "groups": [],
    }
    if volunteer_consent is not None:
        feed["volunteers"] = [{"id": "ohjaaja", "organisation": "yhdistys",
                               "personal": {"name": {"value": "Maija", "consent": volunteer_consent}}}]
    names = group_names or [f"Keskusteluryhmä {index} ({member})" for index in range(groups)]
    for index, name in enumerate(names):
        group = {"id": f"ryhma-{index}", "name": {"fi": name}, "organiser": "yhdistys", "openness": "open",
                 "regions": ["uusimaa"], "channels": [{"kind": "in_person", "place": "talo"}],
                 "schedule": {"rrule": f"FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH', 'FR'][index % 5]}",
                              "start_time": "18:00", "end_time": "19:30"}}
        if volunteer_consent is not None and index == 0:
            group["facilitation"] = {"kind": "trained_volunteer", "leaders": ["ohjaaja"]}
        feed["groups"].append(group)
    for index in range(invalid):
        feed["groups"].append({"id": f"rikki-{index}", "name": {"fi": "Rikki"}, "organiser": "yhdistys", "openness": "open",
                               "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=XX", "start_time": "18:00"}})
    return feed
