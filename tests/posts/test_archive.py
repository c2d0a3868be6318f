"""The archive by year and month: counts, order, month boundaries in the site's zone, filters,
404s, query counts and the sitemap."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posts.archive import (
    Period,
    _counted_by_buckets,
    _counted_by_ranges,
    month_counts,
    month_starts,
)
from posts.filters import _count_by_category, _count_by_kind
from posts.models import Post
from posts.selection import PostFilter
from tests.factories import forget_page, make_post

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def titles(response) -> list[str]:
    return [post.title for post in response.context["posts"]]


@pytest.fixture
def spread(db, settings):
    settings.TIME_ZONE = "Europe/Zurich"
    make_post(title="Early March", published_at=at(2025, 3, 2, 9), kind="podcast",
              categories=["cx-design"])  # fmt: skip
    make_post(title="Late March", published_at=at(2025, 3, 20, 9), categories=["cx-design"])
    # 23:30 UTC on 31 March is 01:30 on 1 April in Zurich (summer time): an April post.
    make_post(title="Last March evening in UTC", published_at=at(2025, 3, 31, 23, 30))
    # 23:30 UTC on 28 February is 00:30 on 1 March in Zurich (winter time): a March post.
    make_post(title="First March minute in Zurich", published_at=at(2025, 2, 28, 23, 30))
    make_post(title="Last second of February", published_at=at(2025, 2, 28, 22, 59, 59))
    make_post(title="Old", published_at=at(2023, 7, 1, 12))
    make_post(title="Draft", published_at=at(2025, 3, 10), status=Post.Status.DRAFT)


def test_months_are_the_site_zones_months(spread):
    counts = {(m.year, m.month): m.count for m in month_counts(PostFilter())}
    assert counts == {(2025, 4): 1, (2025, 3): 3, (2025, 2): 1, (2023, 7): 1}


def test_month_page_lists_its_posts_newest_first(client, spread):
    response = client.get("/archive/2025/03/")
    assert response.status_code == 200
    assert titles(response) == ["Late March", "Early March", "First March minute in Zurich"]
    html = response.content.decode()
    assert "<h1>Posts from March 2025</h1>" in html


def test_boundary_posts_fall_in_the_zurich_month(client, spread):
    assert titles(client.get("/archive/2025/04/")) == ["Last March evening in UTC"]
    assert titles(client.get("/archive/2025/02/")) == ["Last second of February"]


def test_year_page_lists_the_year_and_its_months_with_counts(client, spread):
    response = client.get("/archive/2025/")
    assert titles(response) == [
        "Last March evening in UTC",
        "Late March",
        "Early March",
        "First March minute in Zurich",
        "Last second of February",
    ]
    months = [(m["name"], m["count"]) for m in response.context["months"]]
    assert months == [("February", 1), ("March", 3), ("April", 1)]


def test_index_lists_years_with_counts(client, spread):
    response = client.get("/archive/")
    years = [(y["year"], y["count"]) for y in response.context["years"]]
    assert years == [(2025, 5), (2023, 1)]
    assert 'href="/archive/2025/03/"' in response.content.decode()


def test_filters_combine_on_the_archive(client, spread):
    response = client.get("/archive/2025/03/?topic=cx-design&kind=podcast")
    assert titles(response) == ["Early March"]
    html = response.content.decode()
    assert "<h1>Podcast episodes from March 2025 about CX design</h1>" in html
    # Chips stay on the archive page; the month list keeps the filters.
    assert 'href="/archive/2025/03/?topic=cx-design"' in html
    assert titles(client.get("/archive/2025/03/?topic=cx-design")) == ["Late March", "Early March"]
    year = client.get("/archive/2025/?kind=podcast")
    assert [(m["name"], m["count"]) for m in year.context["months"]] == [("March", 1)]


def test_a_period_emptied_by_filters_is_an_empty_list_not_a_404(client, spread):
    response = client.get("/archive/2025/04/?kind=quote")
    assert response.status_code == 200
    assert "No posts from April 2025 match these filters." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/archive/0/",
        "/archive/99999/",
        "/archive/0000/",
        "/archive/2025/13/",
        "/archive/2025/00/",
        "/archive/2025/3/",
        "/archive/2025/05/",  # no posts
        "/archive/2024/",  # no posts
        "/archive/2025/03/?page=2",
        "/archive/2025/03/?page=x",
        "/archive/9999/12/",
        "/archive/" + "9" * 5000 + "/",
    ],
)
def test_bad_periods_are_404s(client, spread, path):
    assert client.get(path).status_code == 404


def test_a_draft_or_scheduled_post_makes_no_month(client, spread):
    make_post(title="Later", published_at=at(2099, 1, 1))
    assert client.get("/archive/2099/").status_code == 404


def test_period_bounds_at_the_end_of_the_calendar():
    start, end = Period(9999, 12).bounds()
    assert start < end


def test_the_page_is_paginated(client, spread, settings):
    settings.POSTS_PER_PAGE = 2
    first = client.get("/archive/2025/")
    assert first.context["page"].paginator.num_pages == 3
    assert titles(client.get("/archive/2025/?page=3")) == ["Last second of February"]


@pytest.mark.parametrize("path", ["/archive/", "/archive/2025/", "/archive/2025/03/"])
def test_query_counts_do_not_grow_and_counts_come_from_the_cache(
    client, spread, path, django_assert_max_num_queries
):
    client.get(path)
    # categories, content version, page rows, their categories: the counts are cached.
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200
    for n in range(30):
        make_post(published_at=at(2025, 3, 3, n % 24))
    cache.clear()
    # Cold: also the month counts (unfiltered): the first post's date and the grouped count;
    # the panel's category counts and kind counts.
    with django_assert_max_num_queries(8):
        assert client.get(path).status_code == 200


def test_the_counts_are_one_query(spread, django_assert_num_queries):
    # The first post's date (indexed), then one query (grouped by month, or by months' ranges).
    with django_assert_num_queries(2):
        month_counts(PostFilter())


def test_the_sitemap_lists_years_and_months_with_lastmod(client, spread):
    response = client.get("/sitemap-archive.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    locations = [u.find(f"{SITEMAP}loc").text.split("/", 3)[3] for u in urls]
    assert locations == [
        "archive/2025/",
        "archive/2025/04/",
        "archive/2025/03/",
        "archive/2025/02/",
        "archive/2023/",
        "archive/2023/07/",
    ]
    assert all(u.find(f"{SITEMAP}lastmod") is not None for u in urls)


def test_the_nav_links_to_the_archive(client, spread):
    assert 'href="/archive/">Archive</a>' in client.get("/").content.decode()


# --- The facet panel ----------------------------------------------------------------------------


def options(response) -> dict[str, object]:
    return {o.category.slug: o for group in response.context["facets"] for o in group.options}


def kinds(response) -> dict[str, object]:
    return {o.kind: o for o in response.context["kinds"]}


def test_the_panel_counts_the_period_only(client, spread):
    make_post(title="Old design", published_at=at(2023, 7, 2, 12), categories=["cx-design"])
    month = client.get("/archive/2025/03/")
    assert options(month)["cx-design"].count == 2
    assert kinds(month)["podcast"].count == 1
    assert kinds(month)["article"].count == 2
    html = month.content.decode()
    assert '<h3 id="facet-kind">Kind</h3>' in html
    assert options(client.get("/archive/2025/"))["cx-design"].count == 2
    assert options(client.get("/archive/2023/07/"))["cx-design"].count == 1
    # The index counts every post, like the home page.
    assert options(client.get("/archive/"))["cx-design"].count == 3


def test_the_panels_options_lead_to_the_same_period_with_the_filter_added(client, spread):
    html = client.get("/archive/2025/03/").content.decode()
    assert 'href="/archive/2025/03/?topic=cx-design"' in html
    assert 'href="/archive/2025/03/?not=cx-design"' in html
    assert 'href="/archive/2025/03/?kind=podcast"' in html
    filtered = client.get("/archive/2025/?kind=podcast")
    toggle = options(filtered)["cx-design"].toggle_url
    assert toggle == "/archive/2025/?topic=cx-design&kind=podcast"
    assert kinds(filtered)["podcast"].toggle_url == "/archive/2025/"
    assert kinds(filtered)["article"].toggle_url == "/archive/2025/?kind=article&kind=podcast"
    assert options(client.get("/archive/"))["cx-design"].toggle_url == "/archive/?topic=cx-design"


def test_the_panels_counts_follow_the_rest_of_the_selection(client, spread):
    response = client.get("/archive/2025/03/?topic=cx-design&kind=podcast")
    # Within its own group an option counts "if I also pick this".
    assert options(response)["cx-design"].count == 1
    assert kinds(response)["podcast"].count == 1
    assert kinds(response)["article"].count == 1
    assert options(response)["cx-design"].included


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.parametrize("size", [20, 60])
def test_a_period_pages_queries_do_not_grow_without_a_cache(
    client, spread, settings, size, django_assert_num_queries
):
    settings.CACHES = NO_CACHE
    for n in range(size):
        make_post(published_at=at(2025, 3, 3, n % 24), categories=["cx-design", "cx-strategy"])
    # categories, content version, month counts twice (all posts, then the selection: the
    # first post's date and one grouped query each), category counts (one, and one for the
    # facet with a pick), kind counts, page rows with their categories' keys.
    with django_assert_num_queries(10):
        assert client.get("/archive/2025/03/?topic=cx-design").status_code == 200
    # The year: the same.
    with django_assert_num_queries(10):
        assert client.get("/archive/2025/?topic=cx-design").status_code == 200


def test_the_index_counts_every_post_from_the_category_masks(client, spread, settings):
    """The index's panel counts every post, as the home page does: from the masks, in one
    query for the categories and kinds together, never by reading the posts."""
    settings.CACHES = NO_CACHE
    make_post(title="Old design", published_at=at(2023, 7, 2, 12), categories=["cx-design"])
    with CaptureQueriesContext(connection) as queries:
        index = client.get("/archive/")
    counting = [q["sql"] for q in queries if "posts_maskcount" in q["sql"]]
    assert len(counting) == 1
    assert not [q["sql"] for q in queries if "posts_taggedpost" in q["sql"]]
    home = client.get("/")
    for slug, option in options(index).items():
        assert option.count == options(home)[slug].count, slug
    assert options(index)["cx-design"].count == 3
    assert {k: o.count for k, o in kinds(index).items()} == {
        k: o.count for k, o in kinds(home).items()
    }
    assert kinds(index)["article"].count == 6 and kinds(index)["podcast"].count == 1


def test_a_years_counts_are_its_months_added_up(client, spread):
    make_post(title="Old design", published_at=at(2023, 7, 2, 12), categories=["cx-design"])
    year = options(client.get("/archive/2025/"))
    months = [options(client.get(f"/archive/2025/{m:02d}/")) for m in (2, 3, 4)]
    for slug, option in year.items():
        assert option.count == sum(month[slug].count for month in months), slug
    forget_page("/archive/2025/")  # built again, to look into its context
    year_kinds = kinds(client.get("/archive/2025/"))
    assert year_kinds["article"].count == 4 and year_kinds["podcast"].count == 1


def test_the_periods_counts_read_the_published_at_range(spread):
    """A month's counts read its range of the (status, published_at) index and each of its
    posts' categories by post, never the whole archive (docs/benchmarks.md has the plans on
    both databases at 100,000 posts)."""
    scope = Period(2025, 3).scope()
    with CaptureQueriesContext(connection) as captured:
        _count_by_category(PostFilter(), ["topic"], scope)
        _count_by_kind(PostFilter(), scope)
    category_counts, kind_counts = (plan(q["sql"]) for q in captured.captured_queries)
    if connection.vendor == "sqlite":
        in_range = "post_visibility (status=? AND published_at>? AND published_at<?)"
        assert in_range in category_counts
        assert "posts_taggedpost USING COVERING INDEX" in category_counts
        # Along post_visibility here; with statistics (ANALYZE, 100,000 posts) along
        # post_kind_visibility, kind by kind over the same range: a range either way.
        assert "published_at>? AND published_at<?)" in kind_counts
        assert "SCAN" not in kind_counts
        # The kinds from the index alone, not from each post's row.
        assert "USING COVERING INDEX" in kind_counts
    else:
        # On a few rows PostgreSQL's planner rightly prefers reading the table; with sequential
        # scans priced out, the period must still be reachable by an index on published_at.
        for text in (category_counts, kind_counts):
            assert "Seq Scan on posts_post" not in text
            assert "published_at >=" in text
        # The kinds can come from the period's range of the index alone. Which plan PostgreSQL
        # takes on a test's few rows, whose table pages it cannot know to be all visible inside
        # the test's transaction, says nothing; at 100,000 posts it is an Index Only Scan using
        # post_visibility (docs/benchmarks.md).
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "posts_post")
        assert constraints["post_visibility"]["columns"] == [
            "status", "published_at", "id", "kind"
        ]  # fmt: skip


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(row[-1] for row in cursor.fetchall())
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())


def test_each_way_of_counting_months_agrees_with_the_calendar(db, settings):
    """The months' counts by ranges of the index (SQLite without a selection) and by each
    post's month (PostgreSQL's width_bucket, SQLite's binary search) are the site zone's
    calendar, at and around every month's first moment, across summer time changes."""
    settings.TIME_ZONE = "Europe/Zurich"
    zone = ZoneInfo("Europe/Zurich")
    now = timezone.now()
    moments = []
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            start = datetime(year, month, 1, tzinfo=zone)
            moments += [start, start - timedelta(microseconds=1), start + timedelta(seconds=1)]
    rng = random.Random(9)
    moments += [now - timedelta(days=rng.uniform(0, 1400)) for _ in range(40)]
    moments = [moment for moment in moments if moment <= now]
    Post.objects.bulk_create(
        Post(title=f"At {moment}", slug=f"at-{n}", body="<p>.</p>", published_at=moment,
             status=Post.Status.PUBLISHED)
        for n, moment in enumerate(moments)
    )  # fmt: skip
    make_post(title="Scheduled", published_at=now + timedelta(days=3))
    make_post(title="Draft", published_at=now - timedelta(days=3), status=Post.Status.DRAFT)
    expected = Counter((m.astimezone(zone).year, m.astimezone(zone).month) for m in moments)
    starts = month_starts(min(moments), now)

    def months(found) -> dict[tuple[int, int], int]:
        return {(starts[i].year, starts[i].month): n for i, n, _ in found if n}

    assert months(_counted_by_ranges(starts, now)) == expected
    assert months(_counted_by_buckets(PostFilter(), starts, updated=False)) == expected
    assert {(m.year, m.month): m.count for m in month_counts(PostFilter())} == expected


def test_an_archive_of_many_years_is_counted_within_the_databases_parameters(db, settings):
    # A post dated in the year 1000, the archive's first (a typo): 12,000 months, too many
    # for parameters of each month's bounds; SQLite counts them by buckets, and nothing fails.
    settings.TIME_ZONE = "Europe/Zurich"
    make_post(title="Old", published_at=datetime(1000, 6, 15, 12, tzinfo=UTC))
    make_post(title="New", published_at=timezone.now() - timedelta(days=40))
    counts = month_counts(PostFilter())
    assert [(m.year, m.month) for m in counts][-1] == (1000, 6)
    assert sum(m.count for m in counts) == 2
