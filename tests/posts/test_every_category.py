"""Category.objects.every(): read on each call, built again only when a row changed."""

import pytest

from posts.models import Category
from posts.selection import Facet
from tests.factories import make_category


def described(categories) -> list[tuple]:
    return [(c.pk, c.name, c.slug, c.facet, c.description, c.bit) for c in categories]


@pytest.mark.django_db
def test_every_category_is_read_each_time_and_built_again_only_when_a_row_changed(
    django_assert_num_queries,
):
    first = Category.objects.every()
    assert described(first) == described(Category.objects.in_navigation_order())
    with django_assert_num_queries(1):
        again = Category.objects.every()
    assert described(again) == described(first)
    assert all(a is b for a, b in zip(first, again, strict=True))  # nothing changed: kept
    assert again is not first  # the list is the caller's

    # A rename that bypasses the signals (no save): seen at the next read.
    Category.objects.filter(slug="cx-design").update(name="about designing CX")
    renamed = Category.objects.every()
    assert described(renamed) == described(Category.objects.in_navigation_order())
    assert {c.slug: c.name for c in renamed}["cx-design"] == "about designing CX"

    added = make_category(name="about journeys", facet=Facet.TOPIC)
    described_now = described(Category.objects.every())
    assert described_now == described(Category.objects.in_navigation_order())
    assert added.pk in [row[0] for row in described_now]
    added.delete()
    assert added.pk not in [c.pk for c in Category.objects.every()]


@pytest.mark.django_db
def test_a_renamed_category_shows_on_the_next_page_without_a_signal(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert "about CX design" in client.get("/").content.decode()
    Category.objects.filter(slug="cx-design").update(name="about designing CX")
    html = client.get("/").content.decode()
    assert "about designing CX" in html and "about CX design" not in html
