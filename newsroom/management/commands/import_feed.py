"""Import the posts of the hub's previous site from its RSS or Atom feed (a URL or a file).

These posts are our own writing, so unlike third-party news they come in published, with
their full text, original dates and authors. Categories are mapped onto ours by name or slug;
the ones that match nothing are reported. Running it again changes nothing, except posts
whose feed entry changed and that nobody has edited here since.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cxhub.safehttp import FetchError
from newsroom.clean import CleanEntry, clean_entries, skipped_note
from newsroom.fetch import FetchOptions, fetch
from newsroom.models import ImportedPost
from newsroom.parse import ParseError, parse_with_limit
from newsroom.rules import RuleSet
from newsroom.store import post_fingerprint
from posts.models import MediaKind, Post


class Command(BaseCommand):
    help = "Import the hub's own earlier posts (published, full text) from an RSS/Atom feed."

    def add_arguments(self, parser):
        parser.add_argument("feed", help="The feed's http(s) address, or a path to a saved feed.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen, change nothing."
        )

    def handle(self, *args, feed: str, dry_run: bool, **options):
        content, headers, url = self.read(feed)
        try:
            parsed = parse_with_limit(
                content,
                headers=headers,
                url=url,
                timeout=settings.INGEST_PARSE_TIMEOUT,
                memory_mb=settings.INGEST_PARSE_MEMORY_MB,
            )
        except ParseError as exc:
            raise CommandError(f"{feed}: {exc.message}") from None
        if parsed.note:
            self.stdout.write(self.style.WARNING(f"Note: {parsed.note}"))
        now = timezone.now()
        entries, skipped = clean_entries(
            parsed.entries, now=now, teaser_chars=settings.INGEST_TEASER_CHARS
        )
        if skipped:
            self.stdout.write(self.style.WARNING(f"Note: {skipped_note(skipped, listed=20)}"))
        mapping = RuleSet(filter_rules=[], category_rules=[])
        counts: Counter[str] = Counter()
        unmapped: Counter[str] = Counter()
        with transaction.atomic():
            for n, entry in enumerate(entries, 1):
                outcome = self.import_entry(entry, mapping)
                counts[outcome] += 1
                unmapped.update(mapping.unmapped(entry.categories))
                if options["verbosity"] > 0:
                    self.stdout.write(f"[{n}/{len(entries)}] {entry.title}: {outcome}")
            if dry_run:
                transaction.set_rollback(True)

        self.stdout.write(
            ("Dry run, nothing saved. " if dry_run else "")
            + f"{len(entries)} entries: {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['kept (edited here)']} kept "
            "because they were edited here."
        )
        if unmapped:
            listing = ", ".join(
                f"“{label}” ({n} post{'s' if n != 1 else ''})"
                for label, n in sorted(unmapped.items())
            )
            self.stdout.write(
                self.style.WARNING(
                    f"Categories with no match among ours, left off: {listing}. Create them in "
                    "the admin (same name) and run the import again to apply them."
                )
            )

    def read(self, feed: str) -> tuple[bytes, dict[str, str], str]:
        if feed.startswith(("http://", "https://")):
            try:
                response = fetch(feed, FetchOptions.from_settings())
            except FetchError as exc:
                raise CommandError(f"{feed}: {exc.message}") from None
            return response.body, response.headers, response.url
        path = Path(feed)
        if not path.is_file():
            raise CommandError(
                f"There is no file {feed}. Give a saved feed file or an http(s) URL."
            )
        if path.stat().st_size > settings.INGEST_MAX_BYTES * 10:
            raise CommandError(f"{feed} is larger than the import accepts.")
        return path.read_bytes(), {}, ""

    def import_entry(self, entry: CleanEntry, mapping: RuleSet) -> str:
        categories = list({c.pk: c for c in map(mapping.lookup, entry.categories) if c}.values())
        record = ImportedPost.objects.select_related("post").filter(key=entry.key).first()
        if record is None:
            post = Post(status=Post.Status.PUBLISHED)
            self.fill(post, entry)
            post.save()
            post.categories.set(categories)
            ImportedPost.objects.create(
                key=entry.key,
                post=post,
                original_url=entry.link,
                written_hash=post_fingerprint(post, [c.pk for c in categories]),
            )
            return "new"
        post = record.post
        current = post_fingerprint(post, post.categories.values_list("pk", flat=True))
        if current != record.written_hash:
            return "kept (edited here)"
        self.fill(post, entry)
        if post_fingerprint(post, [c.pk for c in categories]) == record.written_hash:
            return "unchanged"
        post.save()
        post.categories.set(categories)
        post.refresh_from_db()
        record.written_hash = post_fingerprint(post, [c.pk for c in categories])
        record.original_url = entry.link
        record.save()
        return "updated"

    def fill(self, post: Post, entry: CleanEntry) -> None:
        # Full text: these are the hub's own posts. The excerpt is left empty so the cards
        # take it from the body, the way the editor's own posts work.
        post.title = entry.title
        post.body = entry.full_html
        post.author_name = entry.author
        post.published_at = entry.date
        post.media_kind = MediaKind.PODCAST if entry.audio else post.media_kind
        if entry.audio:
            post.audio_url, post.audio_type, post.audio_length = entry.audio
