"""Cached counts and totals are never stale: an edit or a scheduled post's time coming shows
at once, with nobody clearing anything."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Category
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock every module reads (`timezone.now()`) forward on request."""
    start = timezone.now()
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: start + offset["by"])

    def advance(by: timedelta) -> None:
        offset["by"] += by

    return advance


def result_count(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split('class="result-count"', 1)[1].split("</p>")[0]


def facet_count(client, url: str, slug: str) -> int:
    # Read from the page as served: a visitor's page may come whole from the cache, with no
    # template context to look into.
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(
        rf'class="option__pick" href="/category/{slug}/".*?<span class="count"[^>]*>(\d+)</span>',
        html,
        re.S,
    )
    assert found, slug
    return int(found.group(1))


def test_an_edit_changes_cached_counts_at_once(client):
    post = make_post(title="One", categories=["cx-design"])
    make_post(title="Two", categories=["cx-design"])
    assert "2 posts" in result_count(client)
    assert facet_count(client, "/", "cx-design") == 2
    post.categories.set([Category.objects.get(slug="cx-strategy")])
    assert facet_count(client, "/", "cx-design") == 1
    assert facet_count(client, "/", "cx-strategy") == 1
    post.unpublish()
    assert "1 post" in result_count(client)
    assert "1 post" in result_count(client, "/category/cx-design/")


def test_a_scheduled_post_appears_in_pages_and_counts_when_its_time_comes(client, clock):
    make_post(title="Already out", categories=["cx-design"])
    make_post(
        title="Scheduled story",
        categories=["cx-design"],
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert "1 post" in result_count(client)
    assert facet_count(client, "/", "cx-design") == 1
    assert "Scheduled story" not in client.get("/").content.decode()
    clock(timedelta(hours=1, seconds=1))
    # Nobody saved anything: the version moved because the next scheduled time passed.
    assert "2 posts" in result_count(client)
    assert facet_count(client, "/", "cx-design") == 2
    assert "Scheduled story" in client.get("/category/cx-design/").content.decode()
