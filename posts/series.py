"""A post's place in its series, for the "Part n of N" navigation on its page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Func, IntegerField, Q, Subquery

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

    One query that returns one row, for a post whose categories were prefetched; none for a
    post in no series. The database counts the parts before the post and in all (through the
    tag index, no part leaves it) and reads the part just before and just after along the
    reading order: a long series costs no more rows in Python than a short one.
    """
    series = series_of(post)
    if series is None:
        return None
    parts = visible.in_category(series).order_by()
    before, after = _around(post, connections[parts.db].features.nulls_order_largest)

    def count(condition: Q | None) -> Subquery:
        rows = parts.filter(condition) if condition is not None else parts
        # COUNT as a plain function, not an aggregate: no GROUP BY, one row.
        counted = rows.annotate(n=Func("pk", function="COUNT", output_field=IntegerField()))
        return Subquery(counted.values("n")[:1])

    def nearest(condition: Q | None, order: list, field: str) -> Subquery | None:
        if condition is None:
            return None
        return Subquery(parts.filter(condition).order_by(*order).values(field)[:1])

    # Reading order (`in_reading_order`) and its reverse.
    forward = [F("series_part").asc(nulls_last=True), "published_at", "pk"]
    backward = [F("series_part").desc(nulls_first=True), "-published_at", "-pk"]
    fields = {
        "total": count(None),
        "here": count(Q(pk=post.pk)),
        "before": count(before) if before is not None else None,
        "prev_title": nearest(before, backward, "title"),
        "prev_slug": nearest(before, backward, "slug"),
        "next_title": nearest(after, forward, "title"),
        "next_slug": nearest(after, forward, "slug"),
    }
    wanted = {name: value for name, value in fields.items() if value is not None}
    # A row to hang the subqueries on: the post's own, read by primary key.
    row = (
        Post.objects.using(parts.db)
        .filter(pk=post.pk)
        .order_by()
        .annotate(**{f"s_{name}": value for name, value in wanted.items()})
        .values(*(f"s_{name}" for name in wanted))
        .first()
    )
    if row is None or not row["s_here"]:
        return None
    found = {name: row.get(f"s_{name}") for name in fields}

    def link(title: str | None, slug: str | None) -> PartLink | None:
        if slug is None:
            return None
        return PartLink(title=title, url=Post(slug=slug).get_absolute_url())

    return SeriesPosition(
        series=series,
        number=(found["before"] or 0) + 1,
        total=found["total"],
        previous=link(found["prev_title"], found["prev_slug"]),
        next=link(found["next_title"], found["next_slug"]),
    )


def _around(post: Post, nulls_largest: bool) -> tuple[Q | None, Q | None]:
    """The parts before and after `post` in reading order (`in_reading_order`): the part
    number with posts without one last, then the date, where the database puts a post without
    a date (a staff preview) first or last as it sorts NULL, then the id. None: no part."""
    return (
        _beyond(post, nulls_largest, earlier=True),
        _beyond(post, nulls_largest, earlier=False),
    )


def _beyond(post: Post, nulls_largest: bool, *, earlier: bool) -> Q | None:
    keys = [
        ("series_part", post.series_part, True),
        ("published_at", post.published_at, nulls_largest),
        ("pk", post.pk, None),
    ]
    alternatives: list[Q] = []
    same = Q()
    for field, value, nulls_last in keys:
        strictly = _strictly(field, value, nulls_last=nulls_last, earlier=earlier)
        if strictly is not None:
            alternatives.append(same & strictly)
        same &= Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})
    if not alternatives:
        return None
    condition = alternatives[0]
    for alternative in alternatives[1:]:
        condition |= alternative
    return condition


def _strictly(field: str, value, *, nulls_last: bool | None, earlier: bool) -> Q | None:
    """Rows whose `field` sorts strictly before (`earlier`) or after `value`, ascending, with
    NULL last (`nulls_last`) or first (None: never NULL). None when no row can."""
    null = Q(**{f"{field}__isnull": True})
    not_null = Q(**{f"{field}__isnull": False})
    if value is None:
        # NULL last: every value sorts before it and nothing after; NULL first: the reverse.
        return (not_null if earlier else None) if nulls_last else (None if earlier else not_null)
    compared = Q(**{f"{field}__lt" if earlier else f"{field}__gt": value})
    if nulls_last is None:
        return compared
    if earlier:
        return compared if nulls_last else compared | null
    return compared | null if nulls_last else compared
