"""A published news item credits its source on the post page, without extra queries."""

import re
from datetime import UTC, datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import NewsItem
from newsroom.pipeline import ingest
from tests.factories import make_post
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db


def test_post_page_credits_the_source_with_link_and_original_date(client, feed_server):
    source = make_source(feed_url=feed_server.url("/atom.xml"), name="Atomic Insights")
    ingest(source)
    item = NewsItem.objects.get(title="Measuring effort, not just satisfaction")
    item.publish()

    page = client.get(item.post.get_absolute_url()).content.decode()

    assert (
        'Via <a href="https://atomic.example/" rel="noopener noreferrer">Atomic Insights</a>'
        in page
    )
    assert (
        '<a href="https://atomic.example/insights/effort-score" rel="noopener noreferrer">'
        "read the original article</a>" in page
    )
    assert '<time datetime="2024-04-01T08:00:00+02:00">1 April 2024</time>' in page
    # Only the teaser, never the source's full text.
    assert "full article text" not in page


def test_own_posts_have_no_credit_and_credit_costs_no_queries(client, feed_server):
    ingest(make_source(feed_url=feed_server.url("/atom.xml")))
    item = NewsItem.objects.get(title="Measuring effort, not just satisfaction")
    item.publish()
    own = make_post(title="Our own post", categories=["cx-design"])

    with CaptureQueriesContext(connection) as credited:
        credited_page = client.get(item.post.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as plain:
        own_page = client.get(own.get_absolute_url()).content.decode()

    assert "Via <a" in credited_page
    assert "Via <a" not in own_page
    assert len(credited) == len(plain)


def test_renaming_the_source_renames_the_credit_on_its_posts(client, feed_server):
    source = make_source(feed_url=feed_server.url("/atom.xml"), name="Atomic Insights")
    ingest(source)
    item = NewsItem.objects.get(title="Measuring effort, not just satisfaction")
    item.publish()
    source.name = "Atomic Research"
    source.site_url = "https://research.atomic.example/"
    source.save()

    page = client.get(item.post.get_absolute_url()).content.decode()
    assert (
        'Via <a href="https://research.atomic.example/" rel="noopener noreferrer">'
        "Atomic Research</a>" in page
    )


UNDATED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Undated notes</title><link>https://undated.example/</link>
<item><title>A note without a date</title><link>https://undated.example/note</link>
<guid>note-1</guid><description>The source says nothing of when.</description></item>
<item><title>A note from 2019</title><link>https://undated.example/old</link>
<guid>note-2</guid><pubDate>Tue, 05 Mar 2019 09:00:00 GMT</pubDate>
<description>An old one.</description></item>
</channel></rss>"""


def undated_source(feed_server, **fields):
    url = feed_server.route("/undated.xml", body=UNDATED, content_type="application/rss+xml")
    return make_source(feed_url=url, name="Undated Notes", **fields)


def test_a_story_without_its_own_date_is_credited_as_found_not_first_published(client, feed_server):
    fetched = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    ingest(undated_source(feed_server), now=fetched)
    undated = NewsItem.objects.get(title="A note without a date")
    dated = NewsItem.objects.get(title="A note from 2019")
    for item in (undated, dated):
        item.publish()

    undated_page = client.get(undated.post.get_absolute_url()).content.decode()
    dated_page = client.get(dated.post.get_absolute_url()).content.decode()
    feed = feedparser.parse(client.get("/feed/").content)

    assert ', found on <time datetime="2026-03-10T' in undated_page
    assert "first published" not in undated_page
    assert ', first published <time datetime="2019-03-05T' in dated_page
    assert "found on" not in dated_page
    # Feed items carry the same credit as the pages.
    by_title = {entry.title: entry for entry in feed.entries}
    undated_item = by_title["A note without a date"].content[0].value
    dated_item = by_title["A note from 2019"].content[0].value
    assert re.search(r", found on <time [^>]*>10 March 2026</time>", undated_item)
    assert re.search(r", first published <time [^>]*>5 March 2019</time>", dated_item)


def test_a_directly_published_backlog_is_dated_when_it_appears_on_the_hub(client, feed_server):
    make_post(title="Yesterday's own post", days_ago=1)
    before = timezone.now()
    ingest(undated_source(feed_server, publish_directly=True))

    old = NewsItem.objects.get(title="A note from 2019").post
    assert old.is_visible
    assert old.published_at >= before  # not 2019: it reached readers today
    assert old.credit_date == datetime(2019, 3, 5, 9, 0, tzinfo=UTC)
    # So it is in the first page of the site feed, above older posts, where readers poll.
    feed = feedparser.parse(client.get("/feed/").content)
    titles = [entry.title for entry in feed.entries]
    assert titles.index("A note from 2019") < titles.index("Yesterday's own post")


def test_the_review_queue_says_found_on_for_a_story_without_its_own_date(
    editor_client, feed_server
):
    ingest(undated_source(feed_server), now=datetime(2026, 3, 10, 12, 0, tzinfo=UTC))

    queue = editor_client.get("/admin/newsroom/newsitem/").content.decode()

    undated_row, dated_row = (
        queue[queue.index(title) :][:2000]
        for title in ("A note without a date", "A note from 2019")
    )
    assert "found on March 10, 2026" in undated_row.split("</tr>")[0]
    assert "first published March 5, 2019" in dated_row.split("</tr>")[0]
