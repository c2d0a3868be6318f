"""Old addresses keep answering: of categories re-slugged or merged, and of posts.

A post's old addresses (`OldAddress`, recorded by an import or by an editor) are looked up
by `OldAddressMiddleware` when a GET or HEAD finds no page, and answer with a permanent
redirect to the post if the reader may see it; anything else stays a 404.

For categories, every listing view (the home and category pages, their feeds) starts from
`listing_or_redirect(request, slug)`: the listing, or, where the path or the query string names
a slug a category used to have, a permanent redirect to the same view and the same selection
under the current slugs, so that bookmarks and feed subscriptions follow. Any other unknown
category in the path is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.validators import slug_unicode_re
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.urls import reverse
from django.utils.http import urlencode

from cxhub.availability import DATABASE_ERRORS

from .filters import Listing
from .models import CategoryRedirect, OldAddress
from .selection import EXCLUDE_KEY, Facet


class OldAddressMiddleware:
    """A 404 for GET or HEAD whose path is a visible post's old address becomes a 301 to the
    post. One indexed query, on 404s only, the way django.contrib.redirects' fallback works.
    Placed after CommonMiddleware, so that it answers before APPEND_SLASH adds a detour."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            post = OldAddress.objects.post_for(request.path_info, request.user)
        except DATABASE_ERRORS:
            return response  # the database is away: the page was not found either way
        if post is None:
            return response
        # The old site's query string (tracking, its own paging) means nothing here: dropped.
        return HttpResponsePermanentRedirect(post.get_absolute_url())


def listing_or_redirect(
    request: HttpRequest, slug: str | None = None, *, events: bool = False
) -> Listing | HttpResponsePermanentRedirect:
    try:
        listing = Listing.from_request(request.GET, slug, events=events)
    except Http404:
        if slug is not None and (moved := moved_to(request, slug, request.GET.values())):
            return moved
        raise
    if listing.selection.unknown and (moved := moved_to(request, None, listing.selection.unknown)):
        return moved
    return listing


def moved_to(
    request: HttpRequest, slug: str | None, values: Iterable[str]
) -> HttpResponsePermanentRedirect | None:
    """The same view and selection under current slugs, if the path slug or any filter value
    is a slug a category used to have (one query, only for values that named no category)."""
    # Only what could be a slug is looked up: PostgreSQL refuses NUL in any query text.
    wanted = {
        v.strip().lower()
        for raw in values
        for v in raw.split(",")
        if slug_unicode_re.fullmatch(v.strip())
    }
    if slug is not None:
        wanted.add(slug)
    redirects = dict(
        CategoryRedirect.objects.filter(old_slug__in=wanted).values_list(
            "old_slug", "category__slug"
        )
    )
    if not redirects or (slug is not None and slug not in redirects):
        return None
    match = request.resolver_match
    kwargs = dict(match.kwargs)
    if slug is not None:
        kwargs["slug"] = redirects[slug]
    url = reverse(match.view_name, args=match.args, kwargs=kwargs)
    query = renamed_query(request.GET, redirects)
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


FILTER_KEYS = {*(facet.value for facet in Facet), EXCLUDE_KEY}


def renamed_query(params: QueryDict, redirects: dict[str, str]) -> str:
    """`params` with every old slug among the filter values replaced by its current one."""

    def rename(raw: str) -> str:
        return ",".join(redirects.get(v.strip().lower(), v) for v in raw.split(","))

    return urlencode(
        [
            (key, rename(value) if key in FILTER_KEYS else value)
            for key, values in params.lists()
            for value in values
        ]
    )
