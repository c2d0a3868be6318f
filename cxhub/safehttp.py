"""Outbound HTTP(S) for the whole hub: one client that cannot be steered into our own network.

The rule, in one place: the host is resolved when connecting, every address it resolves to is
vetted, and the socket connects to the vetted address itself (so the name cannot resolve
differently between the check and the connection, and a redirect to an internal host is caught
on its own hop). Private, loopback, link-local, reserved and multicast addresses are refused
unless OUTBOUND_ALLOW_PRIVATE_ADDRESSES is on. TLS still verifies the certificate against the
host name (SNI).

`fetch` is the client: one deadline for the whole fetch (a server dripping a byte a second
cannot hold a worker), redirects followed hop by hop with a limit and loop detection, a size
cap counted after decompression (no zip bombs), and every failure one FetchError whose
`reason` (a Failure) says what went wrong, with the facts a message needs. Policy stays with
the callers (posts.safe_fetch for "add from link", newsroom.fetch for ingestion): the headers
they send (user agent, conditional GET), the statuses and content types they accept, their
limits, and the words of their messages, chosen by reason.
"""

from __future__ import annotations

import email.utils
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum, auto
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from django.conf import settings

SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
CHUNK = 64 * 1024


class Failure(StrEnum):
    """Why a fetch failed. Callers word each for their readers; the values are for logs."""

    INVALID_URL = auto()  # not a parseable address (e.g. a port that is not a number)
    SCHEME = auto()  # not http or https
    NO_HOST = auto()
    BLOCKED = auto()  # the host resolves only to private or local addresses
    DNS = auto()  # the host name does not resolve
    TIMEOUT = auto()  # no answer by the deadline
    TLS = auto()
    REFUSED = auto()
    CONNECTION = auto()  # any other failure before the answer came
    NO_LOCATION = auto()  # a redirect status without a Location
    REDIRECT_LOOP = auto()
    TOO_MANY_REDIRECTS = auto()
    STATUS = auto()  # a status the caller does not accept
    CONTENT_TYPE = auto()  # a content type the caller does not accept
    TOO_BIG = auto()
    TOO_SLOW = auto()  # the answer began but its body did not arrive by the deadline
    BROKEN = auto()  # the connection broke off while the body came
    ENCODING = auto()  # a Content-Encoding other than gzip, deflate or identity
    CORRUPT = auto()  # compressed data that does not decompress
    EMPTY = auto()  # for callers that need a body and got none


class FetchError(Exception):
    """A fetch that did not work: `reason`, the facts behind it, and a message.

    `url` is the address of the hop that failed, `chain` every address on the way (ending
    with `url`), `status` the status of the answer that failed, if one came. `message` starts
    as a plain default; callers replace it with their own words for the reason.
    """

    def __init__(
        self,
        reason: Failure,
        url: str,
        *,
        chain: tuple[str, ...] = (),
        status: int | None = None,
        status_text: str = "",
        content_type: str = "",
        addresses: tuple[str, ...] = (),
        detail: str = "",
        retry_after: timedelta | None = None,
    ) -> None:
        self.reason = reason
        self.url = url
        self.chain = chain or (url,)
        self.status = status
        self.status_text = status_text  # the server's own reason phrase
        self.content_type = content_type  # "" when the answer named none
        self.addresses = addresses  # what a blocked host resolved to, in the resolver's order
        self.detail = detail  # the underlying error: CONNECTION, BROKEN, TLS, ENCODING, INVALID_URL
        self.retry_after = retry_after  # from Retry-After, on a 429 or 503 (STATUS)
        self.message = f"Fetching {url} failed: {reason}" + (f" ({detail})" if detail else "")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @property
    def host(self) -> str:
        try:
            return urlsplit(self.url).hostname or ""
        except ValueError:
            return ""

    @property
    def port(self) -> int | None:
        try:
            parts = urlsplit(self.url)
            return parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
        except ValueError:
            return None


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    content_type: str = ""  # without parameters; "" when the answer named none
    charset: str | None = None
    body: bytes = b""  # decompressed
    truncated: bool = False  # cut at max_bytes, for a caller that asked for that
    permanent_url: str | None = None  # set when every redirect on the way was permanent

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    truncate: bool = False,
    accept_types: tuple[str, ...] = (),
    ok_statuses: Container[int] = range(200, 300),
    allow_private: bool | None = None,
) -> FetchResult:
    """GET `url`, following redirects; the answer, or FetchError.

    `timeout` is the deadline for everything, redirects and body included. A status outside
    `ok_statuses` fails (304, when accepted, comes back without a body), and so does a content
    type not starting with one of `accept_types` (when given). A body over `max_bytes` fails,
    unless `truncate`: then it is cut there (enough for a page's <head>). `allow_private`
    None means the OUTBOUND_ALLOW_PRIVATE_ADDRESSES setting.
    """
    if allow_private is None:
        allow_private = settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES
    deadline = time.monotonic() + timeout
    chain: list[str] = []
    permanent = True
    while True:
        if url in chain:
            raise FetchError(Failure.REDIRECT_LOOP, url, chain=(*chain, url))
        chain.append(url)
        try:
            parts = split_http_url(url)
        except FetchError as error:
            raise FetchError(error.reason, url, chain=tuple(chain)) from None
        response, connection, sock = _request(parts, url, headers, deadline, allow_private, chain)
        try:
            status = response.status
            facts = {"chain": tuple(chain), "status": status}
            if status in REDIRECT_STATUSES:
                target = redirect_target(url, response)
                if target is None:
                    raise FetchError(Failure.NO_LOCATION, url, status_text=response.reason, **facts)
                if len(chain) > max_redirects:
                    raise FetchError(Failure.TOO_MANY_REDIRECTS, url, **facts)
                permanent = permanent and status in PERMANENT_REDIRECTS
                url = target
                continue
            if status not in ok_statuses:
                raise FetchError(
                    Failure.STATUS,
                    url,
                    status_text=response.reason,
                    # RFC 9110 §10.2.3 and RFC 6585 §4: a server asking for a pause.
                    retry_after=(
                        parse_retry_after(response.getheader("Retry-After", ""))
                        if status in (429, 503)
                        else None
                    ),
                    **facts,
                )
            answer = FetchResult(
                url=url,
                status=status,
                headers={name.lower(): value for name, value in response.getheaders()},
                content_type=(
                    response.headers.get_content_type()
                    if response.getheader("Content-Type")
                    else ""
                ),
                charset=response.headers.get_content_charset(),
                permanent_url=url if permanent and len(chain) > 1 else None,
            )
            if status == 304:  # RFC 9110 §15.4.5: no body
                return answer
            if accept_types and not answer.content_type.startswith(accept_types):
                raise FetchError(
                    Failure.CONTENT_TYPE, url, content_type=answer.content_type, **facts
                )
            declared = response.getheader("Content-Length", "")
            if not truncate and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(Failure.TOO_BIG, url, **facts)
            body = _read(response, sock, url, deadline, max_bytes, facts)
            if len(body) > max_bytes and not truncate:
                raise FetchError(Failure.TOO_BIG, url, **facts)
            return replace(answer, body=bytes(body[:max_bytes]), truncated=len(body) > max_bytes)
        finally:
            response.close()
            connection.close()


def _request(
    parts: SplitResult,
    url: str,
    headers: Mapping[str, str],
    deadline: float,
    allow_private: bool,
    chain: list[str],
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection, socket.socket]:
    """Connect and send the GET: (response, connection, socket), or FetchError."""
    facts = {"chain": tuple(chain)}
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(Failure.TIMEOUT, url, **facts)
    connection = connection_for(parts, timeout=remaining, allow_private=allow_private)
    # The order matters: gaierror, TimeoutError and SSLError are OSErrors too.
    try:
        response, sock = get(connection, request_target(parts), dict(headers))
    except BlockedAddressError as error:
        raise FetchError(Failure.BLOCKED, url, addresses=tuple(error.addresses), **facts) from None
    except socket.gaierror:
        raise FetchError(Failure.DNS, url, **facts) from None
    except TimeoutError:
        raise FetchError(Failure.TIMEOUT, url, **facts) from None
    except ssl.SSLError as error:
        raise FetchError(Failure.TLS, url, detail=error.reason or str(error), **facts) from None
    except ConnectionRefusedError:
        raise FetchError(Failure.REFUSED, url, **facts) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(Failure.CONNECTION, url, detail=_detail(error), **facts) from None
    return response, connection, sock


def _read(
    response: http.client.HTTPResponse,
    sock: socket.socket,
    url: str,
    deadline: float,
    max_bytes: int,
    facts: dict,
) -> bytearray:
    try:
        return read_within(response, sock, deadline=deadline, limit=max_bytes)
    except TimeoutError:
        raise FetchError(Failure.TOO_SLOW, url, **facts) from None
    except UnsupportedEncoding as error:
        raise FetchError(Failure.ENCODING, url, detail=error.encoding, **facts) from None
    except zlib.error:
        raise FetchError(Failure.CORRUPT, url, **facts) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(Failure.BROKEN, url, detail=_detail(error), **facts) from None


def _detail(error: BaseException) -> str:
    return str(error) or type(error).__name__


class BlockedAddressError(Exception):
    """Every address `host` resolves to is private or local, and those are not allowed."""

    def __init__(self, host: str, addresses: list[str]):
        super().__init__(f"{host} resolves only to non-public addresses: {', '.join(addresses)}")
        self.host = host
        self.addresses = addresses  # in the resolver's order


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address; IPv4-mapped IPv6 counts as its IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def connect_vetted(host: str, port: int, timeout: float, *, allow_private: bool) -> socket.socket:
    """Resolve once, vet every address, connect to the first acceptable one that answers.

    Raises socket.gaierror when the name does not resolve, BlockedAddressError when every
    address was refused, and the last connection error when none of the others answered.
    """
    candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not candidates:
        raise socket.gaierror(socket.EAI_NONAME, f"no address for {host}")
    refused: list[str] = []
    last_error: OSError | None = None
    for family, kind, proto, _canonical, address in candidates:
        if not allow_private and not is_public_address(address[0]):
            refused.append(address[0])
            continue
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        return sock
    if last_error is not None:
        raise last_error
    raise BlockedAddressError(host, refused)


class VettedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None = None, *, timeout: float, allow_private: bool):
        super().__init__(host, port, timeout=timeout)
        self.allow_private = allow_private

    def connect(self) -> None:
        self.sock = connect_vetted(
            self.host, self.port, self.timeout, allow_private=self.allow_private
        )


class VettedHTTPSConnection(http.client.HTTPSConnection):
    """`context` None is http.client's default: verified certificates, ALPN http/1.1."""

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        timeout: float,
        allow_private: bool,
        context: ssl.SSLContext | None = None,
    ):
        super().__init__(host, port, timeout=timeout, context=context)
        self.allow_private = allow_private

    def connect(self) -> None:
        sock = connect_vetted(self.host, self.port, self.timeout, allow_private=self.allow_private)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def connection_for(
    parts: SplitResult,
    *,
    timeout: float,
    allow_private: bool,
    context: ssl.SSLContext | None = None,
) -> VettedHTTPConnection | VettedHTTPSConnection:
    """A not yet connected connection to the host and port of an http or https URL."""
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"not an http or https URL: {parts.geturl()}")
    if scheme == "https":
        return VettedHTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, allow_private=allow_private,
            context=context,
        )  # fmt: skip
    return VettedHTTPConnection(
        parts.hostname, parts.port, timeout=timeout, allow_private=allow_private
    )


def get(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[http.client.HTTPResponse, socket.socket]:
    """Send a GET; the response and the socket it arrives on (for deadline-bounded reads).

    The connection is closed if anything fails; otherwise closing it is the caller's job.
    """
    try:
        connection.request("GET", path, headers=headers)
        # Keep the socket: http.client hands it over to a response that closes the connection.
        sock = connection.sock
        return connection.getresponse(), sock
    except BaseException:
        connection.close()
        raise


class UnsupportedEncoding(Exception):
    def __init__(self, encoding: str) -> None:
        super().__init__(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = encoding


def _decoder(response: http.client.HTTPResponse):
    encoding = response.getheader("Content-Encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj()
    if encoding in ("", "identity"):
        return None
    raise UnsupportedEncoding(encoding)


def read_within(
    response: http.client.HTTPResponse, sock: socket.socket, *, deadline: float, limit: int
) -> bytearray:
    """Read the body until its end or until more than `limit` bytes have come, by `deadline`.

    Every read waits only for the time left (time.monotonic() based), so a server dripping a
    byte at a time cannot outlast the deadline: TimeoutError once it has passed. gzip and
    deflate bodies are decompressed as they come and `limit` counts decompressed bytes, so a
    small bomb cannot unfold into gigabytes (zlib.error when the data is corrupt,
    UnsupportedEncoding for other encodings). The result is at most one chunk over `limit`;
    the caller decides whether to cut or refuse.
    """
    decoder = _decoder(response)
    body = bytearray()
    while len(body) <= limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        chunk = response.read1(CHUNK)
        if not chunk:
            if decoder is not None:
                body += decoder.flush()
            break
        if decoder is not None:
            # max_length bounds the output, not just the input; never 0, which means unbounded.
            chunk = decoder.decompress(chunk, limit + 1 - len(body))
        body += chunk
    return body


def split_http_url(url: str) -> SplitResult:
    """The parts of an http(s) address with a host, or FetchError saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a malformed port)
    except ValueError as exc:
        raise FetchError(Failure.INVALID_URL, url, detail=str(exc)) from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(Failure.SCHEME, url)
    if not parts.hostname:
        raise FetchError(Failure.NO_HOST, url)
    return parts


def absolute_http_url(url: str, base: str = "") -> str:
    """`url`, made absolute against `base` if given, when it is an http(s) address with a host;
    "" for anything else (javascript:, data:, mailto:, a relative leftover, a malformed port).

    The one test of "a web address" for links taken from documents and stored data, the same
    that fetch() applies before connecting.
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        if base:
            url = urljoin(base, url)
        split_http_url(url)
    except (ValueError, FetchError):  # urljoin raises ValueError for a broken [IPv6] host
        return ""
    return url


# RFC 3986 characters that may stand unescaped in a path (and, with "?", in a query).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def request_target(parts: SplitResult) -> str:
    """The path and query to send, percent-encoded: http.client refuses non-ASCII."""
    target = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_PATH_SAFE + "?")
    return target


def redirect_target(url: str, response: http.client.HTTPResponse) -> str | None:
    """Where a redirect answer points, made absolute; None when it is not one or has no Location."""
    location = response.getheader("Location")
    if response.status not in REDIRECT_STATUSES or not location:
        return None
    return urljoin(url, location.strip())


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
