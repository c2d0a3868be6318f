"""The review queue as an editor uses it: its name, what it opens on, what each row shows, and
approving or rejecting one item in one click (POST with CSRF)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.admin import NewsItemAdmin
from newsroom.models import NewsItem
from posts.models import Category, Post
from tests.newsroom.ingest_factories import (
    FETCHED_AT,
    make_category_rule,
    make_entry,
    make_source,
    store,
)
from tests.posts.admin_support import make_editor, make_staff

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:newsroom_newsitem_changelist")
DECIDE = reverse("admin:newsroom_newsitem_decide")


def stories(count: int, *, source=None, start: int = 0):
    """`count` stories in the queue, each about patient journeys (a keyword rule's phrase)."""
    source = source or make_source(
        feed_url="https://northwind.example/feed.xml",
        name="Northwind",
        default_categories=("broader-inspiration",),
    )
    entries = [
        make_entry(
            guid=f"story-{n}",
            link=f"https://northwind.example/story-{n}",
            title=f"Story number {n} on the patient journey",
            summary=f"<p>Teaser <strong>{n}</strong>: what the field team learnt.</p>",
            categories=("Patient Experience",),
            published=FETCHED_AT - timedelta(hours=n),
        )
        for n in range(start, start + count)
    ]
    store(source, entries, now=FETCHED_AT)
    return source


@pytest.fixture
def editor(client):
    client.force_login(make_editor())
    return client


def test_it_is_called_the_review_queue_everywhere_an_editor_sees_it(editor):
    stories(2)
    index = editor.get(reverse("admin:index")).content.decode()
    page = editor.get(QUEUE).content.decode()
    item = NewsItem.objects.first()
    change = editor.get(reverse("admin:newsroom_newsitem_change", args=[item.pk]))

    assert "Review queue" in index and "News items" not in index
    assert "<title>Review queue |" in page
    assert "<h1>Review queue</h1>" in page
    assert "news item" not in page.lower()
    assert re.search(r'<div class="breadcrumbs">.*Review queue', change.content.decode(), re.S)


def test_select_all_wording_names_queue_items(editor, monkeypatch):
    stories(3)
    monkeypatch.setattr(NewsItemAdmin, "list_per_page", 2)  # "Select all" needs a second page

    page = editor.get(QUEUE).content.decode()

    assert "Select all 3 queue items" in page


def test_it_opens_on_what_waits_for_a_decision_and_all_is_one_click_away(editor):
    stories(3)
    done = NewsItem.objects.get(title__startswith="Story number 1 ")
    done.publish()

    waiting = editor.get(QUEUE).content.decode()
    everything = editor.get(QUEUE, {"status": "all"}).content.decode()
    published = editor.get(QUEUE, {"status": "published"}).content.decode()

    assert "Story number 0 " in waiting and "Story number 1 " not in waiting
    assert "Story number 1 " in everything and "Story number 2 " in everything
    assert "Story number 1 " in published and "Story number 0 " not in published
    assert 'href="?status=all"' in waiting
    # The default is shown as the chosen filter.
    assert re.search(r'<li class="selected">\s*<a href="\?status=waiting"', waiting)
    counted = editor.get(QUEUE, {"_facets": "True"}).content.decode()
    assert "Waiting for review (2)" in counted and "Published (1)" in counted


def test_each_row_shows_source_teaser_and_the_rule_behind_each_category(editor):
    make_category_rule(phrase="patient journey", category="cx-design")
    stories(1)

    page = editor.get(QUEUE).content.decode()

    assert "Northwind" in page
    assert "Teaser 0: what the field team learnt." in page  # plain text
    assert "<strong>0</strong>" not in page
    assert "keyword “patient journey”" in page
    assert "feed category “Patient Experience”" in page
    assert "source default" in page


def test_a_category_an_editor_added_says_so(editor):
    stories(1)
    post = Post.objects.get()
    post.categories.add(Category.objects.get(slug="cx-design"))

    page = editor.get(QUEUE).content.decode()

    assert "added by an editor" in page


def decision_form(page: str) -> dict:
    form = re.search(r'<form id="queue-decision".*?</form>', page, re.S).group(0)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    return fields


def test_approve_and_reject_in_one_click_stay_on_the_same_page(editor):
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(make_editor(username="second"))
    stories(3)
    first, second, third = NewsItem.objects.order_by("pk")
    listing = f"{QUEUE}?q=Story"
    page = csrf.get(listing).content.decode()
    form = decision_form(page)
    assert form["next"] == listing
    assert f'name="approve" value="{first.pk}"' in page

    approved = csrf.post(DECIDE, {**form, "approve": first.pk}, follow=True)
    rejected = csrf.post(DECIDE, {**form, "reject": second.pk}, follow=True)

    assert approved.redirect_chain == [(listing, 302)]
    assert f"Approved “{first.title}”: it is published." in approved.content.decode()
    assert f"Rejected “{second.title}”" in rejected.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "published" and first.post.is_visible
    assert second.status == "rejected" and not Post.objects.filter(title=second.title).exists()
    assert third.status == "waiting"
    remaining = rejected.content.decode()
    assert third.title in remaining and first.title not in remaining


def test_a_decision_needs_post_with_csrf_and_the_change_permission(editor):
    stories(1)
    item = NewsItem.objects.get()
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(make_editor(username="second"))

    assert csrf.post(DECIDE, {"approve": item.pk}).status_code == 403  # no CSRF token
    assert editor.get(DECIDE, {"approve": item.pk}).status_code == 302  # GET decides nothing
    staff = Client()
    staff.force_login(make_staff())
    assert staff.post(DECIDE, {"approve": item.pk}).status_code == 403
    item.refresh_from_db()
    assert item.status == "waiting"


def test_a_decision_on_a_gone_item_or_with_a_foreign_next_is_harmless(editor):
    stories(1)
    item = NewsItem.objects.get()
    item.reject(reason="Old news")

    again = editor.post(DECIDE, {"approve": item.pk, "next": "https://evil.example/"})
    assert again["Location"] == QUEUE
    assert "already rejected" in editor.get(QUEUE).content.decode()
    gone = editor.post(DECIDE, {"reject": "99999", "next": QUEUE}, follow=True)
    nonsense = editor.post(DECIDE, {"approve": "x"}, follow=True)

    assert "no longer in the queue" in gone.content.decode()
    assert nonsense.status_code == 200
    item.refresh_from_db()
    assert item.reject_reason == "Old news"


def test_the_queue_of_fifty_takes_as_many_queries_as_a_queue_of_five(
    editor, django_assert_max_num_queries
):
    make_category_rule(phrase="patient journey", category="cx-design")
    source = stories(5)
    with CaptureQueriesContext(connection) as five:
        editor.get(QUEUE)
    stories(45, source=source, start=5)
    assert NewsItem.objects.pending().count() == 50
    with django_assert_max_num_queries(len(five)):
        page = editor.get(QUEUE).content.decode()
    assert page.count('class="queue-category"') == 50 * 3
