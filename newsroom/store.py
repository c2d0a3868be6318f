"""Store stage: clean entries → feed entries, news items and draft posts, for one source.

Runs inside the caller's transaction, after the source's row is locked, so two workers
storing the same source take turns and the second finds everything the first created.
Which entries and stories are already known is `dedupe`'s answer; this stage writes.

Each entry is stored in a savepoint: when one fails, what it wrote is undone, it is skipped
with the reason, and the others are stored all the same. Failures of the database itself
(a lock, a deadlock, a lost connection) are not an entry's fault and go to the caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import partial

from django.db import InterfaceError, OperationalError, transaction
from django.utils.html import escape

from posts.models import Kind, Post

from .clean import CleanEntry, SkippedEntry, failure_reason
from .dedupe import get_or_create_story, known_entries, one_per_key
from .models import FeedEntry, FeedSource, NewsItem, post_fingerprint
from .rules import Candidate, RuleSet

logger = logging.getLogger(__name__)


@dataclass
class StoreResult:
    new: int = 0  # posts created
    merged: int = 0  # entries added to a story another entry already brought
    updated: int = 0  # entries whose content changed since the last fetch
    unchanged: int = 0
    blocked: int = 0
    rejected: int = 0  # entries of stories the editor rejected, ignored
    kept_edits: int = 0  # changed entries whose post an editor has edited, left alone
    skipped: list[SkippedEntry] = field(default_factory=list)  # left out, with the reason

    def __str__(self) -> str:
        parts = [f"{self.new} new"]
        for name in ("merged", "updated", "unchanged", "blocked", "rejected", "kept_edits"):
            if value := getattr(self, name):
                parts.append(f"{value} {name.replace('_', ' ')}")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)

    def add(self, other: StoreResult) -> None:
        """Count in another batch of the same fetch."""
        for name in (f.name for f in fields(self) if f.name != "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped += other.skipped

    def count(self, outcomes: str | tuple[str, ...]) -> None:
        for name in (outcomes,) if isinstance(outcomes, str) else outcomes:
            setattr(self, name, getattr(self, name) + 1)


def teaser_body(entry: CleanEntry) -> str:
    return f"<p>{escape(entry.teaser)}</p>" if entry.teaser else ""


def store_entries(
    source: FeedSource,
    entries: list[CleanEntry],
    *,
    now: datetime,
    rules: RuleSet,
    merge_days: int,
) -> StoreResult:
    result = StoreResult()
    unique = one_per_key(entries)
    result.unchanged += len(entries) - len(unique)
    existing = known_entries(source, [entry.key for entry in unique])
    for entry in unique:
        known = existing.get(entry.key)
        store = _store_new if known is None else partial(_store_known, known=known)
        try:
            with transaction.atomic():
                outcome = store(source, entry, now=now, rules=rules, merge_days=merge_days)
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:
            logger.exception("Storing an entry of %s failed: %r", source.feed_url, entry)
            result.skipped.append(SkippedEntry.of(entry, failure_reason(exc)))
        else:
            result.count(outcome)
    return result


def _store_known(
    source, entry: CleanEntry, *, known: FeedEntry, now, rules, merge_days
) -> str | tuple[str, ...]:
    known.last_seen_at = now
    if known.item_id is None and known.blocked_by:
        # Blocked entries are judged again, so that loosening a rule lets them in.
        verdict = rules.judge(Candidate.of(entry))
        if verdict.blocked_by:
            known.blocked_by = verdict.blocked_by
            known.save(update_fields=["last_seen_at", "blocked_by"])
            return "blocked"
        known.blocked_by = ""
        _fill(known, entry)
        return _place(source, known, entry, verdict, now=now, merge_days=merge_days)
    item = known.item
    if item is not None and item.rejected_at:
        known.save(update_fields=["last_seen_at"])
        return "rejected"
    if known.content_hash == entry.content_hash:
        known.save(update_fields=["last_seen_at"])
        return "unchanged"
    _fill(known, entry)
    known.save()
    if item is not None and item.post is not None and item.source_id == source.pk:
        post = item.post
        if (
            post_fingerprint(post, post.categories.values_list("pk", flat=True))
            != item.written_hash
        ):
            return ("updated", "kept_edits")
        verdict = rules.judge(Candidate.of(entry))
        post.title = entry.title
        post.excerpt = entry.teaser
        post.body = teaser_body(entry)
        post.author_name = entry.author
        post.link = entry.link
        post.save()
        post.categories.set(verdict.categories)
        item.title = post.title
        item.written_hash = post_fingerprint(post, [c.pk for c in verdict.categories])
        item.proposed_by = verdict.proposals()
        item.save(update_fields=["title", "written_hash", "proposed_by"])
    return "updated"


def _store_new(source, entry: CleanEntry, *, now, rules: RuleSet, merge_days) -> str:
    fe = FeedEntry(source=source, key=entry.key, last_seen_at=now)
    _fill(fe, entry)
    verdict = rules.judge(Candidate.of(entry))
    if verdict.blocked_by:
        fe.blocked_by = verdict.blocked_by
        fe.save()
        return "blocked"
    return _place(source, fe, entry, verdict, now=now, merge_days=merge_days)


def _place(source, fe: FeedEntry, entry: CleanEntry, verdict, *, now, merge_days) -> str:
    """Attach the entry to the story it tells, creating the story and its post if new."""
    item, created = get_or_create_story(
        canonical_url=entry.canonical_url,
        title_key=entry.title_key,
        date=entry.date,
        merge_days=merge_days,
        create=lambda: _create_story(source, entry, verdict, now=now),
    )
    fe.item = item
    fe.save()
    if created:
        return "new"
    return "rejected" if item.rejected_at else "merged"


def _create_story(source: FeedSource, entry: CleanEntry, verdict, *, now) -> NewsItem:
    # A post is dated when it appears on the hub, as an approved one is (NewsItem.publish):
    # a directly published story from a source's backlog is news to readers now, and its own
    # date is in the credit ("first published …"). A draft keeps the source's date until then.
    post = Post(
        title=entry.title,
        excerpt=entry.teaser,
        body=teaser_body(entry),
        author_name=entry.author,
        link=entry.link,
        published_at=now if source.publish_directly else entry.date,
        status=Post.Status.PUBLISHED if source.publish_directly else Post.Status.DRAFT,
        kind=Kind.PODCAST if entry.audio else Kind.ARTICLE,
    )
    if entry.audio:
        post.audio_url, post.audio_type, post.audio_length = entry.audio
        post.audio_type = post.audio_type[:100]
    post.save()
    post.categories.set(verdict.categories)
    return NewsItem.objects.create(
        post=post,
        source=source,
        title=post.title,
        original_url=entry.link,
        canonical_url=entry.canonical_url,
        title_key=entry.title_key,
        original_date=entry.date,
        original_date_found=not entry.has_own_date,
        written_hash=post_fingerprint(post, [c.pk for c in verdict.categories]),
        proposed_by=verdict.proposals(),
    )


def _fill(fe: FeedEntry, entry: CleanEntry) -> None:
    fe.guid = entry.guid
    fe.link = entry.link
    fe.title = entry.title
    fe.author = entry.author
    fe.summary = entry.review_html
    fe.categories = list(entry.categories)
    fe.published_at = entry.date if entry.has_own_date else None
    fe.content_hash = entry.content_hash
