"""Cheap to poll: validators from the items, 304 without building, constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from posts.models import Category, Post
from tests.factories import make_post, make_posts_in_bulk
from tests.feeds.feedtools import feed_path, get_feed

FORMATS = ["rss", "atom", "json"]
FEED_URLS = [
    feed_path(fmt, category, query)
    for fmt in FORMATS
    for category, query in [
        (None, ""),
        ("cx-design", ""),
        (None, "topic=cx-design,cx-strategy&industry=healthcare-sector&not=real-life-examples"),
        (None, "q=patients"),
    ]
]
CATEGORY_SETS = [
    ["cx-design", "healthcare-sector"],
    ["cx-strategy", "financial-sector", "patient-experience"],
    ["real-life-examples", "cx-design"],
]


@pytest.fixture
def posts(db):
    created = [
        make_post(title=f"Post about patients {i}", categories=CATEGORY_SETS[i % 3], days_ago=i + 1)
        for i in range(5)
    ]
    # Last edited when published, as in real life: HTTP dates have one-second resolution, and
    # posts all saved in this very second would hide every later change from Last-Modified.
    Post.objects.update(updated_at=F("published_at"))
    return [Post.objects.get(pk=post.pk) for post in created]


def validators(client, url: str = "/feed/") -> tuple[str, str | None]:
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"], response.headers.get("Last-Modified")


@pytest.mark.parametrize("url", FEED_URLS)
def test_if_none_match_answers_304_without_a_body(client, posts, url):
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300, stale-while-revalidate=1500"
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        assert client.get(url, headers={"if-none-match": header}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_if_modified_since_answers_304_for_the_last_modified_date(client, posts, fmt):
    url = feed_path(fmt)
    last_modified = client.get(url)["Last-Modified"]
    newest = max(max(p.updated_at, p.published_at) for p in posts)
    assert parse_http_date(last_modified) == int(newest.timestamp())
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304
    assert response.content == b""
    older = http_date(parse_http_date(last_modified) - 60)
    assert client.get(url, headers={"if-modified-since": older}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    headers = {"if-modified-since": last_modified, "if-none-match": '"stale"'}
    assert client.get(url, headers=headers).status_code == 200
    assert client.get(url, headers={"if-modified-since": "not a date"}).status_code == 200


def test_304_comes_from_the_validator_queries_without_building(
    client, posts, django_assert_num_queries
):
    etag = client.get("/feed/")["ETag"]
    # categories and the content version; the validators come from the cache: no post bodies,
    # not even the window.
    with django_assert_num_queries(2) as captured:
        response = client.get("/feed/", headers={"if-none-match": etag})
    assert response.status_code == 304
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"body"' not in sql and '"excerpt"' not in sql


def test_etag_and_last_modified_stay_the_same_without_changes(client, posts):
    assert validators(client) == validators(client)


def test_etag_changes_when_a_post_is_published(client, posts):
    draft = make_post(title="Draft", status=Post.Status.DRAFT, days_ago=0.1)
    Post.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    draft.refresh_from_db()
    before = validators(client)
    draft.publish()
    after = validators(client)
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_etag_changes_when_a_post_is_edited(client, posts):
    before = validators(client)
    posts[3].title = "A better title"
    posts[3].save()
    after = validators(client)
    assert after[0] != before[0]
    assert parse_http_date(after[1]) > parse_http_date(before[1]) - 1


def test_unpublishing_an_older_post_changes_both_validators(client, posts):
    etag, last_modified = validators(client)
    posts[2].unpublish()
    new_etag, new_last_modified = validators(client)
    assert new_etag != etag
    # The post is gone from the feed; Last-Modified must not stay put or move back.
    assert new_last_modified != last_modified
    headers = {"if-modified-since": last_modified}
    assert client.get("/feed/", headers=headers).status_code == 200


def test_scheduled_post_becoming_due_changes_the_validators(client, posts):
    scheduled = make_post(title="Scheduled", published_at=timezone.now() + timedelta(hours=1))
    before = validators(client)
    assert validators(client) == before
    # Time passes: the date is now behind us. update() leaves updated_at alone, exactly as
    # the clock passing the publication date does.
    Post.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=5))
    after = validators(client)
    assert after[0] != before[0]
    assert after[1] != before[1]
    assert client.get("/feed/", headers={"if-none-match": before[0]}).status_code == 200


def test_category_changes_of_an_item_change_the_etag(client, posts):
    before = validators(client)
    posts[0].categories.add(Category.objects.get(slug="broader-inspiration"))
    added = validators(client)
    assert added[0] != before[0]
    Category.objects.filter(slug="broader-inspiration").update(name="wider inspiration")
    assert validators(client)[0] != added[0]


def test_unrelated_changes_leave_the_validators_alone(client, posts):
    category_feed = feed_path("rss", "financial-sector")
    before_site = validators(client)
    before_category = validators(client, category_feed)
    # A draft written and edited, a post scheduled for later: nothing any feed shows.
    draft = Post.objects.create(title="Draft", status=Post.Status.DRAFT)
    draft.title = "Draft, edited"
    draft.save()
    make_post(
        title="Later",
        categories=["financial-sector"],
        published_at=timezone.now() + timedelta(days=3),
    )
    assert validators(client) == before_site
    assert validators(client, category_feed) == before_category
    # An edit to a post outside the category changes the site feed only.
    outside = next(p for p in posts if not p.categories.filter(slug="financial-sector").exists())
    outside.title = "Edited outside the category"
    outside.save()
    assert validators(client) != before_site
    assert validators(client, category_feed) == before_category
    assert validators(client)[0] != validators(client, feed_path("atom"))[0]


def test_head_sends_the_get_headers_without_a_body(client, posts):
    get = client.get("/feed/")
    head = client.head("/feed/")
    assert head.status_code == 200
    assert head.content == b""
    for header in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Content-Length"):
        assert head[header] == get[header]
    assert client.head("/feed/", headers={"if-none-match": get["ETag"]}).status_code == 304


def test_feeds_accept_only_get_and_head(client, posts):
    assert client.post("/feed/").status_code == 405
    assert client.put("/feed/atom/").status_code == 405


def test_cache_control_is_public_and_follows_the_setting(client, settings, posts):
    assert client.get("/feed/")["Cache-Control"] == (
        "public, max-age=300, stale-while-revalidate=1500"
    )
    settings.FEED_MAX_AGE = 900
    response = client.get("/feed/")
    assert response["Cache-Control"] == "public, max-age=900, stale-while-revalidate=4500"
    assert b"<ttl>15</ttl>" in response.content


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def make_posts(n: int, *, start: int = 0) -> None:
    for i in range(start, start + n):
        make_post(title=f"Post about patients {i}", categories=CATEGORY_SETS[i % 3])


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_query_count_does_not_grow_with_items(client, settings, url):
    settings.FEED_ITEMS = 30
    make_posts(3)
    few = queries_for(client, url)
    make_posts(60, start=3)
    many = queries_for(client, url)
    # categories, content version, posts with their categories' keys (the validators taken
    # from them: a reader without a copy gets the feed anyway); a selection of categories is
    # counted first on SQLite, to choose how its newest posts are read (Listing.newest).
    counted = connection.vendor == "sqlite" and ("/category/" in url or "topic=" in url)
    assert few == many == (4 if counted else 3)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_feed_query_budget_at_two_sizes(client, settings, size, django_assert_num_queries):
    settings.FEED_ITEMS = size
    make_posts(40)
    # categories, content version, posts with their categories' keys (and the validators
    # from them).
    with django_assert_num_queries(3):
        response = client.get("/feed/atom/")
    assert len(get_feed(client, "atom").entries) == size
    assert response.status_code == 200


def test_deleting_a_post_changes_last_modified_for_if_modified_since_readers(client, posts):
    first = client.get("/feed/")
    last_modified = first["Last-Modified"]
    assert client.get("/feed/", headers={"if-modified-since": last_modified}).status_code == 304
    # Not the newest post: its deletion leaves the newest dates of the window unchanged.
    Post.objects.published().newest_first()[2].delete()
    again = client.get("/feed/", headers={"if-modified-since": last_modified})
    assert again.status_code == 200
    assert again["Last-Modified"] != last_modified
    assert again["ETag"] != first["ETag"]


def test_renaming_the_credited_source_changes_the_etag(client, posts):
    from newsroom.models import FeedSource, NewsItem

    source = FeedSource.objects.create(name="Northwind", feed_url="https://northwind.example/f")
    post = Post.objects.published().newest_first()[0]
    NewsItem.objects.create(
        post=post, source=source, title=post.title, original_date=post.published_at
    )
    before = client.get("/feed/")["ETag"]
    assert "Via" in client.get("/feed/").content.decode()
    source.name = "Northwind Insights"
    source.save()
    assert client.get("/feed/")["ETag"] != before


@pytest.mark.django_db
def test_an_unchanged_feed_is_served_again_as_written_and_an_edit_shows_at_once(
    client, django_assert_num_queries
):
    make_posts(5)
    first = client.get("/feed/atom/")
    # categories and content version; the validators and the feed as written from the cache.
    with django_assert_num_queries(2):
        again = client.get("/feed/atom/")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    post = Post.objects.published().newest_first()[0]
    post.title = "A title edited since"
    post.save()
    edited = client.get("/feed/atom/")
    assert edited["ETag"] != first["ETag"]
    assert "A title edited since" in edited.content.decode()


@pytest.mark.parametrize("url", [*FEED_URLS, "/feed/?page=2", "/feed.json?page=3"])
def test_a_feed_read_with_or_without_a_copy_has_the_same_validators(client, settings, posts, url):
    # Without a copy the validators come from the posts the feed is written from; with one,
    # from the cheaper window query: the two must agree, or a reader would never get a 304.
    settings.FEED_ITEMS = 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    plain = client.get(url)
    conditional = client.get(url, headers={"if-none-match": '"another"'})
    assert plain.status_code == conditional.status_code == 200
    assert plain["ETag"] == conditional["ETag"]
    assert plain["Last-Modified"] == conditional["Last-Modified"]
    assert plain.content == conditional.content
    assert client.get(url, headers={"if-none-match": plain["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_a_common_category_feed_is_walked_from_the_index_and_a_rare_one_listed(client, settings):
    # 150 posts of one topic, one of an industry: the topic in more than one post in a hundred
    # (on SQLite read newest first along the index, each tested: EXISTS), the industry in
    # fewer (its posts listed first, as always on PostgreSQL). Either way the feed holds the
    # same posts as the page. Without the cache, so that every request reads its posts: the
    # feed and the window of its validators.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    make_posts_in_bulk(150, Category.objects.get(slug="cx-design"), title="Common")
    make_posts_in_bulk(1, Category.objects.get(slug="financial-sector"), title="Rare")
    for slug, walked in [("cx-design", True), ("financial-sector", False)]:
        for conditional in (False, True):
            headers = {"if-none-match": '"another"'} if conditional else {}
            with CaptureQueriesContext(connection) as captured:
                response = client.get(feed_path("rss", slug), headers=headers)
            assert response.status_code == 200
            read = [
                q["sql"] for q in captured.captured_queries if '"published_at" DESC' in q["sql"]
            ]
            assert len(read) == 1
            assert ("EXISTS" in read[0]) is (walked and connection.vendor == "sqlite"), slug
        page = client.get(f"/category/{slug}/")
        listed = [card.post.title for card in page.context["cards"]]
        in_feed = [entry.title for entry in get_feed(client, "rss", slug).entries]
        assert in_feed[: len(listed)] == listed
