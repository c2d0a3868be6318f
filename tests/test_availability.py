"""While the database is away readers get an honest 503, and the hub recovers by itself.

gunicorn runs with production settings against a database that cannot be reached: a SQLite
file in a folder that does not exist yet, or PostgreSQL behind a loopback forwarder that is not
listening yet. Then the database comes back, without restarting anything.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from cxhub import availability
from tests.databases import Forwarder
from tests.test_production import HTTPS, fetch, free_port, wait_for_port
from tests.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
READER_PATHS = ["/", "/category/cx-design/", "/post/anything/", "/feed/", "/subscribe/"]


def start_gunicorn(env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cxhub.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    wait_for_port(port)
    return server, f"http://127.0.0.1:{port}"


def get(base: str, path: str):
    return fetch(base + path, Host="hub.example.org", **HTTPS)


@pytest.fixture
def away_database(tmp_path, transactional_db):
    """(DATABASE_URL for gunicorn, a function that brings that database back)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        forwarder = Forwarder(int(settings["PORT"] or 5432))
        user = settings["USER"]
        url = f"postgres://{user}@127.0.0.1:{forwarder.port}/{settings['NAME']}"
        yield url, forwarder.start
        forwarder.stop()
    else:
        folder = tmp_path / "not-yet"
        url = f"sqlite:///{folder / 'hub.sqlite3'}"

        def come_back():
            folder.mkdir()
            env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
            env["DATABASE_URL"] = url
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=ROOT, env=env, check=True, capture_output=True,
            )  # fmt: skip

        yield url, come_back


def test_readers_get_503_while_the_database_is_away_and_the_hub_recovers(away_database, tmp_path):
    url, come_back = away_database
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= PRODUCTION_ENV | {
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    # Pages link hashed static files; collecting them needs no database.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log_path = tmp_path / "gunicorn.log"
    server, base = start_gunicorn(env, log_path)
    try:
        for path in READER_PATHS:
            status, headers, body = get(base, path)
            assert status == 503, path
            assert headers["Retry-After"] == "30"
            assert "no-cache" in headers["Cache-Control"]
            assert "back in a moment" in body.decode()
        status, headers, body = get(base, "/healthz")
        assert status == 503
        assert b'"database": "unavailable"' in body

        come_back()
        assert get(base, "/")[0] == 200
        assert get(base, "/healthz")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)

    log = log_path.read_text()
    assert "Traceback" not in log
    outage_lines = [line for line in log.splitlines() if "answered 503" in line]
    assert len(outage_lines) == len(READER_PATHS)
    for path in READER_PATHS:
        assert sum(f"GET {path} (" in line for line in outage_lines) == 1
    assert "Service Unavailable" not in log


def test_health_check_is_cheap_uncached_and_says_what_is_wrong(client, db):
    availability._migrations_applied = False
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_health_check_reports_migrations_not_applied(client, hub_categories):
    from django.core.management import call_command

    availability._migrations_applied = False
    call_command("migrate", "feeds", "0003", verbosity=0)  # the last one undone
    try:
        response = client.get(reverse("healthz"))
        assert response.status_code == 503
        assert response.json()["migrations"] == "1 not applied"
    finally:
        call_command("migrate", verbosity=0)
    assert client.get(reverse("healthz")).status_code == 200
