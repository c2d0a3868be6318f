"""Whole reader pages kept for visitors under the content version (cxhub.httpcache.reader_page):
served again without being built, never stale after an edit or a scheduled time, never kept
for or served to anybody signed in."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from cxhub import content_version
from cxhub.httpcache import PAGE_FORMAT_VERSION
from tests.factories import make_post

pytestmark = pytest.mark.django_db

PAGES = ["/", "/category/cx-design/", "/?topic=cx-design&kind=article", "/events/", "/archive/"]


@pytest.fixture
def post(db):
    return make_post(title="A visible post", categories=["cx-design"])


@pytest.mark.parametrize("url", [*PAGES, "post"])
def test_a_visitors_page_is_served_again_whole_from_one_indexed_query(
    client, post, url, django_assert_num_queries
):
    url = post.get_absolute_url() if url == "post" else url
    first = client.get(url)
    assert first.status_code == 200 and first.context is not None  # built
    with django_assert_num_queries(1):  # the content version
        again = client.get(url)
    assert again.context is None  # not built: kept
    assert again.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Type", "Vary"):
        assert again[header] == first[header], header
    with django_assert_num_queries(1):
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_revalidation_is_answered_from_the_kept_etag_without_the_page(
    client, post, django_assert_num_queries
):
    # The ETag is kept beside the page: a 304 does not read the page (here gone from the
    # cache, as a full cache drops entries), and a changed copy still gets the page.
    first = client.get("/")
    address = first.wsgi_request.build_absolute_uri()
    cache.delete(content_version.current().key("page", PAGE_FORMAT_VERSION, address))
    with django_assert_num_queries(1):  # the content version: the page is not built again
        again = client.get("/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    other = client.get("/", headers={"if-none-match": '"another"'})
    assert other.status_code == 200 and other.content == first.content


def test_an_edit_is_on_the_kept_pages_at_once(client, post):
    assert "A visible post" in client.get("/").content.decode()
    client.get(post.get_absolute_url())
    post.title = "A better title"
    post.save()
    assert "A better title" in client.get("/").content.decode()
    assert "A better title" in client.get(post.get_absolute_url()).content.decode()


def test_a_scheduled_post_is_on_the_kept_pages_when_its_time_comes(client, post):
    soon = timezone.now() + timedelta(seconds=2)
    make_post(title="Scheduled story", categories=["cx-design"], published_at=soon)
    page = client.get("/")
    assert "Scheduled story" not in page.content.decode()
    # Kept until then, and said so: a shared cache may keep it no longer than that either.
    assert int(page["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert "Scheduled story" in client.get("/").content.decode()


def test_the_address_is_the_key_query_and_way_back_included(client, post):
    plain = client.get(post.get_absolute_url()).content.decode()
    back = client.get(post.get_absolute_url() + "?from=/category/cx-design/").content.decode()
    assert plain != back
    assert "/category/cx-design/" in back


def test_staff_and_signed_in_readers_never_get_or_leave_a_kept_page(client, post):
    draft = make_post(title="A draft", status="draft", categories=["cx-design"])
    editor = get_user_model().objects.create_user("ed", password="x", is_staff=True)
    client.force_login(editor)
    staff_page = client.get(draft.get_absolute_url())
    assert staff_page.status_code == 200 and staff_page["Cache-Control"] == "private, no-store"
    home = client.get("/")
    assert home["Cache-Control"] == "private, no-store"
    client.logout()
    # What staff saw was not kept for visitors, and the visitor's page is not staff's.
    assert client.get(draft.get_absolute_url()).status_code == 404
    visitor = client.get("/")
    assert visitor.context is not None and "A draft" not in visitor.content.decode()
    reader = get_user_model().objects.create_user("reader", password="x")
    client.force_login(reader)
    assert client.get("/").context is not None  # built for them, not taken from the cache
