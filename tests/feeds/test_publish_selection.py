"""A category or filtered feed holds exactly what its listing page shows, page for page."""

import pytest

from posts.models import Category, CategoryRedirect, Post
from tests.factories import make_post
from tests.feeds.feedtools import SITE, feed_path, get_feed, item_links, link_rel, post_urls

FORMATS = ["rss", "atom", "json"]
CATEGORY_SETS = [
    ["cx-design", "healthcare-sector"],
    ["cx-strategy", "financial-sector", "patient-experience"],
    ["real-life-examples", "cx-design", "tech-industry"],
    ["cx-design", "financial-sector"],
    [],
]
# (listing page path, category of the feed, query string shared by page and feed)
VIEWS = [
    ("/", None, ""),
    ("/category/cx-design/", "cx-design", ""),
    ("/category/cx-design/", "cx-design", "industry=financial-sector"),
    ("/", None, "topic=cx-design,cx-strategy&industry=healthcare-sector,financial-sector"),
    ("/", None, "topic=cx-design&not=real-life-examples"),
    ("/", None, "q=patients+journey"),
    ("/", None, "industry=financial-sector&q=patients"),
]


@pytest.fixture
def catalogue(db, settings):
    settings.FEED_ITEMS = settings.POSTS_PER_PAGE = 4
    posts = []
    for i in range(23):
        title = f"Patients journey {i}" if i % 2 else f"Story {i}"
        posts.append(make_post(title=title, categories=CATEGORY_SETS[i % 5], days_ago=i + 1))
    make_post(title="Draft", categories=["cx-design"], status=Post.Status.DRAFT, days_ago=0.5)
    return posts


def listing_pages(client, path: str, query: str) -> list[list[str]]:
    pages, number = [], 1
    while True:
        separator = "&" if query else ""
        response = client.get(f"{path}?{query}{separator}page={number}")
        if response.status_code == 404:
            return pages
        pages.append(post_urls(response.context["posts"]))
        number += 1


def feed_pages(client, fmt: str, category: str | None, query: str) -> list[list[str]]:
    pages, url = [], SITE + feed_path(fmt, category, query)
    while url:
        parsed = get_feed(client, fmt, category, url.split("?", 1)[1] if "?" in url else "")
        pages.append(item_links(parsed, fmt))
        url = parsed.get("next_url") if fmt == "json" else link_rel(parsed, "next")
    return pages


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("path", "category", "query"), VIEWS)
def test_feed_pages_match_listing_pages_item_for_item(
    client, catalogue, fmt, path, category, query
):
    expected = listing_pages(client, path, query)
    assert expected and expected[0], "the view should not be empty"
    assert feed_pages(client, fmt, category, query) == expected


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_paged_feeds_link_first_previous_and_next(client, catalogue, fmt):
    first = get_feed(client, fmt, "cx-design")
    base = SITE + feed_path(fmt, "cx-design")
    assert link_rel(first, "self") == base
    assert link_rel(first, "first") == base
    assert link_rel(first, "next") == f"{base}?page=2"
    assert link_rel(first, "previous") is None
    second = get_feed(client, fmt, "cx-design", "page=2")
    assert link_rel(second, "self") == f"{base}?page=2"
    assert link_rel(second, "previous") == base
    assert link_rel(second, "next") == f"{base}?page=3"


def test_json_feed_pages_with_next_url(client, catalogue):
    first = get_feed(client, "json")
    assert first["next_url"] == SITE + "/feed.json?page=2"
    second = get_feed(client, "json", query="page=2")
    assert second["feed_url"] == SITE + "/feed.json"
    assert second["next_url"] == SITE + "/feed.json?page=3"
    last_number = -(-23 // 4)
    last = get_feed(client, "json", query=f"page={last_number}")
    assert "next_url" not in last
    assert len(last["items"]) == 23 - 4 * (last_number - 1)


@pytest.mark.parametrize("page", ["7", "0", "-1", "two", "1.5", "²"])
def test_bad_or_missing_pages_are_404_with_an_explanation(client, catalogue, page):
    for fmt in FORMATS:
        response = client.get(feed_path(fmt), {"page": page})
        assert response.status_code == 404
    assert client.get("/", {"page": page}).status_code == 404


def test_first_page_of_an_empty_view_is_an_empty_feed(client, catalogue):
    query = "industry=automotive-industry"
    for fmt in FORMATS:
        parsed = get_feed(client, fmt, query=query)
        assert item_links(parsed, fmt) == []
    assert client.get("/", {"industry": "automotive-industry"}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_category_is_404_like_its_page(client, catalogue, fmt):
    assert client.get("/category/no-such-thing/").status_code == 404
    assert client.get(feed_path(fmt, "no-such-thing")).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_renamed_category_feed_redirects_permanently_like_its_page(client, catalogue, fmt):
    category = Category.objects.get(slug="cx-design")
    CategoryRedirect.objects.create(old_slug="design-of-cx", category=category)
    page = client.get("/category/design-of-cx/?industry=financial-sector")
    assert (page.status_code, page["Location"]) == (
        301,
        "/category/cx-design/?industry=financial-sector",
    )
    response = client.get(feed_path(fmt, "design-of-cx", "not=tech-industry&page=2"))
    assert response.status_code == 301
    assert response["Location"] == feed_path(fmt, "cx-design", "not=tech-industry&page=2")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_filter_values_a_feed_cannot_use_are_an_error_not_a_wider_feed(client, catalogue, fmt):
    # The page drops what it cannot use and says so; a feed reader would show no notice, and
    # "industry=cx-design" dropped would widen the feed to every industry.
    query = "topic=nope&industry=cx-design&topic=cx-design"
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    notices = page.context["selection"].notices
    assert len(notices) == 2

    response = client.get(feed_path(fmt, None, query))
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    reason = response.content.decode()
    for notice in notices:
        assert notice in reason
    assert "https://hub.example.org/subscribe/" in reason
    for unusable in ["not=nope", "industry=cx-design", "topic=cx-design&not=gone"]:
        assert client.get(feed_path(fmt, "cx-design", unusable)).status_code == 404, unusable


def rename(slug: str, new_slug: str) -> None:
    category = Category.objects.get(slug=slug)
    category.slug = new_slug
    category.save()


@pytest.mark.parametrize("fmt", FORMATS)
def test_old_slugs_in_a_feed_query_redirect_to_the_same_selection(client, catalogue, fmt):
    narrow = "topic=cx-design&industry=healthcare-sector"
    before = item_links(get_feed(client, fmt, query=narrow), fmt)
    excluded = item_links(get_feed(client, fmt, query="not=cx-design"), fmt)
    rename("cx-design", "designing-cx")

    response = client.get(feed_path(fmt, None, narrow))
    assert response.status_code == 301
    assert response["Location"] == feed_path(
        fmt, None, "topic=designing-cx&industry=healthcare-sector"
    )
    assert (
        item_links(get_feed(client, fmt, query=response["Location"].split("?")[1]), fmt) == before
    )

    response = client.get(feed_path(fmt, None, "not=cx-design"))
    assert (response.status_code, response["Location"]) == (
        301,
        feed_path(fmt, None, "not=designing-cx"),
    )
    assert item_links(get_feed(client, fmt, query="not=designing-cx"), fmt) == excluded


def test_old_slugs_in_the_path_and_the_query_redirect_in_one_step(client, catalogue):
    rename("cx-design", "designing-cx")
    rename("healthcare-sector", "health-care")
    response = client.get("/category/healthcare-sector/feed/?topic=cx-design,cx-strategy&q=x")
    assert response.status_code == 301
    assert response["Location"] == (
        "/category/health-care/feed/?topic=designing-cx%2Ccx-strategy&q=x"
    )
    page = client.get("/?topic=cx-design&not=healthcare-sector&page=2")
    assert (page.status_code, page["Location"]) == (
        301,
        "/?topic=designing-cx&not=health-care&page=2",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_titles_name_the_selection(client, catalogue, fmt):
    parsed = get_feed(client, fmt, "cx-design", "industry=financial-sector&not=tech-industry")
    title = parsed["title"] if fmt == "json" else parsed.feed.title
    assert title == (
        "Pharma Digital CX News: about CX design, by financial sector, not by tech industry"
    )
    site = get_feed(client, fmt)
    assert (site["title"] if fmt == "json" else site.feed.title) == "Pharma Digital CX News"


def test_category_and_filter_feeds_link_their_listing_page(client, catalogue):
    parsed = get_feed(client, "atom", "cx-design")
    assert parsed.feed.link == SITE + "/category/cx-design/"
    parsed = get_feed(client, "rss", query="topic=cx-design&industry=financial-sector")
    assert parsed.feed.link == SITE + "/?topic=cx-design&industry=financial-sector"
    feed = get_feed(client, "json", query="q=patients")
    assert feed["home_page_url"] == SITE + "/?q=patients"
    assert client.get("/?topic=cx-design&industry=financial-sector").status_code == 200
