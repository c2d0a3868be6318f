"""Old category addresses: a category that was re-slugged or merged keeps answering.

Any view under /category/<slug>/ (the category page, its feeds) calls
`old_category_redirect(request, slug)` when the slug is unknown. It answers with a permanent
redirect to the same view for the category's current slug, query string kept, or None.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import CategoryRedirect


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
