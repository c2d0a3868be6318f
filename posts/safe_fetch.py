"""Fetching a URL an editor pasted, without letting it reach into our own network.

Rules: http and https only; every redirect hop re-checked, at most MAX_REDIRECTS of them; the
host is resolved at connection time and private, loopback, link-local and other non-public
addresses are refused (so a redirect or a DNS answer cannot smuggle in 127.0.0.1 or the cloud
metadata address) unless OUTBOUND_ALLOW_PRIVATE_ADDRESSES is on; one deadline for the whole
fetch (a server dripping one byte a second cannot hold a worker); a size cap; no compression
(no zip bombs). Every failure is a FetchError whose message an editor can act on.

The address vetting, the connections and the deadline-bounded read are cxhub.safehttp, shared
with feed ingestion; this module is the editor's policy on top: what it accepts, what it says.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from cxhub import safehttp

MAX_REDIRECTS = 5


class FetchError(Exception):
    """A fetch that did not work; the message is written for the editor."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    truncated: bool


def fetch(
    url: str,
    *,
    accept: tuple[str, ...],
    what: str,
    max_bytes: int,
    truncate: bool = False,
    timeout: float | None = None,
) -> FetchResult:
    """GET `url`; `accept` are allowed content-type prefixes, `what` names them for messages.

    With `truncate`, a body over `max_bytes` is cut there (enough for a page's <head>);
    without, it is refused.
    """
    timeout = settings.LINK_FETCH_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    seen = 0
    while True:
        parts = _check_url(url)
        try:
            response, connection, sock = _request(parts, deadline, timeout)
        except FetchError:
            raise
        except safehttp.BlockedAddressError as error:
            raise FetchError(
                f"{error.host} points to a private or local network address "
                f"({error.addresses[0]}); the hub only fetches from public addresses."
            ) from None
        except socket.gaierror:
            raise FetchError(
                f"The host name “{parts.hostname}” could not be found. Check the link."
            ) from None
        except TimeoutError:
            raise FetchError(
                f"{parts.hostname} did not answer within {_seconds(timeout)}. The site may be "
                "slow or down; try again later or fill in the fields yourself."
            ) from None
        except ssl.SSLError as error:
            raise FetchError(
                f"The secure connection to {parts.hostname} failed ({error.reason or error}). "
                "Check that the link is right; the site's certificate may be broken."
            ) from None
        except ConnectionRefusedError:
            raise FetchError(f"{parts.hostname} refused the connection.") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"Could not fetch {url}: {error}.") from None
        try:
            target = safehttp.redirect_target(url, response)
            if target is not None:
                seen += 1
                if seen > MAX_REDIRECTS:
                    raise FetchError(
                        f"The link redirects more than {MAX_REDIRECTS} times; it may loop. "
                        "Open it in a browser and paste the address you end up at."
                    )
                url = target
                continue
            return _read(url, parts, response, sock, accept, what, max_bytes, truncate,
                         deadline, timeout)  # fmt: skip
        finally:
            connection.close()


def _check_url(url: str):
    try:
        return safehttp.split_http_url(url)
    except safehttp.UnfetchableURL as exc:
        raise FetchError(
            {
                "invalid": f"“{url}” is not a valid web address.",
                "scheme": "Only http and https addresses can be fetched, "
                f"not “{urlsplit(url.strip()).scheme or url}”.",
                "host": f"“{url}” has no host name.",
            }[exc.reason]
        ) from None


def _request(parts, deadline: float, timeout: float):
    remaining = max(deadline - time.monotonic(), 0.001)
    connection = safehttp.connection_for(
        parts, timeout=remaining, allow_private=settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES
    )
    path = safehttp.request_target(parts)
    headers = {
        "User-Agent": f"{settings.SITE_NAME} link preview (+{settings.SITE_URL})",
        "Accept": "text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "identity",
    }
    response, sock = safehttp.get(connection, path, headers)
    return response, connection, sock


def _read(url, parts, response, sock, accept, what, max_bytes, truncate, deadline, timeout):
    if not 200 <= response.status < 300:
        raise FetchError(
            f"{parts.hostname} answered “{response.status} {response.reason}” for this address. "
            "Check the link in a browser."
        )
    content_type = response.headers.get_content_type()
    if not any(content_type.startswith(prefix) for prefix in accept):
        kind = content_type if response.getheader("Content-Type") else "an unknown type"
        raise FetchError(f"The address gives a file of type {kind}, not {what}.")
    declared_length = response.getheader("Content-Length", "")
    if not truncate and declared_length.isdigit() and int(declared_length) > max_bytes:
        raise FetchError(_too_big(what, max_bytes))
    try:
        body = safehttp.read_within(response, sock, deadline=deadline, limit=max_bytes)
    except TimeoutError:
        raise FetchError(
            f"{parts.hostname} took longer than {_seconds(timeout)} to send {what}. "
            "Try again later or fill in the fields yourself."
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"The connection to {parts.hostname} broke off: {error}.") from None
    truncated = len(body) > max_bytes
    if truncated and not truncate:
        raise FetchError(_too_big(what, max_bytes))
    return FetchResult(
        url=url,
        status=response.status,
        content_type=content_type,
        charset=response.headers.get_content_charset(),
        body=bytes(body[:max_bytes]),
        truncated=truncated,
    )


def _seconds(timeout: float) -> str:
    return f"{timeout:g} second{'' if timeout == 1 else 's'}"


def _too_big(what: str, max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / 1024 / 1024:g} MB"
    else:
        size = f"{max_bytes // 1024} KB"
    noun = what.removeprefix("a ").removeprefix("an ")
    return f"The {noun} is larger than {size}, the most the hub accepts."
