"""One bad entry never fails its source: it is skipped, named on the source with the reason,
and the other entries are stored. Over HTTP end to end, and the store stage on its own."""

import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.models import FeedSource, NewsItem
from posts.models import Post
from tests.commands import command_output
from tests.newsroom.ingest_factories import make_entry, make_source, store

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed</title>'
        "<link>https://mixed.example/</link><description>x</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def item(title: str, link: str, guid: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Mon, 01 Apr 2024 09:00:00 GMT</pubDate>"
        f"<description>About {title}.</description></item>"
    )


def test_entry_on_port_99999_is_skipped_and_the_good_ones_stored(feed_server, admin_client):
    body = rss(
        item("First good story", "https://mixed.example/first", "good-1"),
        item("Broken port", "http://x.example.org:99999/a", "bad-1"),
        item("Second good story", "https://mixed.example/second", "good-2"),
    )
    make_source(
        feed_url=feed_server.route("/mixed.xml", body=body, conditional=False), name="Mixed"
    )

    out = command_output("fetch_feeds")

    note = (
        "1 entry was skipped: “Broken port” (guid bad-1, link http://x.example.org:99999/a): "
        "its link is malformed (Port out of range 0-65535)."
    )
    assert f"[1/1] Mixed: 2 new, 1 skipped (note: {note})" in out
    assert "0 failed" in out
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "First good story",
        "Second good story",
    ]
    source = FeedSource.objects.get()
    assert (source.consecutive_failures, source.last_error, source.last_note) == (0, "", note)
    assert source.next_check_at > timezone.now() + timedelta(minutes=50)  # no back-off
    page = admin_client.get(reverse("admin:newsroom_feedsource_change", args=[source.pk]))
    assert "“Broken port” (guid bad-1, link http://x.example.org:99999/a)" in page.content.decode()

    # Still skipped next time, and still named; nothing is stored twice.
    assert "Mixed: 0 new, 2 unchanged, 1 skipped" in command_output("fetch_feeds", "--all")
    assert Post.objects.count() == 2


def test_entry_failing_in_the_store_leaves_nothing_behind(caplog):
    source = make_source(feed_url="https://feeds.example/rss.xml")
    first = make_entry(guid="a", title="First", link="https://news.example/a")
    # Its post and story are written, then the feed entry's NOT NULL column refuses it: a
    # failure after part of the entry's work, as a bug in the store would cause.
    broken = replace(
        make_entry(guid="b", title="Broken", link="https://news.example/b"), content_hash=None
    )
    last = make_entry(guid="c", title="Last", link="https://news.example/c")

    with caplog.at_level(logging.ERROR, logger="newsroom.store"):
        result = store(source, [first, broken, last], now=NOW)

    assert result.new == 2
    assert [(s.title, s.guid, s.link) for s in result.skipped] == [
        ("Broken", "b", "https://news.example/b")
    ]
    assert "the hub failed on it (IntegrityError" in result.skipped[0].reason
    assert str(result) == "2 new, 1 skipped"
    # Undone to its savepoint: no post or story without its entry.
    assert sorted(Post.objects.values_list("title", flat=True)) == ["First", "Last"]
    assert sorted(NewsItem.objects.values_list("title", flat=True)) == ["First", "Last"]
    # The developers see the whole traceback in the log.
    assert "Storing an entry of https://feeds.example/rss.xml failed" in caplog.text
    assert "IntegrityError" in caplog.text
