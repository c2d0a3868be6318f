"""The upcoming events (events page, the home page's next events) cost the same however many
events are over: they are read from the (kind, event_until) range of events not over yet, on
SQLite even before the database has gathered statistics (a new SQLite hub has none until
someone runs ANALYZE, which is how these tests run on it), where the planner would otherwise
walk the (kind, status, published_at) index through every event ever published."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from posts.models import Kind, Post
from tests.dbwork import database_work
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def add_past_events(count: int, *, start: int) -> None:
    now = timezone.now()
    posts = []
    for n in range(start, start + count):
        begins = now - timedelta(days=30, hours=n)
        posts.append(
            Post(
                title=f"Past event {n}",
                slug=f"past-event-{n}",
                body="<p>Text.</p>",
                status=Post.Status.PUBLISHED,
                published_at=begins - timedelta(days=20),
                kind=Kind.EVENT,
                event_start=begins,
                event_end=begins + timedelta(hours=2),
                event_until=begins + timedelta(hours=2),
            )
        )
    Post.objects.bulk_create(posts)


def upcoming_work() -> int:
    if connection.vendor == "postgresql":
        # Autovacuum cannot see a test's uncommitted rows: gather the statistics a real
        # database would have. SQLite gathers none by itself (see the module's docstring).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE posts_post")
    now = timezone.now()
    upcoming = Post.objects.published().upcoming(now)
    with database_work() as work:
        soonest = [post.title for post in upcoming[:3]]
        total = upcoming.order_by().count()
        page = list(upcoming[:20])
    assert soonest == ["Tomorrow", "Next week", "Next month"]
    assert total == len(page) == 4
    return work.units


def test_upcoming_events_work_does_not_grow_with_the_past():
    now = timezone.now()
    make_event(title="Next month", start=now + timedelta(days=30))
    make_event(title="Tomorrow", start=now + timedelta(days=1))
    make_event(title="Next week", start=now + timedelta(days=7))
    make_event(title="In a year", start=now + timedelta(days=365))
    make_event(title="Draft to come", start=now + timedelta(days=2), status=Post.Status.DRAFT)
    make_event(title="Announced later", start=now + timedelta(days=3), days_ago=-1)
    make_event(title="Over", start=now - timedelta(days=2))
    add_past_events(50, start=0)
    small = upcoming_work()
    add_past_events(4000, start=1000)
    big = upcoming_work()
    assert Post.objects.filter(kind=Kind.EVENT).count() > 4000
    assert big < small * 1.5 + 2000, (small, big)
