"""Pages for "add from link" over real HTTP on 127.0.0.1: fixture pages from
tests/data/link_pages plus a few answers that need code (slow, huge, redirects, images)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from PIL import Image

from cxhub.loopback import LoopbackServer

PAGES = Path(__file__).resolve().parent.parent / "data" / "link_pages"
HUGE_PAGE_BYTES = 8 * 1024 * 1024
OG_HEAD = (
    b'<!doctype html><html><head><meta property="og:title" content="A very long page">'
    b'<meta property="og:description" content="Its metadata comes first."></head><body>'
)


@cache
def png(width: int, height: int) -> bytes:
    # A deterministic gradient, so that scaling has real pixels to work on.
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@contextmanager
def serve_pages() -> Iterator[str]:
    """Yields the base URL, e.g. http://127.0.0.1:54321."""
    with LoopbackServer(PAGES) as server:
        html = {"content_type": "text/html"}
        # Answers only after the client has given up (or the server stops).
        server.route("/slow.html", body=b"<title>Too late</title>", delay=30, **html)
        server.route("/drip.html", body=b"<html><head>" + b" " * 150, drip=0.2, **html)
        server.route("/huge.html", body=OG_HEAD, stream=HUGE_PAGE_BYTES,
                     content_type="text/html; charset=utf-8")  # fmt: skip
        for n in range(1, 10):
            server.route(f"/loop/{n}", status=302, headers={"Location": f"/loop/{n + 1}"})
        server.route("/circle/a", status=302, headers={"Location": "/circle/b"})
        server.route("/circle/b", status=302, headers={"Location": "/circle/a"})
        server.route("/moved.html", status=302, headers={"Location": "/article-og.html"})
        server.route("/to-file.html", status=302, headers={"Location": "file:///etc/passwd"})
        server.route("/images/journey.png", body=png(2400, 1200), content_type="image/png")
        server.route("/images/small.png", body=png(300, 200), content_type="image/png")
        server.route("/images/not-really.png", body=b"<html>not an image</html>",
                     content_type="image/png")  # fmt: skip
        # Says 50 MB and sends nothing: the client must refuse from the header alone.
        server.route("/images/huge.png", body=b"", content_type="image/png",
                     headers={"Content-Length": str(50 * 1024 * 1024)})  # fmt: skip
        server.route("/iso-8859-1.html", file="iso-8859-1.html",
                     content_type="text/html; charset=iso-8859-1")  # fmt: skip
        yield server.url("")
