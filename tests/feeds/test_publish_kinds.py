"""Feed items carry their post's kind: an event's dates and place (never in place of the
publication date), a quotation and its author, recordings as enclosures."""

import html
import re
from datetime import UTC, datetime

import pytest

from tests.feeds.feedtools import SITE, get_feed
from tests.kind_posts import make_kind_posts


@pytest.fixture
def kinds(db):
    return make_kind_posts()


def xml_entry(parsed, post):
    (entry,) = [e for e in parsed.entries if e.link == SITE + post.get_absolute_url()]
    return entry


def json_item(feed, post):
    (item,) = [i for i in feed["items"] if i["url"] == SITE + post.get_absolute_url()]
    return item


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


EVENT_LINE = "Event: Tue 13 Apr 2021, 13:00\u201313:45 CEST, online."


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_event_item_has_its_date_and_place_and_keeps_its_publication_date(client, kinds, fmt):
    post = kinds["event"]
    entry = xml_entry(get_feed(client, fmt), post)
    assert words(entry.content[0].value).startswith(
        f"{EVENT_LINE} Organiser: Pharma CX Circle. Free. Register"
    )
    assert 'href="https://example.org/register"' in entry.content[0].value
    summary = entry.summary if fmt == "atom" else html.unescape(entry.summary)
    assert summary.startswith(EVENT_LINE)
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == post.published_at.replace(microsecond=0)
    assert published.date() != datetime(2021, 4, 13).date()


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_cancelled_all_day_event_says_so_without_a_registration_link(client, kinds, fmt):
    entry = xml_entry(get_feed(client, fmt), kinds["cancelled"])
    assert words(entry.content[0].value).startswith(
        "Cancelled. Event: Thu 9 \u2013 Fri 10 Dec 2021, Congress Center Basel. Paid."
    )
    assert "Register" not in entry.content[0].value


def test_json_event_item_has_machine_readable_dates(client, kinds):
    feed = get_feed(client, "json")
    item = json_item(feed, kinds["event"])
    assert item["_cxhub"]["kind"] == "event"
    assert item["_cxhub"]["event"] == {
        "start": "2021-04-13T13:00:00+02:00",
        "end": "2021-04-13T13:45:00+02:00",
        "all_day": False,
        "timezone": "Europe/Berlin",
        "place": None,
        "online": True,
        "status": "scheduled",
        "registration_url": "https://example.org/register",
    }
    start = datetime.fromisoformat(item["_cxhub"]["event"]["start"])
    assert start == kinds["event"].event_start
    assert item["date_published"] != item["_cxhub"]["event"]["start"]
    assert item["summary"].startswith(EVENT_LINE)
    cancelled = json_item(feed, kinds["cancelled"])["_cxhub"]["event"]
    assert (cancelled["start"], cancelled["end"], cancelled["all_day"]) == (
        "2021-12-09", "2021-12-10", True,
    )  # fmt: skip
    assert (cancelled["status"], cancelled["place"]) == ("cancelled", "Congress Center Basel")
    assert "event" not in json_item(feed, kinds["article"])["_cxhub"]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_quote_item_has_the_quotation_and_its_author(client, kinds, fmt):
    feed = get_feed(client, fmt)
    post = kinds["quote"]
    if fmt == "json":
        item = json_item(feed, post)
        content = item["content_html"]
        assert item["_cxhub"]["quote"] == {
            "text": "Most people do not listen with the intent to understand.",
            "author": "Stephen R. Covey",
        }
    else:
        content = xml_entry(feed, post).content[0].value
    assert re.search(
        r"<blockquote><p>Most people do not listen with the intent to understand.</p>"
        r"</blockquote>\s*<p>— <cite>Stephen R. Covey</cite></p>",
        content,
    )


def test_rss_podcast_enclosure_and_video_as_media_content_without_a_made_up_length(client, kinds):
    parsed = get_feed(client, "rss")
    podcast = xml_entry(parsed, kinds["podcast"])
    assert [(e.href, e.type, e.length) for e in podcast.enclosures] == [
        ("https://cdn.example.org/ep42.mp3", "audio/mpeg", "40321024")
    ]
    assert words(podcast.content[0].value).startswith(
        "Podcast episode, 42 min, hosted by Ana Host."
    )
    video = xml_entry(parsed, kinds["video"])
    assert video.enclosures == []
    assert video.media_content == [
        {
            "url": "https://media.example.org/journey.mp4", "medium": "video",
            "type": "video/mp4", "duration": "570",
        }
    ]  # fmt: skip
    # A webinar's link to a page is no media file: no enclosure of any kind.
    webinar = xml_entry(parsed, kinds["webinar"])
    assert webinar.enclosures == [] and "media_content" not in webinar


def test_atom_and_json_carry_video_files_as_enclosures(client, kinds):
    video = xml_entry(get_feed(client, "atom"), kinds["video"])
    assert [(e.href, e.type) for e in video.enclosures] == [
        ("https://media.example.org/journey.mp4", "video/mp4")
    ]
    feed = get_feed(client, "json")
    assert json_item(feed, kinds["video"])["attachments"] == [
        {
            "url": "https://media.example.org/journey.mp4", "mime_type": "video/mp4",
            "duration_in_seconds": 570,
        }
    ]  # fmt: skip
    assert json_item(feed, kinds["podcast"])["attachments"] == [
        {
            "url": "https://cdn.example.org/ep42.mp3", "mime_type": "audio/mpeg",
            "size_in_bytes": 40_321_024, "duration_in_seconds": 2520,
        }
    ]  # fmt: skip
    assert json_item(feed, kinds["case-study"])["_cxhub"]["case_study"] == {
        "organisation": "Example Pharma GmbH",
        "outcomes": ["90 % first-contact resolution", "-35 % call volume", "NPS +18"],
    }
