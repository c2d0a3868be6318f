"""A small real HTTP server on 127.0.0.1, in threads: files from a folder plus scripted answers.

For code that needs a web server to fetch from without the outside network: the benchmark's
generated feed and the tests' fixture feeds and pages. It binds to the loopback address only,
on a free port, and records every request it receives.

    with LoopbackServer(Path("tests/data/feeds")) as server:
        server.url("/rss2.xml")                        # serves tests/data/feeds/rss2.xml
        server.route("/gone", status=404)              # a scripted answer; returns its URL
        server.route("/slow", body=b"...", delay=5)    # answers after 5 seconds
        server.requests                                # [(path, headers), ...]
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FILLER = b"<!-- filler -->" * 4096


@dataclass
class Route:
    status: int = 200
    body: bytes | None = None
    file: str | None = None  # relative to the server's root
    headers: dict[str, str] = field(default_factory=dict)  # a Content-Length here is sent as is
    content_type: str | None = None  # None: the server's default
    reason: str | None = None  # None: the standard reason phrase
    delay: float = 0  # seconds before answering
    stream: int = 0  # send the body, then filler up to this many bytes, without Content-Length
    gzip: bool = False
    drip: float = 0  # seconds between single bytes of the body (a "slowloris" server)
    conditional: bool = True  # validators on a 200, and 304 to a matching If-None-Match/-Since


class LoopbackServer:
    LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)

    def __init__(self, root: Path | None = None, *, content_type: str | None = None):
        """`root`: the folder files are served from. `content_type`: for answers whose route
        names none; None guesses it from the path."""
        self.root = root
        self.content_type = content_type
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # the stdlib's name
                server._answer(self)

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up (past its deadline or size cap) is expected

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends delayed and dripping answers too
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, **kwargs) -> str:
        """Answer `path` (as the request line has it, so percent-encoded) as told; its URL."""
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        self.requests.append((handler.path, dict(handler.headers.items())))
        route = self.routes.get(path)
        if route is None:
            file = self.root / path.lstrip("/") if self.root else None
            if ".." in path or file is None or not file.is_file():
                route = Route(
                    404, b"File not found", content_type="text/plain", reason="File not found"
                )
            else:
                route = Route(file=path.lstrip("/"))
        if route.delay and self._stopping.wait(route.delay):
            return
        body = route.body
        if route.file is not None:
            body = (self.root / route.file).read_bytes()
        content_type = (
            route.content_type
            or self.content_type
            or mimetypes.guess_type(route.file or path)[0]
            or "application/octet-stream"
        )
        headers = {"Content-Type": content_type, **route.headers}
        if route.status == 200 and body is not None and route.conditional:
            headers.setdefault("ETag", '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
            headers.setdefault("Last-Modified", self.LAST_MODIFIED)
            if (
                handler.headers.get("If-None-Match") == headers["ETag"]
                or handler.headers.get("If-Modified-Since") == headers["Last-Modified"]
            ):
                return self._send(handler, 304, {"ETag": headers["ETag"]}, b"")
        body = body or b""
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.stream:
            return self._stream(handler, route, headers, body)
        if route.drip:
            return self._drip(handler, route, headers, body)
        self._send(handler, route.status, headers, body, route.reason)

    def _head(self, handler, status: int, headers: dict[str, str], reason: str | None) -> None:
        handler.send_response(status, reason)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()

    def _send(self, handler, status, headers, body: bytes, reason: str | None = None) -> None:
        self._head(handler, status, {"Content-Length": str(len(body))} | headers, reason)
        handler.wfile.write(body)

    def _drip(self, handler, route: Route, headers: dict[str, str], body: bytes) -> None:
        # Headers at once, then the body a byte at a time: each read gets something, so a
        # per-read socket timeout alone never fires.
        self._head(handler, route.status, {"Content-Length": str(len(body))} | headers, None)
        for byte in body:
            if self._stopping.wait(route.drip):
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return

    def _stream(self, handler, route: Route, headers: dict[str, str], body: bytes) -> None:
        # No Content-Length: the client can only find out the size by reading.
        self._head(handler, route.status, headers | {"Connection": "close"}, route.reason)
        handler.close_connection = True
        sent = 0
        try:
            handler.wfile.write(body)
            sent = len(body)
            while sent < route.stream and not self._stopping.is_set():
                handler.wfile.write(FILLER)
                sent += len(FILLER)
        except OSError:
            return
