"""Set-wide changes on PostQuerySet and CategoryQuerySet, called directly; the admin's bulk
actions call them and only add messages and the change log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Category, CategoryRedirect, Post
from tests.factories import make_post

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now().replace(microsecond=0) - timedelta(days=30)


def slugs(post: Post) -> set[str]:
    return set(post.categories.values_list("slug", flat=True))


def touched(posts) -> set[str]:
    """Titles of the posts whose updated_at moved since `age()`."""
    return set(
        Post.objects.filter(pk__in=[p.pk for p in posts], updated_at__gt=LONG_AGO).values_list(
            "title", flat=True
        )
    )


def age(*posts: Post) -> None:
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(updated_at=LONG_AGO)


def test_publish_publishes_now_and_keeps_future_dates_scheduled():
    draft = make_post(title="Draft", status=Post.Status.DRAFT)
    Post.objects.filter(pk=draft.pk).update(published_at=None)
    future = make_post(
        title="Future", status=Post.Status.DRAFT, published_at=timezone.now() + timedelta(days=2)
    )
    other = make_post(title="Not selected", status=Post.Status.DRAFT)

    posts = Post.objects.filter(pk__in=[draft.pk, future.pk]).publish()

    assert sorted(p.title for p in posts) == ["Draft", "Future"]
    draft.refresh_from_db()
    future.refresh_from_db()
    assert draft.is_visible
    assert future.is_scheduled
    other.refresh_from_db()
    assert other.status == Post.Status.DRAFT


def test_unpublish_returns_only_the_posts_that_were_not_drafts():
    live = make_post(title="Live")
    scheduled = make_post(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    draft = make_post(title="Draft", status=Post.Status.DRAFT)

    posts = Post.objects.filter(pk__in=[live.pk, scheduled.pk, draft.pk]).unpublish()

    assert sorted(p.title for p in posts) == ["Live", "Scheduled"]
    assert set(Post.objects.drafts().values_list("title", flat=True)) == {
        "Live",
        "Scheduled",
        "Draft",
    }


def test_add_category_returns_and_touches_only_the_posts_that_lacked_it():
    design = Category.objects.get(slug="cx-design")
    a = make_post(title="A", categories=["cx-design", "healthcare-sector"])
    b = make_post(title="B", categories=["healthcare-sector"])
    c = make_post(title="C")
    age(a, b, c)

    changed = Post.objects.filter(pk__in=[a.pk, b.pk]).add_category(design)

    assert [p.title for p in changed] == ["B"]
    assert slugs(a) == slugs(b) == {"cx-design", "healthcare-sector"}
    assert slugs(c) == set()
    assert touched([a, b, c]) == {"B"}


def test_remove_category_returns_and_touches_only_the_posts_that_had_it():
    design = Category.objects.get(slug="cx-design")
    a = make_post(title="A", categories=["cx-design", "healthcare-sector"])
    b = make_post(title="B", categories=["healthcare-sector"])
    c = make_post(title="C", categories=["cx-design"])
    age(a, b, c)

    changed = Post.objects.filter(pk__in=[a.pk, b.pk]).remove_category(design)

    assert [p.title for p in changed] == ["A"]
    assert slugs(a) == slugs(b) == {"healthcare-sector"}  # the other categories stay
    assert slugs(c) == {"cx-design"}
    assert touched([a, b, c]) == {"A"}


def test_merging_a_set_of_categories_leaves_the_target_and_reports_posts_moved():
    both = make_post(title="Both", categories=["cx-design", "cx-strategy"])
    make_post(title="Design", categories=["cx-design"])
    make_post(title="Culture", categories=["customer-centric-culture"])
    strategy = Category.objects.get(slug="cx-strategy")
    chosen = Category.objects.filter(
        slug__in=["cx-design", "customer-centric-culture", "cx-strategy"]
    )

    moved = chosen.merge_into(strategy)

    assert moved == {"about customer centric culture": 1, "about CX design": 1}
    assert set(Post.objects.filter(categories=strategy).values_list("title", flat=True)) == {
        "Both",
        "Design",
        "Culture",
    }
    assert slugs(both) == {"cx-strategy"}
    assert not Category.objects.filter(slug__in=["cx-design", "customer-centric-culture"]).exists()
    assert set(CategoryRedirect.objects.values_list("old_slug", "category__slug")) == {
        ("cx-design", "cx-strategy"),
        ("customer-centric-culture", "cx-strategy"),
    }
