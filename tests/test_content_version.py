"""The content version moves on every change readers could see, and by itself when a scheduled
post's time comes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cxhub import content_version
from cxhub.models import ContentVersion
from posts.models import Category, Post
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def token() -> str:
    return content_version.current().token


def test_saving_a_visible_post_moves_the_version():
    post = make_post(title="Visible")
    before = token()
    post.title = "Visible, edited"
    post.save()
    assert token() != before


def test_drafts_and_scheduled_posts_leave_the_version_alone():
    before = token()
    draft = Post.objects.create(title="Draft", status=Post.Status.DRAFT)
    draft.title = "Draft, edited"
    draft.save()
    assert token() == before
    later = timezone.now() + timedelta(days=3)
    make_post(title="Later", published_at=later)
    # The next scheduled publication is part of the version (it is when the version moves by
    # itself); one scheduled after it changes nothing.
    first_scheduled = token()
    make_post(title="Later still", published_at=later + timedelta(days=2))
    assert token() == first_scheduled


def test_unpublishing_and_deleting_move_the_version_and_the_removal_time():
    post = make_post(title="Visible")
    first = content_version.current()
    post.unpublish()
    second = content_version.current()
    assert second.token != first.token and second.removed_at is not None
    other = make_post(title="Other")
    third = content_version.current()
    other.delete()
    assert content_version.current().token != third.token


def test_category_changes_rename_and_merge_move_the_version():
    post = make_post(title="Tagged", categories=["cx-design"])
    before = token()
    post.categories.add(Category.objects.get(slug="cx-strategy"))
    added = token()
    assert added != before
    category = Category.objects.get(slug="cx-strategy")
    category.name = "CX strategy and planning"
    category.save()
    renamed = token()
    assert renamed != added
    category.merge_into(Category.objects.get(slug="cx-design"))
    assert token() != renamed


def test_bulk_category_changes_move_the_version():
    make_post(title="Tagged", categories=["cx-design"])
    before = token()
    Post.objects.all().add_category(Category.objects.get(slug="cx-strategy"))
    assert token() != before


def test_a_scheduled_post_coming_due_moves_the_version_with_nobody_acting():
    now = timezone.now()
    make_post(title="Scheduled", published_at=now + timedelta(hours=1))
    before = content_version.current(at=now)
    assert before.next_due == now + timedelta(hours=1)
    after = content_version.current(at=now + timedelta(hours=2))
    assert after.token != before.token
    assert after.counter == before.counter
    assert after.next_due is None
    assert after.last_modified == now + timedelta(hours=1)


def test_newsroom_changes_move_the_version():
    from newsroom.models import FeedSource

    before = token()
    FeedSource.objects.create(name="Northwind", feed_url="https://northwind.example/f")
    assert token() != before


def test_a_flushed_database_gets_its_row_back():
    from cxhub.models import ContentVersion

    ContentVersion.objects.all().delete()
    assert content_version.current().counter == 0
    content_version.bump()
    assert content_version.current().counter == 1


def test_the_version_read_by_its_compiled_query_is_the_one_the_orm_builds():
    # current() compiles its query once and runs it with each moment in place of the one it
    # was built with: at every moment around these posts it must read what a freshly built
    # query reads (content_version._read).
    now = timezone.now()
    make_post(title="Out", published_at=now - timedelta(days=3))
    make_post(title="Due", published_at=now + timedelta(days=2))
    for days, title in ((-10, "Past event"), (5, "Coming event")):
        start = now + timedelta(days=days)
        make_post(title=title, kind="event", event_start=start, published_at=now - timedelta(20))
    moments = [now + timedelta(days=d, minutes=7) for d in (-30, -11, -4, 0, 1, 3, 6, 40)]
    for at in moments:
        extra = content_version._schedule(at)
        built = (
            ContentVersion.objects.filter(pk=content_version.ROW)
            .annotate(**extra)
            .values("counter", "changed_at", "removed_at", *extra)
            .first()
        )
        version = content_version.current(at=at)
        assert built == {name: getattr(version, name) for name in built}
    # The moments give different versions, so the moment is not fixed in the compiled query.
    assert len({content_version.current(at=at).token for at in moments}) >= 5
