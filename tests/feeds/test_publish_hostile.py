"""Nothing a reader or a feed reader puts in a feed address makes the feed fail."""

from urllib.parse import quote

import pytest

from tests.factories import make_post
from tests.posts.test_hostile_input import HOSTILE_VALUES

FEEDS = ["/feed/", "/feed/atom/", "/feed.json", "/category/cx-design/feed/"]


@pytest.fixture
def some_posts(db):
    make_post(title="A", categories=["cx-design"])
    make_post(title="B", categories=["healthcare-sector"])


@pytest.mark.parametrize(
    "page",
    [
        "99999999999999999999999",
        "9223372036854775808",
        "1000001",
        "9" * 5000,
        "0" * 30 + "1",
        "%00",
        "1e3",
        "-0",
        "٣",  # an Arabic-Indic digit: a digit to Python, not a page number to us
    ],
)
@pytest.mark.parametrize("feed", FEEDS)
def test_hostile_page_numbers_are_404_not_500(client, some_posts, feed, page):
    response = client.get(f"{feed}?page={quote(page)}")
    assert response.status_code in (200, 404), (feed, page[:30])
    if page.lstrip("0") == "1":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("key", ["topic", "not", "q", "other"])
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_filter_values_never_break_a_feed(client, some_posts, key, value):
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    for feed in FEEDS:
        response = client.get(f"{feed}?{key}={encoded}")
        assert response.status_code in (200, 404), (feed, key, value[:30])
