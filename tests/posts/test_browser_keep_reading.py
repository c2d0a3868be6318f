"""Keep reading in a real browser: from a filtered list to a post, on to a related post and
back to the same filtered list; the share block's Copy button."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_post
from tests.posts.test_browser import open_facets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(hub_categories):
    make_post(
        title="Journey mapping in oncology",
        categories=["cx-design", "healthcare-sector"],
        body="<p>" + "Mapping the path from first symptoms to follow-up. " * 60 + "</p>",
        days_ago=1,
    )
    make_post(title="Service design in clinics", categories=["cx-design"], days_ago=4)
    make_post(title="Design lessons from banking", categories=["cx-design", "financial-sector"])
    make_post(title="Strategy for hospitals", categories=["cx-strategy"], days_ago=3)


def test_reader_returns_to_the_filtered_list_from_a_related_post(live_server, page, hub):
    page.goto(live_server.url + "/")
    open_facets(page)
    page.locator(".facets").get_by_role("link", name=re.compile(r"^about CX design")).click()
    expect(page).to_have_url(live_server.url + "/category/cx-design/")
    open_facets(page)
    page.locator(".facets").get_by_role("link", name=re.compile(r"^by healthcare sector")).click()
    expect(page).to_have_url(re.compile(r"/\?topic=cx-design&industry=healthcare-sector$"))
    filtered = page.url

    page.get_by_role("link", name="Journey mapping in oncology", exact=True).click()
    expect(page.locator("h1")).to_have_text("Journey mapping in oncology")
    expect(page.locator(".post__meta")).to_contain_text("2 min read")
    related = page.locator(".related")
    expect(related.get_by_role("link")).to_have_count(2)  # the two other CX design posts
    related.get_by_role("link", name="Service design in clinics").click()
    expect(page.locator("h1")).to_have_text("Service design in clinics")
    # Its canonical address is its own, whatever the way back.
    expect(page.locator("link[rel=canonical]")).to_have_attribute(
        "href", re.compile(r"/post/service-design-in-clinics/$")
    )

    page.get_by_role("link", name="← Back to the list").click()
    expect(page).to_have_url(filtered)
    expect(page.locator("#post-list > article")).to_have_count(1)
    assert page.js_errors == []


def test_copy_link_button_shows_with_javascript(live_server, desktop_page, hub):
    page = desktop_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + "/post/strategy-for-hospitals/")
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".share__status")).to_have_text(re.compile("copied|Ctrl"))
    assert page.js_errors == []
