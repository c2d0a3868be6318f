"""Shared caches may keep what visitors see; staff answers are never cached; gzip but no BREACH."""

import gzip

import pytest

from tests.factories import make_post

pytestmark = pytest.mark.django_db

PAGES = ["/", "/?page=1", "/category/cx-design/", "/?topic=cx-design&not=real-life-examples"]


@pytest.fixture
def post(db):
    return make_post(title="A visible post", categories=["cx-design"])


@pytest.mark.parametrize("url", [*PAGES, "post"])
def test_visitor_pages_are_public_and_revalidate_with_304(client, post, url):
    url = post.get_absolute_url() if url == "post" else url
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert "Cookie" in first["Vary"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


def test_an_edit_changes_the_page_validators_at_once(client, post):
    etag = client.get("/")["ETag"]
    detail_etag = client.get(post.get_absolute_url())["ETag"]
    post.title = "A better title"
    post.save()
    fresh = client.get("/", headers={"if-none-match": etag})
    assert fresh.status_code == 200
    assert "A better title" in fresh.content.decode()
    assert (
        client.get(post.get_absolute_url(), headers={"if-none-match": detail_etag}).status_code
        == 200
    )


@pytest.mark.parametrize("url", [*PAGES, "post"])
def test_staff_answers_are_private_and_never_304(editor_client, post, url):
    url = post.get_absolute_url() if url == "post" else url
    response = editor_client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    assert editor_client.get(url, headers={"if-none-match": "*"}).status_code == 200


def test_staff_see_drafts_privately(editor_client):
    draft = make_post(title="Draft", status="draft")
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", ["/", "/feed/", "/feed/atom/", "/feed.json"])
def test_pages_and_feeds_are_gzipped_when_accepted(client, post, url):
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == client.get(url).content


def test_pages_with_a_csrf_token_are_never_compressed(client, settings):
    # BREACH: a secret in a compressed answer leaks through its length.
    response = client.get(f"/{settings.ADMIN_URL}login/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response
