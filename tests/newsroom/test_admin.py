"""The ingestion admin: sources (health, fetch now, OPML), review queue, rule dry runs."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsroom.models import CategoryRule, FeedSource, FilterRule, NewsItem, WorkerHeartbeat
from newsroom.pipeline import ingest
from posts.models import Category, Post
from tests.commands import command_output
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

SOURCES = reverse("admin:newsroom_feedsource_changelist")
QUEUE = reverse("admin:newsroom_newsitem_changelist")


def action(client, url, name, objects, **extra):
    data = {"action": name, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(url, data, follow=True)


def test_failing_sources_are_listed_first_with_their_error(admin_client, feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"), name="A working")
    broken = make_source(feed_url=feed_server.route("/gone", status=404), name="B broken")
    for source in FeedSource.objects.all():
        ingest(source)

    page = admin_client.get(SOURCES).content.decode()
    failing = admin_client.get(SOURCES, {"health": "failing"}).content.decode()

    assert page.index("B broken") < page.index("A working")
    assert "failing, 1 times" in page
    assert "404 Not Found" in page
    assert "B broken" in failing and "A working" not in failing
    assert (
        admin_client.get(reverse("admin:newsroom_feedsource_change", args=[broken.pk])).status_code
        == 200
    )


def test_fetch_now_answers_at_once_and_the_worker_fetches(admin_client, feed_server, settings):
    # Three hanging feeds took longer than a web worker may (gunicorn's 30 s): the action now
    # only asks, and the fetch worker fetches.
    settings.INGEST_TIMEOUT = 1
    later = timezone.now() + timedelta(hours=5)
    hanging = [
        make_source(
            feed_url=feed_server.route(f"/hanging-{n}.xml", body=b"", delay=60),
            name=f"Hanging {n}",
            next_check_at=later,
        )
        for n in range(3)
    ]
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Not asked", next_check_at=later)

    page = action(admin_client, SOURCES, "fetch_now", hanging).content.decode()

    assert feed_server.requests == []  # nothing was fetched while the editor waited
    assert page.count("waiting for the fetch worker (requested by admin at ") == 3
    assert "3 source(s) are waiting for the fetch worker, but none has been seen yet" in page
    assert "manage.py fetch_feeds --loop" in page

    command_output("fetch_feeds", "--loop", "--cycles", "1")

    assert sorted(feed_server.paths()) == ["/hanging-0.xml", "/hanging-1.xml", "/hanging-2.xml"]
    page = admin_client.get(SOURCES).content.decode()
    assert "waiting for the fetch worker" not in page
    assert page.count("The server did not answer within 1 seconds") == 3
    assert page.count("failed at ") == 3
    assert "not fetched yet" in page  # the source nobody asked for


def test_fetch_now_with_a_running_worker_says_when_it_comes(admin_client, feed_server):
    WorkerHeartbeat.objects.beat(
        worker="worker-1.example:77",
        interval=timedelta(seconds=60),
        next_within=timedelta(minutes=2),
    )
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    off = make_source(feed_url=feed_server.url("/atom.xml"), name="Switched off", active=False)

    page = action(admin_client, SOURCES, "fetch_now", [source, off]).content.decode()

    assert (
        "1 source(s) are waiting for the fetch worker (worker-1.example:77), which takes them "
        "at its next round, within 60 s." in page
    )
    assert "Inactive sources are never fetched; make them active first: Switched off" in page
    assert feed_server.requests == []
    assert list(FeedSource.objects.due()) == [source]


def test_fetch_now_after_the_worker_stopped_says_since_when(admin_client, feed_server):
    long_ago = timezone.now() - timedelta(hours=3)
    WorkerHeartbeat.objects.beat(
        worker="worker-1.example:77",
        interval=timedelta(seconds=60),
        next_within=timedelta(minutes=2),
        at=long_ago,
    )
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")

    page = action(admin_client, SOURCES, "fetch_now", [source]).content.decode()

    assert "1 source(s) are waiting for the fetch worker, but none has been seen since " in page


def test_export_as_opml_action(admin_client):
    source = make_source(feed_url="https://a.example/feed.xml", name="A")

    response = action(admin_client, SOURCES, "export_as_opml", [source])

    assert response["Content-Type"].startswith("text/x-opml")
    assert ET.fromstring(response.content).find("body/outline").get("xmlUrl") == source.feed_url


@pytest.fixture
def queue(feed_server):
    northwind = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    digest = make_source(feed_url=feed_server.url("/syndicated.xml"), name="Digest")
    ingest(northwind)
    ingest(digest)
    return northwind, digest


def test_queue_filters_by_source_and_status(admin_client, queue):
    _, digest = queue
    NewsItem.objects.get(title__startswith="A note from").publish()

    waiting = admin_client.get(QUEUE, {"status": "waiting"}).content.decode()
    published = admin_client.get(QUEUE, {"status": "published"}).content.decode()
    from_digest = admin_client.get(QUEUE, {"source": digest.pk}).content.decode()

    assert "Mapping the patient journey" in waiting and "A note from" not in waiting
    assert "A note from" in published and "Mapping the patient journey" not in published
    assert "Northwind, Digest" in from_digest  # the merged story names both carriers
    assert "A note from" not in from_digest
    # The teaser, in plain text; the summaries as the sources carried them are on the item page.
    assert "Same title, a year earlier: a different story." in from_digest


def test_queue_list_queries_do_not_grow_with_items(admin_client, feed_server):
    ingest(make_source(feed_url=feed_server.url("/rss2.xml")))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(QUEUE)
    ingest(make_source(feed_url=feed_server.url("/duplicates.xml")))
    ingest(make_source(feed_url=feed_server.url("/atom.xml")))
    with CaptureQueriesContext(connection) as more:
        admin_client.get(QUEUE)

    assert NewsItem.objects.count() == 8
    assert len(more) == len(few)


def test_item_page_previews_what_each_source_carried(admin_client, queue):
    item = NewsItem.objects.get(canonical_url__endswith="patient-journey-before-launch")

    page = admin_client.get(
        reverse("admin:newsroom_newsitem_change", args=[item.pk])
    ).content.decode()

    assert "Northwind" in page and "Digest" in page
    assert "<strong>patient journey</strong>" in page  # sanitised HTML shown as HTML
    assert "Northwind on walking the patient journey early." in page
    assert "alert(" not in page
    assert item.post.get_absolute_url() in page


def test_bulk_publish_puts_items_on_the_site(admin_client, queue):
    items = list(NewsItem.objects.pending())

    page = action(admin_client, QUEUE, "publish_selected", items).content.decode()

    assert f"Published {len(items)} items." in page
    assert Post.objects.published().count() == len(items) == 4
    journey = Post.objects.get(title="Mapping the patient journey before launch")
    # Dated when it appears on the hub; the source's own date is kept in the credit.
    assert timezone.now() - journey.published_at < timedelta(minutes=5)
    assert journey.credit_date.year == 2024


def test_bulk_reject_asks_for_a_reason_then_remembers_it(admin_client, queue, feed_server):
    items = list(NewsItem.objects.filter(title__startswith="Why field teams"))

    form = action(admin_client, QUEUE, "reject_selected", items)
    assert "Give a reason for the record" in form.content.decode()
    assert NewsItem.objects.rejected().count() == 0

    missing_reason = action(admin_client, QUEUE, "reject_selected", items, apply="1")
    assert "This field is required" in missing_reason.content.decode()
    assert NewsItem.objects.rejected().count() == 0

    done = action(admin_client, QUEUE, "reject_selected", items, apply="1", reason="Old news")
    assert "Rejected 2 item(s)" in done.content.decode()
    assert set(NewsItem.objects.rejected().values_list("reject_reason", flat=True)) == {"Old news"}
    assert not Post.objects.filter(title__startswith="Why field teams").exists()
    rejected = admin_client.get(QUEUE, {"status": "rejected"}).content.decode()
    assert "Why field teams" in rejected


def test_filter_rule_dry_run_shows_the_effect_and_saves_nothing(admin_client, queue):
    northwind, _ = queue
    url = reverse("admin:newsroom_filterrule_add")
    data = {
        "action": "block",
        "field": "title",
        "pattern": "customer view",
        "source": northwind.pk,
        "active": "on",
    }

    page = admin_client.post(url, {**data, "_dryrun": "1"}).content.decode()

    assert "Dry run of" in page
    assert "3 recent entries checked; the rule would change 1." in page
    assert "dropped (block rule: Block entries that match: title ~ “customer view”)" in page
    assert 'name="pattern" value="customer view"' in page
    assert FilterRule.objects.count() == 0
    # "Save this rule" posts the same data without the dry-run flag.
    admin_client.post(url, {**data, "_save": "1"})
    assert FilterRule.objects.get().pattern == "customer view"


def test_keyword_rule_dry_run_on_every_source(admin_client, queue):
    category = Category.objects.get(slug="cx-design")

    page = admin_client.post(
        reverse("admin:newsroom_categoryrule_add"),
        {"phrase": "journey", "category": category.pk, "active": "on", "_dryrun": "1"},
    ).content.decode()

    assert "6 recent entries checked; the rule would change 2." in page
    assert "about CX design (keyword “journey”)" in page
    assert CategoryRule.objects.count() == 0


def test_invalid_rule_dry_run_shows_the_form_errors(admin_client):
    response = admin_client.post(
        reverse("admin:newsroom_filterrule_add"),
        {"action": "block", "field": "title", "_dryrun": "1"},
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_source_dry_run_action_shows_current_verdicts(admin_client, queue):
    northwind, _ = queue
    FilterRule.objects.create(pattern="future", field="title", action="block")

    page = action(admin_client, SOURCES, "dry_run_rules", [northwind]).content.decode()

    assert "3 recent entries checked. Nothing has been saved." in page
    assert "dropped (block rule" in page
    assert "focus on patient experience (feed category “Patient Experience”)" in page


def test_post_change_list_filters_by_source(admin_client, queue):
    _, digest = queue
    make_post_on_hub = Post.objects.create(title="Our own words", status="published")
    posts = reverse("admin:posts_post_changelist")

    from_digest = admin_client.get(posts, {"source": digest.pk})
    own = admin_client.get(posts, {"source": "hub"})

    digest_titles = {p.title for p in from_digest.context["cl"].result_list}
    assert digest_titles == set(
        NewsItem.objects.filter(entries__source=digest).values_list("post__title", flat=True)
    )
    assert "Mapping the patient journey before launch" in digest_titles  # carried by both
    assert "A note from the future" not in digest_titles  # Northwind only
    assert [p.title for p in own.context["cl"].result_list] == [make_post_on_hub.title]
    assert "Written on the hub" in from_digest.content.decode()
