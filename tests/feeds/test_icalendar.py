"""Calendar feeds (RFC 5545), read back with the `icalendar` package."""

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar as ical
import pytest
from django.utils import timezone

from feeds import calendars
from feeds.icalendar import Event, calendar, escape_text, fold
from posts.models import EventStatus, Post
from tests.factories import make_event, make_post

BERLIN = ZoneInfo("Europe/Berlin")


def read(response) -> ical.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return ical.Calendar.from_ical(response.content)


def vevents(cal: ical.Calendar) -> dict[str, ical.Event]:
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    return lines


@pytest.fixture
def soon():
    return timezone.now().replace(microsecond=0) + timedelta(days=2)


@pytest.mark.django_db
def test_site_calendar_holds_the_events_with_calendar_properties(client, soon):
    event = make_event(title="Patient day", start=soon, end=soon + timedelta(hours=2))
    make_post(title="An article")
    response = client.get("/events.ics")
    cal = read(response)
    assert cal["VERSION"] == "2.0"
    assert "Events" in str(cal["PRODID"])
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]).endswith(": events")
    (vevent,) = cal.walk("VEVENT")
    assert vevent["UID"] == f"post-{event.pk}@hub.example.org"
    assert vevent["DTSTAMP"].dt == event.updated_at.replace(microsecond=0)
    assert vevent["SEQUENCE"] == 0
    assert vevent["DTSTART"].dt == soon
    assert vevent["DTEND"].dt == soon + timedelta(hours=2)
    assert vevent["URL"] == f"https://hub.example.org/post/{event.slug}/"
    assert f"https://hub.example.org/post/{event.slug}/" in vevent["DESCRIPTION"]
    assert vevent["STATUS"] == "CONFIRMED"
    assert all(len(line) <= 75 for line in physical_lines(response.content))


@pytest.mark.django_db
def test_uid_stays_and_sequence_rises_when_the_event_changes(client, soon):
    event = make_event(title="Forum", start=soon)
    first = vevents(read(client.get("/events.ics")))["Forum"]
    event.event_start = soon + timedelta(hours=1)
    event.save()
    moved = vevents(read(client.get("/events.ics")))["Forum"]
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == first["SEQUENCE"] + 1
    assert moved["DTSTART"].dt == soon + timedelta(hours=1)
    assert moved["DTSTAMP"].dt >= first["DTSTAMP"].dt
    event.event_status = EventStatus.CANCELLED
    event.save()
    cancelled = vevents(read(client.get("/events.ics")))["Forum"]
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] == first["SEQUENCE"] + 2
    assert cancelled["STATUS"] == "CANCELLED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, expected",
    [
        (EventStatus.SCHEDULED, "CONFIRMED"),
        (EventStatus.MOVED_ONLINE, "CONFIRMED"),
        (EventStatus.POSTPONED, "TENTATIVE"),
        (EventStatus.CANCELLED, "CANCELLED"),
    ],
)
def test_status_follows_the_event(client, soon, status, expected):
    make_event(title="Talk", start=soon, event_status=status, event_place="Basel")
    vevent = vevents(read(client.get("/events.ics")))["Talk"]
    assert vevent["STATUS"] == expected
    assert vevent["LOCATION"] == ("Online" if status == EventStatus.MOVED_ONLINE else "Basel")


@pytest.mark.django_db
def test_all_day_events_are_dates_with_an_exclusive_end(client):
    year = timezone.now().year + 1
    make_event(
        title="Congress",
        start=datetime(year, 4, 13, tzinfo=BERLIN),
        end=datetime(year, 4, 15, tzinfo=BERLIN),
        event_all_day=True,
        event_online=True,
    )
    make_event(title="One day", start=datetime(year, 4, 20, tzinfo=BERLIN), event_all_day=True)
    response = client.get("/events.ics")
    assert b"DTSTART;VALUE=DATE:" in response.content
    events = vevents(read(response))
    congress = events["Congress"]
    assert congress["DTSTART"].dt == date(year, 4, 13)
    assert type(congress["DTSTART"].dt) is date
    assert congress["DTEND"].dt == date(year, 4, 16)
    assert congress["LOCATION"] == "Online"
    assert events["One day"]["DTSTART"].dt == date(year, 4, 20)
    assert events["One day"]["DTEND"].dt == date(year, 4, 21)


@pytest.mark.django_db
def test_times_round_trip_exactly_across_a_daylight_saving_change(client):
    # Berlin leaves summer time at 03:00 on 25 October 2026: 22:00 CEST → 10:00 CET is 13 hours.
    start = datetime(2026, 10, 24, 22, 0, tzinfo=BERLIN)
    end = datetime(2026, 10, 25, 10, 0, tzinfo=BERLIN)
    event = make_event(title="Night shift", start=start, end=end)
    response = client.get(f"/events/{event.slug}.ics")
    assert b"DTSTART:20261024T200000Z\r\n" in response.content
    assert b"DTEND:20261025T090000Z\r\n" in response.content
    vevent = vevents(read(response))["Night shift"]
    assert vevent["DTSTART"].dt == start
    assert vevent["DTEND"].dt == end
    assert vevent["DTEND"].dt - vevent["DTSTART"].dt == timedelta(hours=13)
    assert vevent["DTSTART"].dt.astimezone(BERLIN).hour == 22
    assert vevent["DTEND"].dt.astimezone(BERLIN).hour == 10


@pytest.mark.django_db
def test_long_multibyte_titles_fold_within_75_octets_and_unfold_to_the_original(client, soon):
    title = "Patientenerfahrung: Ärztinnen, Pflege; Qualität \\ Übersicht — " + "é🩺" * 40
    event = make_event(title=title, start=soon, event_place="Zürich, Hörsaal 3; Eingang B")
    response = client.get(f"/events/{event.slug}.ics")
    lines = physical_lines(response.content)
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # no UTF-8 sequence split across lines
    vevent = vevents(read(response))[title]
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["LOCATION"]) == "Zürich, Hörsaal 3; Eingang B"
    assert b"Z\xc3\xbcrich\\, H\xc3\xb6rsaal 3\\; Eingang B" in response.content.replace(
        b"\r\n ", b""
    )


def test_text_escaping_round_trips_through_a_parser():
    description = 'Line one;\nline two, with a \\ backslash\r\nand "quotes"\tend'
    data = calendar(
        [
            Event(
                uid="post-1@hub.example.org",
                stamp=datetime(2026, 1, 1, tzinfo=UTC),
                sequence=3,
                summary="A, B; C\\D",
                description=description,
                start=datetime(2026, 2, 1, 9, tzinfo=UTC),
            )
        ],
        prodid="-//Test//EN",
        name="Name, with; marks",
    )
    cal = ical.Calendar.from_ical(data)
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "A, B; C\\D"
    assert str(vevent["DESCRIPTION"]) == description.replace("\r\n", "\n")
    assert str(cal["X-WR-CALNAME"]) == "Name, with; marks"
    assert escape_text("a\x00b\x1bc") == "abc"


@pytest.mark.parametrize("length", [1, 74, 75, 76, 149, 150, 151, 400])
@pytest.mark.parametrize("char", ["a", "é", "€", "🩺"])
def test_folding_never_splits_a_character(length, char):
    line = "SUMMARY:" + char * length
    data = fold(line)
    lines = physical_lines(data)
    assert all(len(part) <= 75 for part in lines)
    assert all(part.startswith(b" ") for part in lines[1:])
    assert b"".join(part.decode("utf-8") and part for part in lines)  # each part decodes
    unfolded = data.replace(b"\r\n ", b"")[:-2].decode("utf-8")
    assert unfolded == line


@pytest.mark.django_db
def test_calendar_follows_the_filter_in_the_query_string(client, soon):
    make_event(title="Design meetup", start=soon, categories=["cx-design"])
    make_event(title="Strategy forum", start=soon, categories=["cx-strategy"])
    cal = read(client.get("/events.ics?topic=cx-design"))
    assert set(vevents(cal)) == {"Design meetup"}
    assert "about" in str(cal["X-WR-CALNAME"]) or "design" in str(cal["X-WR-CALNAME"]).lower()
    assert set(vevents(read(client.get("/events.ics?not=cx-design")))) == {"Strategy forum"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["topic=no-such-thing", "industry=cx-design", "not=gone", "kind=podcast"]
)
def test_unusable_filter_values_are_a_plain_404(client, query):
    response = client.get(f"/events.ics?{query}")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "filter values the hub cannot use" in response.content.decode()


@pytest.mark.django_db
def test_the_event_kind_goes_without_saying_in_a_calendar(client, soon):
    make_event(title="Design meetup", start=soon, categories=["cx-design"])
    plain = read(client.get("/events.ics?topic=cx-design"))
    with_kind = read(client.get("/events.ics?kind=event&topic=cx-design"))
    assert set(vevents(with_kind)) == {"Design meetup"}
    assert with_kind["X-WR-CALNAME"] == plain["X-WR-CALNAME"]


@pytest.mark.django_db
def test_add_to_calendar_only_for_visible_events(client, soon):
    event = make_event(title="Open day", start=soon)
    draft = make_event(title="Draft", start=soon, status=Post.Status.DRAFT)
    later = make_event(title="Later", start=soon, published_at=timezone.now() + timedelta(days=1))
    article = make_post(title="Article")
    response = client.get(f"/events/{event.slug}.ics")
    assert set(vevents(read(response))) == {"Open day"}
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    for slug in (draft.slug, later.slug, article.slug, "no-such-post"):
        missing = client.get(f"/events/{slug}.ics")
        assert missing.status_code == 404
        assert missing["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.django_db
def test_event_page_links_its_calendar_file(client, soon):
    event = make_event(title="Open day", start=soon)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/events/{event.slug}.ics"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/events.ics", "/events.ics?topic=cx-design", "one"])
def test_conditional_get(client, soon, url):
    event = make_event(title="Open day", start=soon, categories=["cx-design"])
    if url == "one":
        url = f"/events/{event.slug}.ics"
    first = client.get(url)
    assert first["Cache-Control"].startswith("public, max-age=300")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    event.title = "Open day, new time"
    event.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Open day, new time" in vevents(read(again))


@pytest.mark.django_db
def test_site_calendar_is_bounded(client, monkeypatch):
    monkeypatch.setattr(calendars, "UPCOMING_EVENTS", 3)
    monkeypatch.setattr(calendars, "PAST_EVENTS", 2)
    now = timezone.now()
    for i in range(6):
        make_event(title=f"Future {i}", start=now + timedelta(days=i + 1))
        make_event(title=f"Past {i}", start=now - timedelta(days=i + 1))
    assert set(vevents(read(client.get("/events.ics")))) == {
        "Future 0", "Future 1", "Future 2", "Past 0", "Past 1",
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 40])
def test_calendar_query_count_does_not_grow(client, size, django_assert_num_queries):
    now = timezone.now()
    for i in range(size):
        make_event(title=f"E{i}", start=now + timedelta(days=i - size // 2))
    # categories, content version, upcoming events, past events.
    with django_assert_num_queries(4):
        client.get("/events.ics")
    # A poll with the ETag: categories and version only.
    etag = client.get("/events.ics")["ETag"]
    with django_assert_num_queries(2):
        assert client.get("/events.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_calendar_turns_over_when_an_event_ends_in_real_time(client):
    now = timezone.now()
    make_event(title="Brief", start=now - timedelta(minutes=5), end=now + timedelta(seconds=2))
    first = client.get("/events.ics")
    assert int(first["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 2
    time.sleep(max(0.0, (now + timedelta(seconds=2.1) - timezone.now()).total_seconds()))
    later = client.get("/events.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200
    assert later["ETag"] != first["ETag"]
    assert later["Last-Modified"] != first["Last-Modified"]
    assert later["Cache-Control"].startswith("public, max-age=300")
    # Still in the calendar, now among the past events.
    assert set(vevents(read(later))) == {"Brief"}


@pytest.mark.django_db
def test_subscribe_page_offers_the_calendar(client):
    html = client.get("/subscribe/").content.decode()
    assert "<code>https://hub.example.org/events.ics</code>" in html
