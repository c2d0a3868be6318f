"""HTTP caching for shared caches (a CDN, a reverse proxy) and browsers.

Readers who are not signed in all get the same page, so it may be kept by shared caches for a
short while and served stale while it is refetched (RFC 5861). Staff see drafts and edit links:
their answers are `private, no-store`, and every page that differs for them says `Vary: Cookie`.
Validators come from the content version (cxhub.content_version), so a 304 costs an indexed
lookup, never a rendered page.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

# Bump when page templates change in a way an old ETag must not hide.
PAGE_FORMAT_VERSION = "6"


def public(max_age: int) -> str:
    # Serving stale for a while longer keeps the origin's cost flat when an entry expires.
    return f"public, max-age={max_age}, stale-while-revalidate={max_age * 5}"


def max_age_until(max_age: int, until: datetime | None, *, now: datetime | None = None) -> int:
    """`max_age`, cut so that a cached copy does not outlive `until`: the moment the content
    version moves by itself (a scheduled post appears, an upcoming event ends)."""
    if until is None:
        return max_age
    left = math.ceil((until - (now or timezone.now())).total_seconds())
    return max(0, min(max_age, left))


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


def page_validators(version, *parts: object) -> tuple[str, datetime | None]:
    state = (PAGE_FORMAT_VERSION, version.token, *parts)
    return f'"{hashlib.sha256(repr(state).encode()).hexdigest()[:40]}"', version.last_modified


def not_modified(request: HttpRequest, etag: str, last_modified: datetime | None):
    """A 304 when the reader's copy is current (never for staff), else None."""
    if is_staff(request):
        return None
    stamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=stamp)


def set_validators(
    response: HttpResponse,
    etag: str,
    last_modified: datetime | None,
    *,
    until: datetime | None = None,
) -> None:
    """ETag and Last-Modified; with `until` (the version's next change), a Cache-Control whose
    max-age ends by then (`reader_page` keeps a Cache-Control the view set)."""
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    if until is not None:
        response.headers["Cache-Control"] = public(max_age_until(settings.PAGE_MAX_AGE, until))


def reader_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache headers of an HTML page readers see: shared for visitors, private for staff."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if is_staff(request):
            response.headers["Cache-Control"] = "private, no-store"
            for header in ("ETag", "Last-Modified"):
                response.headers.pop(header, None)
        elif response.status_code in (200, 304) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = public(settings.PAGE_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


class CompressionMiddleware(GZipMiddleware):
    """Gzip for pages and feeds, but never an answer that carries a CSRF token (BREACH)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # get_token() leaves this key behind (its value is reset once the cookie is set); the
        # admin renders tokens into every form.
        if "CSRF_COOKIE_NEEDS_UPDATE" in request.META or request.path.startswith(
            "/" + settings.ADMIN_URL
        ):
            return response
        return super().process_response(request, response)
