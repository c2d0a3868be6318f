"""An editor signs in through the real admin in Chromium, publishes a post, and readers see it."""

import pytest
from playwright.sync_api import expect

from posts.models import Post
from tests.posts.admin_support import (
    PASSWORD,
    fast_password_hashing,  # noqa: F401 (fixture)
    make_editor,
)

# Transactional: the live server runs in another thread. A flush by an earlier transactional
# test removes the categories (hub_categories brings them back); the Editor group comes back by
# itself, as flush re-runs post_migrate.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing", "hub_categories"),
]


def test_editor_publishes_a_post_that_readers_then_find(live_server, desktop_page):
    page = desktop_page
    make_editor()

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_contain_text("CX Inspiration Hub")

    page.locator("#posts-post").get_by_role("link", name="Posts").click()
    page.locator(".object-tools").get_by_role("link", name="Add post").click()

    # Typed key by key: the admin fills the slug in on key presses.
    page.locator("#id_title").press_sequentially("Listening to rare-disease patients")
    # The slug is filled in from the title as the editor types.
    expect(page.locator("#id_slug")).to_have_value("listening-to-rare-disease-patients")
    page.locator("#id_excerpt").fill("What a patient panel taught one brand team.")
    page.locator("#id_body_source").fill("Start with **listening**, then design.")
    page.locator("#id_link").fill("https://example.org/rare-disease-panel")
    page.locator("#id_kind").select_option("article")

    page.get_by_label("about understanding the customer").check()
    # The industry list is long: its filter box narrows it down.
    industry = page.locator("#id_categories_industry")
    industry.locator("xpath=..").locator(".facet-filter").fill("health")
    expect(industry.get_by_label("by tech industry")).to_be_hidden()
    industry.get_by_label("by healthcare sector").check()
    page.get_by_label("focus on patient experience").check()

    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").last.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("Listening to rare-disease patients")
    expect(page.locator("#result_list .state-published")).to_have_count(1)

    post = Post.objects.get()
    assert post.is_visible
    assert {c.slug for c in post.categories.all()} == {
        "understanding-the-customer",
        "healthcare-sector",
        "patient-experience",
    }

    # A reader, in a fresh browser context without the editor's session.
    reader = page.context.browser.new_context()
    home = reader.new_page()
    home.goto(live_server.url + "/")
    card = home.locator("article", has_text="Listening to rare-disease patients")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("What a patient panel taught one brand team.")
    card.get_by_role("link", name="Listening to rare-disease patients", exact=True).click()
    expect(home.locator("h1")).to_have_text("Listening to rare-disease patients")
    expect(home.locator(".post__body strong")).to_have_text("listening")
    reader.close()
    assert page.js_errors == []


def sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_post_change_list_fits_a_laptop_screen(live_server, desktop_page):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_post

    make_editor()
    every = ["cx-strategy", "real-life-examples", "tech-industry", "patient-experience"]
    for n in range(12):
        make_post(
            title=f"A long title for a post about patients, journeys and measures, number {n}",
            categories=every[: n % 5],
            kind="podcast" if n % 2 else "webinar",
        )
    make_post(title="Next week", published_at=timezone.now() + timedelta(days=7))
    page = desktop_page  # 1366 px wide, like the laptop the issue measured on
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/posts/post/")
    widths = page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return [results.scrollWidth, results.clientWidth];
        }"""
    )
    assert widths[0] <= widths[1], f"the list is {widths[0]} px wide in {widths[1]} px"
    for column in ["Title", "State", "Categories", "Date"]:
        expect(page.locator("#result_list thead")).to_contain_text(column)
    assert page.js_errors == []


def test_post_form_shows_the_fields_of_the_chosen_kind_only(live_server, desktop_page):
    page = desktop_page
    make_editor()
    page.goto(live_server.url + "/admin/login/?next=/admin/posts/post/add/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # A new post is an article: no kind's own fields show.
    expect(page.locator("#id_kind")).to_have_value("article")
    expect(page.locator("#id_event_place")).to_be_hidden()
    expect(page.locator("#id_quote_text")).to_be_hidden()

    page.locator("#id_kind").select_option("event")
    expect(page.locator("#id_event_start_0")).to_be_visible()
    expect(page.locator("#id_event_timezone")).to_be_visible()
    expect(page.locator("#id_event_status")).to_be_visible()
    expect(page.locator("#id_quote_text")).to_be_hidden()
    expect(page.locator("#id_media_duration")).to_be_hidden()
    # Fields every kind has stay.
    expect(page.locator("#id_title")).to_be_visible()
    expect(page.locator("#id_series_part")).to_be_visible()

    page.locator("#id_kind").select_option("quote")
    expect(page.locator("#id_quote_text")).to_be_visible()
    expect(page.locator("#id_event_place")).to_be_hidden()

    # An event saved without its start comes back with the model's message, event fields shown.
    page.locator("#id_title").fill("Patient-centricity summit")
    page.locator("#id_kind").select_option("event")
    page.locator("input[name=_save]").last.click()
    expect(page.locator(".errorlist")).to_contain_text("An event needs its start.")
    expect(page.locator("#id_event_start_0")).to_be_visible()
    expect(page.locator("#id_quote_text")).to_be_hidden()
    assert page.js_errors == []
