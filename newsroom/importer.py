"""Bringing in the hub's own earlier posts (`manage.py import_feed`), in batches.

These posts are our own writing, so unlike third-party news they come in published, with
their full text, original dates and authors. Each entry is known by its `ImportedPost` key
(dedupe.entry_key), so running an import again changes nothing, except posts whose entry
changed and that nobody has edited here since; an import that was stopped goes on where it
stopped. Entries are stored in batches, one transaction each, with the keys of a batch
looked up in one query: a stopped import loses at most the batch it was in.

Each post keeps its old address: its slug is the old one when no post has it yet, else
one from its title, and the old path is recorded as a `posts.OldAddress` that redirects to the
post. Categories are mapped onto ours by name or slug, or by the operator's explicit mapping
(`CategoryMap`); the ones that map to nothing are counted for the report.
"""

from __future__ import annotations

import logging
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.urls import reverse

from posts.models import Category, Kind, OldAddress, Post, TaggedPost, path_of

from .categorymap import CategoryMap
from .clean import CleanEntry, clean_entry
from .dedupe import KEYS_PER_QUERY
from .feedfile import UnreadableEntry, same_html
from .models import ImportedPost, post_fingerprint
from .parse import ParsedEntry

logger = logging.getLogger(__name__)

# One transaction per batch; the batch's keys are looked up in one query.
BATCH_SIZE = KEYS_PER_QUERY
# OldAddress.path's length.
MAX_PATH = OldAddress._meta.get_field("path").max_length
# An old address ending in one of these is a page name ("my-post.html"): the slug is the stem.
PAGE_SUFFIXES = {".html", ".htm", ".php", ".asp", ".aspx", ".jsp"}


# ----- the report -----


@dataclass
class PostRef:
    title: str
    pk: int


@dataclass
class ImportReport:
    entries: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[PostRef] = field(default_factory=list)  # edited here: the feed's version waits
    skipped: list[str] = field(default_factory=list)  # each with its reason
    addresses_recorded: int = 0  # old addresses that now redirect to their post
    addresses_kept: int = 0  # posts whose old address is already their own (same slug)
    addresses_known: int = 0  # recorded by an earlier run or an editor
    address_problems: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # old category name → posts

    @property
    def written(self) -> int:
        return self.new + self.updated

    def add(self, other: ImportReport) -> None:
        for name in ("entries", "new", "updated", "unchanged", "addresses_recorded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.addresses_kept += other.addresses_kept
        self.addresses_known += other.addresses_known
        self.kept += other.kept
        self.skipped += other.skipped
        self.address_problems += other.address_problems
        self.unmapped += other.unmapped


# ----- importing -----


class PostImporter:
    """Imports entries batch by batch into `report`; `on_batch(report)` after each batch."""

    def __init__(
        self,
        *,
        categories: CategoryMap,
        now: datetime,
        teaser_chars: int,
        batch_size: int = BATCH_SIZE,
        dry_run: bool = False,
        on_batch: Callable[[ImportReport], None] | None = None,
        on_entry: Callable[[str, str], None] | None = None,
    ):
        if not 0 < batch_size <= KEYS_PER_QUERY:
            raise ValueError(f"The batch size is 1 to {KEYS_PER_QUERY}.")
        self.categories = categories
        self.now = now
        self.teaser_chars = teaser_chars
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.on_batch = on_batch or (lambda report: None)
        self.on_entry = on_entry or (lambda title, outcome: None)
        self.report = ImportReport()
        # Across batches: an entry listed twice in one file is imported once, and a dry run
        # (whose batches are rolled back) counts it once too.
        self.seen_keys: set[str] = set()
        self.seen_paths: set[str] = set()

    def run(self, entries: Iterable[ParsedEntry | UnreadableEntry]) -> ImportReport:
        for batch in _batches(entries, self.batch_size):
            report = ImportReport(entries=len(batch))
            # Cleaned before the transaction: on SQLite it holds the one write lock, which
            # editors saving a post and fetch_feeds wait for meanwhile.
            cleaned = [entry for item in batch if (entry := self._clean(item, report))]
            with transaction.atomic():
                self._store(cleaned, report)
                if self.dry_run:
                    transaction.set_rollback(True)
            # Counted once the batch is saved: a stopped import reports what it kept.
            self.report.add(report)
            self.on_batch(self.report)
        return self.report

    def _store(self, entries: list[CleanEntry], report: ImportReport) -> None:
        records = {
            record.key: record
            for record in ImportedPost.objects.filter(
                key__in=[e.key for e in entries]
            ).select_related("post")
        }
        stored: dict[int, list[int]] = {record.post_id: [] for record in records.values()}
        if stored:
            links = TaggedPost.objects.filter(content_object_id__in=list(stored))
            for post_id, tag_id in links.values_list("content_object_id", "tag_id"):
                stored[post_id].append(tag_id)

        fresh: list[tuple[CleanEntry, Post, list[Category]]] = []
        posts: list[tuple[CleanEntry, Post]] = []  # every entry's post, for its old address
        for entry in entries:
            categories = self._categories(entry, report)
            record = records.get(entry.key)
            if record is None:
                post = Post(status=Post.Status.PUBLISHED)
                _fill(post, entry)
                fresh.append((entry, post, categories))
                continue
            outcome = self._update(record, entry, categories, stored[record.post_id])
            if outcome == "kept":
                report.kept.append(PostRef(title=record.post.title, pk=record.post_id))
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
            self.on_entry(entry.title, outcome)
            posts.append((entry, record.post))

        if fresh:
            self._create(fresh)
            report.new += len(fresh)
            for entry, post, _ in fresh:
                self.on_entry(entry.title, "new")
                posts.append((entry, post))
        self._record_old_addresses(posts, report)

    def _clean(self, item: ParsedEntry | UnreadableEntry, report: ImportReport):
        if isinstance(item, UnreadableEntry):
            report.skipped.append(f"the entry at line {item.line:,}: {item.reason}")
            return None
        try:
            entry = clean_entry(item, now=self.now, teaser_chars=self.teaser_chars)
        except Exception as exc:  # one bad entry never costs the others
            logger.exception("Cleaning an entry failed: %r", item)
            report.skipped.append(
                f"{_name(item.title, item.link, item.guid)}: it could not be read "
                f"({type(exc).__name__}: {exc})"
            )
            return None
        if entry.key in self.seen_keys:
            report.skipped.append(
                f"{_name(entry.title, entry.link, entry.guid)}: listed again in the feed "
                "(same guid, or same link without one); the first one was imported"
            )
            return None
        self.seen_keys.add(entry.key)
        return entry

    def _categories(self, entry: CleanEntry, report: ImportReport) -> list[Category]:
        found: dict[int, Category] = {}
        for name in entry.categories:
            category = self.categories.lookup(name)
            if category is None:
                report.unmapped[name] += 1
            else:
                found.setdefault(category.pk, category)
        return list(found.values())

    def _update(
        self, record: ImportedPost, entry: CleanEntry, categories: list[Category], stored: list
    ) -> str:
        post = record.post
        if post_fingerprint(post, stored) != record.written_hash:
            return "kept"
        body = post.body
        _fill(post, entry)
        if same_html(body, post.body):
            post.body = body
        ids = [c.pk for c in categories]
        if post_fingerprint(post, ids) == record.written_hash:
            return "unchanged"
        post.save()
        post.categories.set(categories)
        post.refresh_from_db()
        record.written_hash = post_fingerprint(post, ids)
        record.original_url = entry.link
        record.save(update_fields=["written_hash", "original_url", "imported_at"])
        return "updated"

    def _create(self, fresh: list[tuple[CleanEntry, Post, list[Category]]]) -> None:
        Post.objects.create_many(
            [post for _, post, _ in fresh],
            wanted_slugs=[old_slug(entry.link) for entry, _, _ in fresh],
        )
        TaggedPost.objects.bulk_create(
            [
                TaggedPost(content_object=post, tag=category)
                for _, post, categories in fresh
                for category in categories
            ]
        )
        ImportedPost.objects.bulk_create(
            [
                ImportedPost(
                    key=entry.key,
                    post=post,
                    original_url=entry.link,
                    written_hash=post_fingerprint(post, [c.pk for c in categories]),
                )
                for entry, post, categories in fresh
            ]
        )

    def _record_old_addresses(
        self, posts: list[tuple[CleanEntry, Post]], report: ImportReport
    ) -> None:
        wanted: dict[str, tuple[CleanEntry, Post]] = {}
        own_path = _post_paths()
        for entry, post in posts:
            path = path_of(entry.link) if entry.link else "/"
            if path == "/":
                continue  # no address of its own (e.g. /?p=123): nothing to redirect
            if path == own_path(post.slug):
                report.addresses_kept += 1
            elif len(path) > MAX_PATH:
                report.address_problems.append(
                    f"{_name(entry.title, entry.link)}: the old address is longer than "
                    f"{MAX_PATH} characters; not recorded"
                )
            elif path in wanted or path in self.seen_paths:
                other = wanted[path][0].title if path in wanted else "an earlier entry"
                report.address_problems.append(
                    f"{_name(entry.title, entry.link)}: {other} has the same old address "
                    f"{path}; it leads there"
                )
            else:
                wanted[path] = (entry, post)
        self.seen_paths.update(wanted)
        known = {
            path: (post_id, title)
            for path, post_id, title in OldAddress.objects.filter(
                path__in=list(wanted)
            ).values_list("path", "post_id", "post__title")
        }
        for path, (post_id, title) in known.items():
            entry, post = wanted[path]
            if post_id == post.pk:
                report.addresses_known += 1
            else:
                report.address_problems.append(
                    f"{_name(entry.title, entry.link)}: its old address {path} already "
                    f"leads to “{title}”; left as it is"
                )
        new = [
            OldAddress(path=path, post=post)
            for path, (_, post) in wanted.items()
            if path not in known
        ]
        OldAddress.objects.bulk_create(new)
        report.addresses_recorded += len(new)


def old_slug(url: str) -> str:
    """The slug an old address suggests: its last path segment, page suffix dropped."""
    segment = PurePosixPath(unquote(urlsplit(url).path)).name if url else ""
    stem = PurePosixPath(segment)
    return stem.stem if stem.suffix.lower() in PAGE_SUFFIXES else segment


def _post_paths() -> Callable[[str], str]:
    """A post's path (as `path_of` keeps it) from its slug. reverse() runs once: per post it
    costs about as much as storing the post."""
    marker = "slug-marker"
    template = path_of(reverse("posts:detail", kwargs={"slug": marker}))
    head, _, tail = template.rpartition(marker)
    return lambda slug: f"{head}{slug}{tail}"


def _fill(post: Post, entry: CleanEntry) -> None:
    # Full text: these are the hub's own posts. The excerpt is left empty so the cards take
    # it from the body, the way the editor's own posts work.
    post.title = entry.title
    post.body = entry.full_html
    post.author_name = entry.author
    post.published_at = entry.date
    post.kind = Kind.PODCAST if entry.audio else post.kind
    if entry.audio:
        post.audio_url, post.audio_type, post.audio_length = entry.audio


def _name(title: str, link: str = "", guid: str = "") -> str:
    title = " ".join((title or "").split())
    title = title if len(title) <= 80 else title[:79] + "…"
    where = link or (f"guid {guid}" if guid else "")
    return f"“{title}” ({where})" if title and where else f"“{title}”" if title else where


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ----- what the report says -----


def describe(report: ImportReport, categories: CategoryMap, *, listed: int) -> list[str]:
    """The report as lines an editor can act on; lists cut after `listed` items. A line
    starting with "!" deserves attention."""
    lines = [
        f"{report.entries:,} entries: {report.new:,} new, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {len(report.kept):,} kept because they were edited "
        f"here, {len(report.skipped):,} skipped."
    ]
    addresses = f"Old addresses: {report.addresses_recorded:,} recorded, redirecting to the posts"
    if report.addresses_known:
        addresses += f"; {report.addresses_known:,} recorded before"
    if report.addresses_kept:
        n = report.addresses_kept
        addresses += (
            f"; {n:,} post{'s' if n != 1 else ''} kept {'their' if n != 1 else 'its'} old address"
        )
    lines.append(addresses + ".")
    if report.kept:
        lines.append(
            "!Kept because they were edited here (the feed's version was not applied; compare "
            "them with the old site if in doubt):"
        )
        lines += _listing([f"“{ref.title}”: {_admin_path(ref.pk)}" for ref in report.kept], listed)
    if report.skipped:
        lines.append("!Skipped:")
        lines += _listing(report.skipped, listed)
    if report.address_problems:
        lines.append("!Old addresses not recorded:")
        lines += _listing(report.address_problems, listed)
    if report.unmapped:
        lines.append(
            "!Categories with no match among ours, left off the posts. Map each onto one of "
            "ours with the option shown (the part in quotes can go in a --map-file instead), "
            "or create it in the admin under the same name; then run the import again:"
        )
        rows = []
        for name, count in sorted(report.unmapped.items(), key=lambda item: item[0].casefold()):
            near = categories.closest(name)
            option = shlex.quote(f"{name}={near.slug if near else '<slug>'}")
            hint = f" (closest: “{near.name}”)" if near else ""
            rows.append(
                f"“{name}” ({count:,} post{'s' if count != 1 else ''}): --map {option}{hint}"
            )
        lines += _listing(rows, listed)
        slugs = ", ".join(sorted(c.slug for c in categories.categories))
        lines.append(f"  Our category slugs: {slugs or 'none yet'}.")
    return lines


def _listing(items: list[str], listed: int) -> list[str]:
    shown = [f"  {item}" for item in items[:listed]]
    if len(items) > listed:
        shown.append(f"  … and {len(items) - listed:,} more (run with -v 2 to see them all).")
    return shown


def _admin_path(pk: int) -> str:
    return reverse("admin:posts_post_change", args=[pk])
