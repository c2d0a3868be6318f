"""A published news item credits its source on the post page, without extra queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
