"""A listing and its navigation: the selection (`posts.selection`) applied to the database.

`Listing` looks up the categories, parses the query string with them and gives the posts; pages
and feeds both start from it, so they cannot disagree. The category navigation with its counts
and the chips of the active filters are built here too, from the same selection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F
from django.http import Http404, QueryDict

from cxhub import content_version

from . import search
from .counts import Tally, bit_masks
from .models import Category, Kind, Post, PostQuerySet, TaggedPost
from .paths import named_path
from .selection import KIND_NOUNS, Facet, PostFilter, Sort, group_by_facet, phrase


@dataclass(frozen=True)
class Listing:
    """What a listing page and its feeds share: parsed one way, queried one way."""

    categories: list[Category]
    by_slug: dict[str, Category]
    base: Category | None
    selection: PostFilter
    # The events pages: the same selection, over events only (counts and addresses too).
    events: bool = False

    @classmethod
    def from_request(
        cls, params: QueryDict, slug: str | None = None, *, events: bool = False
    ) -> Listing:
        """The selection of a listing (or category) page; an unknown category slug is a 404."""
        categories = Category.objects.every()
        by_slug = {category.slug: category for category in categories}
        base = None
        if slug is not None:
            base = by_slug.get(slug)
            if base is None:
                raise Http404(f"There is no category “{slug}”.")
        selection = PostFilter.from_querydict(params, by_slug, base=base)
        if events:
            selection = selection.within_kind(Kind.EVENT)
        return cls(
            categories=categories, by_slug=by_slug, base=base, selection=selection, events=events
        )

    def posts(self, *, walk: bool = False, search_via: str = "") -> PostQuerySet:
        """The selection's posts in listing order, each with its categories' key; `walk` and
        `search_via`: see `Listing.walk` and `Listing.search_via`."""
        posts = Post.objects.published().matching(self.selection, walk=walk, search_via=search_via)
        posts = posts.with_category_keys()
        # A series is read from part 1, on its page and in its feeds alike.
        if self.base is not None and self.base.facet == Facet.SERIES:
            return posts.in_reading_order()
        return posts.newest_first()

    @cached_property
    def walk(self) -> bool:
        """Whether the posts are read newest first from the index, each tested for its
        categories (`PostQuerySet.matching`): when the selection has at least one post in
        WALK_SHARE, a page is found after a short walk. Both totals come from the cache or the
        combinations, never from the posts."""
        if self.selection.query:
            return self.capped
        if not self.selection.included:
            return False
        return self._common(self.total())

    def newest(self) -> PostQuerySet:
        """The selection's posts in listing order for a feed, which reads its newest few: on
        SQLite read as a page's are (`walk`), decided from the selection's total counted alone
        (a feed shows no counts; with the cache, the page's total). PostgreSQL reads the
        categories' posts by their ids and keeps the newest with a top-N sort (a feed of a
        category of one post in six: 30 ms at 100,000 posts), where counting first cost more
        than walking saved; SQLite sorted every one of them whole (120-170 ms)."""
        if not self.selection.included or self.selection.query or connection.vendor != "sqlite":
            return self.posts()
        total = cached(
            self.version, "total", self.selection, lambda: self.tally.total(self.selection)
        )
        return self.posts(walk=self._common(total))

    def _common(self, total: int) -> bool:
        # After the total: counted from the masks, it brings the published posts along.
        published = cached(self.version, "published", PostFilter(), lambda: self.tally.published)
        return total * WALK_SHARE >= published

    def url(self, selection: PostFilter) -> str:
        """The address of `selection` on this kind of listing (all posts, or the events)."""
        if not self.events:
            return selection.get_absolute_url()
        return events_url(selection)

    @property
    def search_via(self) -> str:
        """How a page of a search's posts newest first is read: when the selection has more
        matches than a search counts (at least one post in a hundred at 100,000: a page is
        found after a short walk), by walking the posts newest first, each tested against the
        index ("posts") when the matches are most posts (a walk of a few steps a post shown,
        where listing them all would cost more: 100,000 ids, 40 ms on SQLite), else looked up
        in their list ("list"); with fewer matches, from the list of them."""
        if not self.capped:
            return ""
        share = self.search_counts(EVERY_POST).share
        return "posts" if share >= TESTED_SHARE else "list"

    def search_counts(self, scope: Scope) -> SearchCounts:
        """The search's matches counted once per request and content version (see
        `SearchCounts`); only for a selection with a search."""
        if scope.name not in self._search_counts:
            self._search_counts[scope.name] = search_counts(self.selection, scope, self.version)
        return self._search_counts[scope.name]

    @cached_property
    def _search_counts(self) -> dict[str, SearchCounts]:
        return {}

    def counting(self, scope: Scope) -> Tally:
        """What the panel's counts are evaluated over: the category combinations, or a search's
        matches."""
        if not self.selection.query:
            return self.tally
        # One per scope: the panel's categories and its kinds count the same selection, which
        # the tally evaluates once (~3.5 ms over 1,000 matches) and remembers.
        if scope.name not in self._search_tallies:
            self._search_tallies[scope.name] = self.search_counts(scope).tally(self.categories)
        return self._search_tallies[scope.name]

    @cached_property
    def _search_tallies(self) -> dict[str, Tally]:
        return {}

    @property
    def capped(self) -> bool:
        """Whether a search has more matches than it counts: the page says "more than", lists
        the newest COUNT_LIMIT and labels its counts (`SearchCounts`)."""
        return bool(self.selection.query) and self.total() > search.COUNT_LIMIT

    @property
    def counts_sampled(self) -> bool:
        """Whether the counts beside the categories are of COUNT_LIMIT of the search's matches,
        not of all (the page says so)."""
        return bool(self.selection.query) and not self.search_counts(EVERY_POST).complete

    def listed(self) -> int:
        """How many posts the pages list: all of the selection's, but at most COUNT_LIMIT of
        a search's (search engines stop there too)."""
        if self.selection.query:
            return min(self.total(), search.COUNT_LIMIT)
        return self.total()

    def results(self) -> PostQuerySet:
        """What the page lists: a search best match first (see `ranked`), else newest first."""
        if not self.ranked:
            return self.posts(walk=self.walk, search_via=self.search_via)
        return Post.objects.published().matching(self.selection, ranked=True).with_category_keys()

    @property
    def ranked(self) -> bool:
        """Whether the page lists best match first: a search not asked for newest first, with
        at most RANK_LIMIT matches. Ranking reads every match (ts_rank_cd, bm25), so its cost
        grows with their number; past the limit the posts come newest first, which an index
        answers page by page, and the page says so (`posts.views.sort_links`)."""
        return self.selection.ranked and self.can_rank

    @property
    def can_rank(self) -> bool:
        # A total past COUNT_LIMIT is only "more than": never ranked.
        limit = min(search.RANK_LIMIT, search.COUNT_LIMIT)
        return bool(self.selection.query) and self.total() <= limit

    @cached_property
    def version(self) -> content_version.Version:
        return content_version.current()

    def total(self) -> int:
        """How many posts the selection has: counted once per content version. A search is
        counted up to COUNT_LIMIT: COUNT_LIMIT + 1 stands for "more than COUNT_LIMIT"."""
        return self._total

    @cached_property
    def _total(self) -> int:
        # Read once per request too (the order and the paginator both ask), cache on or off.
        if self.selection.query:
            return cached(
                self.version,
                "total",
                self.selection,
                lambda: _search_total(
                    self.selection, self.search_counts(EVERY_POST), self.categories
                ),
            )
        return cached(
            self.version, "total", self.selection, lambda: _total(self.selection, self.tally)
        )

    @cached_property
    def tally(self) -> Tally:
        # The combination rows, read at most once per request for the total and every count.
        return Tally(self.categories)

    def facet_groups(self, scope: Scope | None = None) -> list[FacetGroup]:
        scope = scope or (EVENTS if self.events else EVERY_POST)
        return facet_groups(
            self.selection, self.categories, self.version, scope=scope, tally=self.counting(scope)
        )

    def kind_options(self, scope: Scope | None = None) -> list[KindOption]:
        """The "Kind" group of the panel; none on the events pages, which list one kind."""
        if self.events:
            return []
        scope = scope or EVERY_POST
        return kind_options(self.selection, self.version, scope=scope, tally=self.counting(scope))


def _total(selection: PostFilter, tally: Tally) -> int:
    return tally.count(selection).total


def _search_total(
    selection: PostFilter, matches: SearchCounts, categories: list[Category] | None = None
) -> int:
    """A search's total, at most COUNT_LIMIT + 1 ("more than COUNT_LIMIT"): from its counted
    matches when they are all of them, or when the selection is the search alone; else the
    selection's matches are counted in one query that stops after COUNT_LIMIT + 1."""
    if matches.complete:
        return matches.tally().count(selection.without_query()).total
    if selection.without_query().is_empty:
        return search.COUNT_LIMIT + 1
    limit = search.COUNT_LIMIT + 1
    if connection.vendor == "postgresql" and categories is not None:
        counted = search_total_by_masks(selection, categories, limit)
        if counted is not None:
            return counted
    posts = Post.objects.published().matching(selection, walk=True, search_via="index").order_by()
    return posts.values("pk")[:limit].count()


def search_total_by_masks(
    selection: PostFilter, categories: list[Category], limit: int
) -> int | None:
    """How many of a search's matches the rest of the selection keeps, counting up to `limit`:
    the matches read from the full-text index as they come, each tested by its categories'
    mask (`posts.combinations`) and its kind. None when a category named has no bit.

    For PostgreSQL, which otherwise reads the picked categories' posts and tests each one's
    search vector (de-TOASTed: 110-180 ms for a word in one post in eight and a category of
    two in five at 100,000 posts); SQLite's FTS5 does better with the plain query."""
    by_slug = {category.slug: category for category in categories}
    named = {slug for slugs in selection.included.values() for slug in slugs}
    named |= set(selection.excluded)
    if any(by_slug[slug].bit is None for slug in named if slug in by_slug):
        return None
    wanted, excluded = bit_masks(selection, categories)
    tests = [f"(coalesce(c.mask, 0) & {want}) <> 0" for want in wanted.values()]
    if selection.excluded:
        tests.append(f"(coalesce(c.mask, 0) & {excluded}) = 0")
    params: list = []
    for kinds, test in ((selection.kinds, "IN"), (selection.excluded_kinds, "NOT IN")):
        if kinds:
            tests.append(f"m.match_kind {test} ({', '.join(['%s'] * len(kinds))})")
            params += list(kinds)
    matches = _matches_sql(selection, EVERY_POST)
    if matches is None:
        return 0
    inner, inner_params = matches
    where = " AND ".join(tests) or "1 = 1"
    sql = (
        f"WITH m AS MATERIALIZED ({inner}) SELECT count(*) FROM (SELECT 1 FROM m"
        f" LEFT JOIN posts_categoryset AS c ON c.post_id = m.match WHERE {where} LIMIT %s) AS s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params, limit])
        return cursor.fetchone()[0]


def events_url(selection: PostFilter, *, past: bool = False) -> str:
    query = selection.querystring()
    path = named_path("posts:past_events" if past else "posts:events")
    return path + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Scope:
    """Which posts a panel counts and which page its options lead to: every post on the home
    and category pages, the events on the events pages, a year or a month in the archive
    (`posts.archive.Period.scope`)."""

    # Before the counts' cache names: one selection counts differently in each scope.
    name: str
    url: Callable[[PostFilter], str]
    narrow: Callable[[PostQuerySet], PostQuerySet] = PostQuerySet.all

    def posts(self, selection: PostFilter) -> PostQuerySet:
        return self.narrow(Post.objects.published().matching(selection))

    @property
    def every_post(self) -> bool:
        """Whether the scope counts every post readers see (the home and category pages, the
        archive's index): its counts are those of the category combinations."""
        return self.narrow is PostQuerySet.all


EVERY_POST = Scope(name="", url=PostFilter.get_absolute_url)
EVENTS = Scope(name="event-", url=events_url, narrow=PostQuerySet.events)

# See Listing.search_via: from this share of the posts matching a search, a walk newest first
# tests each post against the full-text index instead of listing the matches first.
TESTED_SHARE = 0.5

# See Listing.walk: reading a page by walking the index costs about WALK_SHARE / share index
# steps per post shown, listing the categories' posts costs all of them and a sort.
WALK_SHARE = 100

# Entries are never stale (a new version means new keys); the timeout only frees memory.
CACHE_SECONDS = 24 * 60 * 60
T = TypeVar("T")


def cached(version, name: str, selection: PostFilter, compute: Callable[[], T]) -> T:
    # Totals and counts do not depend on the order of a search's results.
    key = version.key(name, selection.sorted_by(Sort.RELEVANCE).querystring())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


class SearchTally(Tally):
    """The counts of a search's matches: the same evaluation of a selection as over the
    category combinations (`posts.counts.Tally`), over rows (key, kind, posts) of the matches
    read instead."""

    def __init__(self, categories, rows) -> None:
        super().__init__(categories)
        self._rows = list(rows)

    @cached_property
    def rows(self) -> list[tuple[str, str, int]]:
        return self._rows

    def _count_by_masks(self, selection, **options) -> None:
        # The masks count the published posts, not these matches: always the rows.
        return None


@dataclass(frozen=True)
class SearchCounts:
    """A search's matches for counting: the category set (`posts.combinations`) and kind of at
    most COUNT_LIMIT of them, read in one query that follows the full-text index and stops
    there, grouped as (key, kind, posts) rows. `complete`: they are all the matches, so every
    count evaluated over them is exact; else they are the first COUNT_LIMIT the index gives,
    and the counts over them are of those (the page says so)."""

    rows: tuple[tuple[str, str, int], ...]
    complete: bool
    # About which share of the posts match: the counted matches over the span of their ids
    # (ids are given in order, so the span is the posts they were found among). Only to choose
    # how a page is read (`Listing.search_via`), never shown.
    share: float = 1.0

    def tally(self, categories: list[Category] | None = None) -> SearchTally:
        return SearchTally(categories, self.rows)


def search_counts(
    selection: PostFilter, scope: Scope, version: content_version.Version | None = None
) -> SearchCounts:
    """The matches of the selection's search alone (no category or kind picked: each count
    picks its own over them), in `scope`; cached per version and search when given one."""
    alone = PostFilter(query=selection.query)
    if version is None:
        return _search_counts(alone, scope)
    name = f"{scope.name}search-counts"
    return cached(version, name, alone, lambda: _search_counts(alone, scope))


def _matches_sql(
    selection: PostFilter, scope: Scope, *, limit: int | None = None
) -> tuple[str, tuple] | None:
    """SQL of the posts in `scope` matching the selection's search (nothing else of it), read
    from the full-text index as they come, as columns `match` (id) and `match_kind`; None for
    a search of no words (only signs), which matches nothing and needs no query."""
    alone = PostFilter(query=selection.query)
    posts = scope.narrow(Post.objects.published().matching(alone, search_via="index"))
    matches = posts.order_by().values(match=F("pk"), match_kind=F("kind"))
    if limit is not None:
        matches = matches[:limit]
    try:
        return matches.query.sql_with_params()
    except EmptyResultSet:
        return None


def _search_counts(alone: PostFilter, scope: Scope) -> SearchCounts:
    limit = search.COUNT_LIMIT
    # The matches first, by themselves, then their category sets: asked for in one query
    # with the set beside each post, PostgreSQL read the posts in table order and tested each
    # one's search vector (de-TOASTed: 36 ms for one post in eight at 100,000), where the
    # matches alone come from the full-text index (6 ms). A subquery with a LIMIT is planned
    # by itself.
    matches = _matches_sql(alone, scope, limit=limit + 1)
    if matches is None:
        found = []
    else:
        inner, params = matches
        sql = (
            "SELECT coalesce((SELECT c.key FROM posts_categoryset AS c"
            f" WHERE c.post_id = m.match), ','), m.match_kind, m.match FROM ({inner}) AS m"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
    grouped: dict[tuple[str, str], int] = {}
    for key, kind, _ in found[:limit]:
        grouped[key, kind] = grouped.get((key, kind), 0) + 1
    ids = [pk for *_, pk in found]
    return SearchCounts(
        rows=tuple((key, kind, n) for (key, kind), n in grouped.items()),
        share=len(ids) / (max(ids) - min(ids) + 1) if ids else 0.0,
        complete=len(found) <= limit,
    )


@dataclass(frozen=True)
class Option:
    category: Category
    count: int
    included: bool
    excluded: bool
    toggle_url: str
    exclude_url: str


@dataclass(frozen=True)
class FacetGroup:
    facet: str
    label: str
    options: tuple[Option, ...]


def facet_groups(
    selection: PostFilter,
    categories: list[Category],
    version: content_version.Version | None = None,
    *,
    scope: Scope = EVERY_POST,
    tally: Tally | None = None,
) -> list[FacetGroup]:
    """Category navigation with counts that answer "how many posts if I also pick this?".

    Within a facet the choices are alternatives, so an option's count ignores the selection in
    its own facet and applies all the others. Facets without a selection share one query;
    each facet with a selection needs one more, so the number of queries is bounded by the
    number of facets, never by the number of posts. Over every post without a search, the
    counts come from the category combinations instead (`tally`, posts.counts): no post is
    read. With a search, they are evaluated the same way over its matches (`SearchCounts`;
    `tally` is a `SearchTally` when the caller has them), exact up to COUNT_LIMIT matches.
    With a content `version` the counts are computed once per version and selection, and a
    reader's request reads them from the cache. The counts are of the `scope`'s posts (the
    events, an archive month), and the options lead to its page.
    """
    tally = tally or Tally(categories)
    if selection.query and not isinstance(tally, SearchTally):
        tally = search_counts(selection, scope, version).tally(categories)

    def count() -> dict[int, int]:
        return _counts(selection, scope, tally)

    if version is None:
        return _facet_groups(selection, categories, count(), scope.url)
    name = f"{scope.name}facet-counts"
    return _facet_groups(selection, categories, cached(version, name, selection, count), scope.url)


def _counts(selection: PostFilter, scope: Scope, tally: Tally) -> dict[int, int]:
    """With a search, `tally` holds its matches (`SearchCounts`), in the scope already."""
    if selection.query or scope.every_post:
        return tally.count(selection.without_query()).by_category
    if scope is EVENTS:
        counted = tally.count_events(selection)
        if counted is not None:
            return counted.by_category
    counts: dict[int, int] = {}
    plain_facets = [f for f in Facet.values if f not in selection.included]
    if plain_facets:
        counts |= _count_by_category(selection, plain_facets, scope)
    for facet in selection.included:
        counts |= _count_by_category(selection.without_facet(facet), [facet], scope)
    return counts


def _facet_groups(
    selection: PostFilter,
    categories: list[Category],
    counts: dict[int, int],
    url: Callable[[PostFilter], str],
) -> list[FacetGroup]:
    groups = []
    for facet, members in group_by_facet(categories):
        options = tuple(
            Option(
                category=category,
                count=counts.get(category.pk, 0),
                included=selection.is_included(category),
                excluded=selection.is_excluded(category),
                toggle_url=url(
                    selection.without(category)
                    if selection.is_included(category)
                    else selection.including(category)
                ),
                exclude_url=url(
                    selection.without(category)
                    if selection.is_excluded(category)
                    else selection.excluding(category)
                ),
            )
            for category in members
        )
        groups.append(FacetGroup(facet=facet.value, label=facet.label, options=options))
    return groups


def _count_by_category(selection: PostFilter, facets: list[str], scope: Scope) -> dict[int, int]:
    posts = scope.posts(selection).values("pk")
    rows = (
        TaggedPost.objects.filter(content_object__in=posts, tag__facet__in=facets)
        .values("tag_id")
        .annotate(n=Count("content_object_id"))
        .values_list("tag_id", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class KindOption:
    kind: str
    label: str
    count: int
    included: bool
    excluded: bool
    toggle_url: str
    exclude_url: str


def kind_options(
    selection: PostFilter,
    version: content_version.Version | None = None,
    *,
    scope: Scope = EVERY_POST,
    tally: Tally | None = None,
) -> list[KindOption]:
    """Each kind with the number of posts if it were picked too: the count ignores the kinds
    already picked or left out and applies the rest of the selection. Over every post without
    a search, from the category combinations (`tally`); else one query grouped by kind (on the
    post_kind_visibility index). Cached per version and selection."""
    others = selection.with_kinds(())
    tally = tally or Tally()
    if selection.query and not isinstance(tally, SearchTally):
        tally = search_counts(selection, scope, version).tally()
    if version is None:
        counts = _count_by_kind(others, scope, tally)
    else:
        name = f"{scope.name}kind-counts"
        counts = cached(version, name, others, lambda: _count_by_kind(others, scope, tally))
    url = scope.url
    return [
        KindOption(
            kind=kind.value,
            label=kind.label,
            count=counts.get(kind.value, 0),
            included=selection.is_kind(kind.value),
            excluded=selection.is_excluded_kind(kind.value),
            toggle_url=url(
                selection.without_kind(kind.value)
                if selection.is_kind(kind.value)
                else selection.including_kind(kind.value)
            ),
            exclude_url=url(
                selection.without_kind(kind.value)
                if selection.is_excluded_kind(kind.value)
                else selection.excluding_kind(kind.value)
            ),
        )
        for kind in Kind
    ]


def _count_by_kind(
    selection: PostFilter, scope: Scope, tally: Tally | None = None
) -> dict[str, int]:
    """With a search, `tally` holds its matches (`SearchCounts`), in the scope already."""
    if selection.query:
        return (tally or Tally()).count(selection.without_query()).by_kind
    if scope.every_post:
        return (tally or Tally()).by_kind(selection)
    rows = (
        scope.posts(selection)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return dict(rows)


def active_filters(
    selection: PostFilter,
    categories: dict[str, Category],
    url: Callable[[PostFilter], str] = PostFilter.get_absolute_url,
) -> list[dict]:
    """The chips above the list: each active filter with the address that removes it."""
    chosen = [(slug, False) for slugs in selection.included.values() for slug in slugs]
    chosen += [(slug, True) for slug in selection.excluded]
    chips = []
    for slug, negated in chosen:
        category = categories[slug]
        chips.append(
            {
                # The same words as the heading: "with a focus on digital experience".
                "label": phrase(category, negated=negated),
                "negated": negated,
                "facet": category.facet,
                "remove_url": url(selection.without(category)),
            }
        )
    chosen_kinds = [(kind, False) for kind in selection.kinds]
    chosen_kinds += [(kind, True) for kind in selection.excluded_kinds]
    for kind, negated in chosen_kinds:
        chips.append(
            {
                "label": f"except {KIND_NOUNS[kind][1]}" if negated else KIND_NOUNS[kind][1],
                "negated": negated,
                "facet": "kind",
                "remove_url": url(selection.without_kind(kind)),
            }
        )
    if selection.query:
        chips.append(
            {
                "label": f"matching “{selection.query}”",
                "negated": False,
                "facet": "search",
                "remove_url": url(selection.without_query()),
            }
        )
    return chips


__all__ = [
    "EVENTS",
    "EVERY_POST",
    "FacetGroup",
    "KindOption",
    "Listing",
    "Option",
    "Scope",
    "active_filters",
    "facet_groups",
    "kind_options",
]
