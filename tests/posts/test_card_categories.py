"""The categories on cards, in feeds and on the post page come from each post's key
(posts.CategorySet), read with the post, and the listing's (or every) categories: they must be
the post's own, in navigation order, on every kind of listing and after every change."""

import pytest
from django.test import Client, override_settings

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


def page_chips(client, post: Post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return (
        html.split('<ul class="chips">')[1].split("</ul>")[0]
        if '<ul class="chips">' in html
        else ""
    )


@override_settings(CACHES=NO_CACHE)
def test_the_post_page_shows_the_posts_own_categories_at_once(editor_client, posts):
    client = Client()
    post = posts[0]  # facets out of navigation order
    assert page_chips(client, post) == expected_chips(post)
    assert page_chips(client, post).index("cx-design") < page_chips(client, post).index("patient")
    # Staff read it by another query: a draft, with its categories.
    draft = make_post(title="Draft", status=Post.Status.DRAFT, categories=["cx-strategy"])
    assert page_chips(editor_client, draft) == expected_chips(draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    post.categories.add(Category.objects.get(slug="financial-sector"))
    assert "/category/financial-sector/" in page_chips(client, post)
    # Renamed without signals: shown at the next request.
    Category.objects.filter(slug="cx-design").update(name="about designing CX")
    assert "about designing CX" in page_chips(client, post)
    post.categories.clear()
    assert page_chips(client, post) == ""


@pytest.mark.django_db
def test_sorted_categories_from_the_key_are_the_posts_own(django_assert_num_queries):
    post = make_post(categories=["real-life-examples", "cx-design", "broader-inspiration"])
    keyed = Post.objects.with_category_keys().get(pk=post.pk)
    plain = Post.objects.get(pk=post.pk)
    assert keyed.sorted_categories() == plain.sorted_categories()
    assert keyed.sorted_categories()[0].slug == "cx-design"
    # Read once for the post (the series, the related posts and the page ask again), each
    # caller given a list of its own.
    again = Post.objects.with_category_keys().get(pk=post.pk)
    with django_assert_num_queries(1):
        first = again.sorted_categories()
        assert again.sorted_categories() == first
    assert again.sorted_categories() is not first
