"""The categories on cards and in feeds come from each post's key (posts.CategorySet), read
with the post, and the listing's categories: they must be the post's own, in navigation
order, on every kind of listing and after every change."""

import pytest
from django.test import override_settings

from posts.cards import ChipMaker
from posts.models import Category, Post
from tests.factories import make_post
from tests.feeds.feedtools import get_feed

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Facets out of navigation order, so that the order on a card comes from the listing.
SETS = [
    ["patient-experience", "healthcare-sector", "cx-design"],
    ["cx-strategy"],
    [],
    ["real-life-examples", "cx-design", "broader-inspiration"],
]


@pytest.fixture
def posts(db):
    return [
        make_post(title=f"Patient story {i}", categories=SETS[i % len(SETS)], days_ago=i + 1)
        for i in range(8)
    ]


def expected_chips(post: Post) -> str:
    fresh = Post.objects.with_categories().get(pk=post.pk)
    return ChipMaker().of(fresh.sorted_categories())


def cards_of(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["cards"]


@override_settings(CACHES=NO_CACHE, POSTS_PER_PAGE=3)
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?page=2",
        "/category/cx-design/",
        "/?topic=cx-design&not=broader-inspiration",
        "/?q=patient",  # ranked: read without the page's deferred join
        "/?q=patient&sort=newest",
    ],
)
def test_cards_show_each_posts_own_categories_in_navigation_order(client, posts, url):
    cards = cards_of(client, url)
    assert cards
    for card in cards:
        assert card.chips == expected_chips(card.post)
    assert any(card.chips for card in cards)  # not only posts without a category


@override_settings(CACHES=NO_CACHE)
def test_archive_cards_show_the_posts_categories(client, posts):
    year = posts[0].published_at.year
    for card in cards_of(client, f"/archive/{year}/"):
        assert card.chips == expected_chips(card.post)


@override_settings(CACHES=NO_CACHE)
def test_a_change_of_categories_shows_at_once_on_cards_and_in_feeds(client, posts):
    post = posts[2]  # no category yet
    home = {card.post.pk: card for card in cards_of(client, "/")}
    assert home[post.pk].chips == ""
    post.categories.add(Category.objects.get(slug="financial-sector"))
    post.categories.add(Category.objects.get(slug="cx-design"))
    home = {card.post.pk: card for card in cards_of(client, "/")}
    chips = str(home[post.pk].chips)
    # Navigation order: the topic before the industry.
    assert chips.index("/category/cx-design/") < chips.index("/category/financial-sector/")
    entry = next(e for e in get_feed(client, "rss").entries if e.title == post.title)
    assert [t.term for t in entry.tags] == ["about CX design", "by financial sector"]
    post.categories.clear()
    home = {card.post.pk: card for card in cards_of(client, "/")}
    assert home[post.pk].chips == ""
    entry = next(e for e in get_feed(client, "rss").entries if e.title == post.title)
    assert not entry.get("tags")


@pytest.mark.django_db
def test_categories_among_without_the_key_reads_the_posts_categories():
    post = make_post(categories=["healthcare-sector", "cx-design"])
    every = list(Category.objects.in_navigation_order())
    plain = Post.objects.get(pk=post.pk)
    keyed = Post.objects.with_category_keys().get(pk=post.pk)
    assert plain.categories_among(every) == keyed.categories_among(every)
    assert [c.slug for c in keyed.categories_among(every)] == ["cx-design", "healthcare-sector"]
    # Only those among the categories given.
    healthcare, financial = (
        Category.objects.get(slug=s) for s in ["healthcare-sector", "financial-sector"]
    )
    assert keyed.categories_among([financial, healthcare]) == [healthcare]
    assert keyed.categories_among([financial]) == []
