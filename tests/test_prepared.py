"""Queries built once and run at other moments (cxhub.prepared) read what the ORM reads when
it builds them afresh at each moment."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cxhub.models import ContentVersion
from cxhub.prepared import Prepared
from posts.models import Post
from tests.factories import make_event, make_post

pytestmark = pytest.mark.django_db


def upcoming_at(moment):
    return Post.objects.published(at=moment).upcoming(moment)[:3]


def test_models_at_each_moment_are_the_ones_the_orm_reads():
    now = timezone.now()
    for days, title in ((-10, "Over"), (2, "Soon"), (5, "Later"), (9, "Last"), (30, "Far")):
        make_event(title=title, start=now + timedelta(days=days), published_at=now - timedelta(60))
    make_event(title="Announced later", start=now + timedelta(3), published_at=now + timedelta(1))
    make_post(title="Not an event", published_at=now - timedelta(days=1))
    built = []

    def build(moment):
        built.append(moment)
        return upcoming_at(moment)

    prepared = Prepared(Post, build)
    moments = [now + timedelta(days=d, hours=1) for d in (-20, 0, 1, 2, 4, 8, 29, 40)]
    seen = set()
    for moment in moments:
        expected = list(upcoming_at(moment))
        got = prepared.objects(moment)
        assert [post.pk for post in got] == [post.pk for post in expected]
        # Every field as the ORM gives it: dates converted, aware, equal.
        assert [post.__dict__ | {"_state": None} for post in got] == [
            post.__dict__ | {"_state": None} for post in expected
        ]
        seen.add(tuple(post.title for post in got))
    # Built once for every moment, and the moment is not fixed in what it runs.
    assert len(built) == 1
    assert len(seen) >= 5
    assert ("Soon", "Announced later", "Later") in seen


def test_it_runs_one_query_and_builds_nothing_more():
    make_event(title="Soon", start=timezone.now() + timedelta(days=2))
    prepared = Prepared(Post, upcoming_at)
    prepared.objects(timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert [post.title for post in prepared.objects(timezone.now())] == ["Soon"]
    assert len(queries) == 1


def test_first_row_of_values_is_converted_like_the_orms():
    ContentVersion.objects.update_or_create(pk=1, defaults={"counter": 7})
    now = timezone.now()
    ContentVersion.objects.filter(pk=1).update(changed_at=now)
    prepared = Prepared(
        ContentVersion,
        lambda moment: ContentVersion.objects.filter(changed_at__lte=moment).values(
            "counter", "changed_at"
        ),
    )
    assert prepared.first(now - timedelta(seconds=1)) is None
    assert prepared.first(now) == {"counter": 7, "changed_at": now}


def test_a_query_of_another_model_is_refused():
    with pytest.raises(ValueError, match="reads"):
        Prepared(ContentVersion, upcoming_at).objects(timezone.now())


def test_values_of_names_replace_their_stand_ins():
    for slug in ("first", "second"):
        make_post(title=slug.title(), slug=slug)
    prepared = Prepared(Post, lambda now, slug: Post.objects.filter(slug=slug), "slug")
    assert [post.title for post in prepared.objects(timezone.now(), slug="second")] == ["Second"]
    assert [post.title for post in prepared.objects(timezone.now(), slug="first")] == ["First"]
    assert prepared.objects(timezone.now(), slug="none") == []
    with pytest.raises(TypeError, match="slug"):
        prepared.objects(timezone.now())


def test_a_value_the_sql_does_not_take_as_it_is_is_refused():
    # "contains" wraps the value in %…%: the stand-in would not be found, nor replaced.
    prepared = Prepared(Post, lambda now, text: Post.objects.filter(title__contains=text), "text")
    with pytest.raises(ValueError, match="text"):
        prepared.objects(timezone.now(), text="x")
