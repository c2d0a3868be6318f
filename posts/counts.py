"""A listing's counts (its total, each category's and each kind's) from the category
combinations (`posts.combinations`), not from the posts.

The combination rows say how many published posts have each set of categories and kind: a few
hundred to a few thousand rows, whatever the size of the archive. They include the posts
scheduled for later; those few are read through the (status, published_at) index in the same
query and taken off again, so a scheduled post joins the counts the moment its time comes.
Evaluating a selection (OR within a facet, AND across facets, NOT for exclusions, kinds as
alternatives, kinds left out) over the rows is a short loop in Python: one query per request for
every count of the page.

Searches are not counted here: which posts match is up to the full-text index
(`posts.filters` counts them through the posts, bounded by RANK_LIMIT and cached).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.db import connection
from django.utils import timezone

from .models import Category, Post
from .selection import PostFilter


@dataclass(frozen=True)
class Counts:
    # Posts of the selection.
    total: int
    # Per category, the posts if it were picked too: an option's count ignores the selection in
    # its own facet (alternatives) and applies everything else.
    by_category: dict[int, int]
    # Per kind, the posts of the selection with its kinds ignored.
    by_kind: dict[str, int]


@lru_cache(maxsize=100_000)
def parse_key(key: str) -> tuple[int, tuple[int, ...]]:
    """The categories of a key ",3,7,15," (posts.combinations) as a bit mask (bit n for
    category id n: tests of a selection are one AND each) and as their ids; "," is none.
    Remembered, since a key always means the same categories."""
    ids = tuple(int(part) for part in key.split(",") if part)
    mask = 0
    for pk in ids:
        mask |= 1 << pk
    return mask, ids


def mask_of(pks) -> int:
    mask = 0
    for pk in pks:
        mask |= 1 << pk
    return mask


# The combination rows, and each scheduled post as a row of its own counting -1: read in one
# query, the scheduled posts through the (status, published_at) index.
ROWS = """
    SELECT key, kind, n FROM posts_combination
    UNION ALL
    SELECT coalesce(s.key, ','), p.kind, -1
    FROM posts_post AS p LEFT JOIN posts_categoryset AS s ON s.post_id = p.id
    WHERE p.status = %s AND p.published_at > %s
"""


class Tally:
    """The combination rows of one request, read once (when first needed) and then evaluated
    for as many selections as the page asks about."""

    def __init__(self, categories: Iterable[Category] | None = None) -> None:
        self._given = None if categories is None else list(categories)
        self._memo: dict[str, Counts] = {}

    @cached_property
    def _categories(self) -> list[Category]:
        return self._given if self._given is not None else list(Category.objects.all())

    @cached_property
    def rows(self) -> list[tuple[str, str, int]]:
        """(key, kind, posts) of the posts readers see (see ROWS)."""
        with connection.cursor() as cursor:
            # A raw cursor: thousands of rows of three plain values, no model to build.
            cursor.execute(ROWS, [Post.Status.PUBLISHED, timezone.now()])
            return cursor.fetchall()

    def count(self, selection: PostFilter) -> Counts:
        """The counts of a selection without a search."""
        if selection.query:
            raise ValueError("A search is counted through the posts, not the combinations.")
        name = selection.querystring()
        if name not in self._memo:
            self._memo[name] = self._count(selection)
        return self._memo[name]

    @cached_property
    def published(self) -> int:
        """How many posts readers see, all selections together: a sum, no selection tested."""
        return sum(n for _, _, n in self.rows)

    @cached_property
    def by_key(self) -> dict[str, dict[str, int]]:
        """The rows by category set: {key: {kind: posts}}. A few times fewer entries than rows
        (most sets come in several kinds), so the selection is tested once per set."""
        grouped: dict[str, dict[str, int]] = {}
        for key, kind, n in self.rows:
            kinds = grouped.get(key)
            if kinds is None:
                grouped[key] = {kind: n}
            else:
                kinds[kind] = kinds.get(kind, 0) + n
        return grouped

    def _count(self, selection: PostFilter) -> Counts:
        categories = self._categories if selection.included or selection.excluded else []
        ids = {category.slug: category.pk for category in categories}
        facet_of = {category.pk: category.facet for category in categories}
        # A slug unknown here (a category deleted since the selection was parsed) selects
        # nothing, as in the posts query.
        wanted = [
            (facet, mask_of(ids[slug] for slug in slugs if slug in ids))
            for facet, slugs in selection.included.items()
        ]
        excluded = mask_of(ids[slug] for slug in selection.excluded if slug in ids)
        picked = frozenset(selection.kinds)
        dropped = frozenset(selection.excluded_kinds)
        total = 0
        by_category: dict[int, int] = {}
        by_kind: dict[str, int] = {}
        # The hot loop of a listing without a cache: a few thousand sets, kept to plain
        # integer and dict operations.
        for key, kinds in self.by_key.items():
            mask, members = parse_key(key)
            if mask & excluded:
                continue
            missing = [facet for facet, want in wanted if not mask & want]
            if len(missing) > 1:
                continue
            if picked or dropped:
                n = sum(
                    count
                    for kind, count in kinds.items()
                    if (not picked or kind in picked) and kind not in dropped
                )
            else:
                n = sum(kinds.values())
            if not missing:
                total += n
                for kind, count in kinds.items():
                    by_kind[kind] = by_kind.get(kind, 0) + count
                for pk in members:
                    by_category[pk] = by_category.get(pk, 0) + n
            else:
                # Picking one more category of the facet these posts miss brings them in.
                (facet,) = missing
                for pk in members:
                    if facet_of.get(pk) == facet:
                        by_category[pk] = by_category.get(pk, 0) + n
        return Counts(
            total=total,
            by_category={pk: n for pk, n in by_category.items() if n},
            by_kind={kind: n for kind, n in by_kind.items() if n},
        )
