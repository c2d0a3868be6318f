"""Old category addresses: a category that was re-slugged or merged keeps answering.

Every view under /category/<slug>/ (the category page, its feeds) starts from
`listing_or_redirect(request, slug)`: the listing of that category, or, for a slug the category
used to have, a permanent redirect to the same view under its current slug (query string kept),
so that bookmarks and feed subscriptions follow. Any other unknown slug is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

from .filters import Listing
from .models import CategoryRedirect


def listing_or_redirect(
    request: HttpRequest, slug: str | None = None
) -> Listing | HttpResponsePermanentRedirect:
    try:
        return Listing.from_request(request.GET, slug)
    except Http404:
        if slug is not None and (moved := old_category_redirect(request, slug)):
            return moved
        raise


def old_category_redirect(request: HttpRequest, slug: str) -> HttpResponsePermanentRedirect | None:
    redirect = CategoryRedirect.objects.filter(old_slug=slug).select_related("category").first()
    if redirect is None:
        return None
    match = request.resolver_match
    url = reverse(
        match.view_name, args=match.args, kwargs={**match.kwargs, "slug": redirect.category.slug}
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
