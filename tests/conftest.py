import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SITE_URL = "https://hub.example.org"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.POSTS_PER_PAGE = 20
