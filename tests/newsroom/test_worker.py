"""`fetch_feeds --loop` as the real, long-running process: it rides out a database outage and
stops cleanly on SIGTERM or Ctrl+C, without blaming the feed it was fetching."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from newsroom.models import FeedSource
from posts.models import Post
from tests.newsroom.ingest_factories import make_source

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """`manage.py fetch_feeds --loop` in a process of its own, its output in a file."""

    def __init__(
        self, database_url: str, log: Path, *args: str, own_group: bool = False, **env: str
    ):
        """`own_group`: in a process group of its own, for signals sent to the whole group
        (as a terminal's Ctrl+C is)."""
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
                start_new_session=own_group,
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

    def start(*args: str, own_group: bool = False, **env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        workers.append(Worker(shared_database.url, log, *args, own_group=own_group, **env))
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


# --- stopping on a signal --------------------------------------------------------------------


def slow_to_parse(author_chars: int) -> bytes:
    """A feed whose long author field costs feedparser seconds (its regular expressions are
    quadratic there), so that a test can act while it is being parsed."""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
        "<link>https://slow.example/</link><description>x</description>"
        f"<item><title>Innocent</title><guid>s-1</guid><author>{'a' * author_chars}</author>"
        "</item></channel></rss>"
    ).encode()


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # it ended meanwhile
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def parsing(worker: Worker, *, cpu_seconds: float) -> bool:
    """A parse process (a child of the worker's forkserver) has been at work for a while: it
    has used `cpu_seconds` of processor time, so it is well inside feedparser."""
    for parse in (p for child in children(worker.process.pid) for p in children(child)):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # it ended meanwhile
            fields = Path(f"/proc/{parse}/stat").read_text().rpartition(")")[2].split()
            used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            if used >= cpu_seconds:
                return True
    return False


@pytest.fixture
def earlier():
    return timezone.now() - timedelta(minutes=5)


def assert_left_as_it_was(source: FeedSource, *, failures: int, next_check_at) -> None:
    source.refresh_from_db()
    assert source.consecutive_failures == failures
    assert source.last_error == ""
    assert source.last_checked_at is None
    assert source.next_check_at == next_check_at
    assert (source.claimed_until, source.claimed_by) == (None, "")


def test_sigterm_during_a_fetch_gives_the_source_up_without_counting_a_failure(
    start_worker, feed_server, earlier
):
    hanging = make_source(
        feed_url=feed_server.route("/hanging.xml", body=b"", delay=600),
        name="Hanging",
        consecutive_failures=2,
        next_check_at=earlier,
    )
    next_in_line = earlier + timedelta(seconds=1)
    waiting = make_source(
        feed_url=feed_server.url("/rss2.xml"), name="Waiting", next_check_at=next_in_line
    )
    worker = start_worker(INGEST_TIMEOUT="600", INGEST_STOP_GRACE="1")
    wait_until(lambda: "/hanging.xml" in feed_server.paths(), seconds=90)

    worker.process.send_signal(signal.SIGTERM)

    assert worker.ended() == 0, worker.output()
    assert "Stopping: no more sources are claimed" in worker.output()
    assert "Stopped at once (the fetch did not finish within 1 s)" in worker.output()
    assert "Traceback" not in worker.output()
    assert_left_as_it_was(hanging, failures=2, next_check_at=earlier)
    assert_left_as_it_was(waiting, failures=0, next_check_at=next_in_line)
    assert "/rss2.xml" not in feed_server.paths()


def test_a_second_signal_stops_at_once_without_counting_a_failure(
    start_worker, feed_server, earlier
):
    hanging = make_source(
        feed_url=feed_server.route("/hanging.xml", body=b"", delay=600),
        name="Hanging",
        next_check_at=earlier,
    )
    worker = start_worker(INGEST_TIMEOUT="600", INGEST_STOP_GRACE="600")
    wait_until(lambda: "/hanging.xml" in feed_server.paths(), seconds=90)

    worker.process.send_signal(signal.SIGTERM)
    worker.wait_for("Stopping: no more sources are claimed")
    worker.process.send_signal(signal.SIGINT)

    assert worker.ended() == 0, worker.output()
    assert "Stopped at once (second signal)" in worker.output()
    assert_left_as_it_was(hanging, failures=0, next_check_at=earlier)


def test_ctrl_c_lets_the_parse_under_way_finish_and_claims_nothing_more(
    start_worker, feed_server, earlier
):
    slow = make_source(
        feed_url=feed_server.route("/slow.xml", body=slow_to_parse(12_000)),
        name="Slow",
        next_check_at=earlier,
    )
    next_in_line = earlier + timedelta(seconds=1)
    waiting = make_source(
        feed_url=feed_server.url("/rss2.xml"), name="Waiting", next_check_at=next_in_line
    )
    worker = start_worker(INGEST_PARSE_TIMEOUT="600", INGEST_STOP_GRACE="600", own_group=True)
    wait_until(lambda: parsing(worker, cpu_seconds=0.5), seconds=90)

    # Ctrl+C in a terminal: SIGINT to every process of the group, the parse process too.
    os.killpg(worker.process.pid, signal.SIGINT)

    assert worker.ended() == 0, worker.output()
    assert "Slow: 1 new" in worker.output()
    assert "Stopped on request after 1 round." in worker.output()
    slow.refresh_from_db()
    assert (slow.consecutive_failures, slow.last_error) == (0, "")
    assert slow.last_success_at is not None
    assert (slow.claimed_until, slow.claimed_by) == (None, "")
    assert Post.objects.filter(title="Innocent").exists()
    assert_left_as_it_was(waiting, failures=0, next_check_at=next_in_line)
    assert "/rss2.xml" not in feed_server.paths()
