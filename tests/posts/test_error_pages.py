"""404 and 500 pages in the site's design, offering search and the categories."""

import pytest
from django.test import RequestFactory

from cxhub.availability import server_error


def test_unknown_post_says_so_in_a_sentence(client, db):
    response = client.get("/post/nothing-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no post at this address. It may have moved or been taken down." in html
    assert "matches the given query" not in html
    assert "<title>Page not found — CX Inspiration Hub</title>" in html


def test_404_offers_search_and_every_category(client, db):
    html = client.get("/no/such/page/").content.decode()
    assert "There is nothing at this address." in html
    assert 'role="search"' in html and 'id="search-404"' in html
    assert 'href="/category/cx-design/"' in html
    assert 'href="/category/stop-it-mini-series/"' in html
    assert "<h3" in html and ">Series</h3>" in html
    assert 'href="/static/css/hub.css"' in html
    # The resolver's own message (the URL patterns it tried) is not for readers.
    assert "tried" not in html.lower()


def test_404_keeps_our_own_messages(client, db):
    html = client.get("/category/no-such-category/").content.decode()
    assert "There is no category “no-such-category”." in html


def test_404_from_get_object_or_404_is_not_shown_to_readers(rf, db):
    from django.http import Http404

    from posts.views import page_not_found

    response = page_not_found(rf.get("/x/"), Http404("No Post matches the given query."))
    html = response.content.decode()
    assert "matches the given query" not in html
    assert "There is nothing at this address." in html


def test_500_renders_without_the_database_in_the_site_design():
    # No `db` fixture: pytest-django refuses any query, so this proves the page makes none.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/static/css/hub.css"' in html
    assert 'class="site-header"' in html
    assert 'role="search"' in html and 'action="/"' in html
    assert 'href="/category/cx-design/"' in html


def test_500_renders_even_when_static_files_are_broken(monkeypatch):
    import cxhub.availability

    def broken(path):
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(cxhub.availability, "static", broken)
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "stylesheet" not in response.content.decode()


@pytest.mark.urls("tests.posts.failing_urls")
def test_an_error_in_a_view_shows_the_500_page(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
