"""Import the posts of the hub's previous site from its RSS or Atom feed (a URL or a file).

The work is newsroom.importer's; this reads the feed, shows progress and prints the report.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cxhub.safehttp import FetchError
from newsroom.categorymap import CategoryMap, MappingError, parse_mapping, read_mapping_file
from newsroom.feedfile import FeedFile
from newsroom.fetch import FetchOptions, fetch
from newsroom.importer import BATCH_SIZE, ImportReport, PostImporter, describe
from newsroom.parse import ParseError, parse_with_limit

# Items listed per part of the report at the default verbosity.
LISTED = 20


class Command(BaseCommand):
    help = (
        "Import the hub's own earlier posts (published, full text, old addresses redirecting "
        "to them) from an RSS/Atom feed. A file is read as a stream, entry by entry, so an "
        "export of any size works: no time or size limit for a local file (memory stays that "
        "of one entry; an entry of more than 20 million characters is skipped), but XML "
        "entity declarations and external entities are refused. A feed fetched from an "
        "http(s) address keeps fetch_feeds' limits (INGEST_MAX_BYTES, INGEST_PARSE_TIMEOUT, "
        "INGEST_PARSE_MEMORY_MB). Entries are saved in batches; an import that was stopped "
        "(Ctrl+C, a crash) goes on where it stopped when run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed", help="The feed's http(s) address, or a path to a saved feed.")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            dest="mappings",
            metavar='"OLD NAME=SLUG"',
            help="Give the old site's category OLD NAME our category SLUG (repeatable).",
        )
        parser.add_argument(
            "--map-file",
            type=Path,
            metavar="PATH",
            help="A file of mappings, one “old name = slug” a line; # starts a comment.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Entries saved per transaction (1 to {BATCH_SIZE}, default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen, change nothing."
        )

    def handle(self, *args, feed: str, mappings, map_file, batch_size, dry_run, **options):
        self.verbosity = options["verbosity"]
        try:
            mapping = read_mapping_file(map_file) if map_file else []
            mapping += [parse_mapping(text) for text in mappings]
            categories = CategoryMap(mapping)
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        if not 0 < batch_size <= BATCH_SIZE:
            raise CommandError(f"--batch-size must be 1 to {BATCH_SIZE}.")

        self.started = time.monotonic()
        self.file: FeedFile | None = None
        importer = PostImporter(
            categories=categories,
            now=timezone.now(),
            teaser_chars=settings.INGEST_TEASER_CHARS,
            batch_size=batch_size,
            dry_run=dry_run,
            on_batch=self.progress,
            on_entry=self.entry if self.verbosity > 1 else None,
        )
        try:
            if feed.startswith(("http://", "https://")):
                self.total = None
                importer.run(self.fetched_entries(feed))
            else:
                with self.open(feed) as stream:
                    self.total = Path(feed).stat().st_size
                    self.file = FeedFile(stream)
                    importer.run(self.file)
        except ParseError as exc:
            if importer.report.entries:
                self.report(importer.report, categories, dry_run=dry_run)
            raise CommandError(f"{feed}: {exc.message}") from None
        except KeyboardInterrupt:
            self.report(importer.report, categories, dry_run=dry_run)
            raise CommandError(
                f"Interrupted after {importer.report.entries:,} entries; those are saved "
                "(the batch under way was not). Run the same command again to go on: the "
                "entries already imported are recognised.",
                returncode=130,
            ) from None
        self.report(importer.report, categories, dry_run=dry_run)

    def open(self, feed: str):
        path = Path(feed)
        if not path.is_file():
            raise CommandError(
                f"There is no file {feed}. Give a saved feed file or an http(s) URL."
            )
        return path.open("rb")

    def fetched_entries(self, url: str):
        try:
            response = fetch(url, FetchOptions.from_settings())
            parsed = parse_with_limit(
                response.body,
                headers=response.headers,
                url=response.url,
                timeout=settings.INGEST_PARSE_TIMEOUT,
                memory_mb=settings.INGEST_PARSE_MEMORY_MB,
            )
        except FetchError as exc:
            raise CommandError(f"{url}: {exc.message}") from None
        except ParseError as exc:
            raise CommandError(f"{url}: {exc.message}") from None
        if parsed.note:
            self.stdout.write(self.style.WARNING(f"Note: {parsed.note}"))
        self.total = len(parsed.entries)
        return parsed.entries

    def progress(self, report: ImportReport) -> None:
        if self.verbosity < 1:
            return
        if self.file is not None:
            read = f"{report.entries:,} entries read ({self.file.bytes_read / self.total:.0%})"
        else:
            read = f"{report.entries:,} of {self.total:,} entries read"
        rate = report.entries / max(time.monotonic() - self.started, 0.001)
        self.stdout.write(f"{read}, {report.written:,} posts written, {rate:,.0f} entries/s")

    def entry(self, title: str, outcome: str) -> None:
        self.stdout.write(f"{title}: {'kept (edited here)' if outcome == 'kept' else outcome}")

    def report(self, report: ImportReport, categories: CategoryMap, *, dry_run: bool) -> None:
        lines = describe(report, categories, listed=LISTED if self.verbosity < 2 else 10**9)
        if dry_run:
            lines[0] = "Dry run, nothing saved. " + lines[0]
        for line in lines:
            if line.startswith("!"):
                self.stdout.write(self.style.WARNING(line[1:]))
            else:
                self.stdout.write(line)
