"""An editor goes through the review queue in Chromium: by keyboard (j/k, a, r) and by the
one-click buttons of a row; the strict CSP holds (no JavaScript errors)."""

import pytest
from playwright.sync_api import expect

from newsroom.models import NewsItem
from tests.newsroom.test_review_queue import stories
from tests.posts.admin_support import (
    PASSWORD,
    fast_password_hashing,  # noqa: F401 (fixture)
    make_editor,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing", "hub_categories"),
]


def sign_in(page, live_server):
    make_editor()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def rows(page):
    return page.locator("#result_list tbody tr")


def test_an_editor_goes_through_a_batch_by_keyboard(live_server, desktop_page):
    page = desktop_page
    stories(4)  # newest first: story 0, 1, 2, 3
    sign_in(page, live_server)
    page.get_by_role("link", name="Review queue").click()
    expect(page.locator("h1")).to_have_text("Review queue")
    expect(page.locator("#queue-keys")).to_contain_text("j next item")
    expect(rows(page)).to_have_count(4)

    page.keyboard.press("j")
    expect(rows(page).nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows(page).nth(1)).to_be_focused()
    expect(rows(page).nth(1)).to_have_class("queue-current")

    page.keyboard.press("a")  # approves story 1
    expect(page.locator(".messagelist")).to_contain_text("Approved “Story number 1 ")
    expect(rows(page)).to_have_count(3)
    # The focus stays at the same position, now on the next story.
    expect(rows(page).nth(1)).to_be_focused()
    expect(rows(page).nth(1)).to_contain_text("Story number 2 ")

    page.keyboard.press("r")  # rejects story 2
    expect(page.locator(".messagelist")).to_contain_text("Rejected “Story number 2 ")
    expect(rows(page)).to_have_count(2)

    # Typing in the search box is typing, not deciding.
    page.locator("#searchbar").fill("")
    page.locator("#searchbar").press("a")
    page.locator("#searchbar").press("r")
    expect(rows(page)).to_have_count(2)

    assert NewsItem.objects.get(title__startswith="Story number 1 ").status == "published"
    assert NewsItem.objects.get(title__startswith="Story number 2 ").status == "rejected"
    assert {i.status for i in NewsItem.objects.filter(title__startswith="Story number 0 ")} == {
        "waiting"
    }
    assert page.js_errors == []


def test_one_click_buttons_approve_and_reject(live_server, desktop_page):
    page = desktop_page
    stories(3)
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/newsroom/newsitem/?q=Story")

    row = rows(page).filter(has_text="Story number 2 ")
    row.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text("Rejected “Story number 2 ")
    assert page.url.endswith("/admin/newsroom/newsitem/?q=Story")  # the list stays in place

    rows(page).filter(has_text="Story number 0 ").get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved “Story number 0 ")
    expect(rows(page)).to_have_count(1)

    page.locator("#changelist-filter").get_by_role("link", name="All", exact=True).first.click()
    expect(rows(page)).to_have_count(3)
    expect(rows(page).get_by_role("button")).to_have_count(2)  # only the waiting one decides

    assert NewsItem.objects.get(title__startswith="Story number 0 ").status == "published"
    assert NewsItem.objects.get(title__startswith="Story number 2 ").status == "rejected"
    assert page.js_errors == []
