"""From a source's feed on a local server, through the review queue, into the hub's own feed."""

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from newsroom.models import NewsItem
from newsroom.pipeline import ingest
from posts.models import Post
from tests.factories import make_post
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:newsroom_newsitem_changelist")
JOURNEY = "Mapping the patient journey before launch"


def site_feed(client) -> feedparser.FeedParserDict:
    response = client.get("/feed/")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_reviewed_news_reaches_the_site_feed_with_credit_and_only_a_teaser(
    admin_client, client, feed_server
):
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    ingest(source)
    assert JOURNEY not in [e.title for e in site_feed(client).entries]  # waiting for review

    item = NewsItem.objects.get(title=JOURNEY)
    admin_client.post(QUEUE, {"action": "publish_selected", "_selected_action": [item.pk]})

    entries = {e.title: e for e in site_feed(client).entries}
    entry = entries[JOURNEY]
    content = entry.content[0].value
    post = Post.objects.get(title=JOURNEY)
    assert entry.link == "https://hub.example.org" + post.get_absolute_url()
    assert "Via <a href=" in content and "Northwind" in content
    first_published = '<time datetime="2024-03-05T10:30:00+01:00">5 March 2024</time>.'
    assert f", first published {first_published}" in content
    # The third party's text is reduced to a plain teaser: no markup of theirs, no script.
    assert "<strong>" not in content and "alert(" not in content
    assert "https://northwind.example/blog/patient-journey-before-launch" in content
    # Items still waiting in the queue stay out of the feed.
    assert "Why field teams need a shared customer view" not in entries


def test_feed_query_count_does_not_grow_with_news_items(
    client, feed_server, django_assert_max_num_queries
):
    ingest(make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind"))
    for item in NewsItem.objects.pending():
        item.publish()
    with django_assert_max_num_queries(6):
        client.get("/feed/")


def test_news_approved_from_a_backlog_reaches_the_first_page_of_the_feed(client, feed_server):
    # Thirty-odd newer posts of the hub's own, as many as one feed page holds.
    for n in range(settings.FEED_ITEMS + 5):
        make_post(title=f"Our own post {n}", days_ago=n / 10)
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    ingest(source)
    item = NewsItem.objects.get(title=JOURNEY)
    assert item.original_date.year == 2024  # the source's backlog

    item.publish()

    first_page = [e.title for e in feedparser.parse(client.get("/feed/").content).entries]
    assert first_page[0] == JOURNEY
