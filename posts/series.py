"""A post's place in its series, for the "Part n of N" navigation on its page."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Category, Post, PostQuerySet, series_of


@dataclass(frozen=True)
class PartLink:
    title: str
    url: str


@dataclass(frozen=True)
class SeriesPosition:
    series: Category
    number: int
    total: int
    previous: PartLink | None
    next: PartLink | None


def position_in_series(post: Post, visible: PostQuerySet) -> SeriesPosition | None:
    """Where `post` stands among the parts of its series that `visible` holds: counted in
    reading order, so a part readers cannot see (a draft, a scheduled one) leaves no gap.

    One query, of the series' own rows only (through the tag index), for a post whose
    categories were prefetched; none for a post in no series.
    """
    series = series_of(post)
    if series is None:
        return None
    parts = list(visible.in_category(series).in_reading_order().values_list("pk", "title", "slug"))
    ids = [pk for pk, _, _ in parts]
    if post.pk not in ids:
        return None
    index = ids.index(post.pk)

    def link(i: int) -> PartLink | None:
        if not 0 <= i < len(parts):
            return None
        _, title, slug = parts[i]
        return PartLink(title=title, url=Post(slug=slug).get_absolute_url())

    return SeriesPosition(
        series=series,
        number=index + 1,
        total=len(parts),
        previous=link(index - 1),
        next=link(index + 1),
    )
