"""Fetch stage: one feed over HTTP(S), politely and defensively. Network only, no database.

The client is cxhub.safehttp's, shared with "add from link": vetted addresses on every hop, one
deadline, a size cap after decompression. This module is the feed reader's policy on top: it
names itself, asks for feeds and compressed answers, sends the conditional GET headers it was
given, takes 200 and 304 only, and words every failure for the source's page in the admin.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from datetime import timedelta

from cxhub.safehttp import Failure, FetchError, FetchResult
from cxhub.safehttp import fetch as safe_fetch


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str
    timeout: float = 20
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5

    @classmethod
    def from_settings(cls) -> FetchOptions:
        from django.conf import settings

        return cls(
            user_agent=settings.INGEST_USER_AGENT
            or f"CXInspirationHub/1.0 (feed reader; +{settings.SITE_URL}/)",
            timeout=settings.INGEST_TIMEOUT,
            max_bytes=settings.INGEST_MAX_BYTES,
            max_redirects=settings.INGEST_MAX_REDIRECTS,
        )


def fetch(
    url: str, options: FetchOptions, *, etag: str = "", last_modified: str = ""
) -> FetchResult:
    """The feed at `url`: a 200 with a body, or a 304. Raises FetchError in the editor's words."""
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
        "text/xml;q=0.9, */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        result = safe_fetch(
            url,
            headers=headers,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            ok_statuses=(200, 304),
        )
        if result.status == 200 and not result.body:
            raise FetchError(Failure.EMPTY, result.url, status=200)
    except FetchError as error:
        error.message = _words(error, options)
        raise
    return result


def _words(error: FetchError, options: FetchOptions) -> str:
    url, host, status = error.url, error.host, error.status
    match error.reason:
        case Failure.INVALID_URL:
            return f"“{url}” is not a valid web address. Check the feed URL."
        case Failure.SCHEME:
            return f"“{url}” is not an http or https address; the hub fetches only those."
        case Failure.NO_HOST:
            return f"“{url}” has no host name."
        case Failure.BLOCKED:
            return (
                f"{host} resolves to a private or local address "
                f"({', '.join(sorted(set(error.addresses)))}); "
                "the hub does not fetch from internal networks. "
                "(OUTBOUND_ALLOW_PRIVATE_ADDRESSES turns this off for development.)"
            )
        case Failure.DNS:
            return f"The host name {host} does not exist (DNS lookup failed)."
        case Failure.TIMEOUT:
            return (
                f"The server did not answer within {options.timeout:g} seconds. "
                "It may be down or slow; the source is retried later."
            )
        case Failure.TLS:
            return f"The secure connection to {host} failed ({error.detail})."
        case Failure.REFUSED:
            return f"{host} refused the connection on port {error.port}."
        case Failure.CONNECTION | Failure.BROKEN:
            return f"The connection to {host} failed: {error.detail}."
        case Failure.NO_LOCATION:
            return f"The server answered {status} without saying where to go."
        case Failure.REDIRECT_LOOP:
            return (
                f"The feed redirects in a loop ({' → '.join(error.chain)}). "
                "Ask the site for its current feed address."
            )
        case Failure.TOO_MANY_REDIRECTS:
            return (
                f"The feed was redirected more than {options.max_redirects} times. "
                "Use the address it finally lives at."
            )
        case Failure.STATUS if status in (429, 503):
            wait = error.retry_after
            return (
                f"The server answered {status} {_reason(status)}: it asks the hub to come back "
                + (f"in {_duration(wait)}." if wait else "later.")
                + " The source is retried after a pause."
            )
        case Failure.STATUS if status >= 400:
            return f"The server answered {status} {_reason(status)}. {_advice(status)}"
        case Failure.STATUS:
            return f"The server answered {status} {_reason(status)}, not a feed."
        case Failure.TOO_BIG:
            return (
                f"The feed is larger than {options.max_bytes // 1024} KB, the most the hub "
                "accepts. Ask the site for a shorter feed (fewer entries)."
            )
        case Failure.TOO_SLOW:
            return "The server took too long to send the feed; it is retried later."
        case Failure.ENCODING:
            return f"The server used an unknown compression “{error.detail}”."
        case Failure.CORRUPT:
            return "The server's compressed answer is corrupt."
        case Failure.EMPTY:
            return "The server sent an empty answer instead of a feed."
    return error.message


def _reason(status: int) -> str:
    return http.client.responses.get(status, "")


def _advice(status: int) -> str:
    if status in (401, 403):
        return "The feed is not public; ask the site for an open feed address."
    if status in (404, 410):
        return "The feed is not at this address any more; check the feed URL on the site."
    if status >= 500:
        return "The site has a problem on its side; the source is retried later."
    return "Check the feed URL."


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"
