"""How an event's dates and a recording's duration read (posts.kinds, Post properties)."""

from datetime import UTC, datetime, timedelta

import pytest

from posts.kinds import duration_iso, duration_text
from posts.models import Post


def event(start, end=None, *, zone="Europe/Berlin", all_day=False, **fields) -> Post:
    return Post(
        kind="event", event_start=start, event_end=end, event_timezone=zone,
        event_all_day=all_day, **fields,
    )  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_one_day_event_in_summer_time_names_its_zone():
    post = event(utc(2021, 4, 13, 11, 0), utc(2021, 4, 13, 11, 45))
    assert post.event_when_text == "Tue 13 Apr 2021, 13:00\u201313:45 CEST"
    assert post.event_when.start_iso == "2021-04-13T13:00:00+02:00"
    assert post.event_when.end_iso == "2021-04-13T13:45:00+02:00"


def test_winter_time_and_another_zone():
    post = event(utc(2021, 11, 29, 12, 0), utc(2021, 11, 29, 12, 45))
    assert post.event_when_text == "Mon 29 Nov 2021, 13:00\u201313:45 CET"
    post = event(utc(2021, 11, 29, 17, 0), zone="America/New_York")
    assert post.event_when_text == "Mon 29 Nov 2021, 12:00 EST"
    assert post.event_when.end_iso == ""


def test_an_event_across_the_daylight_saving_change_names_both_zones():
    # 28 March 2021: Berlin moves from CET to CEST at 02:00 local time.
    post = event(utc(2021, 3, 28, 0, 0), utc(2021, 3, 28, 2, 0))
    assert post.event_when_text == "Sun 28 Mar 2021, 01:00 CET\u201304:00 CEST"
    assert post.event_when.start_iso == "2021-03-28T01:00:00+01:00"
    assert post.event_when.end_iso == "2021-03-28T04:00:00+02:00"


def test_a_zone_without_an_abbreviation_reads_as_an_offset():
    post = event(utc(2021, 6, 1, 6, 0), utc(2021, 6, 1, 7, 0), zone="Europe/Istanbul")
    assert post.event_when_text == "Tue 1 Jun 2021, 09:00\u201310:00 UTC+03"


def test_multi_day_event_with_times():
    post = event(utc(2021, 4, 13, 7, 0), utc(2021, 4, 15, 15, 0))
    assert post.event_when_text == "Tue 13 Apr 2021, 09:00 CEST \u2013 Thu 15 Apr 2021, 17:00 CEST"
    assert post.event_when.is_multi_day
    # Pieces a narrow screen keeps whole.
    assert post.event_when.chunks == (
        "Tue 13 Apr 2021,", "09:00 CEST \u2013", "Thu 15 Apr 2021,", "17:00 CEST",
    )  # fmt: skip


def test_the_local_date_decides_the_day():
    # 23:30 UTC on 12 April is 01:30 on 13 April in Berlin.
    post = event(utc(2021, 4, 12, 23, 30))
    assert post.event_when_text == "Tue 13 Apr 2021, 01:30 CEST"


@pytest.mark.parametrize(
    ("start", "end", "text", "end_iso"),
    [
        # Midnight in Berlin (CEST/CET) as stored in UTC.
        (utc(2021, 4, 12, 22), None, "Tue 13 Apr 2021", ""),
        (utc(2021, 4, 12, 22), utc(2021, 4, 14, 22), "Tue 13 \u2013 Thu 15 Apr 2021", "2021-04-15"),
        (utc(2021, 3, 30, 22), utc(2021, 4, 1, 22), "Wed 31 Mar \u2013 Fri 2 Apr 2021", "2021-04-02"),  # noqa: E501
        (
            utc(2021, 12, 30, 23), utc(2021, 12, 31, 23),
            "Fri 31 Dec 2021 \u2013 Sat 1 Jan 2022", "2022-01-01",
        ),
    ],
)  # fmt: skip
def test_all_day_events_are_dates_only(start, end, text, end_iso):
    post = event(start, end, all_day=True)
    assert post.event_when_text == text
    assert post.event_when.start_iso == start.astimezone(post.event_zone).date().isoformat()
    assert post.event_when.end_iso == end_iso
    assert " ".join(post.event_when.chunks) == text


def test_no_dates_no_text():
    assert Post(kind="event").event_when_text == ""
    assert Post(kind="event").event_when is None


def test_place_status_and_badge():
    assert event(utc(2021, 1, 1), event_place="Basel").event_place_text == "Basel"
    assert event(utc(2021, 1, 1), event_online=True).event_place_text == "Online"
    both = event(utc(2021, 1, 1), event_place="Basel", event_online=True)
    assert both.event_place_text == "Basel and online"
    moved = event(utc(2021, 1, 1), event_place="Basel", event_status="moved-online")
    assert (moved.event_place_text, moved.event_status_text) == ("Online", "Moved online")
    assert event(utc(2021, 1, 1)).event_status_text == ""
    assert event(utc(2021, 1, 1), event_status="cancelled").event_status_text == "Cancelled"
    assert not Post(kind="article").shows_kind_badge
    assert Post(kind="quote").shows_kind_badge


@pytest.mark.parametrize(
    ("duration", "text", "iso"),
    [
        (timedelta(minutes=42), "42 min", "PT42M"),
        (timedelta(hours=1, minutes=5, seconds=30), "1 h 6 min", "PT1H5M30S"),
        (timedelta(hours=2), "2 h", "PT2H"),
        (timedelta(seconds=45), "45 s", "PT45S"),
        (timedelta(minutes=59, seconds=40), "1 h", "PT59M40S"),
        (None, "", ""),
        (timedelta(0), "", ""),
    ],
)
def test_durations(duration, text, iso):
    assert (duration_text(duration), duration_iso(duration)) == (text, iso)
    post = Post(media_duration=duration)
    assert (post.duration_text, post.duration_iso) == (text, iso)
