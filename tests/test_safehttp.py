"""The shared network-safety layer under both fetchers, against real sockets on 127.0.0.1."""

import socket
import ssl
import time
from urllib.parse import urlsplit

import pytest

from cxhub import safehttp
from tests.httpserver import FeedServer


@pytest.fixture
def server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def listener():
    """A bare listening socket on 127.0.0.1, to see whether anything connected to it."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.setblocking(False)
    yield sock
    sock.close()


def nobody_connected(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return True
    return False


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("::ffff:93.184.215.14", True),  # IPv4-mapped public address
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("10.255.255.254", False),
        ("172.31.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),  # cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("198.18.0.1", False),  # benchmarking
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),  # link-local with a zone
        ("fd12:3456::1", False),  # unique local
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("224.0.0.1", False),
        ("ff02::1", False),
    ],
)
def test_address_vetting(address, public):
    assert safehttp.is_public_address(address) is public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_before_connecting(listener, host):
    port = listener.getsockname()[1]

    with pytest.raises(safehttp.BlockedAddressError) as refused:
        safehttp.connect_vetted(host, port, 2, allow_private=False)

    assert refused.value.host == host
    assert refused.value.addresses  # what the name resolved to, for the message
    assert not any(safehttp.is_public_address(a) for a in refused.value.addresses)
    assert nobody_connected(listener)


def test_private_addresses_connect_when_allowed(listener):
    port = listener.getsockname()[1]

    with safehttp.connect_vetted("127.0.0.1", port, 2, allow_private=True) as sock:
        assert sock.getpeername() == ("127.0.0.1", port)
    assert not nobody_connected(listener)


def test_http_connection_vets_the_address_it_connects_to(server):
    connection = safehttp.connection_for(
        urlsplit(server.url("/rss2.xml", host="localhost")), timeout=2, allow_private=False
    )

    with pytest.raises(safehttp.BlockedAddressError):
        safehttp.get(connection, "/rss2.xml", {})

    assert connection.sock is None  # closed on failure
    assert server.requests == []


def test_get_and_read_within_when_allowed(server):
    connection = safehttp.connection_for(
        urlsplit(server.url("/rss2.xml")), timeout=2, allow_private=True
    )
    try:
        response, sock = safehttp.get(connection, "/rss2.xml", {"User-Agent": "test"})
        body = safehttp.read_within(response, sock, deadline=time.monotonic() + 5, limit=10**6)
    finally:
        connection.close()

    assert response.status == 200
    assert bytes(body) == (server.root / "rss2.xml").read_bytes()
    assert server.requests[0][1]["User-Agent"] == "test"


def test_read_within_stops_soon_after_the_limit(server):
    url = server.route("/huge", stream=3 * 1024 * 1024)
    connection = safehttp.connection_for(urlsplit(url), timeout=2, allow_private=True)
    try:
        response, sock = safehttp.get(connection, "/huge", {})
        body = safehttp.read_within(response, sock, deadline=time.monotonic() + 5, limit=100_000)
    finally:
        connection.close()

    assert 100_000 < len(body) <= 100_000 + safehttp.CHUNK


def test_read_within_gives_up_once_the_deadline_has_passed(server):
    url = server.route("/feed", body=b"<rss/>")
    connection = safehttp.connection_for(urlsplit(url), timeout=2, allow_private=True)
    try:
        response, sock = safehttp.get(connection, "/feed", {})
        with pytest.raises(TimeoutError):
            safehttp.read_within(response, sock, deadline=time.monotonic() - 1, limit=100)
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://example.org/feed", safehttp.VettedHTTPConnection),
        ("https://example.org/feed", safehttp.VettedHTTPSConnection),
        ("HTTPS://example.org/feed", safehttp.VettedHTTPSConnection),  # never plain HTTP
    ],
)
def test_connection_follows_the_scheme(url, kind):
    connection = safehttp.connection_for(urlsplit(url), timeout=1, allow_private=False)

    assert type(connection) is kind
    assert connection.host == "example.org"
    assert connection.port == (443 if kind is safehttp.VettedHTTPSConnection else 80)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://127.0.0.1:6379/_INFO"]
)
def test_other_schemes_get_no_connection(url):
    with pytest.raises(ValueError, match="not an http or https URL"):
        safehttp.connection_for(urlsplit(url), timeout=1, allow_private=False)


def test_https_verifies_the_certificate_for_the_host_name():
    connection = safehttp.connection_for(
        urlsplit("https://example.org/"), timeout=1, allow_private=False
    )

    assert connection._context.verify_mode == ssl.CERT_REQUIRED
    assert connection._context.check_hostname


@pytest.mark.parametrize(
    ("path", "headers", "target"),
    [
        ("/moved", {"Location": "/rss2.xml"}, "/rss2.xml"),
        ("/moved", {"Location": " http://127.0.0.1:1/elsewhere "}, "http://127.0.0.1:1/elsewhere"),
        ("/moved", {}, None),  # a redirect status without a Location
    ],
)
def test_redirect_target(server, path, headers, target):
    url = server.route(path, status=301, headers=headers)
    connection = safehttp.connection_for(urlsplit(url), timeout=2, allow_private=True)
    try:
        response, _ = safehttp.get(connection, path, {})
    finally:
        connection.close()

    expected = server.url(target) if target and target.startswith("/") else target
    assert safehttp.redirect_target(url, response) == expected


def test_an_ordinary_answer_is_no_redirect(server):
    url = server.route("/ok", body=b"<rss/>", headers={"Location": "/elsewhere"})
    connection = safehttp.connection_for(urlsplit(url), timeout=2, allow_private=True)
    try:
        response, _ = safehttp.get(connection, "/ok", {})
    finally:
        connection.close()

    assert safehttp.redirect_target(url, response) is None
