"""Set-wide steps on the ingestion models, called directly (the admin's actions call them):
publishing and rejecting stories of the review queue, making sources due."""

from datetime import UTC, datetime, timedelta

import pytest

from newsroom.models import FeedSource, NewsItem
from posts.models import Post
from tests.newsroom.ingest_factories import make_entry, make_source, store

pytestmark = pytest.mark.django_db

DAY = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def queue() -> FeedSource:
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    entries = [
        make_entry(guid=str(n), title=title, published=DAY + timedelta(hours=n))
        for n, title in enumerate(["Waiting one", "Waiting two", "Turned down"])
    ]
    store(source, entries, now=NOW)
    NewsItem.objects.get(title="Turned down").reject(reason="Off topic", at=NOW)
    return source


def test_publish_all_dates_stories_when_they_appear_and_credits_the_source_date(queue):
    published = NewsItem.objects.all().publish_all(at=NOW)

    assert published == 2
    assert NewsItem.objects.pending().count() == 0
    posts = Post.objects.published(at=NOW).order_by("title")
    assert [(p.title, p.published_at, p.credit_date) for p in posts] == [
        ("Waiting one", NOW, DAY),
        ("Waiting two", NOW, DAY + timedelta(hours=1)),
    ]
    assert NewsItem.objects.rejected().get().title == "Turned down"  # left alone


def test_reject_all_remembers_one_reason_and_deletes_the_posts(queue):
    rejected = NewsItem.objects.pending().reject_all(reason="  Paywalled  ", at=NOW)

    assert rejected == 2
    assert not Post.objects.exists()
    assert sorted(NewsItem.objects.rejected().values_list("title", "reject_reason")) == [
        ("Turned down", "Off topic"),
        ("Waiting one", "Paywalled"),
        ("Waiting two", "Paywalled"),
    ]
    assert set(
        NewsItem.objects.filter(reject_reason="Paywalled").values_list("rejected_at", flat=True)
    ) == {NOW}


def test_make_due_puts_sources_first_in_line():
    later = NOW + timedelta(days=1)
    waiting = make_source(feed_url="https://a.example/a.xml", next_check_at=later)
    untouched = make_source(feed_url="https://b.example/b.xml", next_check_at=later)

    assert FeedSource.objects.filter(pk=waiting.pk).make_due(at=NOW) == 1

    assert list(FeedSource.objects.due(at=NOW)) == [waiting]
    untouched.refresh_from_db()
    assert untouched.next_check_at == later
