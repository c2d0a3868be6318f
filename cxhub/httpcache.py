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
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from cxhub import content_version

# Bump when page templates change in a way an old ETag must not hide.
PAGE_FORMAT_VERSION = "8"


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


# Whole pages kept for visitors (`reader_page`); entries are never stale (a new content version
# means new keys), the timeout only frees memory.
PAGE_CACHE_SECONDS = 24 * 60 * 60


def reader_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An HTML page readers see: shared for visitors, private for staff.

    For visitors (not signed in) the whole page is kept in Django's cache under the content
    version and its full address, so every process and machine sharing the cache serves it
    again without building it, and an edit (a new version) is seen at once everywhere. The view
    runs under the version the page was looked up by (`content_version.pinned`). Staff and
    signed-in users always get a page built for them.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            response = view(request, *args, **kwargs)
        else:
            version = content_version.current()
            address = request.build_absolute_uri()
            key = version.key("page", PAGE_FORMAT_VERSION, address)
            # The page's ETag is kept on its own too: a reader revalidating the page it holds
            # gets its 304 without the whole page being read from the cache.
            etag_key = version.key("page-etag", PAGE_FORMAT_VERSION, address)
            response = _unchanged(request, cache.get(etag_key), version) if _asks(request) else None
            if response is None:
                stored = cache.get(key)
                if stored is not None:
                    response = _from_store(request, stored, version)
                else:
                    with content_version.pinned(version):
                        response = view(request, *args, **kwargs)
                    if _can_keep(request, response):
                        cache.set(key, _to_store(response), PAGE_CACHE_SECONDS)
                        if etag := response.headers.get("ETag"):
                            cache.set(etag_key, etag, PAGE_CACHE_SECONDS)
        if is_staff(request):
            response.headers["Cache-Control"] = "private, no-store"
            for header in ("ETag", "Last-Modified"):
                response.headers.pop(header, None)
        elif response.status_code in (200, 304) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = public(settings.PAGE_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _can_keep(request: HttpRequest, response: HttpResponse) -> bool:
    # A page with a CSRF token or a cookie of its own is somebody's, not everybody's.
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
    )


def _to_store(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    return response.content, list(response.headers.items())


def _asks(request: HttpRequest) -> bool:
    """Whether the request is conditional: the reader holds a copy and may get a 304."""
    return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers


def _unchanged(request: HttpRequest, etag: str | None, version) -> HttpResponse | None:
    """A 304 when the reader's copy is the kept page whose ETag is `etag`, else None. Its
    max-age is worked out again: the time left until the version moves by itself is shorter
    now than when the page was kept."""
    if etag is None:
        return None
    last_modified = version.last_modified
    unchanged = not_modified(request, etag, last_modified)
    if unchanged is not None:
        set_validators(unchanged, etag, last_modified, until=version.next_change)
    return unchanged


def _from_store(request: HttpRequest, stored, version) -> HttpResponse:
    """The kept page, or a 304 when the reader's copy is it (`_unchanged`)."""
    content, headers = stored
    headers = dict(headers)
    if (unchanged := _unchanged(request, headers.get("ETag"), version)) is not None:
        return unchanged
    response = HttpResponse(content, headers=headers)
    if "Cache-Control" in headers:
        until = version.next_change
        response.headers["Cache-Control"] = public(max_age_until(settings.PAGE_MAX_AGE, until))
    return response


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
