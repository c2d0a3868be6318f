"""The reader's selection, parsed once from the query string and shared by pages and feeds.

Query string: one key per facet (`topic`, `format`, `industry`, `focus`, `series`, `other`)
whose values are category slugs, repeated or comma-separated; `not` for categories to exclude;
`q` for search words. Within a facet the categories are alternatives (OR); facets combine with
AND; `not` removes posts. Unknown or misplaced values are dropped with a notice the page shows,
so a stale or mistyped link still answers with something useful instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, QueryDict
from django.urls import reverse

from .models import Category, Facet, Post, PostQuerySet, TaggedPost
from .sanitize import strip_control_chars

EXCLUDE_KEY = "not"
SEARCH_KEY = "q"
MAX_VALUES = 40
MAX_SEARCH_LENGTH = 200
MAX_TERMS = 8


@dataclass(frozen=True)
class PostFilter:
    included: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: tuple[str, ...] = ()
    query: str = ""
    notices: tuple[str, ...] = ()

    @classmethod
    def from_querydict(
        cls, params: QueryDict, categories: dict[str, Category], *, base: Category | None = None
    ) -> PostFilter:
        notices: list[str] = []
        included: dict[str, set[str]] = {}
        if base is not None:
            included[base.facet] = {base.slug}

        def values(key: str) -> list[str]:
            found = [v.strip() for raw in params.getlist(key) for v in raw.split(",") if v.strip()]
            if len(found) > MAX_VALUES:
                notices.append(f"Only the first {MAX_VALUES} values of “{key}” were used.")
                found = found[:MAX_VALUES]
            return found

        for facet in Facet:
            for slug in values(facet.value):
                category = categories.get(slug.lower())
                if category is None:
                    notices.append(
                        f"There is no category “{slug}”, so it was left out of the filter."
                    )
                elif category.facet != facet.value:
                    notices.append(
                        f"“{category.name}” is not a {facet.label.lower()} category, "
                        "so it was left out of the filter."
                    )
                else:
                    included.setdefault(facet.value, set()).add(category.slug)

        excluded: set[str] = set()
        for slug in values(EXCLUDE_KEY):
            category = categories.get(slug.lower())
            if category is None:
                notices.append(f"There is no category “{slug}” to leave out, so it was ignored.")
            else:
                excluded.add(category.slug)
        for slugs in included.values():
            slugs -= excluded

        # PostgreSQL text cannot hold NUL, and no control character belongs in a search.
        query = " ".join(strip_control_chars(params.get(SEARCH_KEY, "")).split())
        if len(query) > MAX_SEARCH_LENGTH:
            notices.append(f"The search was cut to its first {MAX_SEARCH_LENGTH} characters.")
            query = query[:MAX_SEARCH_LENGTH]

        return cls(
            included={
                f: tuple(sorted(s)) for f, s in sorted(included.items(), key=_facet_key) if s
            },
            excluded=tuple(sorted(excluded)),
            query=query,
            notices=tuple(dict.fromkeys(notices)),
        )

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.query.split()))[:MAX_TERMS]

    @property
    def is_empty(self) -> bool:
        return not (self.included or self.excluded or self.query)

    def is_included(self, category: Category) -> bool:
        return category.slug in self.included.get(category.facet, ())

    def is_excluded(self, category: Category) -> bool:
        return category.slug in self.excluded

    def including(self, category: Category) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) | {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) - {category.slug})

    def excluding(self, category: Category) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) - {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) | {category.slug})

    def without(self, category: Category) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) - {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) - {category.slug})

    def without_facet(self, facet: str) -> PostFilter:
        return self._with(facet, set(), set(self.excluded))

    def without_query(self) -> PostFilter:
        return replace(self, query="", notices=())

    def _with(self, facet: str, slugs: set[str], excluded: set[str]) -> PostFilter:
        included = {f: s for f, s in self.included.items() if f != facet}
        if slugs:
            included[facet] = tuple(sorted(slugs))
        return PostFilter(
            included=dict(sorted(included.items(), key=_facet_key)),
            excluded=tuple(sorted(excluded)),
            query=self.query,
        )

    def single_category(self) -> str | None:
        """The slug when the selection is exactly one category, which has a page of its own."""
        if self.excluded or self.query or len(self.included) != 1:
            return None
        (slugs,) = self.included.values()
        return slugs[0] if len(slugs) == 1 else None

    def querystring(self) -> str:
        pairs = [(facet, slug) for facet, slugs in self.included.items() for slug in slugs]
        pairs += [(EXCLUDE_KEY, slug) for slug in self.excluded]
        if self.query:
            pairs.append((SEARCH_KEY, self.query))
        return urlencode(pairs)

    def get_absolute_url(self) -> str:
        """The canonical listing address of this selection."""
        slug = self.single_category()
        if slug:
            return reverse("posts:category", kwargs={"slug": slug})
        query = self.querystring()
        return reverse("posts:home") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Listing:
    """What a listing page and its feeds share: parsed one way, queried one way."""

    categories: list[Category]
    by_slug: dict[str, Category]
    base: Category | None
    selection: PostFilter

    @classmethod
    def from_request(cls, params: QueryDict, slug: str | None = None) -> Listing:
        """The selection of a listing (or category) page; an unknown category slug is a 404."""
        categories = Category.objects.all().in_navigation_order()
        by_slug = {category.slug: category for category in categories}
        base = None
        if slug is not None:
            base = by_slug.get(slug)
            if base is None:
                raise Http404(f"There is no category “{slug}”.")
        selection = PostFilter.from_querydict(params, by_slug, base=base)
        return cls(categories=categories, by_slug=by_slug, base=base, selection=selection)

    def posts(self) -> PostQuerySet:
        return Post.objects.published().matching(self.selection).newest_first().with_categories()


def _facet_key(item: tuple[str, object]) -> int:
    return list(Facet.values).index(item[0])


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


def facet_groups(selection: PostFilter, categories: list[Category]) -> list[FacetGroup]:
    """Category navigation with counts that answer "how many posts if I also pick this?".

    Within a facet the choices are alternatives, so an option's count ignores the selection in
    its own facet and applies all the others. Facets without a selection share one query;
    each facet with a selection needs one more, so the number of queries is bounded by the
    number of facets, never by the number of posts.
    """
    counts: dict[int, int] = {}
    plain_facets = [f for f in Facet.values if f not in selection.included]
    if plain_facets:
        counts |= _count_by_category(selection, plain_facets)
    for facet in selection.included:
        counts |= _count_by_category(selection.without_facet(facet), [facet])

    groups = []
    for facet in Facet:
        options = tuple(
            Option(
                category=category,
                count=counts.get(category.pk, 0),
                included=selection.is_included(category),
                excluded=selection.is_excluded(category),
                toggle_url=(
                    selection.without(category)
                    if selection.is_included(category)
                    else selection.including(category)
                ).get_absolute_url(),
                exclude_url=(
                    selection.without(category)
                    if selection.is_excluded(category)
                    else selection.excluding(category)
                ).get_absolute_url(),
            )
            for category in categories
            if category.facet == facet.value
        )
        if options:
            groups.append(FacetGroup(facet=facet.value, label=facet.label, options=options))
    return groups


def _count_by_category(selection: PostFilter, facets: list[str]) -> dict[int, int]:
    posts = Post.objects.published().matching(selection).values("pk")
    rows = (
        TaggedPost.objects.filter(content_object__in=posts, tag__facet__in=facets)
        .values("tag_id")
        .annotate(n=Count("content_object_id"))
        .values_list("tag_id", "n")
    )
    return dict(rows)


def active_filters(selection: PostFilter, categories: dict[str, Category]) -> list[dict]:
    """The chips above the list: each active filter with the address that removes it."""
    chips = []
    for slugs in selection.included.values():
        for slug in slugs:
            category = categories[slug]
            chips.append(
                {
                    "label": category.name,
                    "negated": False,
                    "facet": category.get_facet_display(),
                    "remove_url": selection.without(category).get_absolute_url(),
                }
            )
    for slug in selection.excluded:
        category = categories[slug]
        chips.append(
            {
                "label": category.name,
                "negated": True,
                "facet": category.get_facet_display(),
                "remove_url": selection.without(category).get_absolute_url(),
            }
        )
    if selection.query:
        chips.append(
            {
                "label": f"“{selection.query}”",
                "negated": False,
                "facet": "Search",
                "remove_url": selection.without_query().get_absolute_url(),
            }
        )
    return chips


__all__ = ["FacetGroup", "Listing", "Option", "PostFilter", "active_filters", "facet_groups"]
