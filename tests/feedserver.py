"""A real HTTP server on 127.0.0.1 that serves scripted feed responses.

Use the `feed_server` fixture (import it into a test module) or `running_feed_server()`:

    server.route("/feed.xml", Reply(body=RSS, etag='"v1"'))
    server.route("/flaky", Reply(status=503, headers={"Retry-After": "120"}), Reply(body=RSS))
    server.url("/feed.xml")             # http://127.0.0.1:PORT/feed.xml
    server.requests_for("/feed.xml")    # every request received, with its headers

A route answers its replies in turn and repeats the last one. A reply with an `etag` or
`last_modified` honours `If-None-Match` / `If-Modified-Since` with a 304. `hang=True`
answers nothing until the server stops (longer than any client timeout); `endless=True`
streams body bytes without a Content-Length until the client hangs up. Stopping the
server releases hanging handlers, so teardown is prompt.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Reply:
    """One scripted response."""

    body: bytes = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/xml"
    etag: str | None = None
    last_modified: str | None = None
    hang: bool = False
    endless: bool = False


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: Mapping[str, str]


class FeedServer:
    """The running server: routes, request log, URLs."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.received: list[Received] = []
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.feed_server = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._routes[path] = list(replies)
            self._served[path] = 0

    def requests_for(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    def next_reply(self, request: Received) -> Reply | None:
        with self._lock:
            self.received.append(request)
            replies = self._routes.get(request.path)
            if not replies:
                return None
            index = min(self._served[request.path], len(replies) - 1)
            self._served[request.path] += 1
            return replies[index]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()  # releases hanging and endless handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet

    def do_GET(self) -> None:
        server: FeedServer = self.server.feed_server  # type: ignore[attr-defined]
        request = Received("GET", self.path, dict(self.headers.items()))
        reply = server.next_reply(request)
        if reply is None:
            self._send(404, b"no such feed", {"Content-Type": "text/plain"})
        elif reply.hang:
            server.stopping.wait(60)
            self.close_connection = True
        elif reply.endless:
            self._endless(reply, server.stopping)
        elif self._not_modified(reply):
            self._send(304, b"", self._validators(reply))
        else:
            headers = {"Content-Type": reply.content_type, **self._validators(reply)}
            self._send(reply.status, reply.body, {**headers, **reply.headers})

    def _validators(self, reply: Reply) -> dict[str, str]:
        headers = {}
        if reply.etag:
            headers["ETag"] = reply.etag
        if reply.last_modified:
            headers["Last-Modified"] = reply.last_modified
        return headers

    def _not_modified(self, reply: Reply) -> bool:
        if reply.status != 200:
            return False
        if reply.etag and self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == reply.etag
        if reply.last_modified and self.headers.get("If-Modified-Since"):
            # Exact match is how a feed server that echoes its own date behaves.
            return self.headers["If-Modified-Since"] == reply.last_modified
        return False

    def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _endless(self, reply: Reply, stopping: threading.Event) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<item>" + b"x" * 65536 + b"</item>\n"
        try:
            while not stopping.is_set():
                self.wfile.write(chunk)
        except OSError:
            pass  # the client hung up, as it should once over its size cap


@contextmanager
def running_feed_server() -> Iterator[FeedServer]:
    """A started server, stopped on exit."""
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh feed server for one test."""
    with running_feed_server() as server:
        yield server
