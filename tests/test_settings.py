import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cxhub.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x7-Vq2pLw9rT4mZ8nB1cK6hJ3fD5sG0aQyUeIoPzXvNbMlKjHgFdSa-production-key",
    "DJANGO_ALLOWED_HOSTS": "hub.example.org",
    "SITE_URL": "https://hub.example.org",
    "ADMIN_LOGIN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
}


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_the_client_address_would_be_the_proxys():
    env = PRODUCTION_ENV | {"ADMIN_LOGIN_CLIENT_IP_HEADER": "REMOTE_ADDR"}
    result = run_manage("check", "--deploy", env=env)
    assert "cxhub.W001" in result.stderr + result.stdout
    assert "Set ADMIN_LOGIN_CLIENT_IP_HEADER" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_sqlite_is_configured_for_concurrent_readers_and_a_writer():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite configuration only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


@pytest.mark.django_db
def test_postgresql_runs_without_jit_compilation():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL configuration only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_off_is_added_to_the_options_a_database_url_gives():
    found = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        env={"DATABASE_URL": "postgres://hub@db.example.org/hub?options=-c%20work_mem%3D8MB"},
    )
    assert found.returncode == 0, found.stderr
    assert "'options': '-c work_mem=8MB -c jit=off'" in found.stdout


@pytest.mark.django_db
def test_uploaded_media_are_served_outside_production(client, settings):
    cover = settings.MEDIA_ROOT / "covers" / "x.png"
    cover.parent.mkdir(parents=True)
    cover.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    response = client.get("/media/covers/x.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # Path traversal is refused (Django answers 400 to the suspicious path).
    escape = client.get("/media/../cxhub/settings.py")
    assert escape.status_code in (400, 404)
    assert b"SECRET_KEY" not in escape.content


def settings_in_subprocess(code: str, env: dict[str, str]) -> str:
    return settings_warnings_in_subprocess(code, env)[0]


def test_debug_defaults_to_off_and_is_turned_on_by_asking():
    assert settings_in_subprocess("print(settings.DEBUG)", {}) == "False"
    assert settings_in_subprocess("print(settings.DEBUG)", {"DJANGO_DEBUG": "1"}) == "True"


def test_bad_boolean_setting_says_what_to_write():
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=clean_env | {"DJANGO_DEBUG": "maybe"}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_development_secret_key_is_generated_once_and_kept():
    first = settings_in_subprocess("print(settings.SECRET_KEY)", {})
    second = settings_in_subprocess("print(settings.SECRET_KEY)", {})
    assert first == second
    assert len(first) >= 50
    key_file = ROOT / ".secret_key"
    assert key_file.read_text().strip() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_feeds_hold_30_items_unless_configured():
    assert settings_in_subprocess("print(settings.FEED_ITEMS)", {}) == "30"
    assert settings_in_subprocess("print(settings.FEED_ITEMS)", {"FEED_ITEMS": "50"}) == "50"


PRIVATE = "OUTBOUND_ALLOW_PRIVATE_ADDRESSES"
FORMER_PRIVATE = ("LINK_FETCH_ALLOW_PRIVATE", "FEEDS_ALLOW_PRIVATE_ADDRESSES")


def settings_warnings_in_subprocess(code: str, env: dict[str, str]) -> tuple[str, str]:
    """stdout and stderr of `code` after settings are loaded, with every warning shown."""
    ours = ("DJANGO_", "OUTBOUND_", "LINK_FETCH_", "FEEDS_", "INGEST_")
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    result = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c",
         "import django; django.setup(); from django.conf import settings; " + code],
        cwd=ROOT,
        env=clean_env | {"DJANGO_SETTINGS_MODULE": "cxhub.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip(), result.stderr


@pytest.mark.parametrize("former", FORMER_PRIVATE)
def test_former_private_address_variables_still_work_with_a_warning(former):
    shown, warned = settings_warnings_in_subprocess(f"print(settings.{PRIVATE})", {former: "1"})

    assert shown == "True"
    message = f"The environment variable {former} is deprecated; set {PRIVATE} instead."
    assert f"DeprecationWarning: {message}" in warned


def test_private_addresses_are_refused_unless_configured():
    shown, warned = settings_warnings_in_subprocess(f"print(settings.{PRIVATE})", {})
    assert shown == "False"
    assert "is deprecated" not in warned
    shown, warned = settings_warnings_in_subprocess(f"print(settings.{PRIVATE})", {PRIVATE: "1"})
    assert shown == "True"
    assert "is deprecated" not in warned


def test_the_new_name_wins_over_a_former_one(monkeypatch):
    monkeypatch.setenv(PRIVATE, "0")
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE_ADDRESSES", "1")
    assert env_bool(PRIVATE, False, deprecated=FORMER_PRIVATE) is False  # and no warning


def test_former_names_that_disagree_keep_private_addresses_refused(monkeypatch):
    monkeypatch.delenv(PRIVATE, raising=False)
    monkeypatch.setenv("LINK_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE_ADDRESSES", "0")
    with pytest.warns(DeprecationWarning) as warned:
        assert env_bool(PRIVATE, False, deprecated=FORMER_PRIVATE) is False
    assert [str(w.message) for w in warned] == [
        f"The environment variable {former} is deprecated; set {PRIVATE} instead."
        for former in FORMER_PRIVATE
    ]


def test_a_bad_value_under_a_former_name_is_named(monkeypatch):
    monkeypatch.delenv("EXAMPLE_TIMEOUT", raising=False)
    monkeypatch.setenv("FORMER_EXAMPLE_TIMEOUT", "soon")
    with (
        pytest.warns(DeprecationWarning, match="FORMER_EXAMPLE_TIMEOUT is deprecated"),
        pytest.raises(
            ImproperlyConfigured, match="FORMER_EXAMPLE_TIMEOUT='soon' is not a whole number"
        ),
    ):
        env_int("EXAMPLE_TIMEOUT", 20, deprecated=("FORMER_EXAMPLE_TIMEOUT",))


INGEST_NAMES = {
    "TIMEOUT": "7",
    "MAX_BYTES": "4096",
    "MAX_REDIRECTS": "2",
    "PARSE_TIMEOUT": "9",
    "PARSE_MEMORY_MB": "256",
    "MAX_BACKOFF_HOURS": "12",
    "TEASER_CHARS": "120",
    "MERGE_DAYS": "5",
    "USER_AGENT": "OldBot/1.0",
}


def test_former_feeds_names_of_ingestion_settings_still_work_with_a_warning():
    code = "; ".join(f"print(settings.INGEST_{name})" for name in INGEST_NAMES)
    former = {f"FEEDS_{name}": value for name, value in INGEST_NAMES.items()}

    shown, warned = settings_warnings_in_subprocess(code, former)

    assert shown.splitlines() == list(INGEST_NAMES.values())
    for name in INGEST_NAMES:
        message = f"The environment variable FEEDS_{name} is deprecated; set INGEST_{name} instead."
        assert f"DeprecationWarning: {message}" in warned


def test_ingestion_settings_are_read_under_their_new_names():
    code = "; ".join(f"print(settings.INGEST_{name})" for name in INGEST_NAMES)
    new = {f"INGEST_{name}": value for name, value in INGEST_NAMES.items()}

    shown, warned = settings_warnings_in_subprocess(code, new)

    assert shown.splitlines() == list(INGEST_NAMES.values())
    assert "is deprecated" not in warned
