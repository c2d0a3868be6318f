"""Filtering by kind of post (`kind=podcast`): parsed once, applied in the query layer, shown in
the facet panel with counts, in the chips and headings, and taken by the feeds."""

import json
from datetime import UTC, datetime

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


# --- Leaving kinds out (`not-kind`) -------------------------------------------------------------


@pytest.mark.django_db
def test_kinds_to_leave_out_are_parsed_in_one_order_and_win_over_picked_ones():
    parsed = selection("not-kind=quote,event&kind=podcast,event")
    assert parsed.excluded_kinds == ("event", "quote")
    assert parsed.kinds == ("podcast",)
    assert parsed.querystring() == "kind=podcast&not-kind=event&not-kind=quote"
    assert not selection("not-kind=event").is_empty
    # A category with a kind left out is no longer the category's own page.
    assert selection("topic=cx-design&not-kind=event").get_absolute_url() == (
        "/?topic=cx-design&not-kind=event"
    )


@pytest.mark.django_db
def test_an_unknown_kind_to_leave_out_is_dropped_with_a_notice(client):
    parsed = selection("not-kind=sermon")
    assert parsed.excluded_kinds == ()
    assert parsed.dropped == ("sermon",)
    assert parsed.notices == (
        "There is no kind of post “sermon”, so there is none to leave out (the kinds are "
        "article, podcast, webinar, video, event, quote, case-study, report).",
    )
    assert client.get("/?not-kind=sermon").status_code == 200


@pytest.mark.django_db
def test_everything_but_events(client):
    make_post(title="An article", kind="article", categories=["cx-design"])
    make_post(title="An event", kind="event", event_start=datetime(2026, 5, 1, tzinfo=UTC))
    make_post(title="A quote", kind="quote", quote_text="Listen.")
    posts = Post.objects.published().matching(selection("not-kind=event"))
    assert set(posts.values_list("title", flat=True)) == {"An article", "A quote"}

    response = client.get("/?not-kind=event")
    assert [post.title for post in response.context["posts"]] == ["An article", "A quote"]
    assert response.context["heading"] == "Posts except events"
    assert [(c["label"], c["negated"]) for c in response.context["chips"]] == [
        ("except events", True)
    ]
    assert response.context["chips"][0]["remove_url"] == "/"
    html = response.content.decode()
    assert '<link rel="canonical" href="https://hub.example.org/?not-kind=event">' in html
    heading = client.get("/?not-kind=event,quote,video&topic=cx-design").context["heading"]
    assert heading == "Posts about CX design, except videos, events and quotes"


@pytest.mark.django_db
def test_the_kind_group_offers_leaving_a_kind_out(client):
    make_post(kind="event", event_start=datetime(2026, 5, 1, tzinfo=UTC))
    make_post(kind="event", event_start=datetime(2026, 5, 2, tzinfo=UTC))
    make_post(kind="article")
    plain = {o.kind: o for o in client.get("/").context["kinds"]}
    assert plain["event"].exclude_url == "/?not-kind=event"
    left_out = {o.kind: o for o in client.get("/?not-kind=event").context["kinds"]}
    event = left_out["event"]
    assert event.excluded and not event.included
    # The count says what picking it would give; picking it stops leaving it out.
    assert event.count == 2
    assert event.toggle_url == "/?kind=event"
    assert event.exclude_url == "/"
    assert left_out["article"].exclude_url == "/?not-kind=article&not-kind=event"
    html = client.get("/?not-kind=event").content.decode()
    assert "Stop leaving out Event" in html


@pytest.mark.django_db
def test_the_feed_leaves_the_kind_out_and_says_so(client):
    make_post(title="The article", kind="article")
    make_post(title="The event", kind="event", event_start=datetime(2026, 5, 1, tzinfo=UTC))
    parsed = feedparser.parse(client.get("/feed/?not-kind=event").content)
    assert [entry.title for entry in parsed.entries] == ["The article"]
    assert parsed.feed.title.endswith(": posts except events")
    assert client.get("/feed/?not-kind=sermon").status_code == 404


@pytest.mark.django_db
def test_leaving_kinds_out_on_the_events_pages_and_in_the_archive(client):
    make_post(title="The event", kind="event", event_start=datetime(2099, 5, 1, tzinfo=UTC))
    make_post(title="March podcast", kind="podcast", published_at=datetime(2025, 3, 3, tzinfo=UTC))
    make_post(title="March article", published_at=datetime(2025, 3, 4, tzinfo=UTC))
    # Leaving out another kind changes nothing on the events pages: it goes without a word.
    quiet = client.get("/events/?not-kind=podcast")
    assert quiet.context["selection"].notices == () and quiet.context["chips"] == []
    # Leaving out events there would leave nothing: ignored, with a notice; a calendar refuses.
    response = client.get("/events/?not-kind=event")
    assert [post.title for post in response.context["events"]] == ["The event"]
    assert response.context["selection"].notices == (
        "Events pages and calendars hold only events, so leaving them out was ignored.",
    )
    assert client.get("/events.ics?not-kind=event").status_code == 404
    month = client.get("/archive/2025/03/?not-kind=podcast")
    assert [post.title for post in month.context["posts"]] == ["March article"]
    assert month.context["heading"] == "Posts from March 2025 except podcast episodes"
    assert {o.kind: o for o in month.context["kinds"]}["podcast"].toggle_url == (
        "/archive/2025/03/?kind=podcast"
    )
