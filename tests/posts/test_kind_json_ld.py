"""JSON-LD by kind, read from the page's <head> as a crawler would: only what we store."""

from datetime import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.kind_posts import make_kind_posts
from tests.posts.headtools import json_ld_of_type, parse_head

SITE = "https://hub.example.org"


@pytest.fixture
def kinds(db):
    return make_kind_posts()


def json_ld(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return parse_head(response.content.decode())


def with_cover(post):
    buffer = BytesIO()
    Image.new("RGB", (40, 20), "#0b5cad").save(buffer, "PNG")
    post.cover = SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")
    post.save()
    return post


def test_online_event(client, kinds):
    post = kinds["event"]
    event = json_ld_of_type(json_ld(client, post), "Event")
    assert event["name"] == post.title
    assert event["startDate"] == "2021-04-13T13:00:00+02:00"
    assert event["endDate"] == "2021-04-13T13:45:00+02:00"
    assert datetime.fromisoformat(event["startDate"]) == post.event_start
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"] == {"@type": "VirtualLocation", "url": "https://example.org/register"}
    assert event["organizer"] == {"@type": "Organization", "name": "Pharma CX Circle"}
    assert event["isAccessibleForFree"] is True
    assert event["offers"] == {"@type": "Offer", "price": 0, "url": "https://example.org/register"}
    assert event["url"] == f"{SITE}{post.get_absolute_url()}"
    assert "datePublished" not in event  # not a property of an Event


def test_cancelled_all_day_event_in_a_place(client, kinds):
    event = json_ld_of_type(json_ld(client, kinds["cancelled"]), "Event")
    assert (event["startDate"], event["endDate"]) == ("2021-12-09", "2021-12-10")
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place", "name": "Congress Center Basel", "address": "Congress Center Basel",
    }  # fmt: skip
    assert event["isAccessibleForFree"] is False
    assert "offers" not in event and "organizer" not in event  # nothing stored to say


def test_mixed_and_moved_online_events(client, kinds):
    post = kinds["cancelled"]
    post.event_status, post.event_online = "scheduled", True
    post.save()
    event = json_ld_of_type(json_ld(client, post), "Event")
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in event["location"]] == ["Place", "VirtualLocation"]
    post.event_status, post.event_online = "moved-online", False
    post.save()
    event = json_ld_of_type(json_ld(client, post), "Event")
    assert event["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"]["@type"] == "VirtualLocation"


def test_podcast_episode(client, kinds):
    episode = json_ld_of_type(json_ld(client, kinds["podcast"]), "PodcastEpisode")
    assert episode["name"] == "Listening at scale, episode 42"
    assert episode["duration"] == "PT42M"
    assert episode["associatedMedia"] == {
        "@type": "MediaObject", "contentUrl": "https://cdn.example.org/ep42.mp3",
        "encodingFormat": "audio/mpeg",
    }  # fmt: skip
    assert episode["datePublished"]


def test_video_with_a_cover_is_a_video_object_and_without_one_a_blog_post(client, kinds):
    head = json_ld(client, kinds["video"])
    assert [item["@type"] for item in head.json_ld] == ["BlogPosting", "BreadcrumbList"]
    video = json_ld_of_type(json_ld(client, with_cover(kinds["video"])), "VideoObject")
    assert video["thumbnailUrl"].startswith(f"{SITE}/media/covers/")
    assert video["uploadDate"] == kinds["video"].published_at.isoformat()
    assert video["duration"] == "PT9M30S"
    assert video["contentUrl"] == "https://media.example.org/journey.mp4"
    webinar = json_ld_of_type(json_ld(client, with_cover(kinds["webinar"])), "VideoObject")
    assert webinar["duration"] == "PT1H2M"
    assert "contentUrl" not in webinar  # its link is a page, not the recording's file


def test_quotation(client, kinds):
    quote = json_ld_of_type(json_ld(client, kinds["quote"]), "Quotation")
    assert quote["text"] == "Most people do not listen with the intent to understand."
    assert quote["spokenByCharacter"] == {"@type": "Person", "name": "Stephen R. Covey"}


@pytest.mark.parametrize("key", ["article", "report", "case-study"])
def test_other_kinds_are_blog_posts(client, kinds, key):
    assert json_ld_of_type(json_ld(client, kinds[key]), "BlogPosting")["headline"]
