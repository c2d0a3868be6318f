"""The production set-up end to end: collectstatic, migrate, gunicorn, whitenoise."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def wait_for_port(port: int, *, seconds: float = 15) -> None:
    """Until a server listens on 127.0.0.1:port (gunicorn takes a moment to boot)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= PRODUCTION_ENV | {
        "STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": f"sqlite:///{tmp / 'hub.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "hub.example.org,127.0.0.1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cxhub.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port)
        yield base, tmp
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_gunicorn_serves_the_hub_over_https_behind_a_proxy(production_server):
    base, _ = production_server
    status, headers, html = fetch(base + "/", Host="hub.example.org", **HTTPS)
    assert status == 200
    assert "Latest inspiration" in html.decode()
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(production_server):
    base, _ = production_server

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + "/", headers={"Host": "hub.example.org"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=10)
    with answer.value as error:
        assert error.code == 301
        assert error.headers["Location"] == "https://hub.example.org/"


def test_static_files_have_hashed_names_and_are_compressed(production_server):
    base, tmp = production_server
    _, _, html = fetch(base + "/", Host="hub.example.org", **HTTPS)
    css = re.search(rb'href="(/static/css/hub\.[0-9a-f]{12}\.css)"', html)
    assert css, "stylesheet link has no hashed name"
    status, headers, _ = fetch(
        base + css.group(1).decode(), Host="hub.example.org", **HTTPS, **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert list((tmp / "static" / "css").glob("hub.*.css.gz"))


def test_unknown_host_is_refused(production_server):
    base, _ = production_server
    status, _, _ = fetch(base + "/", Host="evil.example", **HTTPS)
    assert status == 400
