import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from cxhub.loopback import LoopbackServer
from tests import databases
from tests.posts.admin_support import make_editor

# Property-based tests: the same few examples on every run, so CI is deterministic and its time
# bounded (no example database, no deadline on a shared machine). The database examples run in
# a transaction of their own, rolled back, so pytest-django's function-scoped database fixture
# is safe to share between examples. `HYPOTHESIS_PROFILE=thorough` searches wider, at random.
_HYPOTHESIS_COMMON = {
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=60, **_HYPOTHESIS_COMMON)
hypothesis_settings.register_profile("thorough", max_examples=3000, **_HYPOTHESIS_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # The machine has no outside network: without these Chromium keeps trying to reach
    # Google's services in the background.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SITE_URL = "https://hub.example.org"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.POSTS_PER_PAGE = 20


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test rolls the database back, content version included: a cache kept from the last
    # test could hold answers for the same version over other data.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _feed_settings(settings):
    settings.FEED_ITEMS = 30
    settings.FEED_MAX_AGE = 300
    settings.FEED_TAG_AUTHORITY = ""
    settings.FEED_TAG_DATE = "2025"


@pytest.fixture(autouse=True)
def _outbound_settings(settings):
    # The local test servers are on 127.0.0.1, which production refuses.
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture(autouse=True)
def _ingest_settings(settings):
    settings.INGEST_TIMEOUT = 2
    settings.INGEST_MAX_BYTES = 1024 * 1024
    settings.INGEST_MAX_REDIRECTS = 3
    settings.INGEST_PARSE_TIMEOUT = 30


FEEDS = Path(__file__).parent / "data" / "feeds"


@pytest.fixture
def feed_server():
    """Fixture feeds from tests/data/feeds over real HTTP on 127.0.0.1, scripted answers too."""
    with LoopbackServer(FEEDS, content_type="application/rss+xml; charset=utf-8") as server:
        yield server


@pytest.fixture
def shared_database(tmp_path, transactional_db):
    """The test's database, also for a process the test starts; it can go away and come back
    (see tests/databases.py)."""
    with databases.shared_database(tmp_path) as database:
        yield database


@pytest.fixture
def editor_client(client, db):
    """A test client signed in as a member of the Editor group."""
    client.force_login(make_editor())
    return client


@pytest.fixture
def hub_categories(django_db_setup, django_db_blocker):
    """The 22 categories of the data migration, again.

    Transactional tests (live server, browser) flush the database when they end, which wipes
    what migrations created; they ask for this fixture to have the categories back.
    """
    import importlib

    from django.apps import apps

    migration = importlib.import_module("posts.migrations.0002_hub_categories")
    with django_db_blocker.unblock():
        migration.create_categories(apps, None)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"Chromium not found at {path}. Install Debian's package (`apt-get install chromium`) "
            "or set CHROMIUM_PATH; `make test` does this for you."
        )
    return path


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; Playwright never downloads a browser here."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told it is safe (it is: the loop is Playwright's).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # ORM calls made while Playwright's loop runs get connections of their own; close them
        # so PostgreSQL can drop the test database at the end of the session.
        connections.close_all()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@contextmanager
def open_page(chromium, **options):
    """A page in a fresh browser context; JavaScript errors collect in `page.js_errors`."""
    context = chromium.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, chromium):
    with open_page(chromium, **request.param) as page:
        yield page


@pytest.fixture
def desktop_page(chromium):
    with open_page(chromium, **DESKTOP) as page:
        yield page
