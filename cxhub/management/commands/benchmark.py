"""Generate a large hub, measure the reader pages and feeds with the cache off and on.

Speed and memory targets live here, not in timed tests: run it before and after a change and
compare the figures. By default the posts are generated inside a transaction and rolled back;
`--keep` commits them (once) and reuses them on the next run, for 100,000 posts and more.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import time
import tracemalloc
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import http_date

from cxhub import content_version
from cxhub.loopback import LoopbackServer
from posts.models import Category, Kind, Post, TaggedPost


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Generate POSTS posts, time the reader pages and feeds, print figures, roll back."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--posts", type=int, default=5000, help="posts to generate (5000)")
        parser.add_argument("--repeat", type=int, default=15, help="requests per page (15)")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="commit the generated posts and reuse them next time (nothing rolled back)",
        )
        parser.add_argument(
            "--feed-entries",
            type=int,
            default=500,
            help="entries of the generated external feed that is ingested (500; 0 skips it)",
        )

    def handle(
        self, *args, posts: int, repeat: int, feed_entries: int, keep: bool, **options
    ) -> None:
        if keep:
            have = Post.objects.filter(slug__startswith="benchmark-post-").count()
            if have < posts:
                with transaction.atomic():
                    self.generate(posts - have, start=have)
            else:
                self.stdout.write(f"Reusing {have} generated posts.")
            self.analyze()
            self.measure(repeat)
            if feed_entries:
                with contextlib.suppress(Rollback), transaction.atomic():
                    self.measure_ingestion(feed_entries)
                    raise Rollback
            return
        try:
            with transaction.atomic():
                self.generate(posts)
                self.analyze()
                self.measure(repeat)
                if feed_entries:
                    self.measure_ingestion(feed_entries)
                raise Rollback
        except Rollback:
            self.stdout.write("Generated data rolled back.")

    def analyze(self) -> None:
        # Fresh rows have no planner statistics yet (autovacuum cannot see uncommitted rows); a
        # real database would have them, so gather them before measuring.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def generate(self, count: int, *, start: int = 0) -> None:
        categories = list(Category.objects.all())
        if not categories:
            self.stderr.write("No categories: run `manage.py migrate` first.")
            raise Rollback
        kinds = list(Kind.values)
        now = timezone.now()
        batch = 2000
        began = time.perf_counter()
        self.stdout.write(f"Generating {count} posts …")
        for first in range(start, start + count, batch):
            rows = [
                Post(
                    title=f"{TOPICS[n % len(TOPICS)]}: lesson {n} in customer experience",
                    slug=f"benchmark-post-{n}",
                    excerpt=f"What {TOPICS[(n * 7) % len(TOPICS)].lower()} taught us, part {n}.",
                    body="<p>" + "Customer experience in pharma. " * 20 + "</p>",
                    status=Post.Status.PUBLISHED if n % 50 else Post.Status.DRAFT,
                    # Every 20 minutes into the past; a few scheduled for the coming days.
                    published_at=now - timedelta(minutes=20 * n - (3000 if n < 10 else 0)),
                    kind=kinds[n % len(kinds)],
                    link=f"https://example.org/bench/{n}",
                    author_name="Benchmark",
                )
                for n in range(first, min(first + batch, start + count))
            ]
            created = Post.objects.bulk_create(rows)
            TaggedPost.objects.bulk_create(
                TaggedPost(content_object=post, tag=categories[(post.pk * k) % len(categories)])
                for post in created
                for k in (1, 3, 7)
                if (post.pk * k) % len(categories) != (post.pk * (k + 2)) % len(categories)
            )
            self.progress(min(first + batch, start + count) - start, count, began)
        # Bulk inserts send no signals.
        content_version.bump()
        self.stdout.write(f"\n  done in {time.perf_counter() - began:.0f} s")

    def progress(self, done: int, total: int, began: float) -> None:
        width = 30
        filled = width * done // total
        self.stdout.write(
            f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} "
            f"{time.perf_counter() - began:.0f} s",
            ending="",
        )
        self.stdout.flush()

    def measure(self, repeat: int) -> None:
        host = next(
            (h for h in settings.ALLOWED_HOSTS if not h.startswith((".", "*"))), "localhost"
        )
        client = Client(HTTP_HOST=host.strip("[]"))
        post = Post.objects.published().newest_first().first()
        home = reverse("posts:home")
        pages_total = Post.objects.published().count() // settings.POSTS_PER_PAGE
        deep = max(1, min(2000, pages_total))
        pages = {
            "home": home,
            f"home, page {deep}": f"{home}?page={deep}",
            "category": reverse("posts:category", kwargs={"slug": "healthcare-sector"}),
            "two facets": home + "?topic=cx-design,cx-strategy&industry=healthcare-sector",
            "exclusion": home + "?not=inspirational-quote",
            "filtered": home
            + "?topic=cx-design,cx-strategy&industry=healthcare-sector&not=inspirational-quote",
            "search": home + "?q=lessons+pharma",
            "post": post.get_absolute_url(),
        }
        headers: dict[str, dict[str, str]] = {name: {} for name in pages}
        for name, route in [
            ("RSS feed", "feeds:rss"),
            ("Atom feed", "feeds:atom"),
            ("JSON feed", "feeds:json"),
        ]:
            with contextlib.suppress(NoReverseMatch):  # feeds not installed: skip them
                pages[name] = reverse(route)
                headers[name] = {}
        if "RSS feed" in pages:
            # A feed reader polling with the validator it was given: the conditional GET path.
            pages["RSS feed, 304"] = pages["RSS feed"]
            headers["RSS feed, 304"] = {"etag-of": "RSS feed"}
        # A browser or proxy revalidating the home page.
        pages["home, 304"] = home
        headers["home, 304"] = {"etag-of": "home"}
        no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        with override_settings(CACHES=no_cache):
            self.measure_pages("cache off", client, pages, headers, repeat)
            self.measure_search("search, cache off", client, home, repeat)
        cache.clear()
        self.measure_pages("cache on", client, pages, headers, repeat)
        self.measure_search("search, cache on", client, home, repeat)
        self.stdout.write(f"\n{Post.objects.count()} posts, database: {connection.vendor}")

    def measure_search(self, label: str, client, home: str, repeat: int) -> None:
        """Search result pages: each search's median and the median of all of them. With the
        cache off, as for a search no reader asked before in this content version (the total
        and the category counts are counted); with it on, as for its next pages and repeats."""
        count = Post.objects.published().count()
        searches = {
            "rare word": f"?q=lesson+{count // 2}",
            "one in eight": "?q=patient+journeys",
            "with a facet": "?q=omnichannel+engagement&industry=healthcare-sector",
            "newest first": "?q=voice+customer&sort=newest",
            "every post": "?q=customer+experience",
        }
        self.stdout.write(f"\n{label:<18}{'found':>8}{'queries':>9}{'median ms':>11}")
        medians = []
        for name, query in searches.items():
            url = home + query
            response = client.get(url)  # warm
            timings = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            median = statistics.median(timings)
            medians.append(median)
            shown = re.search(r'class="result-count"[^>]*>(\d+) post', response.content.decode())
            total = shown.group(1) if shown else "?"
            self.stdout.write(f"{name:<18}{total:>8}{len(queries):>9}{median:>11.1f}")
        self.stdout.write(f"{'median of searches':<35}{statistics.median(medians):>11.1f}")

    def measure_pages(self, label, client, pages, all_headers, repeat: int) -> None:
        self.stdout.write(
            f"\n{label:<16}{'status':>7}{'queries':>9}"
            f"{'median ms':>11}{'p90 ms':>9}{'peak KiB':>10}"
        )
        for name, url in pages.items():
            headers = dict(all_headers[name])
            if "etag-of" in headers:
                source = headers.pop("etag-of")
                headers["HTTP_IF_NONE_MATCH"] = client.get(pages[source])["ETag"]
            self.measure_page(name, client, url, headers, repeat)

    def measure_page(self, name: str, client, url: str, extra: dict, repeat: int) -> None:
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
        self.stdout.write(
            f"{name:<16}{response.status_code:>7}{query_count:>9}"
            f"{statistics.median(timings):>11.1f}{p90:>9.1f}{peak / 1024:>10.0f}"
        )

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
                f"\n{'ingestion of ' + str(entries) + ' entries':<34}{'ms':>8}{'peak KiB':>10}"
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
                self.stdout.write(
                    f"{label + ': ' + str(outcome):<34}{elapsed:>8.0f}{peak / 1024:>10.0f}"
                )


TOPICS = [
    "Patient journeys",
    "Omnichannel engagement",
    "Field force enablement",
    "Medical information",
    "Voice of the customer",
    "Service design",
    "Digital therapeutics",
    "HCP portals",
]


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
