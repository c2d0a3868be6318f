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
from django.db.models import Count
from django.http import Http404, QueryDict

from cxhub import content_version

from . import search
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
        categories = Category.objects.all().in_navigation_order()
        by_slug = {category.slug: category for category in categories}
        base = None
        if slug is not None:
            base = by_slug.get(slug)
            if base is None:
                raise Http404(f"There is no category “{slug}”.")
        selection = PostFilter.from_querydict(params, by_slug, base=base)
        return cls(
            categories=categories, by_slug=by_slug, base=base, selection=selection, events=events
        )

    def posts(self) -> PostQuerySet:
        posts = Post.objects.published().matching(self.selection).with_categories()
        # A series is read from part 1, on its page and in its feeds alike.
        if self.base is not None and self.base.facet == Facet.SERIES:
            return posts.in_reading_order()
        return posts.newest_first()

    def url(self, selection: PostFilter) -> str:
        """The address of `selection` on this kind of listing (all posts, or the events)."""
        if not self.events:
            return selection.get_absolute_url()
        return events_url(selection)

    def results(self) -> PostQuerySet:
        """What the page lists: a search best match first (see `ranked`), else newest first."""
        if not self.ranked:
            return self.posts()
        return Post.objects.published().matching(self.selection, ranked=True).with_categories()

    @property
    def ranked(self) -> bool:
        """Whether the page lists best match first: a search not asked for newest first, with
        at most RANK_LIMIT matches. Ranking reads every match (ts_rank_cd, bm25), so its cost
        grows with their number; past the limit the posts come newest first, which an index
        answers page by page, and the page says so (`posts.views.sort_links`)."""
        return self.selection.ranked and self.can_rank

    @property
    def can_rank(self) -> bool:
        return bool(self.selection.query) and self.total() <= search.RANK_LIMIT

    @cached_property
    def version(self) -> content_version.Version:
        return content_version.current()

    def total(self) -> int:
        """How many posts the selection has: counted once per content version."""
        return self._total

    @cached_property
    def _total(self) -> int:
        # Read once per request too (the order and the paginator both ask), cache on or off.
        return cached(
            self.version,
            "total",
            self.selection,
            lambda: Post.objects.published().matching(self.selection).count(),
        )

    def facet_groups(self) -> list[FacetGroup]:
        return facet_groups(self.selection, self.categories, self.version, events=self.events)

    def kind_options(self) -> list[KindOption]:
        """The "Kind" group of the panel; none on the events pages, which list one kind."""
        if self.events:
            return []
        return kind_options(self.selection, self.version)


def events_url(selection: PostFilter, *, past: bool = False) -> str:
    query = selection.querystring()
    path = named_path("posts:past_events" if past else "posts:events")
    return path + (f"?{query}" if query else "")


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
    events: bool = False,
) -> list[FacetGroup]:
    """Category navigation with counts that answer "how many posts if I also pick this?".

    Within a facet the choices are alternatives, so an option's count ignores the selection in
    its own facet and applies all the others. Facets without a selection share one query;
    each facet with a selection needs one more, so the number of queries is bounded by the
    number of facets, never by the number of posts. With a content `version` the counts are
    computed once per version and selection, and a reader's request reads them from the cache.
    With `events`, the counts are of events (past and upcoming) and the options lead to the
    events page.
    """
    url = events_url if events else PostFilter.get_absolute_url
    if version is None:
        return _facet_groups(selection, categories, _counts(selection, events), url)
    name = "event-facet-counts" if events else "facet-counts"
    counts = cached(version, name, selection, lambda: _counts(selection, events))
    return _facet_groups(selection, categories, counts, url)


def _counts(selection: PostFilter, events: bool = False) -> dict[int, int]:
    counts: dict[int, int] = {}
    plain_facets = [f for f in Facet.values if f not in selection.included]
    if plain_facets:
        counts |= _count_by_category(selection, plain_facets, events)
    for facet in selection.included:
        counts |= _count_by_category(selection.without_facet(facet), [facet], events)
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


def _count_by_category(
    selection: PostFilter, facets: list[str], events: bool = False
) -> dict[int, int]:
    posts = Post.objects.published().matching(selection)
    if events:
        posts = posts.events()
    posts = posts.values("pk")
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
    toggle_url: str


def kind_options(
    selection: PostFilter,
    version: content_version.Version | None = None,
    url: Callable[[PostFilter], str] = PostFilter.get_absolute_url,
) -> list[KindOption]:
    """Each kind with the number of posts if it were picked too: like a facet's options, the
    count ignores the kinds already picked and applies the rest of the selection. One query
    grouped by kind (on the post_kind_visibility index), cached per version and selection."""
    others = selection.with_kinds(())
    if version is None:
        counts = _count_by_kind(others)
    else:
        counts = cached(version, "kind-counts", others, lambda: _count_by_kind(others))
    return [
        KindOption(
            kind=kind.value,
            label=kind.label,
            count=counts.get(kind.value, 0),
            included=selection.is_kind(kind.value),
            toggle_url=url(
                selection.without_kind(kind.value)
                if selection.is_kind(kind.value)
                else selection.including_kind(kind.value)
            ),
        )
        for kind in Kind
    ]


def _count_by_kind(selection: PostFilter) -> dict[str, int]:
    rows = (
        Post.objects.published()
        .matching(selection)
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
    for kind in selection.kinds:
        chips.append(
            {
                "label": KIND_NOUNS[kind][1],
                "negated": False,
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
    "FacetGroup",
    "KindOption",
    "Listing",
    "Option",
    "active_filters",
    "facet_groups",
    "kind_options",
]
