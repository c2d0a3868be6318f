"""Generate a large hub inside a transaction, measure the reader pages and feeds, roll back.

Speed and memory targets live here, not in timed tests: run it before and after a change and
compare the figures. Nothing it creates survives the run.
"""

from __future__ import annotations

import contextlib
import statistics
import time
import tracemalloc
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import http_date

from cxhub.loopback import LoopbackServer
from posts.models import Category, MediaKind, Post, TaggedPost


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Generate POSTS posts, time the reader pages and feeds, print figures, roll back."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--posts", type=int, default=5000, help="posts to generate (5000)")
        parser.add_argument("--repeat", type=int, default=15, help="requests per page (15)")
        parser.add_argument(
            "--feed-entries",
            type=int,
            default=500,
            help="entries of the generated external feed that is ingested (500; 0 skips it)",
        )

    def handle(self, *args, posts: int, repeat: int, feed_entries: int, **options) -> None:
        try:
            with transaction.atomic():
                self.generate(posts)
                # Fresh rows have no planner statistics yet (autovacuum cannot see uncommitted
                # rows); a real database would have them, so gather them before measuring.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                self.measure(repeat)
                if feed_entries:
                    self.measure_ingestion(feed_entries)
                raise Rollback
        except Rollback:
            self.stdout.write("Generated data rolled back.")

    def generate(self, count: int) -> None:
        categories = list(Category.objects.all())
        if not categories:
            self.stderr.write("No categories: run `manage.py migrate` first.")
            raise Rollback
        kinds = list(MediaKind.values)
        now = timezone.now()
        batch = 1000
        self.stdout.write(f"Generating {count} posts …")
        for start in range(0, count, batch):
            rows = [
                Post(
                    title=f"Benchmark post {n}: lessons in customer experience",
                    slug=f"benchmark-post-{n}",
                    body="<p>" + "Customer experience in pharma. " * 40 + "</p>",
                    status=Post.Status.PUBLISHED,
                    published_at=now - timedelta(hours=n),
                    media_kind=kinds[n % len(kinds)],
                    link=f"https://example.org/bench/{n}",
                    author_name="Benchmark",
                )
                for n in range(start, min(start + batch, count))
            ]
            created = Post.objects.bulk_create(rows)
            TaggedPost.objects.bulk_create(
                TaggedPost(content_object=post, tag=categories[(post.pk * k) % len(categories)])
                for post in created
                for k in (1, 3, 7)
                if (post.pk * k) % len(categories) != (post.pk * (k + 2)) % len(categories)
            )
            self.stdout.write(f"  {min(start + batch, count)}/{count}")

    def measure(self, repeat: int) -> None:
        host = next(
            (h for h in settings.ALLOWED_HOSTS if not h.startswith((".", "*"))), "localhost"
        )
        client = Client(HTTP_HOST=host.strip("[]"))
        post = Post.objects.published().newest_first().first()
        pages = {
            "home": reverse("posts:home"),
            "home, page 50": reverse("posts:home") + "?page=50",
            "category": reverse("posts:category", kwargs={"slug": "healthcare-sector"}),
            "filtered": reverse("posts:home")
            + "?topic=cx-design,cx-strategy&industry=healthcare-sector&not=inspirational-quote",
            "search": reverse("posts:home") + "?q=lessons+pharma",
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
            etag = client.get(pages["RSS feed"])["ETag"]
            pages["RSS feed, 304"] = pages["RSS feed"]
            headers["RSS feed, 304"] = {"HTTP_IF_NONE_MATCH": etag}
        self.stdout.write(
            f"\n{'page':<16}{'status':>7}{'queries':>9}"
            f"{'median ms':>11}{'p90 ms':>9}{'peak KiB':>10}"
        )
        for name, url in pages.items():
            extra = headers[name]
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
        self.stdout.write(f"\n{Post.objects.count()} posts, database: {connection.vendor}")

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
