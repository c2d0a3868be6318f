"""Validators for conditional GET, computed from a cheap query instead of the rendered feed.

Stock ConditionalGetMiddleware hashes the response after the feed was built, which saves
bandwidth but not work. Here the ETag comes from the rows the feed would contain — ids,
publication and update dates and the categories of the posts in the window — and is cached
under the content version (cxhub.content_version) with the selection, format and page. A feed
reader polling an unchanged feed costs the categories and the version, two indexed lookups:
no window query, no rendering, nothing that grows with the archive. After a change the window
is read once more, so a feed whose items did not change keeps its ETag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from cxhub.httpcache import max_age_until, public
from posts.filters import CACHE_SECONDS, Listing
from posts.models import Category, Post, categories_of_key

from .syndication import FeedSpec, utc

# Bump when the output of a format changes, so readers holding an old ETag fetch again.
FORMAT_VERSION = "2"


@dataclass(frozen=True)
class Window:
    """The posts on one page of a feed, as far as the validators need them."""

    rows: tuple[tuple, ...]
    has_next: bool
    removed_at: datetime | None

    @classmethod
    def query(cls, listing: Listing, page: int) -> Window:
        size = settings.FEED_ITEMS
        offset = (page - 1) * size
        # The very queryset the page and the feed use, sliced one further to learn whether a
        # next page exists without counting; each post's categories as their key.
        flat = listing.newest().values_list(
            "pk",
            "published_at",
            "updated_at",
            # The credit of stories from other sites ("via <source>") is their content too.
            "credit_name",
            "credit_url",
            "category_key",
        )[offset : offset + size + 1]
        posts = [
            [
                pk,
                published_at,
                updated_at,
                (source, site),
                [
                    (c.slug, c.name, c.facet)
                    for c in categories_of_key(category_key, listing.categories)
                ],
            ]
            for pk, published_at, updated_at, source, site, category_key in flat
        ]
        return cls._of(posts, size, listing)

    @classmethod
    def from_posts(cls, posts: list[tuple[Post, list[Category]]], listing: Listing) -> Window:
        """The same window from the posts themselves and their categories (`listing.newest()`
        sliced one further), when they are read anyway to write the feed."""
        rows = [
            [
                post.pk,
                post.published_at,
                post.updated_at,
                (post.credit_name, post.credit_url),
                [(c.slug, c.name, c.facet) for c in categories],
            ]
            for post, categories in posts
        ]
        return cls._of(rows, settings.FEED_ITEMS, listing)

    @classmethod
    def _of(cls, posts, size: int, listing: Listing) -> Window:
        ordered = sorted(posts, key=lambda row: (row[1], row[0]), reverse=True)
        rows = tuple(
            (pk, pub, upd, tuple(sorted(cats)), credit) for pk, pub, upd, credit, cats in ordered
        )
        has_next = len(rows) > size
        rows = rows[:size]
        # A post taken off the list (unpublished, deleted, moved out of its categories) leaves
        # no row behind, yet the feed changed. The content version keeps the moment anything
        # readers saw was last removed; which feeds held it is not recorded, so every feed's
        # Last-Modified moves (a needless 200 now and then, never a wrong 304).
        return cls(rows=rows, has_next=has_next, removed_at=listing.version.removed_at)

    @property
    def last_modified(self) -> datetime | None:
        moments = [max(published, updated) for _, published, updated, *_ in self.rows]
        if self.removed_at:
            moments.append(self.removed_at)
        return utc(max(moments)) if moments else None


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime | None
    # When the content version moves by itself (an upcoming event ends): no cached copy may
    # outlive it. Feeds of posts leave it unset.
    until: datetime | None = None

    @classmethod
    def cached(
        cls, spec: FeedSpec, page: int, *, window: Callable[[], Window] | None = None
    ) -> tuple[Validators, bool, bool]:
        """(validators, has_next, has_rows) of a feed page, read once per content version:
        from `window` when given (a caller that reads the posts anyway), else from the window
        query."""
        listing = spec.listing
        # The categories are read on every request anyway: in the key, a rename shows at once
        # even where it bypassed the signals. So do the settings the ETag is built from.
        key = listing.version.key(
            "feed",
            FORMAT_VERSION,
            spec.fmt,
            spec.self_url,
            spec.title,
            spec.description,
            listing.selection.querystring(),
            page,
            [(c.pk, c.slug, c.name, c.facet) for c in listing.categories],
            settings.FEED_ITEMS,
            settings.FEED_MAX_AGE,
            settings.LANGUAGE_CODE,
        )
        found = cache.get(key)
        if found is None:
            window = window() if window is not None else Window.query(listing, page)
            found = (cls.for_feed(spec, window), window.has_next, bool(window.rows))
            cache.set(key, found, CACHE_SECONDS)
        return found

    @classmethod
    def for_feed(cls, spec: FeedSpec, window: Window) -> Validators:
        state = repr(
            (
                FORMAT_VERSION,
                spec.fmt,
                spec.self_url,
                spec.title,
                spec.description,
                settings.FEED_MAX_AGE,
                settings.LANGUAGE_CODE,
                window.has_next,
                [
                    (pk, pub.timestamp(), upd.timestamp(), cats, credit)
                    for pk, pub, upd, cats, credit in window.rows
                ],
            )
        )
        digest = hashlib.sha256(state.encode("utf-8")).hexdigest()[:40]
        return cls(etag=f'"{digest}"', last_modified=window.last_modified)

    @staticmethod
    def asked(request: HttpRequest) -> bool:
        """Whether the request is conditional: the reader holds a copy and may get a 304."""
        return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers

    def not_modified(self, request: HttpRequest) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            # RFC 9110 13.1.2: weak comparison; If-Modified-Since is ignored when present.
            tags = parse_etags(if_none_match)
            return "*" in tags or any(tag.removeprefix("W/") == self.etag for tag in tags)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        # Only an exact match counts: when the newest item is taken away, Last-Modified moves
        # back, and "not modified since" a later date would then be a wrong answer. Answering
        # 200 is always allowed, so this is the safe reading of RFC 9110 13.1.3.
        return (
            since is not None
            and self.last_modified is not None
            and since == int(self.last_modified.timestamp())
        )

    def apply(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        max_age = max_age_until(settings.FEED_MAX_AGE, self.until, now=timezone.now())
        response.headers["Cache-Control"] = public(max_age)
        return response

    def not_modified_response(self) -> HttpResponse:
        return self.apply(HttpResponseNotModified())
