"""Filtering by kind of post (`kind=podcast`): parsed once, applied in the query layer, shown in
the facet panel with counts, in the chips and headings, and taken by the feeds."""

import json

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict

from posts.filters import Listing, kind_options
from posts.models import Kind, Post
from posts.selection import KIND_NOUNS, PostFilter
from tests.factories import make_post


def selection(query: str) -> PostFilter:
    return Listing.from_request(QueryDict(query)).selection


def test_every_kind_has_its_words():
    assert list(KIND_NOUNS) == list(Kind.values)


@pytest.mark.django_db
def test_kinds_are_parsed_repeated_or_comma_separated_in_one_order():
    assert selection("kind=webinar,podcast").kinds == ("podcast", "webinar")
    assert selection("kind=Webinar&kind=podcast&kind=podcast").kinds == ("podcast", "webinar")
    assert selection("kind=podcast&kind=webinar").querystring() == "kind=podcast&kind=webinar"


@pytest.mark.django_db
def test_an_unknown_kind_is_dropped_with_a_notice():
    parsed = selection("kind=podcast,sermon")
    assert parsed.kinds == ("podcast",)
    assert parsed.dropped == ("sermon",)
    assert parsed.unknown == ()
    assert any("no kind of post “sermon”" in notice for notice in parsed.notices)


@pytest.mark.django_db
def test_kinds_are_alternatives_and_combine_with_categories_and_search():
    podcast = make_post(title="Listening to patients", kind="podcast", categories=["cx-design"])
    make_post(title="Listening on paper", kind="article", categories=["cx-design"])
    webinar = make_post(title="Listening live", kind="webinar", categories=["cx-design"])
    make_post(title="Listening elsewhere", kind="podcast", categories=["cx-strategy"])

    def titles(query):
        posts = Post.objects.published().matching(selection(query))
        return set(posts.values_list("title", flat=True))

    assert titles("kind=podcast,webinar&topic=cx-design") == {podcast.title, webinar.title}
    assert titles("kind=podcast&topic=cx-design&q=patients") == {podcast.title}
    assert titles("kind=quote") == set()


@pytest.mark.django_db
def test_the_page_lists_the_kind_with_heading_chip_and_canonical(client):
    make_post(title="An episode on design", kind="podcast", categories=["cx-design"])
    make_post(title="An article on design", kind="article", categories=["cx-design"])
    response = client.get("/?topic=cx-design&kind=podcast")
    html = response.content.decode()
    assert response.status_code == 200
    assert "An episode on design" in html
    assert "An article on design" not in html
    assert "<h1>Podcast episodes about CX design</h1>" in html
    # The chip removes the kind and keeps the category (its page is the category page).
    assert 'href="/category/cx-design/">podcast episodes' in html
    canonical = "https://hub.example.org/?topic=cx-design&amp;kind=podcast"
    assert f'rel="canonical" href="{canonical}"' in html


@pytest.mark.django_db
def test_a_search_heading_counts_in_the_kind(client):
    make_post(title="Journey mapping, the episode", kind="podcast")
    html = client.get("/?kind=podcast&q=journey").content.decode()
    assert "1 podcast episode matching “journey”" in html


@pytest.mark.django_db
def test_an_unknown_kind_on_a_page_is_a_notice_not_an_error(client):
    response = client.get("/?kind=sermon")
    assert response.status_code == 200
    assert "There is no kind of post “sermon”" in response.content.decode()


@pytest.mark.django_db
def test_kind_counts_follow_the_rest_of_the_selection():
    make_post(kind="podcast", categories=["cx-design"])
    make_post(kind="podcast", categories=["cx-strategy"])
    make_post(kind="webinar", categories=["cx-design"])
    make_post(kind="article", categories=["cx-design"], status=Post.Status.DRAFT)
    options = {o.kind: o for o in kind_options(selection("topic=cx-design&kind=podcast"))}
    # The picked kind does not narrow its own group: the counts say "if I also pick this".
    assert options["podcast"].count == 1
    assert options["webinar"].count == 1
    assert options["article"].count == 0
    assert options["podcast"].included and not options["webinar"].included
    assert options["podcast"].toggle_url == "/category/cx-design/"
    assert options["webinar"].toggle_url == "/?topic=cx-design&kind=podcast&kind=webinar"


@pytest.mark.django_db
def test_kind_counts_are_one_query_then_cached(django_assert_num_queries):
    from cxhub import content_version

    make_post(kind="podcast")
    cache.clear()
    version = content_version.current()
    podcasts = selection("kind=podcast")
    with django_assert_num_queries(1):
        kind_options(podcasts, version)
    with django_assert_num_queries(0):
        assert kind_options(podcasts, version)[1].count == 1


@pytest.mark.django_db
def test_the_panel_shows_the_kind_group(client):
    make_post(kind="podcast")
    html = client.get("/").content.decode()
    assert '<h3 id="facet-kind">Kind</h3>' in html
    assert 'href="/?kind=podcast"' in html
    # The events pages list one kind: no group there.
    assert 'id="facet-kind"' not in client.get("/events/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/"])
def test_the_feed_takes_the_kind(client, path):
    make_post(title="The episode", kind="podcast", categories=["cx-design"])
    make_post(title="The article", kind="article", categories=["cx-design"])
    response = client.get(f"{path}?kind=podcast&topic=cx-design")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert [entry.title for entry in parsed.entries] == ["The episode"]
    assert "podcast episodes about CX design" in parsed.feed.title


@pytest.mark.django_db
def test_the_json_feed_takes_the_kind(client):
    make_post(title="The episode", kind="podcast")
    make_post(title="The article", kind="article")
    items = json.loads(client.get("/feed.json?kind=podcast").content)["items"]
    assert [item["title"] for item in items] == ["The episode"]


@pytest.mark.django_db
def test_a_feed_with_an_unknown_kind_answers_nothing(client):
    make_post(kind="podcast")
    response = client.get("/feed/?kind=podcast,sermon")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert "sermon" in response.content.decode()


@pytest.mark.django_db
def test_a_kind_filter_reads_an_index():
    """A kind's posts newest first can come from post_kind_visibility, not a scan."""
    if connection.vendor == "postgresql":
        # PostgreSQL's planner picks by the statistics of the moment: on a test database of a
        # few rows any index, or none, is as cheap (a full run of the suite saw it take the
        # published_at index with an incremental sort). Here the index must exist with the
        # right columns; docs/benchmarks.md has the plan at 100,000 posts.
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Post._meta.db_table)
        assert constraints["post_kind_visibility"]["columns"] == ["kind", "status", "published_at"]
        return
    qs = Post.objects.published().matching(selection("kind=podcast")).newest_first()[:20]
    assert "post_kind_visibility" in qs.explain()
