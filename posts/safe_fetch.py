"""Fetching for "add from link" (the pasted page, a cover image address): the editor's policy on
cxhub.safehttp's client, and its failures in words an editor can act on.

The policy: the hub names itself as a link preview, asks for no compression, follows at most
MAX_REDIRECTS redirects, gives up after LINK_FETCH_TIMEOUT seconds for the whole fetch, and
takes only 2xx answers of the content types the caller accepts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from cxhub.safehttp import Failure, FetchError, FetchResult
from cxhub.safehttp import fetch as safe_fetch

MAX_REDIRECTS = 5


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
    without, it is refused. Raises FetchError with a message for the editor.
    """
    timeout = settings.LINK_FETCH_TIMEOUT if timeout is None else timeout
    headers = {
        "User-Agent": f"{settings.SITE_NAME} link preview (+{settings.SITE_URL})",
        "Accept": "text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "identity",
    }
    try:
        return safe_fetch(
            url,
            headers=headers,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=MAX_REDIRECTS,
            truncate=truncate,
            accept_types=accept,
        )
    except FetchError as error:
        error.message = _words(error, what=what, timeout=timeout, max_bytes=max_bytes)
        raise


def _words(error: FetchError, *, what: str, timeout: float, max_bytes: int) -> str:
    url, host = error.url, error.host
    match error.reason:
        case Failure.INVALID_URL:
            return f"“{url}” is not a valid web address."
        case Failure.SCHEME:
            return (
                "Only http and https addresses can be fetched, "
                f"not “{urlsplit(url.strip()).scheme or url}”."
            )
        case Failure.NO_HOST:
            return f"“{url}” has no host name."
        case Failure.BLOCKED:
            return (
                f"{host} points to a private or local network address ({error.addresses[0]}); "
                "the hub only fetches from public addresses."
            )
        case Failure.DNS:
            return f"The host name “{host}” could not be found. Check the link."
        case Failure.TIMEOUT:
            return (
                f"{host} did not answer within {_seconds(timeout)}. The site may be slow or "
                "down; try again later or fill in the fields yourself."
            )
        case Failure.TLS:
            return (
                f"The secure connection to {host} failed ({error.detail}). Check that the link "
                "is right; the site's certificate may be broken."
            )
        case Failure.REFUSED:
            return f"{host} refused the connection."
        case Failure.CONNECTION:
            return f"Could not fetch {url}: {error.detail}."
        case Failure.TOO_MANY_REDIRECTS:
            return (
                f"The link redirects more than {MAX_REDIRECTS} times; it may loop. "
                "Open it in a browser and paste the address you end up at."
            )
        case Failure.REDIRECT_LOOP:
            return (
                "The link redirects in a loop. "
                "Open it in a browser and paste the address you end up at."
            )
        case Failure.STATUS | Failure.NO_LOCATION:
            return (
                f"{host} answered “{error.status} {error.status_text}” for this address. "
                "Check the link in a browser."
            )
        case Failure.CONTENT_TYPE:
            kind = error.content_type or "an unknown type"
            return f"The address gives a file of type {kind}, not {what}."
        case Failure.TOO_BIG:
            return _too_big(what, max_bytes)
        case Failure.TOO_SLOW:
            return (
                f"{host} took longer than {_seconds(timeout)} to send {what}. "
                "Try again later or fill in the fields yourself."
            )
        case Failure.BROKEN:
            return f"The connection to {host} broke off: {error.detail}."
        case Failure.ENCODING | Failure.CORRUPT:
            return f"{host} sent {what} in a form the hub cannot read ({error.reason})."
    return error.message


def _seconds(timeout: float) -> str:
    return f"{timeout:g} second{'' if timeout == 1 else 's'}"


def _too_big(what: str, max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / 1024 / 1024:g} MB"
    else:
        size = f"{max_bytes // 1024} KB"
    noun = what.removeprefix("a ").removeprefix("an ")
    return f"The {noun} is larger than {size}, the most the hub accepts."
