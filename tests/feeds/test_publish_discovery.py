"""Every page advertises its feeds; the Subscribe page and the OPML file list them all."""

import re
from html import unescape as html_unescape

import pytest

from posts.models import Category
from tests.factories import make_post
from tests.feeds.feedtools import CONTENT_TYPES, SITE, alternate_links, strict_xml, urls_in_html

TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
}


@pytest.fixture
def post(db):
    return make_post(title="Designing with patients", categories=["cx-design", "healthcare-sector"])


def fetch(client, href: str):
    assert href.startswith(SITE + "/")
    response = client.get(href.removeprefix(SITE))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/", {"rss": "/feed/", "atom": "/feed/atom/", "json": "/feed.json"}),
        (
            "/category/cx-design/",
            {
                "rss": "/category/cx-design/feed/",
                "atom": "/category/cx-design/feed/atom/",
                "json": "/category/cx-design/feed.json",
            },
        ),
        (
            "/?topic=cx-design&industry=healthcare-sector",
            {
                "rss": "/feed/?topic=cx-design&industry=healthcare-sector",
                "atom": "/feed/atom/?topic=cx-design&industry=healthcare-sector",
                "json": "/feed.json?topic=cx-design&industry=healthcare-sector",
            },
        ),
        (
            "/category/cx-design/?industry=healthcare-sector&page=1",
            {
                "rss": "/category/cx-design/feed/?industry=healthcare-sector",
                "atom": "/category/cx-design/feed/atom/?industry=healthcare-sector",
                "json": "/category/cx-design/feed.json?industry=healthcare-sector",
            },
        ),
    ],
)
def test_listing_pages_advertise_their_own_feeds(client, post, page, feeds):
    response = client.get(page)
    assert response.status_code == 200
    links = alternate_links(response.content.decode())
    assert {TYPES[mime]: link["href"] for mime, link in links.items()} == {
        fmt: SITE + path for fmt, path in feeds.items()
    }
    for mime, link in links.items():
        feed = fetch(client, link["href"])
        assert feed["Content-Type"] == CONTENT_TYPES[TYPES[mime]]
        assert link["title"].startswith("Pharma Digital CX News")


def test_filtered_page_feed_title_names_the_filter(client, post):
    links = alternate_links(client.get("/?topic=cx-design&q=patients").content.decode())
    assert links["application/rss+xml"]["title"] == (
        "Pharma Digital CX News: about CX design, matching “patients” (RSS)"
    )


@pytest.mark.parametrize("path", ["/subscribe/", None])
def test_other_pages_advertise_the_site_feed(client, post, path):
    response = client.get(path or post.get_absolute_url())
    assert response.status_code == 200
    links = alternate_links(response.content.decode())
    assert links["application/rss+xml"]["href"] == SITE + "/feed/"
    assert links["application/atom+xml"]["href"] == SITE + "/feed/atom/"
    assert links["application/feed+json"]["href"] == SITE + "/feed.json"


def test_every_page_has_a_visible_subscribe_link(client, post):
    for path in ("/", "/category/cx-design/", post.get_absolute_url()):
        html = client.get(path).content.decode()
        assert 'href="/subscribe/">Subscribe</a>' in html


def test_subscribe_page_lists_copyable_feed_addresses(client, post):
    response = client.get("/subscribe/")
    assert response.status_code == 200
    html = response.content.decode()
    for url in (f"{SITE}/feed/", f"{SITE}/feed/atom/", f"{SITE}/feed.json"):
        assert f'type="url" value="{url}" readonly' in html
    assert f'href="{SITE}/feeds.opml"' in html
    urls = urls_in_html(html)
    for category in Category.objects.all():
        assert f"{SITE}/category/{category.slug}/feed/" in urls
        assert f"{SITE}/category/{category.slug}/feed/atom/" in urls
        assert f"{SITE}/category/{category.slug}/feed.json" in urls


def test_opml_lists_the_site_feed_and_every_category_feed(client, post):
    response = client.get("/feeds.opml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    root = strict_xml(response.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text
    feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert all(o.get("type") == "rss" and o.get("text") and o.get("htmlUrl") for o in feeds)
    urls = [o.get("xmlUrl") for o in feeds]
    expected = [f"{SITE}/feed/"] + [
        f"{SITE}/category/{c.slug}/feed/" for c in Category.objects.all().in_navigation_order()
    ]
    assert urls == expected
    folders = [o.get("text") for o in root.find("body") if not o.get("xmlUrl")]
    assert folders == [
        f"Pharma Digital CX News: {f}"
        for f in ("Topic", "Format", "Industry", "Focus", "Series", "More")
    ]
    for url in urls:
        assert fetch(client, url)["Content-Type"] == "application/xml; charset=utf-8"


def test_listing_offers_a_visible_link_to_the_feed_of_the_same_view(client, db):
    page = client.get("/?topic=cx-design&industry=healthcare-sector")
    html = page.content.decode()
    link = re.search(r'<a class="subscribe-view" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert link, "no visible subscribe link"
    href, label = html_unescape(link.group(1)), link.group(2)
    assert label == "Subscribe to this view (RSS)"
    assert href == page.context["feed_links"][0].href
    assert "topic=cx-design" in href and "industry=healthcare-sector" in href
    assert client.get("/").content.decode().count("Subscribe to all posts (RSS)") == 1
