"""Nothing a reader can put in an address makes a reader page fail."""

from urllib.parse import quote

import pytest

from tests.factories import make_post

HOSTILE_VALUES = [
    "",
    ",,,",
    "%00",
    "\x00",
    "a" * 5000,
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "ü😀中文",
    "\ud800",
    "CX-DESIGN",
    "cx-design," * 100,
]


@pytest.fixture
def some_posts(db):
    make_post(title="A", categories=["cx-design"])
    make_post(title="B", categories=["healthcare-sector"])


@pytest.mark.parametrize("key", ["topic", "industry", "not", "q", "page", "series", "unknown"])
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_query_values_never_cause_a_server_error(client, some_posts, key, value):
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    for base in ["/", "/category/cx-design/"]:
        response = client.get(f"{base}?{key}={encoded}&{key}={encoded}")
        assert response.status_code in (200, 404), (base, key, value)


@pytest.mark.parametrize(
    "path",
    [
        "/category/%00/",
        "/category/" + "x" * 3000 + "/",
        "/category/%C3%BC/",
        "/post/%ff%fe/",
        "/post/" + "y" * 3000 + "/",
    ],
)
def test_hostile_paths_are_404(client, some_posts, path):
    assert client.get(path).status_code == 404


def test_filter_values_are_case_insensitive(client, some_posts):
    response = client.get("/?topic=CX-DESIGN")
    assert [p.title for p in response.context["posts"]] == ["A"]
    assert not response.context["selection"].notices


def test_too_many_values_are_capped_with_a_notice(client, some_posts):
    response = client.get("/?topic=" + ",".join(["cx-design"] * 100))
    assert response.status_code == 200
    assert "Only the first 40 values" in response.content.decode()


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "url", ["/", "/category/cx-design/", "/post/a/", "/feed/", "/feeds.opml", "/subscribe/"]
)
def test_reader_pages_answer_only_get_and_head(client, some_posts, method, url):
    response = client.generic(method, url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert b"<article" not in response.content  # never the page itself


@pytest.mark.parametrize("url", ["/", "/category/cx-design/", "/post/a/"])
def test_reader_pages_answer_head_without_a_body(client, some_posts, url):
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
