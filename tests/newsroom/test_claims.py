"""Claims on sources name their worker: a crashed worker's sources are taken over at once on
its host, a running worker's are left alone, and the admin shows who is fetching what."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.models import FeedSource
from newsroom.pipeline import claim_due, ingest, this_worker
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

SOURCES = reverse("admin:newsroom_feedsource_changelist")
HOST = socket.gethostname()


def stopped_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


@pytest.fixture
def running_process_id():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield child.pid
    child.kill()
    child.wait()


def claimed(source: FeedSource, *, by: str) -> FeedSource:
    FeedSource.objects.filter(pk=source.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=9), claimed_by=by
    )
    source.refresh_from_db()
    return source


def test_a_claim_records_its_worker_and_a_fetch_gives_it_up(feed_server):
    source = make_source(feed_url=feed_server.url("/rss2.xml"))

    [taken] = claim_due(limit=5)
    source.refresh_from_db()
    assert source.claimed_by == taken.claimed_by == this_worker()
    assert this_worker() == f"{HOST}:{os.getpid()}"

    ingest(taken)
    source.refresh_from_db()
    assert (source.claimed_until, source.claimed_by) == (None, "")


def test_sources_of_a_stopped_worker_on_this_host_are_taken_over_at_once(feed_server):
    gone = f"{HOST}:{stopped_process_id()}"
    orphan = claimed(make_source(feed_url=feed_server.url("/rss2.xml"), name="Orphan"), by=gone)
    also = claimed(make_source(feed_url=feed_server.url("/atom.xml"), name="Also"), by=gone)

    taken = claim_due(limit=5)

    assert {s.pk for s in taken} == {orphan.pk, also.pk}
    assert set(FeedSource.objects.values_list("claimed_by", flat=True)) == {this_worker()}


def test_sources_of_a_running_worker_are_left_alone(feed_server, running_process_id):
    busy = claimed(
        make_source(feed_url=feed_server.url("/rss2.xml"), name="Busy"),
        by=f"{HOST}:{running_process_id}",
    )
    # A process on another host cannot be checked from here: its claim waits for the lease.
    elsewhere = claimed(
        make_source(feed_url=feed_server.url("/atom.xml"), name="Elsewhere"),
        by=f"elsewhere.invalid:{stopped_process_id()}",
    )

    assert claim_due(limit=5) == []
    busy.refresh_from_db()
    elsewhere.refresh_from_db()
    assert busy.claimed_by == f"{HOST}:{running_process_id}"
    assert elsewhere.claimed_by.startswith("elsewhere.invalid:")

    later = timezone.now() + timedelta(minutes=10)
    assert {s.name for s in claim_due(limit=5, now=later)} == {"Busy", "Elsewhere"}


def test_the_admin_shows_which_worker_fetches_a_source(admin_client, feed_server):
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Taken")
    make_source(feed_url=feed_server.url("/atom.xml"), name="Idle")
    claimed(FeedSource.objects.get(name="Taken"), by="worker-3.example:4242")

    page = admin_client.get(SOURCES).content.decode()
    fetching = admin_client.get(SOURCES, {"fetching": "yes"}).content.decode()
    idle = admin_client.get(SOURCES, {"fetching": "no"}).content.decode()

    assert "by worker-3.example:4242" in page
    assert "Taken" in fetching and "Idle" not in fetching
    assert "Idle" in idle and "Taken" not in idle
