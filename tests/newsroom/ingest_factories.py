"""Keyword-only factories for ingestion tests: sources and rules in the database, and entries
as the clean stage hands them to the store stage, made without any HTTP."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsroom.clean import CleanEntry, clean_entry
from newsroom.models import CategoryRule, FeedSource, FilterRule
from newsroom.parse import ParsedEntry, parse
from newsroom.rules import RuleSet
from newsroom.store import StoreResult, store_entries
from posts.models import Category

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
FETCHED_AT = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
MERGE_DAYS = 3  # the setting's default


def make_source(
    *,
    feed_url: str,
    name: str | None = None,
    publish_directly: bool = False,
    interval: timedelta = timedelta(hours=1),
    default_categories: tuple[str, ...] = (),
    **fields,
) -> FeedSource:
    source = FeedSource.objects.create(
        name=name or feed_url.rsplit("/", 1)[-1] or feed_url,
        feed_url=feed_url,
        publish_directly=publish_directly,
        interval=interval,
        **fields,
    )
    if default_categories:
        source.default_categories.set(Category.objects.filter(slug__in=default_categories))
    return source


def make_filter_rule(*, pattern: str, action: str = "block", field: str = "any", source=None):
    return FilterRule.objects.create(pattern=pattern, action=action, field=field, source=source)


def make_category_rule(*, phrase: str, category: str, source=None) -> CategoryRule:
    return CategoryRule.objects.create(
        phrase=phrase, category=Category.objects.get(slug=category), source=source
    )


def make_entry(
    *,
    guid: str = "",
    link: str = "",
    title: str = "",
    summary: str = "",
    content: str = "",
    author: str = "",
    categories: tuple[str, ...] = (),
    published: datetime | None = None,
    updated: datetime | None = None,
    enclosures: tuple[tuple[str, str, int | None], ...] = (),
    base: str = "",
    now: datetime = FETCHED_AT,
    teaser_chars: int = 300,
) -> CleanEntry:
    """One entry as the parse stage gives it, through the real clean stage."""
    parsed = ParsedEntry(
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        content=content,
        author=author,
        categories=categories,
        published=published,
        updated=updated,
        enclosures=enclosures,
        base=base,
    )
    return clean_entry(parsed, now=now, teaser_chars=teaser_chars)


def feed_entries(
    name: str,
    *,
    url: str = "",
    headers: dict[str, str] | None = None,
    now: datetime = FETCHED_AT,
    teaser_chars: int = 300,
) -> list[CleanEntry]:
    """The clean entries of a fixture feed in tests/data/feeds, read from disk as if it had
    been fetched from `url` (relative links resolve against it)."""
    parsed = parse(
        (FEEDS / name).read_bytes(),
        headers=headers or {},
        url=url or f"http://feeds.example/{name}",
    )
    return [clean_entry(e, now=now, teaser_chars=teaser_chars) for e in parsed.entries]


def store(
    source: FeedSource, entries: list[CleanEntry], *, now: datetime, merge_days: int = MERGE_DAYS
) -> StoreResult:
    """The store stage with the source's rules, as one fetch of the pipeline runs it."""
    rules = RuleSet.for_source(source)
    return store_entries(source, entries, now=now, rules=rules, merge_days=merge_days)
