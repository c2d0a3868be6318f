"""Fetch stage: one feed over HTTP(S), politely and defensively. Network only, no database.

Our own small client on http.client rather than urllib: we need to vet the address each
connection actually goes to (a name that resolves to 127.0.0.1, or a redirect to an internal
host, must be refused at connection time), cap the body after decompression, and treat
redirects ourselves to tell permanent ones from temporary ones. The vetted connections are
cxhub.safehttp, shared with "add from link"; this module is the feed reader's policy on top.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cxhub import safehttp
from cxhub.safehttp import is_public_address as is_public_address  # tests import it here

PERMANENT_REDIRECTS = {301, 308}


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str
    timeout: float = 20
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False

    @classmethod
    def from_settings(cls) -> FetchOptions:
        from django.conf import settings

        return cls(
            user_agent=settings.FEEDS_USER_AGENT
            or f"CXInspirationHub/1.0 (feed reader; +{settings.SITE_URL}/)",
            timeout=settings.FEEDS_TIMEOUT,
            max_bytes=settings.FEEDS_MAX_BYTES,
            max_redirects=settings.FEEDS_MAX_REDIRECTS,
            allow_private=settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES,
        )


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str  # after redirects
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    permanent_url: str | None = None  # set when every redirect on the way was permanent

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A fetch that failed, in words an editor can act on."""

    def __init__(self, message: str, *, status: int | None = None, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after: timedelta | None = retry_after


def fetch(
    url: str, options: FetchOptions, *, etag: str = "", last_modified: str = ""
) -> FetchResult:
    deadline = time.monotonic() + options.timeout
    seen: list[str] = []
    permanent = True
    while True:
        parts = _check_url(url)
        if url in seen:
            raise FetchError(
                f"The feed redirects in a loop ({' → '.join([*seen, url])}). "
                "Ask the site for its current feed address."
            )
        seen.append(url)
        response, body = _request(parts, url, options, deadline, etag, last_modified)
        status = response.status
        if status in safehttp.REDIRECT_STATUSES:
            target = safehttp.redirect_target(url, response)
            if target is None:
                raise FetchError(f"The server answered {status} without saying where to go.")
            if len(seen) > options.max_redirects:
                raise FetchError(
                    f"The feed was redirected more than {options.max_redirects} times. "
                    "Use the address it finally lives at."
                )
            permanent = permanent and status in PERMANENT_REDIRECTS
            url = target
            continue
        headers = {name.lower(): value for name, value in response.getheaders()}
        moved = url if permanent and len(seen) > 1 else None
        if status == 304:
            return FetchResult(status=304, url=url, headers=headers, permanent_url=moved)
        if status in (429, 503):
            wait = parse_retry_after(headers.get("retry-after", ""))
            raise FetchError(
                f"The server answered {status} {_reason(status)}: it asks the hub to come back "
                + (f"in {_duration(wait)}." if wait else "later.")
                + " The source is retried after a pause.",
                status=status,
                retry_after=wait,
            )
        if status >= 400:
            raise FetchError(
                f"The server answered {status} {_reason(status)}. {_advice(status)}", status=status
            )
        if status != 200:
            raise FetchError(
                f"The server answered {status} {_reason(status)}, not a feed.", status=status
            )
        if not body:
            raise FetchError("The server sent an empty answer instead of a feed.", status=status)
        return FetchResult(status=200, url=url, content=body, headers=headers, permanent_url=moved)


def _check_url(url: str):
    try:
        return safehttp.split_http_url(url)
    except safehttp.UnfetchableURL as exc:
        raise FetchError(
            {
                "invalid": f"“{url}” is not a valid web address. Check the feed URL.",
                "scheme": f"“{url}” is not an http or https address; the hub fetches only those.",
                "host": f"“{url}” has no host name.",
            }[exc.reason]
        ) from None


def _request(parts, url, options: FetchOptions, deadline, etag, last_modified):
    port = parts.port or (443 if parts.scheme == "https" else 80)
    conn = safehttp.connection_for(
        parts,
        timeout=max(0.1, deadline - time.monotonic()),
        allow_private=options.allow_private,
        context=ssl.create_default_context() if parts.scheme == "https" else None,
    )
    path = safehttp.request_target(parts)
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
    response = None
    try:
        response, sock = safehttp.get(conn, path, headers)
        body = b""
        if response.status == 200:
            body = _read_body(response, sock, options.max_bytes, deadline)
        return response, body  # status and headers stay readable once closed
    except FetchError:
        raise
    except safehttp.BlockedAddressError as exc:
        raise FetchError(
            f"{exc.host} resolves to a private or local address "
            f"({', '.join(sorted(set(exc.addresses)))}); "
            "the hub does not fetch from internal networks. "
            "(OUTBOUND_ALLOW_PRIVATE_ADDRESSES turns this off for development.)"
        ) from None
    except TimeoutError:
        raise FetchError(
            f"The server did not answer within {options.timeout:g} seconds. "
            "It may be down or slow; the source is retried later."
        ) from None
    except ssl.SSLError as exc:
        raise FetchError(
            f"The secure connection to {parts.hostname} failed ({exc.reason})."
        ) from None
    except socket.gaierror:
        raise FetchError(
            f"The host name {parts.hostname} does not exist (DNS lookup failed)."
        ) from None
    except ConnectionRefusedError:
        raise FetchError(f"{parts.hostname} refused the connection on port {port}.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(
            f"The connection to {parts.hostname} failed: {exc or type(exc).__name__}."
        ) from None
    finally:
        if response is not None:
            response.close()
        conn.close()


def _read_body(response, sock, max_bytes: int, deadline: float) -> bytes:
    too_big = FetchError(
        f"The feed is larger than {max_bytes // 1024} KB, the most the hub accepts. "
        "Ask the site for a shorter feed (fewer entries)."
    )
    length = response.getheader("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_big
    encoding = response.getheader("Content-Encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise FetchError(f"The server used an unknown compression “{encoding}”.")
    out = bytearray()
    try:
        while True:
            # Every read waits only for the time left: a server dripping a byte at a time
            # cannot hold the worker past the deadline (read() would wait for a full chunk).
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
            chunk = response.read1(safehttp.CHUNK)
            if not chunk:
                break
            if decoder is not None:
                # max_length bounds the output of a decompression bomb, not just the input.
                chunk = decoder.decompress(chunk, max_bytes + 1 - len(out))
            out += chunk
            if len(out) > max_bytes:
                raise too_big
        if decoder is not None:
            out += decoder.flush()
    except zlib.error:
        raise FetchError("The server's compressed answer is corrupt.") from None
    except TimeoutError:
        raise FetchError(
            "The server took too long to send the feed; it is retried later."
        ) from None
    if len(out) > max_bytes:
        raise too_big
    return bytes(out)


def parse_retry_after(value: str, *, now: datetime | None = None) -> timedelta | None:
    """RFC 9110 §10.2.3: either a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - (now or datetime.now(UTC)), timedelta(0))


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
