"""What keeps `fetch_feeds --loop` running, and what stops it cleanly: riding out a database
that went away, reporting that it runs (for "Fetch now" in the admin), and stopping on SIGTERM
or Ctrl+C without blaming the feed being fetched.

The command orchestrates; this module holds the worker's own state.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections

from cxhub.availability import DATABASE_ERRORS

from .models import WorkerHeartbeat
from .parse import stop_running_parses
from .pipeline import release_claims, retrying, this_worker

# Pauses between attempts while the database is away: 1, 2, 4 … seconds, at most this long.
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0


# How much later than it said a worker may report before the admin takes it for gone.
HEARTBEAT_MARGIN = timedelta(seconds=60)


class Heartbeat:
    """The worker reports that it runs, and by when it will report again: before each round
    and after each source (by then the next source is fetched, parsed and stored, or has
    failed), and before each pause (by its end)."""

    def __init__(self, *, interval: float):
        self.worker = this_worker()
        self.interval = timedelta(seconds=interval)

    def busy(self) -> None:
        fetch = timedelta(seconds=settings.INGEST_TIMEOUT + settings.INGEST_PARSE_TIMEOUT)
        self._beat(fetch)

    def pausing(self, seconds: float) -> None:
        self._beat(timedelta(seconds=seconds))

    def _beat(self, within: timedelta) -> None:
        retrying(
            WorkerHeartbeat.objects.beat,
            worker=self.worker,
            interval=self.interval,
            next_within=within + HEARTBEAT_MARGIN,
        )


def sign_off() -> None:
    """This worker stops: its claims are released, and it is no longer expected to report."""
    retrying(release_claims)
    retrying(WorkerHeartbeat.objects.sign_off, worker=this_worker())


class Outage:
    """A database outage as the worker lives through it: one line when it starts, one when it
    ends, a growing pause between attempts, and fresh connections for every attempt."""

    def __init__(self, say: Callable[[str], None], warn: Callable[[str], None]):
        self.say = say
        self.warn = warn
        self.started: float | None = None
        self.attempts = 0

    @property
    def ongoing(self) -> bool:
        return self.started is not None

    def failed(self, error: Exception) -> float:
        """Note a failed attempt; returns the seconds to wait before the next."""
        if self.started is None:
            self.started = time.monotonic()
            detail = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
            self.warn(
                f"Database unavailable, retrying with a growing pause (up to "
                f"{LONGEST_RETRY_SECONDS:g} s): {type(error).__name__}: {detail}"
            )
        # A connection that failed stays broken: Django would hand it out again.
        connections.close_all()
        pause = min(FIRST_RETRY_SECONDS * 2**self.attempts, LONGEST_RETRY_SECONDS)
        self.attempts += 1
        return pause

    def over(self) -> None:
        """The database answered again."""
        if self.started is None:
            return
        self.say(f"Database back after {time.monotonic() - self.started:.0f} s.")
        self.started = None
        self.attempts = 0


def close_old_connections() -> None:
    """What Django does around each request, for each round of the worker: drop connections
    that broke or outlived DATABASE_CONN_MAX_AGE. One inside a transaction is left alone
    (django.db.close_old_connections would close it under the transaction's feet)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Shutdown:
    """Stopping on SIGTERM or Ctrl+C (SIGINT) without counting a failure.

    The first signal sets `requested`: the command claims no more sources, and the one being
    fetched may still finish within `grace` seconds. When it does not, or on a second signal,
    the worker gives up what it holds (its claims released, the sources otherwise as they
    were: no failure, the next check unchanged) and exits at once with status 0.

    The handler only takes note: the main thread may be anywhere, in a query or a write. A
    watchdog thread acts, with a database connection of its own.
    """

    def __init__(self, *, grace: float, say: Callable[[str], None]):
        self.grace = grace
        self.say = say
        self.requested = threading.Event()
        self._signals = 0
        self._finished = False
        self._wake = threading.Event()
        self._previous: dict = {}
        self._watchdog: threading.Thread | None = None

    def __enter__(self) -> Shutdown:
        # Python runs signal handlers in the main thread only; elsewhere (a test calling the
        # command from a thread) there is nothing to catch.
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._note)
            self._watchdog = threading.Thread(target=self._watch, name="shutdown", daemon=True)
            self._watchdog.start()
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._finished = True
        self._wake.set()
        if self._watchdog is not None:
            self._watchdog.join()

    def _note(self, signum, frame) -> None:
        self._signals += 1
        self.requested.set()
        self._wake.set()

    def _watch(self) -> None:
        self._wake.wait()
        if self._finished:
            return
        self.say(
            f"Stopping: no more sources are claimed; the fetch under way may finish within "
            f"{self.grace:g} s. Press Ctrl+C again (or send SIGTERM) to stop at once."
        )
        deadline = time.monotonic() + self.grace
        while True:
            self._wake.clear()
            if self._finished:
                return
            if self._signals > 1:
                reason = "second signal"
                break
            left = deadline - time.monotonic()
            if left <= 0:
                reason = f"the fetch did not finish within {self.grace:g} s"
                break
            self._wake.wait(left)
        self._abandon(reason)

    def _abandon(self, reason: str) -> None:
        released: list[bool] = []

        def release() -> None:
            try:
                sign_off()
                released.append(True)
            except DATABASE_ERRORS:
                pass
            finally:
                connections.close_all()

        # A database that does not answer must not hold the exit up for long.
        releaser = threading.Thread(target=release, daemon=True)
        releaser.start()
        releaser.join(timeout=10)
        stop_running_parses()
        if released:
            outcome = "what was being fetched is left as it was, with no failure counted"
        else:
            outcome = (
                "no failure counted; the database did not answer, so the claims on what was "
                "being fetched run out with their lease"
            )
        self.say(f"Stopped at once ({reason}): {outcome}.")
        sys.stdout.flush()
        sys.stderr.flush()
        # The main thread is still inside the fetch; exiting the process is the only way to
        # leave it without waiting for it (and without it recording anything).
        os._exit(0)
