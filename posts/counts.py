"""A listing's counts (its total, each category's and each kind's) from the category
combinations (`posts.combinations`), not from the posts.

`posts_maskcount` holds the published posts added up by the set of their categories, as a mask
of category bits (`Category.bit`), with a counter per kind: a few thousand rows of integers,
whatever the size of the archive. A selection (OR within a facet, AND across facets, NOT for
exclusions, kinds as alternatives or left out) becomes bit tests on the mask, and the database
adds up every count of the page in one pass over those rows, in one query: the total, the
kinds' counts and, per category, the posts it would have if it were picked too. Three
categories share an aggregate (each count in 21 bits of a 64-bit sum), so a query has about a
third as many sums as there are categories. Python unpacks one row. The packed values that do
not depend on the selection (each group of three categories' fields, the kinds' counters) are
stored columns of posts_maskcount (migration 0018), so a page without a kind filter only adds
them up; with one, the fields are computed per row from the kinds' counters.

The rows include the posts scheduled for later; those few are read through the
(status, published_at) index in the same query and taken off again, so a scheduled post joins
the counts the moment its time comes.

The counts come from the combination rows themselves, evaluated in Python (a few times
slower: thousands of rows read), when the masks cannot say it: a category without a bit (past
the 62nd), a kind without a counter, or post ids past PACKED_LIMIT, where a packed count could
overflow its 21 bits.

Searches are not counted from the combinations: which posts match is up to the full-text
index. `posts.filters.SearchTally` evaluates a selection the same way, in Python, over rows
(key, kind, posts) of at most COUNT_LIMIT matches read from the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as datafield
from functools import cached_property, lru_cache

from django.db import connection
from django.utils import timezone

from . import combinations
from .models import Category, Kind, Post, key_ids
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
    # Every post readers see, whatever the selection (from the masks only).
    published: int | None = datafield(default=None, compare=False)


@lru_cache(maxsize=100_000)
def parse_key(key: str) -> tuple[int, tuple[int, ...]]:
    """The categories of a key ",3,7,15," (posts.combinations) as a bit mask (bit n for
    category id n: tests of a selection are one AND each) and as their ids; "," is none.
    Remembered, since a key always means the same categories."""
    ids = key_ids(key)
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
            raise ValueError("A search is counted over its matches (SearchTally), not here.")
        name = selection.querystring()
        if name not in self._memo:
            counts = self._count_by_masks(selection)
            if counts is None:
                counts = self._count(selection)
            self._memo[name] = counts
        return self._memo[name]

    def total(self, selection: PostFilter) -> int:
        """The total of a selection without a search, counted alone: the masks' sums without
        a sum per category (a third of the cost on SQLite)."""
        counted = self._memo.get(selection.querystring())
        if counted is None:
            counted = self._count_by_masks(selection, counting=[]) or self.count(selection)
        return counted.total

    def by_kind(self, selection: PostFilter) -> dict[str, int]:
        """Each kind's posts in the selection with its kinds ignored: the same for every choice
        of kinds, so a selection counted already with other kinds answers without a query."""
        others = selection.with_kinds(())
        counted = self._kinds_ignored.get(others.querystring())
        if counted is None and self._given is None and not (others.included or others.excluded):
            # No category involved: no need to read them for the bits.
            counted = self._count_by_masks(others, counting=[])
        if counted is None:
            counted = self.count(others)
        return counted.by_kind

    @cached_property
    def _kinds_ignored(self) -> dict[str, Counts]:
        # The counts from the masks by their selection's querystring without kinds.
        return {}

    @cached_property
    def published(self) -> int:
        """How many posts readers see, all selections together: a sum, no selection tested.
        It comes with every count from the masks; without one, the combination rows."""
        if self._published is None:
            # Counting no category: the masks' one query, without reading the categories.
            self.by_kind(PostFilter())
        if self._published is None:
            return sum(n for _, _, n in self.rows)
        return self._published

    _published: int | None = None
    # Which way the last count went: "masks" or "rows" (for tests and profiles).
    path: str = ""

    def count_events(self, selection: PostFilter) -> Counts | None:
        """The counts of a selection over the events with a date (`PostQuerySet.events`, the
        events pages), without a search; None when the masks cannot say (the caller counts
        through the posts). The events without a date, few, are taken off like the scheduled
        posts; their kind's count is not told (the events pages have no kind filter)."""
        if selection.query:
            raise ValueError("A search is counted over its matches (SearchTally), not here.")
        name = "events:" + selection.querystring()
        if name not in self._memo:
            counts = self._count_by_masks(selection, events=True)
            if counts is None:
                return None
            self._memo[name] = counts
        return self._memo[name]

    def _count_by_masks(
        self,
        selection: PostFilter,
        *,
        events: bool = False,
        counting: list[Category] | None = None,
    ) -> Counts | None:
        """The counts in one query over posts_maskcount, each category's of `counting` (all
        by default); None when the masks cannot say: a category without a bit among those
        counted or selected (past combinations.MAX_BITS), or a kind without a counter."""
        known = set(combinations.KINDS)
        if not known.issuperset(selection.kinds + selection.excluded_kinds):
            return None
        counting = self._categories if counting is None else counting
        slugs = {slug for slugs in selection.included.values() for slug in slugs}
        slugs |= set(selection.excluded)
        involved = counting + ([c for c in self._categories if c.slug in slugs] if slugs else [])
        if any(category.bit is None for category in involved):
            return None
        query = MaskQuery(selection, involved, counting, events=events)
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(query.sql, query.params(now))
            rows = cursor.fetchall()
        counts = query.unpack(rows)
        if counts is None:
            return None
        if events:
            return counts
        self._published = counts.published
        self._kinds_ignored[selection.with_kinds(()).querystring()] = counts
        self.path = "masks"
        return counts

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
        self.path = "rows"
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


FIELD = combinations.FIELD
FIELD_MAX = combinations.FIELD_MAX
PACKED_LIMIT = combinations.PACKED_LIMIT
KIND_SUMS = combinations.KIND_SUMS


def bit_masks(selection: PostFilter, known: list[Category]) -> tuple[dict[str, int], int]:
    """The selection as category bits (each of `known` must have one): a mask per facet it
    picks from, and the mask of the categories it leaves out. A slug unknown here (a category
    deleted since the selection was parsed) selects nothing, as in the posts query: its facet's
    mask is 0, which no post meets."""
    by_slug = {category.slug: category for category in known}

    def mask(slugs) -> int:
        return sum(1 << by_slug[slug].bit for slug in set(slugs) if slug in by_slug)

    wanted = {facet: mask(slugs) for facet, slugs in selection.included.items()}
    return wanted, mask(selection.excluded)


class MaskQuery:
    """The SQL that counts a selection over posts_maskcount, and the unpacking of its row."""

    def __init__(
        self,
        selection: PostFilter,
        known: list[Category],
        categories: list[Category],
        *,
        events: bool = False,
    ) -> None:
        """`known`: the categories the selection may name; `categories`: those to count."""
        self.events = events
        wanted, excluded = bit_masks(selection, known)

        def condition(without: str | None = None) -> str:
            tests = [f"(mask & {excluded}) = 0"] if excluded else []
            tests += [f"(mask & {want}) <> 0" for f, want in wanted.items() if f != without]
            return " AND ".join(tests)

        everything = condition()
        # The categories by the condition their counts take: their own facet's choices ignored.
        by_condition: dict[str, list[Category]] = {}
        for category in categories:
            relaxed = condition(category.facet if category.facet in wanted else None)
            by_condition.setdefault(relaxed, []).append(category)

        def columns(s: str) -> list[tuple[str, str, str]]:
            # (condition, value summed under it over posts_maskcount, the same over the posts
            # taken off) of each column. s: the posts of the selection's kinds in a row. The
            # kinds' counters, packed three to a sum, and the categories' fields when every
            # kind counts (s is n) are stored in posts_maskcount (combinations.spread_sql),
            # and computed for the few posts taken off; unasked fields in a stored group are
            # left unread.
            found = [("", "n", "n"), (everything, s, s)]
            found += [
                (everything, combinations.kinds_column(i), combinations.packed_kinds_sql(i))
                for i in range(KIND_SUMS)
            ]
            for relaxed, groups in self._groups:
                for group, fields in groups:
                    if s == "n":
                        stored = combinations.spread_column(group)
                        computed = combinations.spread_sql(group)
                    else:
                        chosen = sum(1 << (3 * group + field) for _, field in fields)
                        stored = computed = combinations.spread_sql(group, n=s, chosen=chosen)
                    found.append((relaxed, stored, computed))
            return found

        # (condition, [(group of three bits, [(category, its field)])]) per sum of categories
        self._groups = []
        for relaxed, members in by_condition.items():
            groups: dict[int, list[tuple[int, int]]] = {}
            for category in members:
                bit = category.bit
                groups.setdefault(bit // 3, []).append((category.pk, bit % 3))
            self._groups.append((relaxed, sorted(groups.items())))
        self._packed = [fields for _, groups in self._groups for _, fields in groups]

        # The largest post id, and no sum taken past PACKED_LIMIT (a product could overflow).
        # (max() bare: wrapped in coalesce, SQLite would read the whole index for it)
        largest = "coalesce((SELECT max(id) FROM posts_post), 0)"
        selected = _selected(selection, combinations.KIND_COLUMNS)
        if events:
            # The events among the selection's kinds, if it lets them in at all.
            event = combinations.kind_column(Kind.EVENT)
            selected = event if _admits(selection, Kind.EVENT) else "0"
        found = columns(selected)
        # Rows added up in Python: posts_maskcount, and the posts scheduled for later counting
        # -1 each (their kind's counter -1 too); for the events pages, the events without a
        # date too. One sum of the rows per condition, the rows picked by WHERE: testing the
        # condition in each column's CASE cost as much again per column.
        taken_off = _scheduled()
        if events:
            taken_off += f" UNION ALL {_undated_events()}"
        sums = []
        for condition in dict.fromkeys(condition for condition, *_ in found):
            where = " AND ".join(filter(None, [f"{largest} < {PACKED_LIMIT}", condition]))
            for rows, i in (("posts_maskcount", 1), ("scheduled", 2)):
                values = [
                    f"sum({column[i]})" if column[0] == condition else "0" for column in found
                ]
                sums.append(f"SELECT {', '.join([*values, largest])} FROM {rows} WHERE {where}")
        self.sql = f"WITH scheduled AS MATERIALIZED ({taken_off}) " + " UNION ALL ".join(sums)

    def params(self, now) -> list:
        params = [Post.Status.PUBLISHED, now]
        if self.events:
            params += [Kind.EVENT.value, Post.Status.PUBLISHED, now]
        return params

    def unpack(self, rows) -> Counts | None:
        """The counts from the query's rows; None when post ids are past PACKED_LIMIT."""
        if rows[0][-1] >= PACKED_LIMIT:
            return None
        values = [sum(int(row[i] or 0) for row in rows) for i in range(len(rows[0]) - 1)]
        by_kind = {}
        for i, kind in enumerate(combinations.KINDS):
            n = values[2 + i // 3] >> (FIELD * (i % 3)) & FIELD_MAX
            if n:
                by_kind[kind] = n
        by_category = {}
        for value, fields in zip(values[2 + KIND_SUMS :], self._packed, strict=True):
            for pk, field in fields:
                n = value >> (FIELD * field) & FIELD_MAX
                if n:
                    by_category[pk] = n
        return Counts(
            total=values[1], by_category=by_category, by_kind=by_kind, published=values[0]
        )


def _selected(selection: PostFilter, counters: list[str]) -> str:
    """The posts of the selection's kinds in a row (an SQL expression)."""
    column = dict(zip(combinations.KINDS, counters, strict=True))
    if selection.kinds:
        kept = [column[kind] for kind in selection.kinds if kind not in selection.excluded_kinds]
        return "(" + (" + ".join(kept) or "0") + ")"
    if selection.excluded_kinds:
        return "(n - " + " - ".join(column[kind] for kind in selection.excluded_kinds) + ")"
    return "n"


def _admits(selection: PostFilter, kind: str) -> bool:
    if kind in selection.excluded_kinds:
        return False
    return not selection.kinds or kind in selection.kinds


def _scheduled() -> str:
    """The posts scheduled for later as rows of posts_maskcount counting -1, found through the
    (status, published_at) index, with the masks stored next to their keys (looked up one by
    one: joined, PostgreSQL would rather read all of posts_categoryset into a hash). Taken
    as they are (MATERIALIZED), else each use of the mask in the sums looks it up again."""
    kinds = ", ".join(
        f"CASE WHEN p.kind = '{kind}' THEN -1 ELSE 0 END AS {combinations.kind_column(kind)}"
        for kind in combinations.KINDS
    )
    return (
        "SELECT coalesce((SELECT c.mask FROM posts_categoryset AS c WHERE c.post_id = p.id), 0)"
        f" AS mask, -1 AS n, {kinds} FROM posts_post AS p"
        " WHERE p.status = %s AND p.published_at > %s"
    )


def _undated_events() -> str:
    """The published events without a date (none on the events pages), as rows counting -1,
    through the (kind, event_until) index; the scheduled ones are taken off already."""
    kinds = ", ".join(
        f"{-1 if kind == Kind.EVENT else 0} AS {combinations.kind_column(kind)}"
        for kind in combinations.KINDS
    )
    return (
        "SELECT coalesce((SELECT c.mask FROM posts_categoryset AS c WHERE c.post_id = p.id), 0)"
        f" AS mask, -1 AS n, {kinds} FROM posts_post AS p"
        " WHERE p.kind = %s AND p.event_until IS NULL AND p.status = %s"
        " AND p.published_at <= %s"
    )
