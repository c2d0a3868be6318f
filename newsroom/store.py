"""Store stage: clean entries → feed entries, news items and draft posts, for one source.

Runs inside the caller's transaction, after the source's row is locked, so two workers
storing the same source take turns and the second finds everything the first created.
Which entries and stories are already known is `dedupe`'s answer; this stage writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape

from posts.models import MediaKind, Post

from .clean import CleanEntry
from .dedupe import get_or_create_story, known_entries, one_per_key
from .models import FeedEntry, FeedSource, NewsItem, post_fingerprint
from .rules import Candidate, RuleSet


@dataclass
class StoreResult:
    new: int = 0  # posts created
    merged: int = 0  # entries added to a story another entry already brought
    updated: int = 0  # entries whose content changed since the last fetch
    unchanged: int = 0
    blocked: int = 0
    rejected: int = 0  # entries of stories the editor rejected, ignored
    kept_edits: int = 0  # changed entries whose post an editor has edited, left alone

    def __str__(self) -> str:
        parts = [f"{self.new} new"]
        for name in ("merged", "updated", "unchanged", "blocked", "rejected", "kept_edits"):
            if value := getattr(self, name):
                parts.append(f"{value} {name.replace('_', ' ')}")
        return ", ".join(parts)


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
        if known is None:
            _store_new(source, entry, now=now, rules=rules, merge_days=merge_days, result=result)
        else:
            _store_known(
                source, known, entry, now=now, rules=rules, merge_days=merge_days, result=result
            )
    return result


def _store_known(source, known: FeedEntry, entry: CleanEntry, *, now, rules, merge_days, result):
    known.last_seen_at = now
    if known.item_id is None and known.blocked_by:
        # Blocked entries are judged again, so that loosening a rule lets them in.
        verdict = rules.judge(Candidate.of(entry))
        if verdict.blocked_by:
            known.blocked_by = verdict.blocked_by
            known.save(update_fields=["last_seen_at", "blocked_by"])
            result.blocked += 1
            return
        known.blocked_by = ""
        _fill(known, entry)
        _place(source, known, entry, verdict, now=now, merge_days=merge_days, result=result)
        return
    item = known.item
    if item is not None and item.rejected_at:
        known.save(update_fields=["last_seen_at"])
        result.rejected += 1
        return
    if known.content_hash == entry.content_hash:
        known.save(update_fields=["last_seen_at"])
        result.unchanged += 1
        return
    _fill(known, entry)
    known.save()
    result.updated += 1
    if item is not None and item.post is not None and item.source_id == source.pk:
        post = item.post
        if (
            post_fingerprint(post, post.categories.values_list("pk", flat=True))
            != item.written_hash
        ):
            result.kept_edits += 1
            return
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
        item.save(update_fields=["title", "written_hash"])


def _store_new(source, entry: CleanEntry, *, now, rules: RuleSet, merge_days, result):
    fe = FeedEntry(source=source, key=entry.key, last_seen_at=now)
    _fill(fe, entry)
    verdict = rules.judge(Candidate.of(entry))
    if verdict.blocked_by:
        fe.blocked_by = verdict.blocked_by
        fe.save()
        result.blocked += 1
        return
    _place(source, fe, entry, verdict, now=now, merge_days=merge_days, result=result)


def _place(source, fe: FeedEntry, entry: CleanEntry, verdict, *, now, merge_days, result):
    """Attach the entry to the story it tells, creating the story and its post if new."""
    item, created = get_or_create_story(
        canonical_url=entry.canonical_url,
        title_key=entry.title_key,
        date=entry.date,
        merge_days=merge_days,
        create=lambda: _create_story(source, entry, verdict),
    )
    fe.item = item
    fe.save()
    if created:
        result.new += 1
    elif item.rejected_at:
        result.rejected += 1
    else:
        result.merged += 1


def _create_story(source: FeedSource, entry: CleanEntry, verdict) -> NewsItem:
    post = Post(
        title=entry.title,
        excerpt=entry.teaser,
        body=teaser_body(entry),
        author_name=entry.author,
        link=entry.link,
        published_at=entry.date,
        status=Post.Status.PUBLISHED if source.publish_directly else Post.Status.DRAFT,
        media_kind=MediaKind.PODCAST if entry.audio else MediaKind.ARTICLE,
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
        written_hash=post_fingerprint(post, [c.pk for c in verdict.categories]),
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
