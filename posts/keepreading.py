"""What a post's page offers to read next: related posts, the previous and next post, the way
back to the list the reader came from, the reading time and share links.

Related posts and the previous/next post are the same for every reader (visible posts only,
never the post itself), so they are computed once per content version and post and kept in the
cache; the way back differs per reader and is added to the links when the page is rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from urllib.parse import quote, urlencode, urlsplit

from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from cxhub import content_version

from .models import Post, TaggedPost
from .paths import path_with_slug
from .selection import Facet

# --- Related posts ------------------------------------------------------------------------------

# What a shared category counts for: sharing a topic says most about what a post is about, a
# focus or an industry less, the format (a case study, a how-to) least.
WEIGHTS = {
    Facet.TOPIC: 3,
    Facet.FOCUS: 2,
    Facet.INDUSTRY: 2,
    Facet.FORMAT: 1,
    Facet.SERIES: 1,
    Facet.OTHER: 1,
}
RELATED = 4
# Candidates per shared category: its newest posts by id (the order posts were added), read
# backwards from the end of the (tag, post) index, so a category of 50,000 posts costs as much as
# one of 50. A post's 6 categories give at most 1,200 candidates, each scored through the
# (post, tag) unique index.
CANDIDATES_PER_CATEGORY = 200

# Entries are never stale (a new version means new keys); the timeout only frees memory.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PostLink:
    title: str
    url: str
    published_at: datetime | None
    kind: str = ""


@dataclass(frozen=True)
class KeepReading:
    related: tuple[PostLink, ...]
    previous: PostLink | None  # older
    next: PostLink | None  # newer


def keep_reading(post: Post, version: content_version.Version) -> KeepReading:
    """Related, previous and next posts of `post` (its categories prefetched), from the cache
    of the content `version`: two queries when computed, none from the cache."""
    key = version.key("keep-reading", post.pk)
    value = cache.get(key)
    if value is None:
        previous, following = neighbours(post)
        value = KeepReading(related=tuple(related_posts(post)), previous=previous, next=following)
        cache.set(key, value, CACHE_SECONDS)
    return value


def related_posts(post: Post, n: int = RELATED) -> list[PostLink]:
    """Up to `n` visible posts sharing categories with `post`, the highest sum of the shared
    categories' WEIGHTS first, then the newest. One query, read through primary keys and the
    (tag, post) and (post, tag) indexes whatever the planner knows of the tables (`_related_sql`):
    the candidates, each one's score and its visibility; only the `n` best leave the database.
    None for a post without categories."""
    categories = post.sorted_categories()
    if not categories:
        return []
    weight = {category.pk: WEIGHTS.get(category.facet, 1) for category in categories}
    sql, params = _related_sql(weight, post.pk, n)
    rows = Post.objects.raw(sql, params)
    return [_link(row.title, row.slug, row.published_at, row.kind) for row in rows]


def _related_sql(weight: dict[int, int], exclude: int, n: int) -> tuple[str, list]:
    """The related posts' query. Raw SQL because the ORM cannot put a LIMIT in each part of a
    UNION on SQLite (a LIMIT inside a derived table is fine on both databases), nor join one.

    The candidates are the newest CANDIDATES_PER_CATEGORY posts by id of each category, read
    backwards from the end of the (tag, post) index, so a category of 50,000 posts costs as much
    as one of 50. Each candidate's categories are read through the (post, tag) index in a
    subquery per candidate, and the shared ones weighed (asked for the shared ones only, or
    joined, PostgreSQL may read whole categories instead). Then each candidate is looked up by
    primary key, one at a time: joined freely, a planner may walk every visible post (SQLite
    without statistics along (status, published_at), PostgreSQL into a hash join). SQLite keeps
    the order of a CROSS JOIN; PostgreSQL is held to it by a LATERAL subquery that OFFSET 0 keeps
    from being merged into the join. Visibility is the rule of `published()`."""
    ops = connection.ops
    tagged = ops.quote_name(TaggedPost._meta.db_table)
    posts = ops.quote_name(Post._meta.db_table)
    part = (
        "SELECT content_object_id FROM (SELECT content_object_id FROM {tagged} WHERE tag_id = %s "
        "ORDER BY content_object_id DESC LIMIT %s) AS c{i}"
    )
    candidates = " UNION ".join(part.format(tagged=tagged, i=i) for i in range(len(weight)))
    cases = " ".join("WHEN %s THEN %s" for _ in weight)
    scored = (
        f"SELECT c.content_object_id AS id, (SELECT SUM(CASE t.tag_id {cases} ELSE 0 END) "
        f"FROM {tagged} AS t WHERE t.content_object_id = c.content_object_id) AS score "
        f"FROM ({candidates}) AS c WHERE c.content_object_id <> %s"
    )
    columns = "p.id, p.title, p.slug, p.published_at, p.kind"
    visible = "p.status = %s AND p.published_at IS NOT NULL AND p.published_at <= %s"
    if connection.vendor == "sqlite":
        joined = f"({scored}) AS s CROSS JOIN {posts} AS p WHERE p.id = s.id AND {visible}"
    else:
        joined = (
            f"({scored}) AS s CROSS JOIN LATERAL (SELECT {columns} FROM {posts} AS p "
            f"WHERE p.id = s.id AND {visible} OFFSET 0) AS p"
        )
    sql = (
        f"SELECT {columns} FROM {joined} "
        f"ORDER BY s.score DESC, p.published_at DESC, p.id DESC LIMIT %s"
    )
    # In the order they stand in the text: the weights, the candidates, then the rest.
    params = [value for pk, w in weight.items() for value in (pk, w)]
    params += [value for pk in weight for value in (pk, CANDIDATES_PER_CATEGORY)]
    params += [exclude, Post.Status.PUBLISHED, ops.adapt_datetimefield_value(timezone.now()), n]
    return sql, params


def neighbour(post: Post, *, older: bool) -> PostLink | None:
    """The visible post published just before (`older`) or after this one (see `neighbours`)."""
    return neighbours(post)[0 if older else 1]


def neighbours(post: Post) -> tuple[PostLink | None, PostLink | None]:
    """The visible posts published just before and just after this one, in one query, each
    side along the (status, published_at, id) index. (None, None) for a post without a date.

    Raw SQL: built through the ORM, the two little queries cost ten times their running. The
    older side has one upper bound, the post's date (or now, for a staff preview of a
    scheduled post): given two (`published()`'s now and the date), SQLite may range on now and
    walk every newer post down to this one. Visibility is the rule of `published()`."""
    if post.published_at is None:
        return None, None
    at = post.published_at
    ops = connection.ops
    posts = ops.quote_name(Post._meta.db_table)
    part = (
        "SELECT * FROM (SELECT {side} AS side, p.id, p.title, p.slug, p.published_at, p.kind "
        "FROM {posts} AS p WHERE p.status = %s AND p.published_at <= %s AND p.id <> %s "
        "AND (p.published_at {cmp} %s OR (p.published_at = %s AND p.id {cmp} %s)){extra} "
        "ORDER BY p.published_at {way}, p.id {way} LIMIT 1) AS n{side}"
    )
    older = part.format(side=0, posts=posts, cmp="<", way="DESC", extra="")
    newer = part.format(side=1, posts=posts, cmp=">", way="ASC", extra=" AND p.published_at >= %s")
    now = timezone.now()
    moment = ops.adapt_datetimefield_value(at)
    params = [Post.Status.PUBLISHED, ops.adapt_datetimefield_value(min(at, now)), post.pk]
    params += [moment, moment, post.pk]
    params += [Post.Status.PUBLISHED, ops.adapt_datetimefield_value(now), post.pk]
    params += [moment, moment, post.pk, moment]
    found: list[PostLink | None] = [None, None]
    for row in Post.objects.raw(f"{older} UNION ALL {newer}", params):
        found[row.side] = _link(row.title, row.slug, row.published_at, row.kind)
    return found[0], found[1]


def _link(title: str, slug: str, published_at: datetime | None, kind: str) -> PostLink:
    return PostLink(
        title=title,
        url=path_with_slug("posts:detail", slug),
        published_at=published_at,
        kind=kind,
    )


# --- The way back to the list -------------------------------------------------------------------

BACK_KEY = "from"
# Listing pages a post can be opened from; another listing joins by its URL name.
LISTINGS = frozenset(
    {
        "posts:home", "posts:category", "posts:events", "posts:past_events",
        "posts:archive", "posts:archive_year", "posts:archive_month",
    }
)  # fmt: skip
MAX_BACK_LENGTH = 1000
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def back_address(value: str | None) -> str | None:
    """The listing address in a post link's `from` parameter, rebuilt from its parts, or None
    unless it is the path (and query) of one of our LISTINGS: never another site, never a
    scheme (javascript:), never a path that does not resolve to a listing."""
    if not value or len(value) > MAX_BACK_LENGTH or _UNSAFE.search(value):
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in LISTINGS:
        return None
    query = QueryDict(parts.query).urlencode()
    return parts.path + (f"?{query}" if query else "")


def back_suffix(back: str | None) -> str:
    """What post links on a page add to carry the way back: "?from=…", or "" when the reader
    came from the plain home page (then the ordinary link is the way back too)."""
    if not back or back == "/":
        return ""
    return "?" + urlencode({BACK_KEY: back})


def listing_address(path: str, page_number: int) -> str:
    """The address of a listing page as cards carry it in `from`: the canonical listing
    address (`path`) and the page number after the first."""
    if page_number > 1:
        path += ("&" if "?" in path else "?") + f"page={page_number}"
    return path


# --- Reading time and sharing ------------------------------------------------------------------

WORDS_PER_MINUTE = 230
_TAGS = re.compile(r"<[^>]*>")


def reading_minutes(html: str) -> int:
    """Minutes to read a body: its words / WORDS_PER_MINUTE, rounded, at least 1. Counted from
    the stored (sanitised) HTML when the page is rendered: a split of a few thousand words."""
    words = len(unescape(_TAGS.sub(" ", html)).split())
    return max(1, round(words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class ShareLinks:
    url: str
    linkedin: str
    email: str


def share_links(url: str, title: str) -> ShareLinks:
    """Share addresses that need no script of theirs: LinkedIn's share page and an email."""
    email = "mailto:?" + "&".join(
        f"{key}={quote(value, safe='')}" for key, value in (("subject", title), ("body", url))
    )
    return ShareLinks(
        url=url,
        linkedin="https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        email=email,
    )
