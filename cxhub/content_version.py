"""The content version: one value that changes whenever anything a reader sees may change.

Counts, page totals and validators are cached under it (Django's cache framework), so a reader's
request never pays for a scan: an edit bumps the version and every cached answer built from the
old one is simply never asked for again.

A bump comes from signal receivers the apps connect (posts.apps, cxhub.apps): loose coupling,
the way STYLE.md allows signals for cache invalidation. Time passing needs nobody: the apps
register a *schedule*, expressions for the next scheduled publication and the newest one that
has come, and for the next moment something shown stops being true by time (an upcoming event
ends) and the latest such moment passed, read in the same indexed query as the counter. When
the next scheduled moment passes, the version is a different one by itself.

Infrastructure: imports no app of ours; the apps hand their expressions in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Expression, F, QuerySet
from django.utils import timezone

from .models import ContentVersion
from .prepared import Prepared

ROW = 1

# now -> {"next_due": …, "last_published": …, "next_expiry": …, "last_expired": …}, each an
# expression giving a datetime or NULL; set by the posts app. Keys left out count as NULL.
Schedule = Callable[[datetime], Mapping[str, Expression]]
_schedule: Schedule | None = None


def watch_schedule(schedule: Schedule) -> None:
    global _schedule
    _schedule = schedule


@dataclass(frozen=True)
class Version:
    counter: int
    changed_at: datetime | None
    removed_at: datetime | None
    # The next scheduled publication: when it passes, it is no longer "next" and the token moves.
    next_due: datetime | None
    # The newest publication date that has come: the moment a scheduled post appeared.
    last_published: datetime | None
    # The next moment something shown expires (an upcoming event ends), and the latest passed.
    next_expiry: datetime | None = None
    last_expired: datetime | None = None

    @property
    def token(self) -> str:
        # changed_at to the microsecond: a database restored to an older counter does not
        # revive answers cached for the same counter before.
        state = (
            self.counter,
            _stamp(self.changed_at),
            _stamp(self.next_due),
            _stamp(self.next_expiry),
        )
        return hashlib.sha256(repr(state).encode()).hexdigest()[:20]

    @property
    def last_modified(self) -> datetime | None:
        moments = (self.changed_at, self.last_published, self.last_expired)
        moments = [m for m in moments if m is not None]
        return max(moments) if moments else None

    @property
    def next_change(self) -> datetime | None:
        """When this version stops being current with nobody acting: shared caches should
        not keep a page built from it past that moment."""
        moments = [m for m in (self.next_due, self.next_expiry) if m is not None]
        return min(moments) if moments else None

    def key(self, *parts: object) -> str:
        """A cache key for something built from this version of the content."""
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return f"cxhub:{self.token}:{digest}"


# The version a reader page was looked up under (cxhub.httpcache.reader_page): the view builds
# the page under that same version, and does not read it again.
_pinned: ContextVar[Version | None] = ContextVar("content_version_pinned", default=None)


@contextmanager
def pinned(version: Version) -> Iterator[None]:
    """Within the block, `current()` (without `at`) is `version`."""
    token = _pinned.set(version)
    try:
        yield
    finally:
        _pinned.reset(token)


def current(*, at: datetime | None = None) -> Version:
    """The version now (or at `at`): one query by primary key, its subqueries on indexes."""
    if at is None and (version := _pinned.get()) is not None:
        return version
    now = at or timezone.now()
    row = _read(now)
    if row is None:
        # Only on a database created without migrations' data (or flushed by a test).
        ContentVersion.objects.get_or_create(pk=ROW)
        row = _read(now)
    return Version(
        counter=row["counter"],
        changed_at=row["changed_at"],
        removed_at=row["removed_at"],
        next_due=row.get("next_due"),
        last_published=row.get("last_published"),
        next_expiry=row.get("next_expiry"),
        last_expired=row.get("last_expired"),
    )


# Every reader's request asks for the version, and building its query (four subqueries) costs
# more than running it: built and compiled once per database and schedule (cxhub.prepared).
_prepared: dict[Schedule | None, Prepared] = {}


def _read(now: datetime) -> dict | None:
    schedule = _schedule
    if schedule not in _prepared:

        def build(moment: datetime) -> QuerySet:
            extra = dict(schedule(moment)) if schedule else {}
            rows = ContentVersion.objects.filter(pk=ROW).annotate(**extra)
            return rows.values("counter", "changed_at", "removed_at", *extra)

        _prepared[schedule] = Prepared(ContentVersion, build)
    return _prepared[schedule].first(now)


def bump(*, removed: bool = False) -> None:
    """Something readers see changed (`removed`: something they saw is gone)."""
    now = timezone.now()
    changes = {"counter": F("counter") + 1, "changed_at": now}
    if removed:
        changes["removed_at"] = now
    if not ContentVersion.objects.filter(pk=ROW).update(**changes):
        removed_at = now if removed else None
        ContentVersion.objects.get_or_create(
            pk=ROW, defaults={"counter": 1, "changed_at": now, "removed_at": removed_at}
        )


def _stamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()
