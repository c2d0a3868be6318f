"""HTTP(S) connections that cannot be steered into our own network. Shared by every fetch.

The rule, in one place: the host is resolved when connecting, every address it resolves to is
vetted, and the socket connects to the vetted address itself (so the name cannot resolve
differently between the check and the connection, and a redirect to an internal host is caught
on its own hop). Private, loopback, link-local, reserved and multicast addresses are refused
unless the caller allows them. TLS still verifies the certificate against the host name (SNI).

Policy stays with the callers (posts.safe_fetch, newsroom.fetch): which URLs they accept,
the headers they send, how redirects, status codes and sizes are treated, and the words of
their messages. The exceptions here carry facts, not messages; socket.gaierror (host not
found), TimeoutError and the other OSErrors come through as they are.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import SplitResult, quote, urljoin, urlsplit

SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


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


def read_within(
    response: http.client.HTTPResponse, sock: socket.socket, *, deadline: float, limit: int
) -> bytearray:
    """Read the body until its end or until more than `limit` bytes have come, by `deadline`.

    Every read waits only for the time left (time.monotonic() based), so a server dripping a
    byte at a time cannot outlast the deadline: TimeoutError once it has passed. The result is
    at most one chunk over `limit`; the caller decides whether to cut or refuse.
    """
    body = bytearray()
    while len(body) <= limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        body += chunk
    return body


class UnfetchableURL(ValueError):
    """Why an address cannot be fetched; `reason` is "invalid", "scheme" or "host"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def split_http_url(url: str) -> SplitResult:
    """The parts of an http(s) address with a host, or UnfetchableURL saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a malformed port)
    except ValueError:
        raise UnfetchableURL("invalid") from None
    if parts.scheme.lower() not in SCHEMES:
        raise UnfetchableURL("scheme")
    if not parts.hostname:
        raise UnfetchableURL("host")
    return parts


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
