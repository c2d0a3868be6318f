"""What keeps `fetch_feeds --loop` running: riding out a database that went away.

The command orchestrates; this module holds the worker's own state between rounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connections

# Pauses between attempts while the database is away: 1, 2, 4 … seconds, at most this long.
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0


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
