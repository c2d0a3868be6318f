"""Pages must cost the same number of queries whatever the number of posts on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import forget_page, make_post

CATEGORY_SETS = [
    ["cx-design", "healthcare-sector"],
    ["cx-strategy", "financial-sector", "patient-experience"],
    ["real-life-examples"],
]


def make_posts(n: int) -> None:
    for i in range(n):
        make_post(title=f"Post {i}", categories=CATEGORY_SETS[i % len(CATEGORY_SETS)])


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/category/cx-design/",
        "/?topic=cx-design,cx-strategy&industry=healthcare-sector&not=real-life-examples",
        "/?q=post",
    ],
)
def test_listing_query_count_does_not_grow_with_posts(client, url):
    make_posts(3)
    few = queries_for(client, url)
    make_posts(40)
    many = queries_for(client, url)
    assert few == many


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
LISTINGS = [
    "/",
    "/?page=2",
    "/category/cx-design/",
    "/?topic=cx-design,cx-strategy&industry=healthcare-sector",
    "/?not=real-life-examples",
    "/?topic=cx-design&not=real-life-examples&kind=article",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("size", [45, 90])
def test_listing_query_budget_without_a_cache(
    client, settings, url, size, django_assert_num_queries
):
    settings.CACHES = NO_CACHE
    make_posts(size)
    # categories, content version, the category combinations (the total, every category's
    # and every kind's count: posts.counts), the page's rows with their categories' keys; the
    # home page's first page also its next events. The same whatever the selection.
    with django_assert_num_queries(4 + (url == "/")):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("size", [45, 90])
def test_listing_query_budget_with_the_cache_warm(client, url, size, django_assert_num_queries):
    make_posts(size)
    client.get(url)
    # The whole page comes from the cache: the content version (indexed) names it.
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    # Built again from the cached parts: categories, content version, page rows with their
    # categories' keys; counts and the total come from the cache.
    forget_page(url)
    with django_assert_num_queries(3) as captured:
        assert client.get(url).status_code == 200
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


@pytest.mark.django_db
def test_detail_page_query_count_is_constant(client, django_assert_num_queries):
    post = make_post(title="One", categories=["cx-design", "healthcare-sector", "cx-strategy"])
    make_post(title="Two", categories=["cx-design"])
    # content version (for the validators), the post with its categories' key, every category;
    # the related posts (one query), the older and the newer post (one), from
    # posts.keepreading, then cached under the version.
    with django_assert_num_queries(5):
        client.get(post.get_absolute_url())
    # The whole page from the cache, then built again from the cached keep-reading parts.
    with django_assert_num_queries(1):
        client.get(post.get_absolute_url())
    forget_page(post.get_absolute_url())
    with django_assert_num_queries(3):
        client.get(post.get_absolute_url())
