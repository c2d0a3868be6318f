"""Typed cards and pages in Chromium, on a phone and a desktop: nothing spills sideways, the
date block sits beside the title, and an event's time range stays on one line."""

import pytest

from tests.kind_posts import make_kind_posts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def kinds(hub_categories):
    return make_kind_posts()


def test_typed_cards_and_pages_fit_the_screen(live_server, page, kinds):
    page.goto(live_server.url + "/")
    assert page.evaluate(OVERFLOW) <= 0
    card = page.locator("article.card", has_text=kinds["event"].title)
    block = card.locator(".date-block").bounding_box()
    title = card.locator(".card__title").bounding_box()
    assert block["x"] + block["width"] <= title["x"]  # beside the title, not over it
    assert abs(block["y"] - title["y"]) < 8
    time_range = card.locator(".event-facts__when .nowrap").nth(1)
    assert time_range.inner_text() == "13:00\u201313:45 CEST"
    line_height = time_range.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert time_range.bounding_box()["height"] < 1.5 * line_height
    # A quotation is cut short on its card, never left out.
    quote = page.locator("article.card", has_text=kinds["quote"].title)
    assert quote.locator("blockquote").is_visible() and quote.locator("cite").is_visible()
    for post in kinds.values():
        page.goto(live_server.url + post.get_absolute_url())
        assert page.evaluate(OVERFLOW) <= 0, post.kind
    assert page.js_errors == []
