"""RSS and Atom carry an XSLT stylesheet: browsers show a page on how to subscribe, readers
read the same items as without it."""

import xml.dom.minidom
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_post
from tests.feeds.feedtools import parse_xml_feed

STYLESHEET_PI = b'<?xml-stylesheet type="text/xsl" href="/static/feeds/feed.xsl"?>'
XSL = Path(settings.BASE_DIR) / "static" / "feeds" / "feed.xsl"


def without_stylesheet(body: bytes) -> bytes:
    assert body.count(STYLESHEET_PI) == 1
    return body.replace(STYLESHEET_PI, b"")


@pytest.mark.parametrize(
    ("fmt", "url"),
    [("rss", "/feed/"), ("atom", "/feed/atom/"), ("rss", "/category/cx-design/feed/")],
)
def test_xml_feeds_point_browsers_at_the_stylesheet_and_readers_read_the_same_items(
    client, db, fmt, url
):
    make_post(title="Tom & Jerry <on> journeys", excerpt="Fish & chips", categories=["cx-design"])
    make_post(title="Second story", categories=["cx-design"])
    body = client.get(url).content
    # Right after the XML declaration, before the root element.
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n' + STYLESHEET_PI + b"\n<")
    with_pi = parse_xml_feed(body, fmt)
    plain = feedparser.parse(without_stylesheet(body))
    assert sorted(e.title for e in with_pi.entries) == ["Second story", "Tom & Jerry <on> journeys"]
    assert with_pi.entries == plain.entries
    assert with_pi.feed.title == plain.feed.title


def test_json_feed_has_no_stylesheet(client, db):
    make_post(title="A story")
    assert b"xml-stylesheet" not in client.get("/feed.json").content


def test_stylesheet_is_well_formed_and_links_the_real_subscribe_page():
    document = xml.dom.minidom.parse(str(XSL))
    root = document.documentElement
    assert root.tagName == "xsl:stylesheet"
    matches = {t.getAttribute("match") for t in document.getElementsByTagName("xsl:template")}
    assert {"/rss/channel", "/atom:feed", "item", "atom:entry"} <= matches
    assert f"'{reverse('feeds:subscribe')}'" in XSL.read_text()


@pytest.fixture
def feed_page(live_server, settings, chromium):
    settings.SITE_URL = live_server.url
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    messages: list[str] = []
    page.on("pageerror", lambda exc: messages.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and messages.append(msg.text))
    page.console_errors = messages
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/feed/", "/category/cx-design/feed/atom/"])
def test_browser_shows_a_feed_as_a_page_on_how_to_subscribe(
    live_server, hub_categories, feed_page, path
):
    make_post(title="Designing with patients", excerpt="Fish & chips", categories=["cx-design"])
    page = feed_page
    response = page.goto(live_server.url + path)
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert "Pharma Digital CX News" in heading.inner_text()
    assert page.get_by_role("heading", name="This is a web feed").is_visible()
    # The address to copy is this feed's own, and the item links to its post.
    assert page.locator(".feed-preview__address").inner_text() == live_server.url + path
    item = page.get_by_role("link", name="Designing with patients")
    assert item.is_visible()
    assert item.get_attribute("href") == f"{live_server.url}/post/designing-with-patients/"
    assert page.get_by_text("Fish & chips", exact=True).is_visible()
    subscribe = page.get_by_role("link", name="Subscribe page")
    assert subscribe.get_attribute("href") == reverse("feeds:subscribe")
    # The stylesheets loaded under the feed's Content-Security-Policy: hub.css sets the font
    # and feed.css the box around the instructions.
    box = page.locator(".feed-preview__how")
    assert box.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(227, 238, 250)"
    assert "<rss" not in page.content() and "<feed" not in page.content()
    # Chromium's own banner on XSLT's deprecation has an inline onclick, which our policy
    # blocks; nothing of ours may be blocked.
    blocked = [
        m
        for m in page.console_errors
        if "Content Security Policy" in m and "inline event handler" not in m
    ]
    assert blocked == []
    assert not [m for m in page.console_errors if "Failed to load resource" in m]
