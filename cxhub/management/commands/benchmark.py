"""Generate a large hub and measure its reader pages and feeds, with the cache off and on.

    manage.py benchmark                                  # mode 1, 5,000 posts, rolled back
    manage.py benchmark --posts 100000 --keep            # mode 1, posts kept for the next run
    manage.py benchmark --posts 100000 --keep --http     # mode 2: gunicorn and wrk
    manage.py benchmark --posts 100000 --keep --mode both

Mode 1 times each page in this process (Django's test client): queries, median and p90, peak
Python memory. Mode 2 serves the hub with gunicorn on 127.0.0.1 and drives each page with wrk
next to a bare view of the same size; it prints requests/s, the ratio and PASS/FAIL per target
(exit status 3 when a target is missed). Speed and memory targets live here, not in timed
tests: run it before and after a change and compare. By default the posts are generated inside
a transaction and rolled back; `--keep` commits them (once) and reuses them on the next run.
Output is markdown tables, to paste into docs/benchmarks.md; progress goes to stderr.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import statistics
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django.utils.http import http_date

from cxhub.loopback import LoopbackServer
from cxhub.management.benchmark import http
from cxhub.management.benchmark.generate import SLUG_PREFIX, Progress, generate
from cxhub.management.benchmark.pages import Page, reader_pages
from posts.models import Post

TARGETS_MISSED = 3
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class Rollback(Exception):
    pass


def interrupted(signum, frame):
    raise KeyboardInterrupt


@dataclass(frozen=True)
class Row:
    status: int
    queries: int
    median: float
    p90: float
    peak_kib: float


class Command(BaseCommand):
    help = (
        "Generate POSTS realistic posts and measure the reader pages and feeds: in-process "
        "(mode 1) and/or through gunicorn and wrk next to a bare view (mode 2, --http)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--posts", type=int, default=5000, help="posts to generate (5000)")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="commit the generated posts and reuse them next time (nothing rolled back); "
            "needed by mode 2, whose server sees committed posts only",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed of the posts (1)")
        parser.add_argument(
            "--mode",
            choices=["1", "2", "both"],
            default="1",
            help="1: in-process (default); 2: gunicorn and wrk; both",
        )
        parser.add_argument("--http", action="store_true", help="the same as --mode 2")
        group = parser.add_argument_group("mode 1")
        group.add_argument("--repeat", type=int, default=15, help="requests per page (15)")
        group.add_argument(
            "--feed-entries",
            type=int,
            default=500,
            help="entries of the generated external feed that is ingested (500; 0 skips it)",
        )
        group = parser.add_argument_group("mode 2")
        group.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL (10)")
        group.add_argument("--connections", type=int, default=16, help="wrk's connections (16)")
        group.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
        group.add_argument(
            "--rss-requests",
            type=int,
            default=10_000,
            help="requests per worker before its memory is read (10000)",
        )
        group.add_argument(
            "--rss-seconds",
            type=int,
            default=300,
            help="most seconds of extra load to reach --rss-requests (300)",
        )

    def handle(self, *args, posts: int, keep: bool, seed: int, mode: str, **options) -> None:
        if options["http"]:
            mode = "2"
        if posts < 1:
            raise CommandError("--posts must be at least 1.")
        if mode != "1" and not keep:
            raise CommandError(
                "Mode 2 serves the posts from gunicorn, another process, which sees committed "
                "posts only: add --keep (the generated posts then stay for the next run)."
            )
        if mode != "1":
            http.require_wrk()  # before generating: say it now, not minutes later
        self.seed = seed
        if not keep:
            try:
                with transaction.atomic():
                    self.generate(posts)
                    self.analyze()
                    self.mode_1(options)
                    raise Rollback
            except Rollback:
                self.stdout.write("\nGenerated data rolled back.")
            return
        have = Post.objects.filter(slug__startswith=SLUG_PREFIX).count()
        if have < posts:
            with transaction.atomic():
                self.generate(posts - have, start=have)
        else:
            self.say(f"Reusing {have:,} generated posts.")
        self.analyze()
        if mode in ("1", "both"):
            self.mode_1(options)
        if mode in ("2", "both"):
            self.mode_2(options)

    def say(self, line: str) -> None:
        self.stderr.write(f"-> {line}")

    def analyze(self) -> None:
        # Fresh rows have no planner statistics yet (autovacuum cannot see uncommitted rows); a
        # real database would have them, so gather them before measuring. Committed rows on
        # PostgreSQL are vacuumed too, as autovacuum would have done soon after the inserts:
        # until then no page is marked all-visible, and every index-only scan reads the table.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")

    def generate(self, count: int, *, start: int = 0) -> None:
        self.say(f"Generating {count:,} posts …")
        progress = Progress(
            count,
            write=lambda text: self.stderr.write(text, ending=""),
            redraw=self.stderr.isatty(),
        )
        began, cpu = time.perf_counter(), time.process_time()
        try:
            generate(count, start=start, seed=self.seed, progress=progress.update)
        except LookupError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - began
        # The CPU time of this process (on SQLite the database's work too) tells what a busy
        # machine's wall-clock time hides.
        self.say(
            f"Generated {count:,} posts in {elapsed:.0f} s ({count / elapsed:,.0f}/s; "
            f"{time.process_time() - cpu:.0f} s of CPU in this process; load average "
            f"{os.getloadavg()[0]:.1f})."
        )

    # --- mode 1: in this process ---------------------------------------------------------

    def mode_1(self, options) -> None:
        repeat = options["repeat"]
        self.stdout.write(f"\n## Mode 1: in-process, {heading()}, {repeat} requests per page\n\n")
        host = next(
            (h for h in settings.ALLOWED_HOSTS if not h.startswith((".", "*"))), "localhost"
        )
        client = Client(HTTP_HOST=host.strip("[]"))
        pages = reader_pages()
        self.say(f"Mode 1: {len(pages)} pages, cache off then on …")
        with override_settings(CACHES=NO_CACHE):
            off = self.measure_pages(client, pages, repeat, "cache off")
            searches_off = self.measure_searches(client, repeat, "cache off")
        cache.clear()
        on = self.measure_pages(client, pages, repeat, "cache on")
        searches_on = self.measure_searches(client, repeat, "cache on")
        self.stdout.write(
            "| page | status | cache off: queries / median / p90 ms / peak KiB | cache on |\n"
            "| --- | --- | --- | --- |"
        )
        for page in pages:
            a, b = off[page.name], on[page.name]
            status = a.status if a.status == b.status else f"{a.status} / {b.status}"
            self.stdout.write(f"| {page.name} | {status} | {cells(a)} | {cells(b)} |")
        self.stdout.write(
            "\n| search | found | cache off: queries / median / p90 ms | cache on |\n"
            "| --- | --- | --- | --- |"
        )
        for name, (found, a) in searches_off.items():
            b = searches_on[name][1]
            self.stdout.write(
                f"| {name} | {found} | {a.queries} / {a.median:,.1f} / {a.p90:,.1f} "
                f"| {b.queries} / {b.median:,.1f} / {b.p90:,.1f} |"
            )
        if options["feed_entries"]:
            with contextlib.suppress(Rollback), transaction.atomic():
                self.measure_ingestion(options["feed_entries"])
                raise Rollback

    def measure_pages(self, client, pages: list[Page], repeat: int, label) -> dict[str, Row]:
        rows = {}
        for page in pages:
            self.say(f"{label}: {page.name} …")
            extra = {}
            if page.etag_of:
                source = next(p for p in pages if p.name == page.etag_of)
                extra["HTTP_IF_NONE_MATCH"] = client.get(source.path)["ETag"]
            rows[page.name] = measure(client, page.path, extra, repeat)
        return rows

    def measure_searches(self, client, repeat: int, label) -> dict[str, tuple[str, Row]]:
        """Search result pages. With the cache off, as for a search no reader asked before in
        this content version (the total and the category counts are counted); with it on, as
        for its next pages and repeats."""
        home = "/"
        count = Post.objects.filter(slug__startswith=SLUG_PREFIX).count()
        searches = {
            "a rare word": f"?q=lesson+{count // 2}",
            "one post in eight": "?q=enablement",
            "with a facet": "?q=enablement&industry=healthcare-sector",
            "newest first": "?q=enablement&sort=newest",
            "a common phrase": "?q=patient+journey",
            "a word in every post": "?q=customer+experience",
        }
        found = {}
        for name, query in searches.items():
            self.say(f"{label}: search, {name} …")
            response = client.get(home + query)
            # "12 posts", or "More than 1000 posts" for a search whose counting stopped.
            shown = re.search(
                r'class="result-count"[^>]*>((?:More than )?[\d,]+) post', response.content.decode()
            )
            found[name] = (
                shown.group(1) if shown else "?",
                measure(client, home + query, {}, repeat),
            )
        return found

    def measure_ingestion(self, entries: int) -> None:
        """Fetch a generated feed from a server on 127.0.0.1: first time, unchanged, 304."""
        from newsroom.models import FeedSource
        from newsroom.pipeline import ingest

        with (
            LoopbackServer() as server,
            override_settings(OUTBOUND_ALLOW_PRIVATE_ADDRESSES=True),
        ):
            # Validators always; a 304 only when told to, so the second fetch parses again.
            feed_url = server.route(
                "/feed.xml",
                body=generated_feed(entries),
                content_type="application/rss+xml",
                headers={"ETag": '"benchmark-1"'},
                conditional=False,
            )
            source = FeedSource.objects.create(name="Benchmark feed", feed_url=feed_url)
            self.stdout.write(
                f"\n| ingestion of {entries} entries | ms | peak KiB |\n| --- | --- | --- |"
            )
            for label, honour_etag in [
                ("first fetch", False),
                ("same feed again", False),
                ("answered 304", True),
            ]:
                server.routes["/feed.xml"].conditional = honour_etag
                tracemalloc.start()
                start = time.perf_counter()
                outcome = ingest(FeedSource.objects.get(pk=source.pk))
                elapsed = (time.perf_counter() - start) * 1000
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                self.stdout.write(f"| {label}: {outcome} | {elapsed:,.0f} | {peak / 1024:,.0f} |")

    # --- mode 2: gunicorn and wrk ------------------------------------------------------------

    def mode_2(self, options) -> None:
        run_options = http.Options(
            duration=options["duration"],
            connections=options["connections"],
            workers=options["workers"],
            rss_requests=options["rss_requests"],
            rss_seconds=options["rss_seconds"],
        )
        if threading.current_thread() is threading.main_thread():
            # SIGINT too: a shell starts a background job with Ctrl+C ignored.
            previous = {
                signum: signal.signal(signum, interrupted)
                for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
            }
        else:
            previous = {}
        try:
            result = http.Run(reader_pages(), run_options, say=self.say).execute()
        except KeyboardInterrupt:
            raise CommandError("Interrupted; gunicorn and wrk are stopped.") from None
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write(f"\n## Mode 2: gunicorn and wrk, {heading()}\n\n")
        self.stdout.write(http.render(result))
        if not result["all_held"]:
            sys.exit(TARGETS_MISSED)


def measure(client, url: str, extra: dict, repeat: int) -> Row:
    client.get(url, **extra)  # warm: templates, connection, and the cache when on
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, **extra)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **extra)
    # Read now: the next request resets the connection's query log.
    query_count = len(queries)
    tracemalloc.start()
    client.get(url, **extra)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    p90 = sorted(timings)[max(0, int(len(timings) * 0.9) - 1)]
    return Row(response.status_code, query_count, statistics.median(timings), p90, peak / 1024)


def cells(row: Row) -> str:
    return f"{row.queries} / {row.median:,.1f} / {row.p90:,.1f} / {row.peak_kib:,.0f}"


def heading() -> str:
    """The posts, the database and how busy the machine was: figures without these mislead."""
    vendor = connection.vendor
    version = ""
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        version = " " + str(cursor.fetchone()[0]).split()[0]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{Post.objects.count():,} posts, {vendor}{version}, "
        f"{timezone.now():%Y-%m-%d %H:%M} UTC, load average {load} on {os.cpu_count()} cores"
    )


def generated_feed(entries: int) -> bytes:
    now = timezone.now()
    summary = "A paragraph about customer experience. " * 20
    items = "".join(
        f"<item><title>Benchmark story {n}</title>"
        f"<link>https://news.example/story/{n}?utm_source=rss</link>"
        f'<guid isPermaLink="false">bench-{n}</guid>'
        f"<pubDate>{http_date((now - timedelta(hours=n)).timestamp())}</pubDate>"
        f"<category>Patient Experience</category>"
        f"<description>&lt;p&gt;{summary}&lt;/p&gt;</description>"
        f"</item>"
        for n in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Benchmark news</title><link>https://news.example/</link>"
        f"<description>Generated</description>{items}</channel></rss>"
    ).encode()
