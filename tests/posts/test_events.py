"""The events pages: upcoming and past, dates in the event's zone, filters, caches over time."""

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cxhub import content_version
from posts.models import EventStatus, Post
from tests.factories import forget_page, make_event, make_post

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def titles(response, name: str = "events") -> list[str]:
    return [post.title for post in response.context[name]]


@pytest.fixture
def calendar(db):
    now = timezone.now()
    return {
        "later": make_event(title="Later", start=now + timedelta(days=2)),
        "soon": make_event(
            title="Soon", start=now + timedelta(days=1), end=now + timedelta(days=1, hours=1)
        ),
        "under way": make_event(
            title="Under way", start=now - timedelta(hours=1), end=now + timedelta(hours=1)
        ),
        "recent": make_event(title="Recent", start=now - timedelta(days=1)),
        "older": make_event(title="Older", start=now - timedelta(days=5)),
        "article": make_post(title="Not an event"),
    }


def test_upcoming_soonest_first_then_recent_past_most_recent_first(client, calendar):
    response = client.get("/events/")
    assert response.status_code == 200
    assert titles(response) == ["Under way", "Soon", "Later"]
    assert titles(response, "recent_past") == ["Recent", "Older"]
    html = response.content.decode()
    assert html.index("Later") < html.index("Recent past events") < html.index("Older")
    assert "Not an event" not in html


def test_past_events_have_their_own_pages(client, calendar, settings):
    settings.POSTS_PER_PAGE = 1
    first = client.get("/events/past/")
    assert titles(first) == ["Recent"]
    assert 'href="/events/past/?page=2"' in first.content.decode()
    assert titles(client.get("/events/past/?page=2")) == ["Older"]
    assert client.get("/events/past/?page=3").status_code == 404
    assert client.get("/events/past/?page=x").status_code == 404


def test_queryset_split_follows_the_clock():
    now = timezone.now()
    event = make_event(title="Talk", start=now + timedelta(hours=1), end=now + timedelta(hours=2))
    events = Post.objects.published()
    assert list(events.upcoming(now)) == [event]
    assert list(events.upcoming(now + timedelta(hours=2))) == []
    assert list(events.past(now + timedelta(hours=2))) == [event]


def test_an_all_day_event_is_upcoming_until_local_midnight_after_its_last_day():
    start = datetime(2026, 4, 13, tzinfo=BERLIN)
    event = make_event(
        title="Congress", start=start, end=datetime(2026, 4, 15, tzinfo=BERLIN), event_all_day=True
    )
    events = Post.objects.published()
    assert list(events.upcoming(datetime(2026, 4, 15, 23, 59, tzinfo=BERLIN))) == [event]
    assert list(events.upcoming(datetime(2026, 4, 16, 0, 0, tzinfo=BERLIN))) == []


def test_drafts_and_scheduled_posts_are_not_listed(client):
    now = timezone.now()
    make_event(title="Draft", start=now + timedelta(days=1), status=Post.Status.DRAFT)
    make_event(title="Not yet", start=now + timedelta(days=1), published_at=now + timedelta(1))
    assert titles(client.get("/events/")) == []


# How an event's dates read is tested in tests/posts/test_kinds.py (posts.kinds.EventWhen).


def test_the_page_shows_date_place_status_and_calendar_link(client):
    start = timezone.now() + timedelta(days=3)
    event = make_event(
        title="Patient day",
        start=start,
        event_place="Basel",
        event_status=EventStatus.CANCELLED,
    )
    make_event(title="Web talk", start=start, event_online=True)
    html = client.get("/events/").content.decode()
    assert event.event_when_text in html
    assert "Basel" in html and "Online" in html
    assert "<strong>Cancelled</strong>" in html
    assert f'href="/events/{event.slug}.ics"' in html
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/events.ics"' in html


def test_events_filter_with_the_query_string_of_every_listing(client):
    start = timezone.now() + timedelta(days=1)
    make_event(title="Design meetup", start=start, categories=["cx-design"])
    make_event(title="Strategy forum", start=start, categories=["cx-strategy"])
    make_post(title="Design article", categories=["cx-design"])
    response = client.get("/events/?topic=cx-design")
    assert titles(response) == ["Design meetup"]
    html = response.content.decode()
    assert 'href="/events.ics?topic=cx-design"' in html
    # Facet options count events and lead to the events page.
    design = next(
        option
        for group in response.context["facets"]
        for option in group.options
        if option.category.slug == "cx-design"
    )
    assert design.count == 1
    assert design.toggle_url == "/events/"
    strategy = next(
        option
        for group in response.context["facets"]
        for option in group.options
        if option.category.slug == "cx-strategy"
    )
    assert strategy.toggle_url == "/events/?topic=cx-design&topic=cx-strategy"
    assert titles(client.get("/events/?not=cx-design")) == ["Strategy forum"]


@pytest.mark.parametrize("query", ["topic=no-such-thing", "industry=cx-design", "q=%00", "x=1"])
def test_unknown_filter_values_get_a_notice_never_an_error(client, query):
    make_event(title="Meetup", start=timezone.now() + timedelta(days=1))
    response = client.get(f"/events/?{query}")
    assert response.status_code == 200


def test_site_navigation_leads_to_events(client):
    assert '<a href="/events/">Events</a>' in client.get("/").content.decode()


def test_home_shows_the_next_three_upcoming_events(client, calendar):
    make_event(title="Fourth", start=timezone.now() + timedelta(days=9))
    response = client.get("/")
    assert [post.title for post in response.context["next_events"]] == [
        "Under way",
        "Soon",
        "Later",
    ]
    html = response.content.decode()
    assert "Fourth" not in html.split('class="next-events"')[1].split("</section>")[0]
    assert 'href="/events/">All events</a>' in html
    assert client.get("/?topic=cx-design").context["next_events"] == []


def test_home_query_budget_holds_with_events(client, calendar, django_assert_num_queries):
    client.get("/")
    forget_page("/")
    # Built again: categories, content version, page rows with their categories' keys; events
    # come from the cache.
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", ["/events/", "/events/past/", "/events/?topic=cx-design"])
def test_events_page_queries_do_not_grow_with_events(client, url, django_assert_num_queries):
    def add(n):
        now = timezone.now()
        for i in range(n):
            make_event(
                title=f"E{i}", start=now + timedelta(days=i - n / 2), categories=["cx-design"]
            )

    add(4)
    client.get(url)
    # Cache warm, the page built again: categories, content version, the page's events (their
    # cards show no categories). Counts, facet counts and the recent past come from the cache.
    forget_page(url)
    with django_assert_num_queries(3):
        client.get(url)
    add(30)
    client.get(url)
    forget_page(url)
    with django_assert_num_queries(3):
        client.get(url)


def test_the_version_moves_when_the_next_event_ends_with_nobody_acting():
    now = timezone.now()
    make_event(title="Talk", start=now + timedelta(hours=1), end=now + timedelta(hours=2))
    before = content_version.current(at=now)
    assert before.next_expiry == now + timedelta(hours=2)
    assert before.next_change == now + timedelta(hours=2)
    after = content_version.current(at=now + timedelta(hours=3))
    assert after.counter == before.counter
    assert after.token != before.token
    assert after.next_expiry is None
    assert after.last_modified == now + timedelta(hours=2)


def test_pages_turn_over_when_an_event_ends_in_real_time(client):
    now = timezone.now()
    make_event(title="Lasting", start=now + timedelta(days=1))
    make_event(title="Brief", start=now - timedelta(minutes=1), end=now + timedelta(seconds=2))
    first = client.get("/events/")
    assert titles(first) == ["Brief", "Lasting"]
    assert "max-age=2," in first["Cache-Control"] or "max-age=1," in first["Cache-Control"]
    home = client.get("/")
    assert [p.title for p in home.context["next_events"]] == ["Brief", "Lasting"]
    assert int(home["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2

    assert client.get("/events/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    time.sleep(max(0.0, (now + timedelta(seconds=2.1) - timezone.now()).total_seconds()))

    later = client.get("/events/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200
    assert later["ETag"] != first["ETag"]
    assert titles(later) == ["Lasting"]
    assert titles(later, "recent_past") == ["Brief"]
    assert later["Last-Modified"] != first["Last-Modified"]
    assert "max-age=60," in later["Cache-Control"]
    assert [p.title for p in client.get("/").context["next_events"]] == ["Lasting"]
    since = client.get("/events/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 200


def test_all_day_dates_show_without_times(client):
    day = timezone.now().astimezone(BERLIN).date() + timedelta(days=10)
    start = datetime.combine(day, datetime.min.time(), tzinfo=BERLIN)
    event = make_event(title="Conference", start=start, event_all_day=True)
    html = client.get("/events/").content.decode()
    assert event.event_when_text in html
    assert ":" not in event.event_when_text
    assert isinstance(day, date)


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.parametrize("url", ["/events/", "/events/past/"])
def test_events_page_queries_without_a_cache_do_not_grow(client, settings, url):
    settings.CACHES = NO_CACHE
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    now = timezone.now()
    for i in range(4):
        make_event(title=f"A{i}", start=now + timedelta(days=i - 2), categories=["cx-design"])
    few = count()
    for i in range(40):
        make_event(title=f"B{i}", start=now + timedelta(days=i - 20), categories=["cx-design"])
    assert count() == few


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/events/?topic=old-design", "/events/?topic=cx-design"),
        ("/events/past/?topic=old-design", "/events/past/?topic=cx-design"),
        ("/events.ics?topic=old-design", "/events.ics?topic=cx-design"),
    ],
)
def test_a_renamed_category_redirects_to_the_same_events_selection(client, url, expected):
    from posts.models import Category

    design = Category.objects.get(slug="cx-design")
    design.slug = "old-design"
    design.save()
    design.slug = "cx-design"
    design.save()
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (301, expected)


@pytest.mark.parametrize("key", ["topic", "not", "q", "page", "unknown"])
@pytest.mark.parametrize("value", ["", "%00", "\x00", "a" * 5000, "ü😀中文", "\ud800", "9" * 30])
def test_hostile_query_values_never_cause_a_server_error(client, key, value):
    from urllib.parse import quote

    make_event(title="Meetup", start=timezone.now() + timedelta(days=1), categories=["cx-design"])
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    for base in ["/events/", "/events/past/", "/events.ics"]:
        response = client.get(f"{base}?{key}={encoded}&{key}={encoded}")
        assert response.status_code in (200, 404), (base, key, value)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize("url", ["/events/", "/events/past/", "/events.ics", "/events/a.ics"])
def test_events_answer_only_get_and_head(client, method, url):
    assert client.generic(method, url).status_code == 405
