"""What a reader sees and measures in Chromium: a folding category panel on a phone, touch-sized
controls, readable line lengths, and no console error from the CSP. Layout shift on every kind
of page: tests/posts/test_browser_quality.py."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE, open_page
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "How a regional hospital group redesigned its patient portal with nurses and patients"
LONG_BODY = (
    "<p>"
    + " ".join(["Patients told us the portal felt like paperwork, so we started over."] * 8)
    + "</p>"
)


@pytest.fixture
def hub(hub_categories):
    make_post(title=LONG_TITLE, body=LONG_BODY, categories=["cx-design", "patient-experience"],
              days_ago=1)  # fmt: skip
    for n in range(24):
        make_post(title=f"Inspiration {n}", categories=["cx-strategy"], days_ago=2 + n)


@pytest.fixture
def phone(chromium):
    with open_page(chromium, **PHONE) as page:
        yield page


def test_category_panel_is_folded_from_the_start_on_a_phone_and_stays_open_once_opened(
    live_server, phone, hub
):
    phone.goto(live_server.url + "/")
    toggle = phone.get_by_role("button", name="Browse by category")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(phone.locator("#facets-panel")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone.locator("#facets-panel")).to_be_visible()
    phone.locator("#facets-panel").get_by_role("link", name="about CX strategy 24 posts").click()
    expect(phone).to_have_url(live_server.url + "/category/cx-strategy/")
    # Picking did not fold it shut: the reader can pick again at once.
    expect(phone.locator("#facets-panel")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(phone.locator("#facets-panel")).to_be_hidden()
    assert phone.js_errors == []


def test_without_javascript_the_panel_is_open_and_there_is_no_dead_button(
    chromium, live_server, hub
):
    with open_page(chromium, java_script_enabled=False, **PHONE) as page:
        page.goto(live_server.url + "/")
        expect(page.locator("#facets-panel")).to_be_visible()
        expect(page.locator(".facets__toggle")).to_be_hidden()


def test_controls_are_at_least_44_px_on_a_touch_screen(live_server, phone, hub):
    phone.goto(live_server.url + "/")
    phone.get_by_role("button", name="Browse by category").click()
    leave_out = phone.get_by_role("link", name="Leave out about CX design", exact=True)
    box = leave_out.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    pick = phone.locator("#facets-panel a.option__pick").first.bounding_box()
    assert pick["height"] >= 44
    assert phone.get_by_role("button", name="Browse by category").bounding_box()["height"] >= 44


def test_read_more_links_have_unique_names_with_their_visible_text(live_server, page, hub):
    page.goto(live_server.url + "/")
    link = page.get_by_role("link", name=f"Read more of “{LONG_TITLE}”", exact=True)
    expect(link).to_have_count(1)
    expect(link).to_have_text(f"Read more of “{LONG_TITLE}”")  # hidden text is still text
    expect(page.get_by_role("link", name="Read more", exact=True)).to_have_count(0)


def test_skip_link_leads_to_the_categories(live_server, desktop_page, hub):
    page = desktop_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to categories")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#facets') !== null")


def test_post_reads_at_about_70_characters_a_line_and_sits_clear_of_the_header(
    live_server, page, hub
):
    page.goto(live_server.url + f"/post/{LONG_TITLE.lower().replace(' ', '-')}/")
    paragraph = page.locator(".post__body p").first
    chars_per_line = paragraph.evaluate(
        """p => {
          const probe = document.createElement("span");
          probe.textContent = "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz";
          p.appendChild(probe);
          const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
          probe.remove();
          return p.getBoundingClientRect().width / perChar;
        }"""
    )
    assert chars_per_line <= 80
    header = page.locator(".site-header").bounding_box()
    article = page.locator("article.post").bounding_box()
    assert article["y"] - (header["y"] + header["height"]) >= 16
    title = page.locator("h1")
    lines = title.evaluate(
        "h => Math.round(h.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(h).lineHeight))"
    )
    assert lines <= 4
    assert page.js_errors == []  # the JSON-LD is data: no CSP report on the console


def test_json_ld_raises_no_csp_error_on_listings(live_server, page, hub):
    for path in ["/", "/category/cx-design/", "/?q=portal&topic=cx-design", "/no-such-page/"]:
        page.goto(live_server.url + path)
    # The 404 answer itself is logged by Chromium; nothing else may be.
    assert [e for e in page.js_errors if "status of 404" not in e] == []


def test_copy_buttons_do_not_show_without_javascript(chromium, live_server, hub_categories):
    with open_page(chromium, java_script_enabled=False) as page:
        page.goto(live_server.url + "/subscribe/")
        assert page.locator("button[data-copy]").count() > 0
        expect(page.locator("button[data-copy]").first).to_be_hidden()
    with open_page(chromium) as page:
        page.goto(live_server.url + "/subscribe/")
        expect(page.locator("button[data-copy]").first).to_be_visible()
