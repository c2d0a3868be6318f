"""The one outbound HTTP client and the safety layer under it, against real sockets on 127.0.0.1."""

import socket
import ssl
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from cxhub import safehttp
from newsroom.fetch import FetchOptions
from newsroom.fetch import fetch as feed_fetch
from posts.safe_fetch import fetch as link_fetch


@pytest.fixture
def server(feed_server):
    return feed_server


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


# --- the client: fetch() ---------------------------------------------------------------------


def get_feed(url: str, **overrides) -> safehttp.FetchResult:
    options = {"headers": {}, "timeout": 2, "max_bytes": 100_000, "max_redirects": 3}
    return safehttp.fetch(url, **options | overrides)


def test_fetch_follows_redirects_and_says_when_all_were_permanent(server):
    server.route("/old", status=301, headers={"Location": "/older"})
    server.route("/older", status=308, headers={"Location": "/rss2.xml"})
    server.route("/today", status=302, headers={"Location": "/rss2.xml"})

    moved = get_feed(server.url("/old"))
    visiting = get_feed(server.url("/today"))

    assert moved.url == visiting.url == server.url("/rss2.xml")
    assert moved.permanent_url == server.url("/rss2.xml")
    assert visiting.permanent_url is None
    assert moved.body == (server.root / "rss2.xml").read_bytes()
    assert moved.content_type == "application/rss+xml"
    assert moved.charset == "utf-8"
    assert moved.headers["etag"]


def test_fetch_names_a_redirect_loop_with_its_chain(server):
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(server.url("/a"))

    assert failed.value.reason == safehttp.Failure.REDIRECT_LOOP
    assert failed.value.chain == (server.url("/a"), server.url("/b"), server.url("/a"))
    assert server.paths() == ["/a", "/b"]


def test_fetch_stops_after_max_redirects(server):
    for n in range(5):
        server.route(f"/hop{n}", status=307, headers={"Location": f"/hop{n + 1}"})

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(server.url("/hop0"), max_redirects=2)

    assert failed.value.reason == safehttp.Failure.TOO_MANY_REDIRECTS
    assert failed.value.status == 307
    assert server.paths() == ["/hop0", "/hop1", "/hop2"]


def test_a_redirect_without_location_is_a_failure(server):
    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(server.route("/nowhere", status=302, body=b""))

    assert failed.value.reason == safehttp.Failure.NO_LOCATION
    assert (failed.value.status, failed.value.status_text) == (302, "Found")


def test_a_status_outside_the_accepted_ones_fails_with_its_retry_after(server):
    busy = server.route("/busy", status=503, headers={"Retry-After": "120"})
    gone = server.route("/gone", status=410, headers={"Retry-After": "120"})

    with pytest.raises(safehttp.FetchError) as unavailable:
        get_feed(busy)
    with pytest.raises(safehttp.FetchError) as missing:
        get_feed(gone)

    assert unavailable.value.reason == missing.value.reason == safehttp.Failure.STATUS
    assert unavailable.value.retry_after == timedelta(minutes=2)
    assert missing.value.status == 410
    assert missing.value.retry_after is None  # only 429 and 503 ask for a pause


def test_304_comes_back_without_a_body_when_accepted(server):
    url = server.url("/rss2.xml")
    etag = get_feed(url).headers["etag"]

    result = get_feed(url, headers={"If-None-Match": etag}, ok_statuses=(200, 304))

    assert result.not_modified
    assert result.body == b""
    with pytest.raises(safehttp.FetchError, match="status"):
        get_feed(url, headers={"If-None-Match": etag})  # 2xx only by default


def test_a_refused_content_type_is_not_read(server):
    url = server.route("/big.pdf", stream=3 * 1024 * 1024, content_type="application/pdf")

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(url, accept_types=("text/html",), timeout=5)

    assert failed.value.reason == safehttp.Failure.CONTENT_TYPE
    assert failed.value.content_type == "application/pdf"


def test_a_body_over_the_cap_is_refused_or_cut_as_asked(server):
    url = server.route("/huge", stream=3 * 1024 * 1024)

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(url)
    cut = get_feed(url, truncate=True)

    assert failed.value.reason == safehttp.Failure.TOO_BIG
    assert failed.value.status == 200
    assert cut.truncated
    assert len(cut.body) == 100_000


def test_the_cap_counts_decompressed_bytes(server):
    bomb = server.route("/bomb", body=b"\0" * (20 * 1024 * 1024), gzip=True)
    small = server.route("/small", body=b"<rss/>" * 100, gzip=True)

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(bomb)

    assert failed.value.reason == safehttp.Failure.TOO_BIG
    assert get_feed(small).body == b"<rss/>" * 100


def test_an_unknown_compression_is_refused(server):
    url = server.route("/br", body=b"\x1b\x03", headers={"Content-Encoding": "br"})

    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(url)

    assert (failed.value.reason, failed.value.detail) == (safehttp.Failure.ENCODING, "br")


def test_no_answer_and_a_dripping_answer_are_told_apart(server):
    slow = server.route("/slow", body=b"<rss/>", delay=5)
    drip = server.route("/drip", body=b"<rss>" + b" " * 50, drip=0.1)

    with pytest.raises(safehttp.FetchError) as silent:
        get_feed(slow, timeout=1)
    with pytest.raises(safehttp.FetchError) as dripping:
        get_feed(drip, timeout=1)

    assert silent.value.reason == safehttp.Failure.TIMEOUT
    assert silent.value.status is None
    assert dripping.value.reason == safehttp.Failure.TOO_SLOW


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org:abc/feed", safehttp.Failure.INVALID_URL),
        ("file:///etc/passwd", safehttp.Failure.SCHEME),
        ("http:///feed.xml", safehttp.Failure.NO_HOST),
    ],
)
def test_unfetchable_addresses_fail_before_any_connection(url, reason):
    with pytest.raises(safehttp.FetchError) as failed:
        get_feed(url)

    assert failed.value.reason == reason
    assert failed.value.url == url


def test_private_addresses_follow_the_one_setting_unless_the_caller_decides(server, settings):
    url = server.url("/rss2.xml")
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = False

    with pytest.raises(safehttp.FetchError) as refused:
        get_feed(url)
    assert refused.value.reason == safehttp.Failure.BLOCKED
    assert refused.value.addresses == ("127.0.0.1",)
    assert server.requests == []

    assert get_feed(url, allow_private=True).status == 200
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    assert get_feed(url).status == 200
    with pytest.raises(safehttp.FetchError):
        get_feed(url, allow_private=False)


def test_callers_word_failures_their_own_way():
    error = safehttp.FetchError(safehttp.Failure.DNS, "https://nowhere.example/feed")

    assert error.host == "nowhere.example"
    assert error.port == 443
    assert "dns" in str(error)
    error.message = "The host name nowhere.example does not exist."
    assert str(error) == "The host name nowhere.example does not exist."


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    assert safehttp.parse_retry_after("90", now=now) == timedelta(seconds=90)
    assert safehttp.parse_retry_after("Sat, 01 Mar 2025 14:00:00 GMT", now=now) == timedelta(
        hours=2
    )
    assert safehttp.parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", now=now) == timedelta(0)
    assert safehttp.parse_retry_after("soon", now=now) is None
    assert safehttp.parse_retry_after("", now=now) is None


@pytest.mark.parametrize("allowed", [False, True])
def test_one_setting_governs_add_from_link_and_ingestion(server, settings, allowed):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = allowed
    page = server.route("/page", file="page.html", content_type="text/html")
    fetches = {
        "add from link": lambda: link_fetch(
            page, accept=("text/html",), what="a web page", max_bytes=10**6
        ),
        "ingestion": lambda: feed_fetch(server.url("/rss2.xml"), FetchOptions.from_settings()),
    }

    for caller, fetch in fetches.items():
        if allowed:
            assert fetch().status == 200, caller
        else:
            with pytest.raises(safehttp.FetchError) as refused:
                fetch()
            assert refused.value.reason == safehttp.Failure.BLOCKED, caller
    assert len(server.requests) == (2 if allowed else 0)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://example.org/a", "", "https://example.org/a"),
        ("  HTTP://Example.org/a  ", "", "HTTP://Example.org/a"),
        ("/story/1", "https://news.example/feed", "https://news.example/story/1"),
        ("story/1", "", ""),  # relative, and nothing to resolve it against
        ("//cdn.example/x.png", "https://news.example/", "https://cdn.example/x.png"),
        ("javascript:alert(1)", "https://news.example/", ""),
        ("data:text/html,hi", "", ""),
        ("mailto:editor@example.org", "", ""),
        ("ftp://example.org/file", "", ""),
        ("http:///no-host", "", ""),
        ("http://example.org:abc/", "", ""),
        ("http://[::1", "https://news.example/", ""),
        ("", "https://news.example/", ""),
    ],
)
def test_absolute_http_url(url, base, expected):
    assert safehttp.absolute_http_url(url, base) == expected
