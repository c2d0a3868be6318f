"""The Subscribe page in a real browser: reachable from the header, copy buttons that copy."""

import pytest

from tests.factories import make_post


@pytest.fixture
def browser_page(live_server, settings, chromium):
    settings.SITE_URL = live_server.url
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_subscribe_link_leads_to_copyable_feed_addresses(live_server, hub_categories, browser_page):
    make_post(title="Designing with patients", categories=["cx-design"])
    page = browser_page
    page.goto(live_server.url + "/category/cx-design/")
    alternates = page.eval_on_selector_all(
        'head link[rel="alternate"]', "links => links.map(l => [l.type, l.href])"
    )
    assert alternates == [
        ["application/rss+xml", f"{live_server.url}/category/cx-design/feed/"],
        ["application/atom+xml", f"{live_server.url}/category/cx-design/feed/atom/"],
        ["application/feed+json", f"{live_server.url}/category/cx-design/feed.json"],
    ]
    page.get_by_role("link", name="Subscribe", exact=True).click()
    page.wait_for_url(f"{live_server.url}/subscribe/")
    field = page.get_by_label("Atom")
    assert field.input_value() == f"{live_server.url}/feed/atom/"
    copy = page.locator('button[data-copy="feed-atom"]')
    assert copy.is_visible()
    copy.click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/feed/atom/"
    # The address copied is a feed the browser can load.
    response = page.request.get(f"{live_server.url}/feed/atom/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    assert "Designing with patients" in response.text()
    assert page.js_errors == []
