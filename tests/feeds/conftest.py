import pytest


@pytest.fixture(autouse=True)
def _feed_settings(settings):
    settings.FEED_ITEMS = 30
    settings.FEED_MAX_AGE = 300
    settings.FEED_TAG_AUTHORITY = ""
    settings.FEED_TAG_DATE = "2025"
