"""Fetch and parse published feeds the way a reader would, strictly."""

import json
import xml.dom.minidom
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser

from posts.models import Post

SITE = "https://hub.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_PATHS = {"rss": "/feed/", "atom": "/feed/atom/", "json": "/feed.json"}
CATEGORY_FEED_PATHS = {"rss": "feed/", "atom": "feed/atom/", "json": "feed.json"}


def feed_path(fmt: str, category: str | None = None, query: str = "") -> str:
    path = f"/category/{category}/{CATEGORY_FEED_PATHS[fmt]}" if category else FEED_PATHS[fmt]
    return path + (f"?{query}" if query else "")


def strict_xml(body: bytes) -> ET.Element:
    """Parse with expat (no recovery) twice over; any ill-formed byte raises."""
    document = xml.dom.minidom.parseString(body)
    assert document.doctype is None
    assert b"<!DOCTYPE" not in body
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)


# Served as XML so that browsers apply the stylesheet (feeds.syndication.CONTENT_TYPES).
CONTENT_TYPES = {
    "rss": "application/xml; charset=utf-8",
    "atom": "application/xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def parse_xml_feed(body: bytes, fmt: str) -> feedparser.FeedParserDict:
    strict_xml(body)
    parsed = feedparser.parse(body, response_headers={"content-type": CONTENT_TYPES[fmt]})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[fmt]
    return parsed


def parse_json_feed(body: bytes) -> dict:
    """JSON Feed 1.1 read with json (this feedparser release has no JSON Feed support), with
    the spec's required members and types checked."""
    feed = json.loads(body.decode("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        for key in ("url", "external_url", "image"):
            assert key not in item or item[key].startswith("https://")
    return feed


def get_feed(client, fmt: str, category: str | None = None, query: str = ""):
    response = client.get(feed_path(fmt, category, query))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        return parse_json_feed(response.content)
    return parse_xml_feed(response.content, fmt)


def item_links(parsed, fmt: str) -> list[str]:
    if fmt == "json":
        return [item["url"] for item in parsed["items"]]
    return [entry.link for entry in parsed.entries]


def post_urls(posts) -> list[str]:
    return [SITE + post.get_absolute_url() for post in posts]


def visible_posts(limit: int = 30) -> list[Post]:
    return list(Post.objects.published().newest_first().with_categories()[:limit])


def guid(post: Post) -> str:
    return f"tag:hub.example.org,2025:post/{post.pk}"


def link_rel(parsed, rel: str) -> str | None:
    for link in parsed.feed.get("links", []):
        if link.get("rel") == rel:
            return link.href
    return None


class _HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self._in_head = True
        elif tag == "link" and self._in_head:
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def alternate_links(html: str) -> dict[str, dict]:
    """<link rel="alternate"> entries of a page's head, by MIME type."""
    parser = _HeadLinks()
    parser.feed(html)
    return {link["type"]: link for link in parser.links if link.get("rel") == "alternate"}


class _UrlsInHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in {"href", "src", "cite"} and value]


def urls_in_html(fragment: str) -> list[str]:
    parser = _UrlsInHtml()
    parser.feed(fragment)
    return parser.urls
