"""Keep reading costs the same in a big archive as in a small one: the related posts and the
older/newer post are read through primary keys and index ranges bounded by the post itself,
on SQLite even before the database has gathered statistics about its tables (a new SQLite hub
has none until someone runs ANALYZE), which is how these tests run on it."""

import pytest
from django.db import connection

from posts import keepreading
from posts.models import Post
from tests.dbwork import database_work
from tests.factories import make_category, make_post, make_posts_in_bulk

pytestmark = pytest.mark.django_db


def add_newer_posts(count: int, category, *, start: int) -> None:
    make_posts_in_bulk(count, category, start=start, title="Newer")


def keep_reading_work(post: Post) -> int:
    if connection.vendor == "postgresql":
        # PostgreSQL's autovacuum keeps statistics on every real database; a test's rows are
        # uncommitted, out of its sight, so gather them here. SQLite gathers none by itself:
        # there the queries must do without (see the module's docstring).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE posts_post, posts_taggedpost")
    post = Post.objects.prefetch_related("categories").get(pk=post.pk)
    with database_work() as work:
        related = keepreading.related_posts(post)
        older = keepreading.neighbour(post, older=True)
        newer = keepreading.neighbour(post, older=False)
    assert len(related) == keepreading.RELATED and older is None and newer is not None
    return work.units


def test_keep_reading_work_does_not_grow_with_the_archive():
    category = make_category(name="Journeys", slug="journeys")
    # The oldest post: every other post is newer, so a walk from "now" would read them all.
    oldest = make_post(title="Oldest", categories=["journeys"], days_ago=3650)
    # More than the candidates read per category, so the candidates are the same later.
    add_newer_posts(keepreading.CANDIDATES_PER_CATEGORY + 50, category, start=0)
    small = keep_reading_work(oldest)
    add_newer_posts(3000, category, start=1000)
    big = keep_reading_work(oldest)
    assert Post.objects.count() > 3000
    assert big < small * 1.5 + 2000, (small, big)
