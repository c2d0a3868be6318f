from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post
from tests.factories import make_post


@pytest.fixture
def three_states(db):
    return {
        "published": make_post(title="Published piece", categories=["cx-design"], days_ago=2),
        "draft": make_post(
            title="Draft piece", categories=["cx-design"], status=Post.Status.DRAFT, days_ago=1
        ),
        "future": make_post(
            title="Scheduled piece",
            categories=["cx-design"],
            published_at=timezone.now() + timedelta(days=3),
        ),
    }


def test_only_published_posts_whose_date_has_come_are_listed(client, three_states):
    for url in ["/", "/category/cx-design/"]:
        html = client.get(url).content.decode()
        assert "Published piece" in html
        assert "Draft piece" not in html
        assert "Scheduled piece" not in html


def test_scheduled_post_appears_when_its_date_comes(three_states):
    future = three_states["future"]
    assert future not in Post.objects.published()
    assert future in Post.objects.published(at=future.published_at + timedelta(seconds=1))


def test_unpublished_posts_are_404_for_readers(client, three_states):
    assert client.get(three_states["published"].get_absolute_url()).status_code == 200
    assert client.get(three_states["draft"].get_absolute_url()).status_code == 404
    assert client.get(three_states["future"].get_absolute_url()).status_code == 404


def test_unpublished_posts_are_visible_to_staff(client, django_user_model, three_states):
    staff = django_user_model.objects.create_user("editor", password="pw-1234-long", is_staff=True)
    client.force_login(staff)
    draft = client.get(three_states["draft"].get_absolute_url())
    assert draft.status_code == 200
    assert "only staff can see" in draft.content.decode()
    scheduled = client.get(three_states["future"].get_absolute_url())
    assert "Scheduled: readers will see this post from" in scheduled.content.decode()


def test_logged_in_non_staff_user_cannot_see_drafts(client, django_user_model, three_states):
    user = django_user_model.objects.create_user("reader", password="pw-1234-long")
    client.force_login(user)
    assert client.get(three_states["draft"].get_absolute_url()).status_code == 404


def test_unpublishing_hides_a_post(client, three_states):
    post = three_states["published"]
    post.unpublish()
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Published piece" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_publishing_without_a_date_publishes_now():
    post = Post.objects.create(title="No date yet", body="<p>x</p>")
    assert post.published_at is None
    post.publish()
    assert post.published_at <= timezone.now()
    assert post in Post.objects.published()
