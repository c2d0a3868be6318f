import pytest

from tests.httpserver import FeedServer


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _ingest_settings(settings):
    # The local test server is on 127.0.0.1, which production refuses.
    settings.FEEDS_ALLOW_PRIVATE_ADDRESSES = True
    settings.FEEDS_TIMEOUT = 2
    settings.FEEDS_MAX_BYTES = 1024 * 1024
    settings.FEEDS_MAX_REDIRECTS = 3
    settings.FEEDS_PARSE_TIMEOUT = 30


@pytest.fixture(autouse=True)
def _feed_settings(settings):
    settings.FEED_ITEMS = 30
    settings.FEED_MAX_AGE = 300
    settings.FEED_TAG_AUTHORITY = ""
    settings.FEED_TAG_DATE = "2025"
