"""One source through the pipeline: fetch → parse → clean → store, and what the source records.

Every failure ends here as plain words on the source, with the next attempt pushed back; a
failing source never stops the others. Claiming lets several workers poll side by side.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from cxhub.safehttp import FetchError, absolute_http_url

from .clean import clean_entries, skipped_note
from .dedupe import one_per_key
from .fetch import FetchOptions, fetch
from .models import FeedSource
from .parse import ParseError, parse_with_limit
from .rules import RuleSet
from .store import StoreResult, store_entries

logger = logging.getLogger(__name__)

# How long a worker may hold a claimed source before another may take it over.
CLAIM_LEASE = timedelta(minutes=10)
# Sources an editor asked for ("Fetch now") first, then the longest due.
CLAIM_ORDER = [F("fetch_requested_at").asc(nulls_last=True), "next_check_at", "pk"]
# About half a minute of waiting in all before a lost race counts as a failure.
CONTENTION_ATTEMPTS = 40
# Storing is done in batches, each a transaction. SQLite has one write lock for the whole
# database, held to the end of a transaction: a 2,000-entry feed stored in one kept an editor's
# save waiting 8 s, and 5,000 entries outlasted the 20 s busy timeout ("database is locked").
# Each batch is sized from the last one to take about BATCH_SECONDS, starting small and at
# most doubling, so that a slow machine or a burst of load never makes one batch long.
BATCH_SECONDS = 0.5
FIRST_BATCH = 10
MAX_BATCH = 500  # dedupe.KEYS_PER_QUERY: the batch's known entries in one query
# SQLite gives its write lock to no one in particular: a writer waiting for it polls, every
# 100 ms at most, and misses a lock released and taken again at once. Between two batches the
# fetch pauses this long so that waiting editors get their turn. PostgreSQL locks rows, and
# queues waiters: no pause.
SQLITE_TURN = 0.15


@dataclass
class Outcome:
    source: FeedSource
    status: str  # "new", "unchanged", "not modified", "failed", "not fetched"
    stored: StoreResult = field(default_factory=StoreResult)
    error: str = ""
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def __str__(self) -> str:
        if self.failed:
            return f"failed: {self.error}"
        if self.status == "not modified":
            return "not modified since the last fetch"
        if self.status == "not fetched":
            return "not fetched: the worker is stopping; it is fetched on the next run"
        return str(self.stored)


def ingest(
    source: FeedSource,
    *,
    now: datetime | None = None,
    options: FetchOptions | None = None,
    stopping: threading.Event | None = None,
) -> Outcome:
    """Fetch, parse, clean and store one source, and record the outcome on it.

    `stopping` is set while the worker is being stopped. A fetch that fails from then on is put
    down to the stop (Ctrl+C reaches the parse process too), not to the feed: the source is
    given up as it was, without a failure, and fetched again on the next run.
    """
    now = now or timezone.now()
    options = options or FetchOptions.from_settings()
    try:
        response = fetch(
            source.feed_url, options, etag=source.etag, last_modified=source.last_modified
        )
        if response.not_modified:
            locked = retrying(_store_not_modified, source, response, now=now)
            return Outcome(source=locked, status="not modified")
        parsed = parse_with_limit(
            response.body,
            headers=response.headers,
            url=response.url,
            timeout=settings.INGEST_PARSE_TIMEOUT,
            memory_mb=settings.INGEST_PARSE_MEMORY_MB,
        )
        entries, skipped = clean_entries(
            parsed.entries, now=now, teaser_chars=settings.INGEST_TEASER_CHARS
        )
        locked, stored = _store(source, response, parsed, entries, skipped, now=now)
        status = "new" if stored.new else "unchanged"
        return Outcome(source=locked, status=status, stored=stored, note=locked.last_note)
    except FetchError as exc:
        message, status, retry_after = exc.message, exc.status, exc.retry_after
    except ParseError as exc:
        message, status, retry_after = exc.message, 200, None
    except Exception as exc:
        # A bug of ours must not stop the other sources either; it is logged in full.
        logger.exception("Ingesting %s failed", source.feed_url)
        message = (
            f"Internal error while storing the feed ({type(exc).__name__}: {exc}). "
            "The hub's developers need to look at the log."
        )
        status, retry_after = None, None
    if stopping is not None and stopping.is_set():
        give_up([source])
        return Outcome(source=source, status="not fetched")
    return _fail(source, message, now=now, status=status, retry_after=retry_after)


def give_up(sources: list[FeedSource]) -> int:
    """Leave sources unfetched after all: this worker's claims on them are released, and
    nothing else changes (no failure counted, the next check as it was)."""
    claimed = FeedSource.objects.filter(pk__in=[s.pk for s in sources], claimed_by=this_worker())
    return retrying(claimed.release)


def retrying(work, *args, **kwargs):
    """Run a unit of database work again when it lost a race with another worker.

    Concurrent workers can deadlock on PostgreSQL (two sources creating the same two stories
    in opposite order) or find SQLite's write lock taken; both are resolved by running the
    loser's transaction again a moment later.
    """
    for attempt in range(CONTENTION_ATTEMPTS):
        try:
            return work(*args, **kwargs)
        except OperationalError as exc:
            if not is_contention(exc) or attempt == CONTENTION_ATTEMPTS - 1:
                raise
            time.sleep(min(0.02 * 2**attempt, 1.0) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def is_contention(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
    return sqlstate in ("40001", "40P01", "55P03") or "locked" in str(exc).lower()


def _store_not_modified(source: FeedSource, response, *, now) -> FeedSource:
    with transaction.atomic():
        locked = _lock(source)
        _record_success(locked, response, now=now, note=locked.last_note)
    return locked


def _store(source: FeedSource, response, parsed, entries, skipped, *, now):
    """Store the entries in batches, each a transaction of its own with the source locked, so
    SQLite's one write lock is never held for long. An entry's feed entry, story and post are
    written in one batch, so a fetch killed between batches leaves whole entries only; the
    validators (ETag, Last-Modified) are saved after the last batch, so the next fetch reads
    the whole feed again and finds what is stored already."""
    unique = one_per_key(entries)  # across batches too: the first copy wins
    stored = StoreResult(unchanged=len(entries) - len(unique), skipped=list(skipped))
    rules = RuleSet.for_source(source)
    done, size = 0, FIRST_BATCH
    while done < len(unique):
        batch = unique[done : done + size]
        started = time.monotonic()
        stored.add(retrying(_store_batch, source, batch, rules=rules, now=now))
        took = time.monotonic() - started
        done += len(batch)
        fits = int(len(batch) * BATCH_SECONDS / max(took, 0.001))
        size = max(1, min(fits, 2 * len(batch), MAX_BATCH))
        if done < len(unique) and connection.vendor == "sqlite":
            time.sleep(SQLITE_TURN)
    note = " ".join(filter(None, [parsed.note, skipped_note(stored.skipped)]))
    locked = retrying(_store_success, source, response, parsed, note=note, now=now)
    return locked, stored


def _store_batch(source: FeedSource, entries, *, rules, now) -> StoreResult:
    with transaction.atomic():
        return store_entries(
            _lock(source), entries, now=now, rules=rules, merge_days=settings.INGEST_MERGE_DAYS
        )


def _store_success(source: FeedSource, response, parsed, *, note, now) -> FeedSource:
    with transaction.atomic():
        locked = _lock(source)
        if not locked.site_url and (site := absolute_http_url(parsed.link)):
            locked.site_url = site[:1000]
        _record_success(locked, response, now=now, note=note)
    return locked


def _lock(source: FeedSource) -> FeedSource:
    return FeedSource.objects.select_for_update().get(pk=source.pk)


def _record_success(source: FeedSource, response, *, now, note: str) -> None:
    source.last_checked_at = now
    source.last_success_at = now
    source.last_status = response.status
    if response.status == 200:
        source.etag = response.headers.get("etag", "")[:500]
        source.last_modified = response.headers.get("last-modified", "")[:100]
    moved = response.permanent_url
    taken = (
        FeedSource.objects.filter(feed_url=moved).exclude(pk=source.pk).exists() if moved else True
    )
    if moved and moved != source.feed_url and not taken:
        moved_note = f"The feed moved permanently from {source.feed_url}; the address was updated."
        note = f"{moved_note} {note}".strip()
        source.feed_url = moved
    source.consecutive_failures = 0
    source.last_error = ""
    source.last_note = note
    source.next_check_at = now + source.interval
    source.claimed_until = None
    source.claimed_by = ""
    source.fetch_requested_at = None
    source.fetch_requested_by = ""
    source.save()


def _fail(source: FeedSource, message: str, *, now, status=None, retry_after=None) -> Outcome:
    locked = retrying(
        _record_failure, source, message, now=now, status=status, retry_after=retry_after
    )
    return Outcome(source=locked, status="failed", error=message)


def _record_failure(source: FeedSource, message: str, *, now, status, retry_after) -> FeedSource:
    with transaction.atomic():
        locked = _lock(source)
        locked.consecutive_failures += 1
        locked.last_checked_at = now
        locked.last_status = status
        locked.last_error = message
        locked.next_check_at = now + locked.backoff(
            failures=locked.consecutive_failures, retry_after=retry_after
        )
        locked.claimed_until = None
        locked.claimed_by = ""
        locked.fetch_requested_at = None
        locked.fetch_requested_by = ""
        locked.save()
    return locked


def this_worker() -> str:
    """The holder recorded on the sources this process claims: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def release_claims(holder: str | None = None) -> int:
    """Give up every claim of `holder` (this process by default), leaving the sources as they
    were: for sources a worker took but will not fetch after all."""
    return FeedSource.objects.filter(claimed_by=holder or this_worker()).release()


def claim_due(*, limit: int, now: datetime | None = None) -> list[FeedSource]:
    return retrying(_claim_due, limit=limit, now=now)


def _claim_due(*, limit: int, now: datetime | None = None) -> list[FeedSource]:
    """Take up to `limit` due sources for this worker, those an editor asked for first.

    PostgreSQL: lock the due rows, skipping rows another worker has locked, and mark them
    claimed. Elsewhere (SQLite takes a write lock for the whole transaction anyway): a
    conditional update per source, which only one worker can win.
    """
    now = now or timezone.now()
    until = now + CLAIM_LEASE
    holder = this_worker()
    _release_claims_of_dead_workers(now=now)
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            sources = list(
                FeedSource.objects.due(at=now)
                .order_by(*CLAIM_ORDER)
                .select_for_update(skip_locked=True)[:limit]
            )
            FeedSource.objects.filter(pk__in=[s.pk for s in sources]).update(
                claimed_until=until, claimed_by=holder
            )
    else:
        sources = []
        for candidate in FeedSource.objects.due(at=now).order_by(*CLAIM_ORDER)[: limit * 2]:
            won = (
                FeedSource.objects.filter(pk=candidate.pk)
                .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
                .update(claimed_until=until, claimed_by=holder)
            )
            if won:
                sources.append(candidate)
            if len(sources) == limit:
                break
    for source in sources:
        source.claimed_until = until
        source.claimed_by = holder
    return sources


def _release_claims_of_dead_workers(*, now: datetime) -> int:
    """Claims held by a process of this host that no longer runs (a worker that crashed or was
    killed) are given up at once instead of blocking their sources until the lease ends.

    Only this host's processes can be checked; a claim from another host waits for its lease.
    Host names must therefore differ between hosts (and containers) that share the database.
    """
    host = socket.gethostname()
    holders = set(
        FeedSource.objects.being_fetched(at=now)
        .filter(claimed_by__startswith=f"{host}:")
        .values_list("claimed_by", flat=True)
    )
    gone = [holder for holder in holders if not _process_runs(holder.rpartition(":")[2])]
    if not gone:
        return 0
    released = FeedSource.objects.filter(claimed_by__in=gone).release()
    logger.warning("Took over %d source(s) claimed by stopped worker(s) %s", released, gone)
    return released


def _process_runs(pid: str) -> bool:
    if not pid.isdigit():
        return True  # not ours to judge: leave it to the lease
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's process
    return True
