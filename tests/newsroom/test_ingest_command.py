"""`manage.py fetch_feeds`: due / named / --all, progress and summary, --loop, isolation of
broken sources, and concurrent workers that never create the same post twice. Also one
source end to end (HTTP on 127.0.0.1 → parse → clean → store), for what only the whole
pipeline shows: the fetched address as the base of links, encodings, notes on the source."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from newsroom.models import FeedEntry, FeedSource, NewsItem, WorkerHeartbeat
from newsroom.pipeline import claim_due, ingest, this_worker
from posts.models import Post
from tests.commands import command_output
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def run(*args) -> str:
    return command_output("fetch_feeds", *args)


def big_feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Benchmark story {i}</title>"
        f"<link>https://bench.example/story/{i}</link><guid>bench-{i}</guid>"
        f"<pubDate>Mon, 01 Apr 2024 {i % 24:02d}:{i % 60:02d}:00 GMT</pubDate>"
        f"<category>cx-design</category>"
        f"<description>&lt;p&gt;Summary of story {i} about patient experience.&lt;/p&gt;"
        f"</description></item>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        f"<link>https://bench.example/</link><description>x</description>{items}"
        "</channel></rss>"
    ).encode()


def test_due_sources_are_fetched_and_summarised(feed_server):
    now = timezone.now()
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    make_source(feed_url=feed_server.url("/atom.xml"), name="Atomic")
    later = now + timedelta(hours=1)
    make_source(feed_url=feed_server.url("/podcast.xml"), name="Not due", next_check_at=later)
    make_source(feed_url=feed_server.url("/duplicates.xml"), name="Off", active=False)

    out = run()

    assert "[1/2] Northwind: 3 new" in out
    assert "[2/2] Atomic: 2 new" in out
    assert "Fetched 2 sources: 5 new posts, 2 with news, 0 unchanged, 0 failed." in out
    assert sorted(p.rsplit("/", 1)[-1] for p in feed_server.paths()) == ["atom.xml", "rss2.xml"]
    assert Post.objects.count() == 5
    for source in FeedSource.objects.filter(name__in=["Northwind", "Atomic"]):
        assert source.next_check_at > now + timedelta(minutes=59)
        assert source.claimed_until is None

    assert "No source is due." in run()
    assert Post.objects.count() == 5


def test_named_and_all(feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    make_source(
        feed_url=feed_server.url("/atom.xml"),
        name="Atomic",
        next_check_at=timezone.now() + timedelta(days=1),
    )

    out = run("atomic")
    assert "[1/1] Atomic: 2 new" in out
    assert Post.objects.count() == 2

    out = run("--all")
    assert "Fetched 2 sources: 3 new posts" in out
    assert "Atomic: not modified since the last fetch" in out


def test_unknown_source_name_is_a_clear_error(feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")

    with pytest.raises(CommandError) as error:
        run("Southwind")
    assert "No feed source called 'Southwind'. Known sources: Northwind." in str(error.value)


def test_one_broken_source_does_not_stop_the_others(feed_server):
    feed_server.route("/500", status=500)
    feed_server.route("/html", file="page.html", content_type="text/html")
    make_source(feed_url=feed_server.url("/500"), name="A broken")
    make_source(feed_url=feed_server.url("/html"), name="B html")
    make_source(feed_url=feed_server.url("/bomb.xml"), name="C bomb")
    make_source(feed_url=feed_server.url("/rss2.xml"), name="D fine")

    out = run()

    assert "Fetched 4 sources: 3 new posts, 1 with news, 0 unchanged, 3 failed." in out
    assert "see their last error in the admin: A broken, B html, C bomb" in out
    assert Post.objects.count() == 3
    assert list(FeedSource.objects.unhealthy().values_list("name", flat=True)) == [
        "A broken",
        "B html",
        "C bomb",
    ]
    assert FeedSource.objects.get(name="D fine").last_error == ""


def test_hostile_author_field_is_stopped_by_the_parse_time_limit(feed_server, settings):
    settings.INGEST_PARSE_TIMEOUT = 1
    hostile = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Slowloris</title>'
        "<link>https://slow.example/</link><description>x</description>"
        f"<item><title>Innocent</title><guid>s-1</guid><author>{'a' * 32768}</author></item>"
        "</channel></rss>"
    ).encode()
    make_source(feed_url=feed_server.route("/hostile.xml", body=hostile), name="Hostile")
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")

    out = run()

    source = FeedSource.objects.get(name="Hostile")
    assert "Reading the feed took longer than 1 seconds, so it was stopped" in source.last_error
    assert source.consecutive_failures == 1
    assert source.last_status == 200
    assert "Hostile: failed" in out
    assert not Post.objects.filter(title="Innocent").exists()
    assert Post.objects.count() == 3


def test_loop_polls_on_schedule(feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"), interval=timedelta(seconds=0.3))

    out = StringIO()
    call_command("fetch_feeds", "--loop", "--interval", "0.2", "--cycles", "3", stdout=out)

    assert "Stopped after 3 rounds." in out.getvalue()
    assert len(feed_server.requests) >= 2  # each due round asks again (conditionally)
    assert feed_server.requests[-1][1].get("If-None-Match")
    assert Post.objects.count() == 3


def test_claiming_gives_each_due_source_to_one_worker(feed_server):
    for n in range(5):
        make_source(feed_url=feed_server.url(f"/feed{n}.xml"))

    first = claim_due(limit=3)
    second = claim_due(limit=3)
    third = claim_due(limit=3)

    assert len(first) == 3 and len(second) == 2 and third == []
    assert not {s.pk for s in first} & {s.pk for s in second}


def test_sources_an_editor_asked_for_are_claimed_first(feed_server):
    long_due = make_source(
        feed_url=feed_server.url("/rss2.xml"), next_check_at=NOW - timedelta(days=1)
    )
    asked = make_source(
        feed_url=feed_server.url("/atom.xml"), next_check_at=NOW + timedelta(hours=5)
    )
    FeedSource.objects.filter(pk=asked.pk).request_fetch(by="editor")

    assert claim_due(limit=1) == [asked]
    assert claim_due(limit=1) == [long_due]

    ingest(asked)
    asked.refresh_from_db()
    assert (asked.fetch_requested_at, asked.fetch_requested_by) == (None, "")


def test_the_loop_reports_while_it_runs_and_signs_off(feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"))

    run("--loop", "--interval", "0.1", "--cycles", "2")

    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.worker == this_worker()
    assert heartbeat.interval == timedelta(seconds=0.1)
    assert heartbeat.started_at <= heartbeat.seen_at
    assert not WorkerHeartbeat.objects.alive().exists()  # it stopped


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_create_the_same_post_twice(feed_server):
    # Four sources, two of which carry the same stories; two workers poll at the same time,
    # each with its own database connection, and one more fetches everything by name.
    body = big_feed(40)
    for n in range(4):
        make_source(feed_url=feed_server.route(f"/same{n}.xml", body=body, conditional=False))
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")
    start = threading.Barrier(3)
    errors = []

    def worker(*args):
        try:
            start.wait()
            call_command("fetch_feeds", *args, "--workers", "2", stdout=StringIO())
        except Exception as exc:  # reported below with the test's own assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    threads.append(threading.Thread(target=worker, args=("--all",)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert FeedSource.objects.unhealthy().count() == 0, list(
        FeedSource.objects.values_list("last_error", flat=True)
    )
    assert Post.objects.count() == 43
    assert NewsItem.objects.count() == 43
    assert FeedEntry.objects.count() == 4 * 40 + 3
    assert Post.objects.values("title").distinct().count() == 43


def test_ingesting_a_500_entry_feed(feed_server, capsys):
    make_source(feed_url=feed_server.route("/big.xml", body=big_feed(500), conditional=False))

    started = time.perf_counter()
    out = run()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = run("--all")
    second = time.perf_counter() - started

    assert "500 new posts" in out
    assert "0 new posts" in again
    assert Post.objects.count() == 500
    assert Post.objects.filter(categories__slug="cx-design").count() == 500
    # Reported, not asserted: timing depends on the machine.
    with capsys.disabled():
        print(f"\n500-entry feed: first fetch {first:.2f} s, refetch {second:.2f} s")


# --- one source end to end over HTTP -----------------------------------------------------------


def test_a_fetched_feed_becomes_posts_with_links_against_the_fetched_address(feed_server):
    source = make_source(feed_url=feed_server.url("/rss2.xml"), name="Northwind")

    outcome = ingest(source, now=NOW)

    assert (outcome.status, outcome.stored.new) == ("new", 3)
    post = Post.objects.get(title="Mapping the patient journey before launch")
    entry = post.news_item.entries.get()
    assert 'href="https://127.0.0.1' not in entry.summary
    assert f'href="{feed_server.url("/blog/journey-template")}"' in entry.summary
    assert "<script" not in entry.summary and "onerror" not in entry.summary


def test_refetching_without_a_304_parses_again_and_creates_nothing(feed_server):
    source = make_source(feed_url=feed_server.route("/feed", file="rss2.xml", conditional=False))
    ingest(source, now=NOW)
    before = list(Post.objects.values_list("pk", "title", "updated_at"))

    outcome = ingest(source, now=NOW + timedelta(hours=1))

    assert len(feed_server.requests) == 2
    assert (outcome.status, outcome.stored.new, outcome.stored.unchanged) == ("unchanged", 0, 3)
    assert list(Post.objects.values_list("pk", "title", "updated_at")) == before


def test_non_utf8_feed_keeps_its_accents(feed_server):
    url = feed_server.route("/latin1.xml", file="latin1.xml", content_type="application/xml")
    source = make_source(feed_url=url)

    ingest(source, now=NOW)

    post = Post.objects.get()
    assert post.title == "Kundenzentrierung für Ärzte und Apotheken"
    assert post.excerpt == "Größere Nähe zum Kunden: was Ärztinnen und Apotheker wirklich schätzen."
    source.refresh_from_db()
    assert source.last_note == ""


def test_wrongly_declared_encoding_is_read_and_noted(feed_server):
    source = make_source(feed_url=feed_server.url("/wrong-encoding.xml"))

    ingest(source, now=NOW)

    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert "declared character encoding is wrong" in source.last_note
    assert Post.objects.get().title == "Café “smart” quotes"


def test_malformed_xml_is_read_leniently_and_noted(feed_server):
    source = make_source(feed_url=feed_server.url("/malformed.xml"))

    ingest(source, now=NOW)

    source.refresh_from_db()
    assert "not well-formed XML" in source.last_note
    assert Post.objects.get().title == "Loyalty & trust in pharmacy chains"
