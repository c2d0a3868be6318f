"""Keyword-only factories for ingestion tests."""

from datetime import timedelta

from newsroom.models import CategoryRule, FeedSource, FilterRule
from posts.models import Category


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
