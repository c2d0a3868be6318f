"""A reader's path through the hub in a real browser, on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(hub_categories):
    make_post(
        title="Journey mapping in oncology",
        categories=["cx-design", "healthcare-sector"],
        link="https://example.org/journeys",
        kind="article",
        body="<p>Mapping the path from first symptoms to follow-up.</p>",
        days_ago=1,
    )
    make_post(
        title="Design lessons from banking",
        categories=["cx-design", "financial-sector"],
        days_ago=2,
    )
    make_post(
        title="Strategy for hospitals", categories=["cx-strategy", "healthcare-sector"], days_ago=3
    )
    for n in range(22):
        make_post(
            title=f"Older inspiration {n}", categories=["broader-inspiration"], days_ago=10 + n
        )


def open_facets(page) -> None:
    # On a phone the navigation starts folded behind a button; on a desktop it is open.
    toggle = page.locator(".facets__toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def test_reader_filters_and_opens_a_post(live_server, page, hub):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Latest inspiration")

    open_facets(page)
    page.locator(".facets").get_by_role("link", name=re.compile(r"^about CX design")).click()
    expect(page).to_have_url(live_server.url + "/category/cx-design/")
    expect(page.locator("#post-list > article")).to_have_count(2)

    open_facets(page)
    page.locator(".facets").get_by_role("link", name=re.compile(r"^by healthcare sector")).click()
    expect(page).to_have_url(re.compile(r"/\?topic=cx-design&industry=healthcare-sector$"))
    expect(page.locator("#post-list > article")).to_have_count(1)
    expect(page.locator(".active-filters")).to_contain_text("by healthcare sector")

    page.locator(".active-filters a", has_text="by healthcare sector").click()
    expect(page).to_have_url(live_server.url + "/category/cx-design/")
    expect(page.locator("#post-list > article")).to_have_count(2)

    page.get_by_role("link", name="Journey mapping in oncology", exact=True).click()
    expect(page.locator("h1")).to_have_text("Journey mapping in oncology")
    expect(page.get_by_role("link", name="Go to the source")).to_have_attribute(
        "href", "https://example.org/journeys"
    )
    assert page.js_errors == []


def test_load_more_appends_the_next_page(live_server, page, hub):
    page.goto(live_server.url + "/")
    cards = page.locator("#post-list > article")
    expect(cards).to_have_count(20)
    page.get_by_role("button", name="Load more posts").click()
    expect(cards).to_have_count(25)
    expect(page.locator(".end-of-list")).to_be_visible()
    assert page.js_errors == []


def test_keyboard_reaches_the_first_post(live_server, page, hub):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#post-list') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Journey mapping in oncology"


def test_skip_link_goes_straight_to_the_posts(live_server, page, hub):
    page.goto(live_server.url + "/")
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to posts")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Journey mapping in oncology"
