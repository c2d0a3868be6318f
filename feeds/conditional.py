"""Validators for conditional GET, computed from a cheap query instead of the rendered feed.

Stock ConditionalGetMiddleware hashes the response after the feed was built, which saves
bandwidth but not work. Here the ETag comes from the rows the feed would contain — ids,
publication and update dates and the categories of the posts in the window — so answering
304 costs a few small queries and no rendering.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from posts.filters import Listing
from posts.models import Post

from .models import PostDeletion
from .syndication import FeedSpec, utc

# Bump when the output of a format changes, so readers holding an old ETag fetch again.
FORMAT_VERSION = "1"


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
        now = timezone.now()
        # The very queryset the page and the feed use, sliced one further to learn whether a
        # next page exists without counting.
        window = listing.posts().prefetch_related(None).values("pk")[offset : offset + size + 1]
        flat = (
            Post.objects.filter(pk__in=window)
            .order_by()
            .values_list(
                "pk",
                "published_at",
                "updated_at",
                # The credit of stories from other sites ("via <source>") is their content too.
                "credit_name",
                "credit_url",
                "tagged_items__tag__slug",
                "tagged_items__tag__name",
                "tagged_items__tag__facet",
            )
        )
        posts: dict[int, list] = {}
        for pk, published_at, updated_at, source, site, *category in flat:
            entry = posts.setdefault(pk, [pk, published_at, updated_at, (source, site), []])
            if category[0] is not None:
                entry[4].append(tuple(category))
        ordered = sorted(posts.values(), key=lambda row: (row[1], row[0]), reverse=True)
        rows = tuple(
            (pk, pub, upd, tuple(sorted(cats)), credit) for pk, pub, upd, credit, cats in ordered
        )
        has_next = len(rows) > size
        rows = rows[:size]
        # A post taken off the list leaves no row behind, yet the feed changed. Posts of this
        # selection dated within the window but no longer visible mark that moment with their
        # updated_at (unpublishing saves the post). On the last page, any older one counts.
        oldest = rows[-1][1] if rows and has_next else None
        removed_at = _removed_since(listing, oldest, now)
        return cls(rows=rows, has_next=has_next, removed_at=removed_at)

    @property
    def last_modified(self) -> datetime | None:
        moments = [max(published, updated) for _, published, updated, *_ in self.rows]
        if self.removed_at:
            moments.append(self.removed_at)
        return utc(max(moments)) if moments else None


def _removed_since(listing: Listing, oldest: datetime | None, now: datetime) -> datetime | None:
    hidden = Post.objects.matching(listing.selection).filter(published_at__lte=now)
    if oldest is not None:
        hidden = hidden.filter(published_at__gte=oldest)
    hidden = hidden.exclude(pk__in=Post.objects.published(at=now).values("pk"))
    # A deleted post leaves only its deletion time; which feeds held it is unknown, so every
    # feed's Last-Modified moves (a needless 200 now and then, never a wrong 304).
    hidden_at = hidden.aggregate(at=Max("updated_at"))["at"]
    deleted_at = PostDeletion.objects.aggregate(at=Max("at"))["at"]
    moments = [m for m in (hidden_at, deleted_at) if m is not None]
    return max(moments) if moments else None


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime | None

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
        response.headers["Cache-Control"] = f"public, max-age={settings.FEED_MAX_AGE}"
        return response

    def not_modified_response(self) -> HttpResponse:
        return self.apply(HttpResponseNotModified())
