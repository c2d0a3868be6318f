"""Is this the same story? The dedupe module on its own: keys, known entries, stories."""

import hashlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from newsroom.dedupe import (
    canonical_url,
    entry_key,
    get_or_create_story,
    known_entries,
    one_per_key,
    same_story,
    title_key,
)
from newsroom.models import NewsItem
from tests.newsroom.ingest_factories import make_entry, make_source, store

DAY = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def make_story(*, source, title: str, url: str = "", date: datetime = DAY) -> NewsItem:
    return NewsItem.objects.create(
        source=source,
        title=title,
        original_url=url,
        canonical_url=canonical_url(url) if url else "",
        title_key=title_key(title),
        original_date=date,
    )


# --- keys -------------------------------------------------------------------------------------


def test_entry_key_is_the_hash_of_the_guid_then_link_then_title_and_date():
    # Stored keys depend on this exact form: a change would bring every entry in again.
    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    link = "https://www.site.example/story/?utm_source=x"
    assert entry_key(guid="g-1", link=link, title="T", own_date=DAY) == sha("guid:g-1")
    assert entry_key(guid="", link=link, title="T", own_date=DAY) == sha(
        "link:https://site.example/story"
    )
    assert entry_key(guid="", link="", title="The Story!", own_date=DAY) == sha(
        f"title:the story|{DAY.isoformat()}"
    )
    assert entry_key(guid="", link="", title="The Story!", own_date=None) == sha("title:the story|")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://Site.example/a/b/?utm_source=rss&utm_medium=x", "https://site.example/a/b"),
        ("http://www.site.example:80/a?id=3&fbclid=zz#comments", "https://site.example/a?id=3"),
        ("https://site.example/a?b=2&a=1", "https://site.example/a?a=1&b=2"),
        ("https://site.example:8443/", "https://site.example:8443/"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_title_key_ignores_case_accents_and_punctuation():
    assert title_key("Mapping the Patient Journey — Before Launch!") == title_key(
        "mapping the patient journey before launch"
    )
    assert title_key("Café") == title_key("cafe")


def test_one_per_key_keeps_the_first_copy_in_feed_order():
    first = make_entry(guid="a", title="First copy")
    other = make_entry(guid="b", title="Other")
    second = make_entry(guid="a", title="Second copy")

    assert one_per_key([first, other, second]) == [first, other]


# --- within a source --------------------------------------------------------------------------


@pytest.mark.django_db
def test_known_entries_are_the_sources_own_by_key():
    northwind = make_source(feed_url="https://northwind.example/rss2.xml", name="Northwind")
    digest = make_source(feed_url="https://digest.example/rss2.xml", name="Digest")
    mine = make_entry(guid="shared-guid", title="Mine", published=DAY)
    theirs = make_entry(guid="d-1", title="Theirs", published=DAY)
    store(northwind, [mine, make_entry(guid="n-2", title="Also mine", published=DAY)], now=DAY)
    # The same guid in another source is that source's entry, not ours.
    store(digest, [make_entry(guid="shared-guid", title="Mine", published=DAY), theirs], now=DAY)
    # More keys than one query takes: the lookup goes in batches.
    keys = [*(f"unknown-{n}" for n in range(1200)), mine.key, theirs.key]

    known = known_entries(northwind, keys)

    assert list(known) == [mine.key]
    assert known[mine.key].source == northwind
    assert known[mine.key].item.post.title == "Mine"


# --- across sources ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_same_story_by_address_whatever_the_title_or_date():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    story = make_story(source=source, title="Original", url="https://northwind.example/a")

    found = same_story(
        canonical_url=canonical_url("https://www.northwind.example/a/?utm_source=digest"),
        title_key=title_key("Another title"),
        date=DAY + timedelta(days=400),
        merge_days=3,
    )

    assert found == story


@pytest.mark.django_db
def test_same_title_is_the_same_story_only_within_the_merge_window():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    oldest = make_story(source=source, title="Closed-loop feedback", url="https://a.example/1")
    make_story(source=source, title="Closed-loop feedback", url="https://b.example/2")

    def lookup(date):
        return same_story(
            canonical_url="https://c.example/3",
            title_key=title_key("Closed-Loop Feedback!"),
            date=date,
            merge_days=3,
        )

    assert lookup(DAY + timedelta(days=3)) == oldest  # the window's edge is inside
    assert lookup(DAY - timedelta(days=3)) == oldest
    assert lookup(DAY + timedelta(days=3, seconds=1)) is None
    assert lookup(DAY - timedelta(days=3, seconds=1)) is None


@pytest.mark.django_db
def test_no_address_and_no_title_is_never_the_same_story():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    NewsItem.objects.create(source=source, title="", original_date=DAY)

    assert same_story(canonical_url="", title_key="", date=DAY, merge_days=3) is None


@pytest.mark.django_db
def test_get_or_create_story_creates_once():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    keys = {
        "canonical_url": "https://a.example/story",
        "title_key": "a story",
        "date": DAY,
        "merge_days": 3,
    }
    calls = []

    def create():
        calls.append(1)
        return make_story(source=source, title="A story", url="https://a.example/story")

    first, created = get_or_create_story(**keys, create=create)
    again, created_again = get_or_create_story(**keys, create=create)

    assert (created, created_again) == (True, False)
    assert again == first
    assert len(calls) == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's IMMEDIATE transactions make the second worker wait for the first to "
    "commit, so it finds the story at its first look: this race needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_story_another_worker_created_meanwhile_is_returned_not_duplicated():
    source = make_source(feed_url="https://northwind.example/rss2.xml")
    url = "https://a.example/story"
    theirs = []

    def other_worker():
        try:
            theirs.append(make_story(source=source, title="Theirs", url=url))
        finally:
            connections.close_all()

    def create():
        # The other worker commits the same address after our first look, before our insert.
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join()
        return make_story(source=source, title="Ours", url=url)

    item, created = get_or_create_story(
        canonical_url=url, title_key="ours", date=DAY, merge_days=3, create=create
    )

    assert created is False
    assert item == theirs[0]
    assert list(NewsItem.objects.values_list("title", flat=True)) == ["Theirs"]
