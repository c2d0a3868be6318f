"""Pages must cost the same number of queries whatever the number of posts on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_post

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


@pytest.mark.django_db
def test_home_page_query_budget(client, django_assert_num_queries):
    make_posts(25)
    # categories, facet counts, page count, page rows, their categories.
    with django_assert_num_queries(5):
        client.get("/")


@pytest.mark.django_db
def test_detail_page_query_count_is_constant(client, django_assert_num_queries):
    post = make_post(title="One", categories=["cx-design", "healthcare-sector", "cx-strategy"])
    with django_assert_num_queries(2):
        client.get(post.get_absolute_url())
