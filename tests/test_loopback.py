"""The loopback server the benchmark and the fetch tests serve from."""

import http.client
from pathlib import Path

import pytest

from cxhub.loopback import LoopbackServer

FEEDS = Path(__file__).parent / "data" / "feeds"


@pytest.fixture
def server():
    with LoopbackServer(FEEDS) as server:
        yield server


def get(server: LoopbackServer, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_files_come_with_a_guessed_type_and_validators(server):
    response, body = get(server, "/page.html")

    assert response.status == 200
    assert body == (FEEDS / "page.html").read_bytes()
    assert response.getheader("Content-Type") == "text/html"
    etag = response.getheader("ETag")
    assert get(server, "/page.html", {"If-None-Match": etag})[0].status == 304
    assert server.paths() == ["/page.html", "/page.html"]


def test_a_missing_file_or_a_way_out_of_the_folder_is_not_found(server):
    for path in ("/missing.xml", "/../settings.py"):
        response, _ = get(server, path)
        assert (response.status, response.reason) == (404, "File not found")


def test_routes_answer_as_scripted(server):
    server.route("/moved", status=301, headers={"Location": "/rss2.xml"}, reason="Gone away")
    server.route("/plain", body=b"hello", conditional=False, content_type="text/plain")

    moved, _ = get(server, "/moved")
    plain, body = get(server, "/plain")

    assert (moved.status, moved.reason, moved.getheader("Location")) == (
        301,
        "Gone away",
        "/rss2.xml",
    )
    assert body == b"hello"
    assert plain.getheader("ETag") is None


def test_it_listens_on_the_loopback_address_only(server):
    assert server.url("/x") == f"http://127.0.0.1:{server.port}/x"
    assert server._httpd.server_address[0] == "127.0.0.1"
