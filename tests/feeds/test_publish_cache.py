"""A feed reader's revalidation is answered from the content version: indexed lookups only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_post

pytestmark = pytest.mark.django_db

ARCHIVE_TABLES = ("posts_post", "posts_taggedpost")


@pytest.fixture
def clock(monkeypatch):
    start = timezone.now()
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: start + offset["by"])

    def advance(by: timedelta) -> None:
        offset["by"] += by

    return advance


def scans(sql: str) -> list[str]:
    """The archive tables a query reads from end to end, by the database's own plan."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny test tables are cheapest to scan; forbid that, and whatever still scans
            # has no index to use.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            return [
                line
                for line in plan
                if "Seq Scan" in line and any(t in line for t in ARCHIVE_TABLES)
            ]
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = [row[-1] for row in cursor.fetchall()]
        return [
            line
            for line in plan
            if line.startswith("SCAN") and any(t in line.split()[1] for t in ARCHIVE_TABLES)
        ]


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/?topic=cx-design", "/category/cx-design/feed.json"]
)
def test_a_304_reads_no_table_of_the_archive_from_end_to_end(client, url):
    for i in range(30):
        make_post(title=f"Post {i}", categories=["cx-design"], days_ago=i + 1)
    make_post(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert len(captured.captured_queries) == 2
    for query in captured.captured_queries:
        assert scans(query["sql"]) == [], query["sql"]


def test_a_scheduled_post_reaches_the_feed_and_its_validators_when_its_time_comes(client, clock):
    make_post(title="Already out", days_ago=1)
    make_post(title="Scheduled story", published_at=timezone.now() + timedelta(minutes=30))
    first = client.get("/feed/")
    assert b"Scheduled story" not in first.content
    assert client.get("/feed/", headers={"if-none-match": first["ETag"]}).status_code == 304
    clock(timedelta(minutes=31))
    again = client.get("/feed/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert b"Scheduled story" in again.content
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] != first["Last-Modified"]
