"""A real HTTP server on 127.0.0.1 for "add from link": fixture pages from tests/data/link_pages
plus a few answers that need code (slow, huge, redirects, generated images)."""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image

PAGES = Path(__file__).resolve().parent.parent / "data" / "link_pages"
HUGE_PAGE_BYTES = 8 * 1024 * 1024
OG_HEAD = (
    b'<!doctype html><html><head><meta property="og:title" content="A very long page">'
    b'<meta property="og:description" content="Its metadata comes first."></head><body>'
)


def png(width: int, height: int) -> bytes:
    # A deterministic gradient, so that scaling has real pixels to work on.
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class Handler(SimpleHTTPRequestHandler):
    stop: threading.Event

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path == "/slow.html":
                # Answers only after the client has given up (or the server stops).
                self.stop.wait(30)
                return self._send(200, "text/html", b"<title>Too late</title>")
            if path == "/drip.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><head>")
                while not self.stop.wait(0.2):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                return None
            if path == "/huge.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(OG_HEAD)
                filler = b"<p>" + b"filler " * 9000 + b"</p>\n"
                sent = len(OG_HEAD)
                while sent < HUGE_PAGE_BYTES and not self.stop.is_set():
                    self.wfile.write(filler)
                    sent += len(filler)
                return None
            if path.startswith("/loop/"):
                n = int(path.rsplit("/", 1)[-1])
                return self._redirect(f"/loop/{n + 1}")
            if path == "/moved.html":
                return self._redirect("/article-og.html")
            if path == "/to-file.html":
                return self._redirect("file:///etc/passwd")
            if path == "/images/journey.png":
                return self._send(200, "image/png", png(2400, 1200))
            if path == "/images/small.png":
                return self._send(200, "image/png", png(300, 200))
            if path == "/images/not-really.png":
                return self._send(200, "image/png", b"<html>not an image</html>")
            if path == "/images/huge.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                return None
            if path == "/iso-8859-1.html":
                body = (PAGES / "iso-8859-1.html").read_bytes()
                return self._send(200, "text/html; charset=iso-8859-1", body)
            return super().do_GET()
        except (BrokenPipeError, ConnectionResetError):
            return None  # the client stopped reading, as it should past its size cap

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def serve_pages():
    """Yields the base URL, e.g. http://127.0.0.1:54321."""
    stop = threading.Event()
    handler = partial(type("BoundHandler", (Handler,), {"stop": stop}), directory=str(PAGES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join()
