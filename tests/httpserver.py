"""A small real HTTP server on 127.0.0.1 for tests that fetch: fixture files plus scripted
answers (errors, redirects, slow or huge bodies), recording every request it receives.

    server = FeedServer(Path("tests/data/feeds")); server.start()
    server.url("/rss2.xml")                          # serves tests/data/feeds/rss2.xml
    server.route("/gone", status=404)                # scripted answer
    server.route("/slow", body=b"...", delay=5)      # answers after 5 seconds
    server.requests                                  # [(path, headers), ...]
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).parent / "data"


@dataclass
class Route:
    status: int = 200
    body: bytes | None = None
    file: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/rss+xml; charset=utf-8"
    delay: float = 0  # seconds before answering
    stream: int = 0  # send this many bytes of filler, 64 KB at a time, without Content-Length
    gzip: bool = False
    drip: float = 0  # seconds between single bytes of the body (a "slowloris" server)
    conditional: bool = True  # answer 304 to a matching If-None-Match / If-Modified-Since


class FeedServer:
    LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)

    def __init__(self, root: Path = DATA / "feeds"):
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # the stdlib's name
                server._answer(self)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that hung up (timeouts under test) is expected

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]

    def start(self) -> FeedServer:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, **kwargs) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        self.requests.append((handler.path, dict(handler.headers.items())))
        route = self.routes.get(path)
        if route is None:
            file = self.root / path.lstrip("/")
            if ".." in path or not file.is_file():
                route = Route(status=404, body=b"Not found", content_type="text/plain")
            else:
                route = Route(file=path.lstrip("/"))
        if route.delay and self._stopping.wait(route.delay):
            return
        body = route.body
        if route.file is not None:
            body = (self.root / route.file).read_bytes()
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.status == 200 and body is not None and route.conditional:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", self.LAST_MODIFIED)
            if (
                handler.headers.get("If-None-Match") == headers["ETag"]
                or handler.headers.get("If-Modified-Since") == headers["Last-Modified"]
            ):
                return self._send(handler, 304, {"ETag": headers["ETag"]}, b"")
        if route.stream:
            return self._stream(handler, route, headers)
        if route.drip:
            return self._drip(handler, route, headers, body or b"")
        body = body or b""
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(handler, route.status, headers, body)

    def _send(self, handler, status: int, headers: dict[str, str], body: bytes) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _drip(self, handler, route: Route, headers: dict[str, str], body: bytes) -> None:
        # Headers at once, then the body a byte at a time: each read gets something, so a
        # per-read socket timeout alone never fires.
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if self._stopping.wait(route.drip):
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return

    def _stream(self, handler, route: Route, headers: dict[str, str]) -> None:
        # No Content-Length: the client can only find out the size by reading.
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        chunk = b"<!-- filler -->" * 4096
        sent = 0
        while sent < route.stream and not self._stopping.is_set():
            try:
                handler.wfile.write(chunk)
            except OSError:
                return
            sent += len(chunk)
