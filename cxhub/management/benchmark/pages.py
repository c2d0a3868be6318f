"""The addresses the benchmark measures, the same for both modes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from posts.models import Post

# What each page is held to in mode 2 (see http.TARGETS).
LISTING, FEED, REVALIDATION, OTHER = "listing", "feed", "304", "other"
# The archive pages measured are of a year this far back: the middle of the generated ten.
YEARS_BACK = 5
# Mode 2's bare view (serve.py), under this path only in the benchmark's own server.
BARE_PATH = "__benchmark__/bare/"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    group: str
    # The page whose ETag is sent back as If-None-Match (a reader revalidating): a 304.
    etag_of: str | None = None


def reader_pages() -> list[Page]:
    home = reverse("posts:home")
    post = Post.objects.published().newest_first().first()
    if post is None:
        raise LookupError("No published post to measure: generate some first.")
    per_page = settings.POSTS_PER_PAGE
    deep = max(1, min(2000, Post.objects.published().count() // per_page))
    year = timezone.localdate().year - YEARS_BACK
    pages = [
        Page("home", home, LISTING),
        Page(f"home, page {deep}", f"{home}?page={deep}", LISTING),
        Page("category", reverse("posts:category", kwargs={"slug": "healthcare-sector"}), LISTING),
        Page(
            "two facets",
            home + "?topic=cx-design,cx-strategy&industry=healthcare-sector",
            LISTING,
        ),
        Page("exclusion", home + "?not=inspirational-quote", LISTING),
        Page(
            "filtered",
            home + "?topic=cx-design,cx-strategy&industry=healthcare-sector"
            "&not=inspirational-quote",
            LISTING,
        ),
        Page("kind: podcast", home + "?kind=podcast", LISTING),
        Page("archive index", reverse("posts:archive"), LISTING),
        Page("archive year", reverse("posts:archive_year", kwargs={"year": year}), LISTING),
        Page(
            "archive month",
            reverse("posts:archive_month", kwargs={"year": year, "month": f"{6:02d}"}),
            LISTING,
        ),
        Page("events", reverse("posts:events"), LISTING),
        Page("search results", home + "?q=enablement", LISTING),
        # The post page with its related posts, older/newer and series (posts.keepreading).
        Page("post", post.get_absolute_url(), OTHER),
        Page("sitemap index", reverse("sitemap"), OTHER),
        Page(
            "sitemap: archive",
            reverse("sitemap-section", kwargs={"section": "archive"}),
            OTHER,
        ),
    ]
    for name, route in [
        ("RSS feed", "feeds:rss"),
        ("Atom feed", "feeds:atom"),
        ("JSON feed", "feeds:json"),
    ]:
        with contextlib.suppress(NoReverseMatch):  # feeds not installed: skip them
            pages.append(Page(name, reverse(route), FEED))
    if any(page.name == "RSS feed" for page in pages):
        # A feed reader polling with the validator it was given: the conditional GET path.
        pages.append(Page("RSS feed, 304", reverse("feeds:rss"), REVALIDATION, "RSS feed"))
    # A browser or proxy revalidating the home page.
    pages.append(Page("home, 304", home, REVALIDATION, "home"))
    return pages
