"""Keyword-only factories for deterministic test data."""

from datetime import datetime, timedelta

from django.utils import timezone

from posts.models import Category, Post, TaggedPost
from posts.selection import Facet

_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


def make_post(
    *,
    title: str | None = None,
    slug: str = "",
    body: str = "<p>A short body.</p>",
    excerpt: str = "",
    categories: tuple[str, ...] | list[str] = (),
    status: str = Post.Status.PUBLISHED,
    published_at: datetime | None = None,
    days_ago: float | None = None,
    link: str = "",
    kind: str = "article",
    author_name: str = "Hub editorial team",
    **fields,
) -> Post:
    """A post; `categories` are slugs of existing categories, `days_ago` sets published_at."""
    n = _next()
    if published_at is None:
        published_at = timezone.now() - timedelta(days=n if days_ago is None else days_ago)
    post = Post.objects.create(
        title=title or f"Post number {n}",
        slug=slug,
        body=body,
        excerpt=excerpt,
        status=status,
        published_at=published_at,
        link=link,
        kind=kind,
        author_name=author_name,
        **fields,
    )
    if categories:
        post.categories.set(list(Category.objects.filter(slug__in=categories)))
    return post


def make_category(*, name: str, facet: str = Facet.OTHER, slug: str = "") -> Category:
    return Category.objects.create(name=name, facet=facet, slug=slug or "")


def make_event(
    *,
    start: datetime,
    end: datetime | None = None,
    title: str | None = None,
    event_timezone: str = "Europe/Berlin",
    **fields,
) -> Post:
    """An event post starting at `start`; the other fields as for `make_post`."""
    return make_post(
        title=title,
        kind="event",
        event_start=start,
        event_end=end,
        event_timezone=event_timezone,
        **fields,
    )


def forget_page(url: str) -> None:
    """Drop the whole page a visitor got at `url` from the cache (cxhub.httpcache.reader_page),
    keeping what it was built from (counts, totals): the next request builds it again from the
    cached parts."""
    from django.core.cache import cache

    from cxhub import content_version
    from cxhub.httpcache import PAGE_FORMAT_VERSION

    version = content_version.current()
    cache.delete(version.key("page", PAGE_FORMAT_VERSION, "http://testserver" + url))


def make_posts_in_bulk(
    count: int,
    category: Category,
    *,
    start: int = 0,
    title: str = "Bulk",
    body: str = "<p>Text.</p>",
    since: datetime | None = None,
) -> list[Post]:
    """`count` published posts in `category` by bulk_create (no signals: the combination
    triggers keep the counts), titled and slugged "<title> <n>" for n from `start`, a minute
    apart going back from `since` (now)."""
    since = since or timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            title=f"{title} {n}",
            slug=f"{title.lower()}-{n}",
            body=body,
            status=Post.Status.PUBLISHED,
            published_at=since - timedelta(minutes=n + 1),
        )
        for n in range(start, start + count)
    )
    TaggedPost.objects.bulk_create(TaggedPost(content_object=post, tag=category) for post in posts)
    return posts
