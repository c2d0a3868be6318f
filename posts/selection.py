"""The reader's selection, parsed once from the query string and shared by pages and feeds.

Query string: one key per facet (`topic`, `format`, `industry`, `focus`, `series`, `other`)
whose values are category slugs, repeated or comma-separated; `not` for categories to exclude;
`kind` for kinds of post (`article`, `podcast`, ... as in `posts.models.Kind`, alternatives
like a facet's); `not-kind` for kinds to leave out ("everything but events"); `q` for search
words, `sort=newest` to list a search's results newest first rather than best match first (a
listing without a search is always newest first). Within a facet the categories are
alternatives (OR); facets combine with AND; `not` and `not-kind` remove posts.
Unknown or misplaced values are dropped with a notice the page shows, so a stale or mistyped
link still answers with something useful instead of an error.

This module sits below `posts.models` and imports nothing from it: the model uses `Facet` for
its field and takes a `PostFilter` in `PostQuerySet.matching()`. Parsing needs the known
categories, which the caller looks up and passes in (`posts.filters.Listing` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar
from urllib.parse import urlencode

from django.db import models
from django.http import QueryDict

from .paths import named_path, path_with_slug
from .sanitize import strip_control_chars

EXCLUDE_KEY = "not"
KIND_KEY = "kind"
EXCLUDE_KIND_KEY = "not-kind"
SEARCH_KEY = "q"
SORT_KEY = "sort"
MAX_VALUES = 40
MAX_SEARCH_LENGTH = 200
MAX_TERMS = 8


class Sort(models.TextChoices):
    # The order of a search's results; the first is the default and is never in a link.
    RELEVANCE = "relevance", "best match first"
    NEWEST = "newest", "newest first"


class Facet(models.TextChoices):
    # Declaration order is the order of the category navigation.
    TOPIC = "topic", "Topic"
    FORMAT = "format", "Format"
    INDUSTRY = "industry", "Industry"
    FOCUS = "focus", "Focus"
    SERIES = "series", "Series"
    OTHER = "other", "More"


FACET_ORDER = {facet.value: index for index, facet in enumerate(Facet)}

# How a category of each facet reads after "posts": the topic, format and industry names carry
# their own preposition ("about CX design", "by healthcare sector"); the others need one.
PHRASES = {
    Facet.FOCUS: ("with a {name}", "without a {name}"),
    Facet.SERIES: ("in the {name}", "not in the {name}"),
    Facet.OTHER: ("in “{name}”", "not in “{name}”"),
}


def phrase(category: CategoryRef, *, negated: bool = False) -> str:
    """The category as words after "posts": "posts with a focus on patient experience",
    "posts not in the Stop-it mini series"."""
    wording = PHRASES.get(category.facet, ("{name}", "not {name}"))[negated]
    return wording.format(name=category.name)


# Each kind of post (`posts.models.Kind`'s values; tests/posts/test_kind_filter.py holds the two
# together) as a noun, singular and plural: "3 podcast episodes about CX design".
KIND_NOUNS = {
    "article": ("article", "articles"),
    "podcast": ("podcast episode", "podcast episodes"),
    "webinar": ("webinar", "webinars"),
    "video": ("video", "videos"),
    "event": ("event", "events"),
    "quote": ("quote", "quotes"),
    "case-study": ("case study", "case studies"),
    "report": ("report or e-book", "reports or e-books"),
}


def kinds_left_out(selection: PostFilter) -> str:
    """The kinds left out, as words after "posts": "except events and quotes"."""
    if not selection.excluded_kinds:
        return ""
    names = [KIND_NOUNS[kind][1] for kind in selection.excluded_kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"except {listed}"


def noun(selection: PostFilter, count: int | None = None) -> str:
    """What the selection lists: "posts", or its kinds: "podcast episodes or webinars"; in the
    singular for a `count` of 1."""
    form = 0 if count == 1 else 1
    if not selection.kinds:
        return ("post", "posts")[form]
    return " or ".join(KIND_NOUNS[kind][form] for kind in selection.kinds)


# A facet as the kind of category it holds, with its article: "is not an industry category".
KINDS = {
    Facet.TOPIC: "a topic category",
    Facet.FORMAT: "a format category",
    Facet.INDUSTRY: "an industry category",
    Facet.FOCUS: "a focus category",
    Facet.SERIES: "a series",
    Facet.OTHER: "one of the other categories",
}


def describe(selection: PostFilter, categories: Mapping[str, CategoryRef]) -> str:
    """The selection as words after "posts": "about CX design or about CX strategy, by
    healthcare sector, not in the Stop-it mini series, except events, matching “journey
    mapping”"."""
    parts = []
    for slugs in selection.included.values():
        parts.append(" or ".join(phrase(categories[s]) for s in slugs if s in categories))
    parts += [phrase(categories[s], negated=True) for s in selection.excluded if s in categories]
    parts.append(kinds_left_out(selection))
    if selection.query:
        parts.append(f"matching “{selection.query}”")
    return ", ".join(part for part in parts if part)


class CategoryRef(Protocol):
    """What the selection reads of a category; `posts.models.Category` is one."""

    slug: str
    name: str
    facet: str


C = TypeVar("C", bound=CategoryRef)


def group_by_facet(categories: Iterable[C]) -> list[tuple[Facet, list[C]]]:
    """Categories under their facets in navigation order; a facet without any is left out."""
    categories = list(categories)
    groups = [(facet, [c for c in categories if c.facet == facet.value]) for facet in Facet]
    return [(facet, members) for facet, members in groups if members]


@dataclass(frozen=True)
class PostFilter:
    included: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded: tuple[str, ...] = ()
    # Kinds of post (Kind values), alternatives; none means every kind.
    kinds: tuple[str, ...] = ()
    # Kinds left out; never also in `kinds`.
    excluded_kinds: tuple[str, ...] = ()
    query: str = ""
    # Sort.NEWEST or "" (best match first); only ever set with a query.
    sort: str = ""
    notices: tuple[str, ...] = ()
    # Values that named no category (lower-cased), and those dropped for any reason (unknown or
    # in the wrong facet): a page shows the notices, a feed refuses to widen (feeds.views).
    unknown: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @classmethod
    def from_querydict(
        cls,
        params: QueryDict,
        categories: Mapping[str, CategoryRef],
        *,
        base: CategoryRef | None = None,
    ) -> PostFilter:
        """The selection in `params`; `categories` are all known categories by their slug."""
        notices: list[str] = []
        unknown: list[str] = []
        dropped: list[str] = []
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
                    unknown.append(slug.lower())
                    dropped.append(slug)
                    notices.append(
                        f"There is no category “{slug}”, so it was left out of the filter."
                    )
                elif category.facet != facet.value:
                    dropped.append(slug)
                    notices.append(
                        f"“{category.name}” is not {KINDS[facet]}, "
                        "so it was left out of the filter."
                    )
                else:
                    included.setdefault(facet.value, set()).add(category.slug)

        excluded: set[str] = set()
        for slug in values(EXCLUDE_KEY):
            category = categories.get(slug.lower())
            if category is None:
                unknown.append(slug.lower())
                dropped.append(slug)
                notices.append(f"There is no category “{slug}” to leave out, so it was ignored.")
            else:
                excluded.add(category.slug)
        for slugs in included.values():
            slugs -= excluded

        kinds: set[str] = set()
        excluded_kinds: set[str] = set()
        for key, found, consequence in (
            (KIND_KEY, kinds, "it was left out of the filter"),
            (EXCLUDE_KIND_KEY, excluded_kinds, "there is none to leave out"),
        ):
            for value in values(key):
                if value.lower() in KIND_NOUNS:
                    found.add(value.lower())
                else:
                    # Not in `unknown`: that lists category slugs, looked up as old slugs.
                    dropped.append(value)
                    shown = strip_control_chars(value)[:40]
                    names = ", ".join(KIND_NOUNS)
                    notices.append(
                        f"There is no kind of post “{shown}”, so {consequence} "
                        f"(the kinds are {names})."
                    )
        # Like a category both picked and left out: leaving out wins.
        kinds -= excluded_kinds

        # PostgreSQL text cannot hold NUL, and no control character belongs in a search.
        query = " ".join(strip_control_chars(params.get(SEARCH_KEY, "")).split())
        if len(query) > MAX_SEARCH_LENGTH:
            notices.append(f"The search was cut to its first {MAX_SEARCH_LENGTH} characters.")
            query = query[:MAX_SEARCH_LENGTH]

        sort = ""
        wanted = params.get(SORT_KEY, "").strip()
        if wanted and wanted.lower() not in Sort.values:
            shown = strip_control_chars(wanted)[:40]
            notices.append(
                f"“{shown}” is not an order this list knows: "
                f"searches come {Sort.RELEVANCE.label} or, with “{SORT_KEY}={Sort.NEWEST}”, "
                f"{Sort.NEWEST.label}."
            )
        elif query and wanted.lower() == Sort.NEWEST:
            sort = Sort.NEWEST.value

        return cls(
            included={
                f: tuple(sorted(s)) for f, s in sorted(included.items(), key=_facet_key) if s
            },
            excluded=tuple(sorted(excluded)),
            kinds=tuple(k for k in KIND_NOUNS if k in kinds),
            excluded_kinds=tuple(k for k in KIND_NOUNS if k in excluded_kinds),
            query=query,
            sort=sort,
            notices=tuple(dict.fromkeys(notices)),
            unknown=tuple(dict.fromkeys(unknown)),
            dropped=tuple(dict.fromkeys(dropped)),
        )

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.query.split()))[:MAX_TERMS]

    @property
    def ranked(self) -> bool:
        """Whether the posts come best match first: a search not asked to be newest first."""
        return bool(self.query) and self.sort != Sort.NEWEST

    def sorted_by(self, sort: str) -> PostFilter:
        return replace(
            self, sort="" if sort == Sort.RELEVANCE else sort, notices=(), unknown=(), dropped=()
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.included or self.excluded or self.kinds or self.excluded_kinds or self.query
        )

    def is_included(self, category: CategoryRef) -> bool:
        return category.slug in self.included.get(category.facet, ())

    def is_excluded(self, category: CategoryRef) -> bool:
        return category.slug in self.excluded

    def including(self, category: CategoryRef) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) | {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) - {category.slug})

    def excluding(self, category: CategoryRef) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) - {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) | {category.slug})

    def without(self, category: CategoryRef) -> PostFilter:
        slugs = set(self.included.get(category.facet, ())) - {category.slug}
        return self._with(category.facet, slugs, set(self.excluded) - {category.slug})

    def without_facet(self, facet: str) -> PostFilter:
        return self._with(facet, set(), set(self.excluded))

    def is_kind(self, kind: str) -> bool:
        return kind in self.kinds

    def is_excluded_kind(self, kind: str) -> bool:
        return kind in self.excluded_kinds

    def including_kind(self, kind: str) -> PostFilter:
        return self.with_kinds(set(self.kinds) | {kind}, set(self.excluded_kinds) - {kind})

    def excluding_kind(self, kind: str) -> PostFilter:
        return self.with_kinds(set(self.kinds) - {kind}, set(self.excluded_kinds) | {kind})

    def without_kind(self, kind: str) -> PostFilter:
        return self.with_kinds(set(self.kinds) - {kind}, set(self.excluded_kinds) - {kind})

    def with_kinds(self, kinds: Iterable[str], excluded: Iterable[str] = ()) -> PostFilter:
        kinds, excluded = set(kinds), set(excluded)
        return replace(
            self,
            kinds=tuple(k for k in KIND_NOUNS if k in kinds),
            excluded_kinds=tuple(k for k in KIND_NOUNS if k in excluded),
            notices=(),
            unknown=(),
            dropped=(),
        )

    def within_kind(self, kind: str) -> PostFilter:
        """The selection where only `kind` is listed (the events pages and calendars): that
        kind goes without saying, and any other is dropped with a notice, since it would leave
        nothing to list."""
        if not self.kinds and not self.excluded_kinds:
            return self
        others = [k for k in self.kinds if k != kind]
        wanted = KIND_NOUNS[kind][1]
        notices = [
            f"{wanted.capitalize()} pages and calendars hold only {wanted}, "
            f"so {KIND_NOUNS[k][1]} were left out of the filter."
            for k in others
        ]
        # Leaving out another kind changes nothing here; leaving out this one, everything.
        if kind in self.excluded_kinds:
            others.append(kind)
            notices.append(
                f"{wanted.capitalize()} pages and calendars hold only {wanted}, "
                f"so leaving them out was ignored."
            )
        return replace(
            self,
            kinds=(),
            excluded_kinds=(),
            notices=(*self.notices, *notices),
            dropped=(*self.dropped, *others),
        )

    def without_query(self) -> PostFilter:
        return replace(self, query="", sort="", notices=(), unknown=(), dropped=())

    def _with(self, facet: str, slugs: set[str], excluded: set[str]) -> PostFilter:
        included = {f: s for f, s in self.included.items() if f != facet}
        if slugs:
            included[facet] = tuple(sorted(slugs))
        return PostFilter(
            included=dict(sorted(included.items(), key=_facet_key)),
            excluded=tuple(sorted(excluded)),
            kinds=self.kinds,
            excluded_kinds=self.excluded_kinds,
            query=self.query,
            sort=self.sort,
        )

    def single_category(self) -> str | None:
        """The slug when the selection is exactly one category, which has a page of its own."""
        if self.excluded or self.kinds or self.excluded_kinds or self.query:
            return None
        if len(self.included) != 1:
            return None
        (slugs,) = self.included.values()
        return slugs[0] if len(slugs) == 1 else None

    def querystring(self) -> str:
        pairs = [(facet, slug) for facet, slugs in self.included.items() for slug in slugs]
        pairs += [(EXCLUDE_KEY, slug) for slug in self.excluded]
        pairs += [(KIND_KEY, kind) for kind in self.kinds]
        pairs += [(EXCLUDE_KIND_KEY, kind) for kind in self.excluded_kinds]
        if self.query:
            pairs.append((SEARCH_KEY, self.query))
            if self.sort:
                pairs.append((SORT_KEY, self.sort))
        return urlencode(pairs)

    def get_absolute_url(self) -> str:
        """The canonical listing address of this selection."""
        slug = self.single_category()
        if slug:
            return path_with_slug("posts:category", slug)
        query = self.querystring()
        return named_path("posts:home") + (f"?{query}" if query else "")


def _facet_key(item: tuple[str, object]) -> int:
    return FACET_ORDER[item[0]]
