"""`fetch_feeds --loop` as the real, long-running process: it rides out a database outage and
stops cleanly on SIGTERM or Ctrl+C, without blaming the feed it was fetching."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsroom.models import FeedSource
from tests.newsroom.ingest_factories import make_source

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """`manage.py fetch_feeds --loop` in a process of its own, its output in a file."""

    def __init__(self, database_url: str, log: Path, *args: str, **env: str):
        self.log = log
        environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        environment |= {
            "DATABASE_URL": database_url,
            "OUTBOUND_ALLOW_PRIVATE_ADDRESSES": "true",  # the feeds are on 127.0.0.1
            "PYTHONUNBUFFERED": "1",  # each line in the log as soon as it is written
            **env,
        }
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "fetch_feeds", "--loop", "--interval", "0.5", *args],
                cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text()

    def lines(self, containing: str) -> list[str]:
        return [line for line in self.output().splitlines() if containing in line]

    def wait_for(self, text: str, *, seconds: float = 90) -> None:
        """Until the worker has written `text`; fails if it ends first or never does."""
        wait_until(
            lambda: text in self.output() or self.process.poll() is not None, seconds=seconds
        )
        assert text in self.output(), self.output()

    def ended(self, *, seconds: float = 60) -> int:
        return self.process.wait(timeout=seconds)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def wait_until(condition: Callable[[], bool], *, seconds: float) -> None:
    """A deadline against hanging, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Still waiting after {seconds:g} s")
        time.sleep(0.1)


@pytest.fixture
def start_worker(shared_database, tmp_path):
    workers: list[Worker] = []

    def start(*args: str, **env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        workers.append(Worker(shared_database.url, log, *args, **env))
        return workers[-1]

    yield start
    for worker in workers:  # before the test database is emptied
        worker.kill()


def test_the_worker_waits_for_the_database_and_carries_on(
    start_worker, shared_database, feed_server
):
    make_source(feed_url=feed_server.url("/rss2.xml"), name="Before")
    worker = start_worker()
    worker.wait_for("Before: 3 new")

    shared_database.go_away()
    worker.wait_for("Database unavailable")
    time.sleep(4)  # away long enough for a few attempts (after 1, 2 and 4 s)
    shared_database.come_back()
    worker.wait_for("Database back after")
    make_source(feed_url=feed_server.url("/atom.xml"), name="After")
    worker.wait_for("After: 2 new")

    assert worker.process.poll() is None, worker.output()
    assert len(worker.lines("Database unavailable, retrying")) == 1, worker.output()
    assert len(worker.lines("Database back after")) == 1, worker.output()
    assert "Traceback" not in worker.output()
    after = FeedSource.objects.get(name="After")
    assert after.last_success_at is not None
    assert (after.claimed_until, after.claimed_by) == (None, "")
    assert not FeedSource.objects.unhealthy().exists()
