"""A big feed is stored in short transactions: SQLite stays writable for editors meanwhile, and
a fetch killed halfway leaves no half-written post, and nothing twice once it runs again.

SQLite's locking is the point of most of these, so they run `manage.py fetch_feeds` in
subprocesses against a database file with the real settings (WAL, busy timeout, IMMEDIATE
transactions): the test database of pytest-django is SQLite in memory with a shared cache,
which locks tables, not the file. The feed comes over HTTP from a loopback server in this
process.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from cxhub.loopback import LoopbackServer
from newsroom import pipeline
from newsroom.models import FeedEntry
from posts.models import Post
from tests.newsroom.ingest_factories import make_source

ROOT = Path(__file__).resolve().parent.parent.parent

sqlite_file = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's write lock, on a file of its own: the PostgreSQL run would repeat it as is",
)


@dataclass
class Hub:
    path: Path
    env: dict[str, str]

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout.strip()

    def add_source(self, feed_url: str) -> int:
        """A source for the feed, and a post of the editor's; returns the post's id."""
        return int(
            self.shell(
                "from newsroom.models import FeedSource; from posts.models import Post; "
                f"FeedSource.objects.create(name='Big', feed_url={feed_url!r}); "
                "print(Post.objects.create(title='The editor’s post', status='published').pk)"
            )
        )

    def counts(self) -> dict:
        return json.loads(
            self.shell(
                "import json; from newsroom.models import FeedEntry, FeedSource, NewsItem; "
                "from posts.models import Post; "
                "ingested = Post.objects.exclude(title='The editor’s post'); "
                "source = FeedSource.objects.get(); "
                "print(json.dumps({"
                "'entries': FeedEntry.objects.count(), "
                "'items': NewsItem.objects.count(), "
                "'posts': ingested.count(), "
                "'titles': ingested.values('title').distinct().count(), "
                "'posts_without_story': ingested.filter(news_item__isnull=True).count(), "
                "'entries_without_post': FeedEntry.objects.filter(item__post__isnull=True).count(),"
                "'etag': source.etag, "
                "'last_error': source.last_error}))"
            )
        )

    def stored_entries(self) -> int:
        """Counted straight from the file, read-only, while a fetch may be writing."""
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=20) as db:
            return db.execute(f"SELECT count(*) FROM {FeedEntry._meta.db_table}").fetchone()[0]


@pytest.fixture
def hub(tmp_path) -> Hub:
    """A migrated SQLite file, and the environment for processes that use it."""
    path = tmp_path / "hub.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INGEST_"))}
    env |= {
        "DATABASE_URL": f"sqlite:///{path}",
        "OUTBOUND_ALLOW_PRIVATE_ADDRESSES": "1",  # the loopback server
        # Parsing thousands of entries on a busy 2-core machine: generous limits.
        "INGEST_PARSE_TIMEOUT": "300",
        "INGEST_TIMEOUT": "60",
    }
    hub = Hub(path=path, env=env)
    hub.manage("migrate", "--verbosity", "0")
    return hub


def big_feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Story {i} of the big feed</title>"
        f"<link>https://big.example/story/{i}</link><guid>big-{i}</guid>"
        f"<pubDate>Mon, 01 Apr 2024 {i % 24:02d}:{i % 60:02d}:00 GMT</pubDate>"
        f"<description>Summary of story {i} about patient experience.</description></item>"
        for i in range(n)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        f"<link>https://big.example/</link><description>x</description>{items}"
        "</channel></rss>"
    ).encode()


@sqlite_file
def test_editors_can_save_while_5000_entries_are_stored(hub, tmp_path, capsys):
    stop = tmp_path / "stop"
    with LoopbackServer(content_type="application/rss+xml") as server:
        post_id = hub.add_source(server.route("/big.xml", body=big_feed(5000)))
        editor = subprocess.Popen(
            [sys.executable, "tests/scripts/editor_saves.py", str(post_id), str(stop)],
            cwd=ROOT,
            env=hub.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert editor.stdout.readline().strip() == "ready"
            started = time.perf_counter()
            fetch = subprocess.run(
                [sys.executable, "manage.py", "fetch_feeds", "--all"],
                cwd=ROOT,
                env=hub.env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            took = time.perf_counter() - started
        finally:
            stop.touch()
            out, err = editor.communicate(timeout=120)

    assert fetch.returncode == 0, fetch.stdout + fetch.stderr
    assert "locked" not in fetch.stdout + fetch.stderr
    assert "5000 new posts" in fetch.stdout and "0 failed" in fetch.stdout, fetch.stdout
    assert editor.returncode == 0, err
    editor_report = dict(line.split(" ", 1) for line in out.splitlines())
    assert editor_report["errors"] == "0", out
    assert int(editor_report["saves"]) > 0
    counts = hub.counts()
    assert counts["last_error"] == ""
    assert counts["entries"] == counts["items"] == counts["posts"] == counts["titles"] == 5000
    assert counts["posts_without_story"] == counts["entries_without_post"] == 0
    # Reported, not asserted: timing depends on the machine.
    with capsys.disabled():
        print(
            f"\n5,000-entry ingest in {took:.1f} s beside an editor: {editor_report['saves']} "
            f"saves, median {editor_report['median']} s, longest {editor_report['longest']} s"
        )


@sqlite_file
def test_a_fetch_killed_halfway_stores_everything_exactly_once_when_run_again(hub):
    n = 2000
    with LoopbackServer(content_type="application/rss+xml") as server:
        hub.add_source(server.route("/big.xml", body=big_feed(n)))
        fetch = subprocess.Popen(
            [sys.executable, "manage.py", "fetch_feeds", "--all"],
            cwd=ROOT,
            env=hub.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # A few batches in, the worker is killed as the kernel's OOM killer would.
            deadline = time.monotonic() + 600
            while hub.stored_entries() < 300 and fetch.poll() is None:
                assert time.monotonic() < deadline, "the fetch stored nothing in ten minutes"
                time.sleep(0.05)
            fetch.send_signal(signal.SIGKILL)
        finally:
            fetch.kill()
            fetch.wait(timeout=60)
        assert fetch.returncode == -signal.SIGKILL, "the fetch ended before it could be killed"

        halfway = hub.counts()
        assert 300 <= halfway["entries"] < n
        assert halfway["entries"] == halfway["items"] == halfway["posts"]
        assert halfway["posts_without_story"] == halfway["entries_without_post"] == 0
        # The validators are saved after the last batch: the next run fetches the feed in full.
        assert halfway["etag"] == ""

        again = hub.manage("fetch_feeds", "--all")

    assert f"{n - halfway['entries']} new posts" in again.stdout, again.stdout
    counts = hub.counts()
    assert counts["entries"] == counts["items"] == counts["posts"] == counts["titles"] == n
    assert counts["posts_without_story"] == counts["entries_without_post"] == 0
    assert counts["etag"] != "" and counts["last_error"] == ""


@pytest.mark.django_db
def test_batches_add_up_and_the_first_copy_of_an_entry_wins_across_them(feed_server, monkeypatch):
    monkeypatch.setattr(pipeline, "FIRST_BATCH", 2)
    monkeypatch.setattr(pipeline, "MAX_BATCH", 2)
    body = big_feed(5).replace(b"<guid>big-4</guid>", b"<guid>big-0</guid>")
    source = make_source(feed_url=feed_server.route("/five.xml", body=body))

    outcome = pipeline.ingest(source)

    assert str(outcome) == "4 new, 1 unchanged"
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        f"Story {i} of the big feed" for i in range(4)
    ]
    source.refresh_from_db()
    assert source.etag and source.last_error == ""
