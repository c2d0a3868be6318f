""" "Add from link" against real pages served by a local HTTP server on 127.0.0.1."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_duration
from PIL import Image

from cxhub.safehttp import FetchError
from posts import fetch_metadata as fetch_metadata_module
from posts.fetch_metadata import fetch_metadata
from posts.models import Kind, Post
from posts.safe_fetch import fetch
from tests.factories import make_post
from tests.posts.admin_support import (
    fast_password_hashing,  # noqa: F401 (fixture)
    make_staff,
    messages_of,
    post_form_data,
)
from tests.posts.link_server import HUGE_PAGE_BYTES, serve_pages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

ADD_FROM_LINK = reverse("admin:posts_post_add_from_link")


@pytest.fixture
def pages(settings):
    settings.LINK_FETCH_TIMEOUT = 2
    with serve_pages() as base:
        yield base


def add_from(client, url):
    """Paste a link; returns the add form it leads to and the messages shown there."""
    response = client.post(ADD_FROM_LINK, {"url": url}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("admin:posts_post_add"))
    form = response.context["adminform"].form
    return form, messages_of(response), response


def test_opengraph_page_fills_in_the_new_post(editor_client, pages):
    form, messages, response = add_from(editor_client, f"{pages}/article-og.html")

    assert form.initial["title"] == "Mapping patient journeys in oncology"
    assert form.initial["excerpt"] == (
        "How three hospitals used journey maps to cut waiting times & stress for patients."
    )
    assert form.initial["link"] == "https://review.example.org/patient-journeys"  # og:url
    assert form.initial["cover_url"] == f"{pages}/images/journey.png"  # made absolute
    assert form.initial["kind"] == Kind.ARTICLE
    assert form.initial["author_name"] == "Dana Moreau"
    assert any("Filled in from review.example.org" in m for m in messages)
    # The values are in the form the editor sees, ready to edit.
    assert 'value="Mapping patient journeys in oncology"' in response.content.decode()


def test_twitter_card_page_fills_in_a_video(editor_client, pages):
    form, _, _ = add_from(editor_client, f"{pages}/video-twitter.html")

    assert form.initial["title"] == "Voice of the customer in five minutes"
    assert form.initial["excerpt"] == "A short talk on listening to HCPs."
    assert form.initial["cover_url"] == "https://cdn.example.org/voc.jpg"
    assert form.initial["kind"] == Kind.VIDEO
    assert form.initial["link"] == f"{pages}/video-twitter.html"


def test_page_without_social_metadata_uses_title_and_description(editor_client, pages):
    form, _, _ = add_from(editor_client, f"{pages}/plain.html")

    assert form.initial["title"] == "Webinar: measuring CX in pharma"
    assert form.initial["excerpt"] == "Join us for a one-hour session on CX metrics."
    assert form.initial["kind"] == Kind.WEBINAR
    assert form.initial["link"] == f"{pages}/webinars/measuring-cx"  # rel=canonical, absolute
    assert "cover_url" not in form.initial


def test_page_without_any_metadata_says_so_and_keeps_the_link(editor_client, pages):
    form, messages, _ = add_from(editor_client, f"{pages}/bare.html")

    assert "title" not in form.initial
    assert form.initial["link"] == f"{pages}/bare.html"
    assert any("gives no title, description or image" in m for m in messages)


def test_page_charset_from_the_content_type_header(pages):
    assert fetch_metadata(f"{pages}/iso-8859-1.html").title == "Kundenerlebnis für Ärzte"


def test_redirects_are_followed_to_the_final_page(pages):
    assert fetch_metadata(f"{pages}/moved.html").title == "Mapping patient journeys in oncology"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/slow.html", "did not answer within 1 second"),
        ("/drip.html", "took longer than 1 second"),
        ("/report.pdf", "a file of type application/pdf, not a web page"),
        ("/missing.html", "answered “404 File not found”"),
        ("/loop/1", "redirects more than 5 times"),
        ("/circle/a", "redirects in a loop"),
        ("/to-file.html", "Only http and https addresses"),
    ],
)
def test_unreadable_page_leaves_a_message_and_an_empty_form(
    editor_client, pages, settings, path, expected
):
    settings.LINK_FETCH_TIMEOUT = 1
    form, messages, response = add_from(editor_client, pages + path)

    assert not response.context["adminform"].form.errors
    assert set(form.initial) <= {"link", "status", "body_format", "audio_type"}
    assert form.initial["link"] == pages + path
    (message,) = [m for m in messages if m.startswith("The page could not be read")]
    assert expected in message
    assert message.endswith("Fill in the fields yourself.")
    assert not Post.objects.exists()


def test_huge_page_is_read_up_to_the_cap_only(editor_client, pages, settings):
    settings.LINK_FETCH_MAX_PAGE_KB = 256
    result = fetch(
        f"{pages}/huge.html", accept=("text/html",), what="a web page", max_bytes=256 * 1024,
        truncate=True,
    )  # fmt: skip
    assert result.truncated
    assert len(result.body) == 256 * 1024 < HUGE_PAGE_BYTES

    form, _, _ = add_from(editor_client, f"{pages}/huge.html")
    assert form.initial["title"] == "A very long page"


def test_huge_file_is_refused_when_it_cannot_be_cut(pages):
    with pytest.raises(FetchError, match="The image is larger than 5 MB"):
        fetch(f"{pages}/images/huge.png", accept=("image/",), what="an image",
              max_bytes=5 * 1024 * 1024)  # fmt: skip


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_addresses_are_refused_unless_allowed(editor_client, pages, settings, host):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = False
    url = pages.replace("127.0.0.1", host) + "/article-og.html"
    with pytest.raises(FetchError, match="private or local network address"):
        fetch_metadata(url)

    form, messages, _ = add_from(editor_client, url)
    assert "title" not in form.initial
    assert any("private or local network address" in m for m in messages)


def test_malformed_address_stays_on_the_link_page(editor_client):
    response = editor_client.post(ADD_FROM_LINK, {"url": "not a web address"})
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == ["Enter a valid URL."]


def test_link_already_on_the_hub_is_pointed_out(editor_client, pages):
    existing = make_post(title="Journeys, first time", link=f"{pages}/bare.html")
    _, messages, _ = add_from(editor_client, f"{pages}/bare.html")
    assert any("already has a post with this link" in m and existing.title in m for m in messages)


def test_prefilled_post_saves_with_its_cover_fetched_and_resized(editor_client, pages):
    form, _, _ = add_from(editor_client, f"{pages}/article-og.html")
    data = post_form_data(**{k: v for k, v in form.initial.items() if isinstance(v, str)})
    response = editor_client.post(reverse("admin:posts_post_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    post = Post.objects.get()
    assert post.title == "Mapping patient journeys in oncology"
    assert post.link == "https://review.example.org/patient-journeys"
    with Image.open(post.cover.path) as cover:
        assert cover.size == (1200, 600)  # 2400 by 1200, scaled to card width
        assert cover.format == "PNG"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/images/missing.png", "answered “404 File not found”"),
        ("/images/not-really.png", "not an image the hub can read"),
        ("/report.pdf", "a file of type application/pdf, not an image"),
    ],
)
def test_cover_address_that_fails_keeps_the_form_with_an_error(
    editor_client, pages, path, expected
):
    data = post_form_data(title="Keeps my text", cover_url=pages + path)
    response = editor_client.post(reverse("admin:posts_post_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["cover_url"]
    assert expected in errors[0]
    assert 'value="Keeps my text"' in response.content.decode()
    assert not Post.objects.exists()


def test_plain_staff_cannot_add_from_link(client, pages):
    client.force_login(make_staff())
    response = client.post(ADD_FROM_LINK, {"url": f"{pages}/article-og.html"})
    assert response.status_code == 403


# ----- events and recordings from structured data -----


def test_event_page_fills_in_the_event_from_its_json_ld(editor_client, pages):
    form, _, response = add_from(editor_client, f"{pages}/event-jsonld.html")
    assert form.initial["kind"] == Kind.EVENT
    # 13:00 CET is 13:00 in the site's zone (Europe/Zurich); the form shows the zone's clock.
    assert form.initial["event_start"] == datetime(2021, 11, 29, 13, 0)
    assert form.initial["event_end"] == datetime(2021, 11, 29, 13, 45)
    assert form.initial["event_online"] is True
    assert form.initial["event_status"] == "scheduled"
    assert form.initial["event_organiser"] == "Patient Voice Network"
    assert "event_place" not in form.initial
    html = response.content.decode()
    assert 'name="event_start_0" value="2021-11-29"' in html
    assert 'name="event_start_1" value="13:00:00"' in html

    # Saved as it stands, the post is the event at the right moment.
    data = post_form_data(
        title=form.initial["title"], kind="event", event_online="on",
        event_start_0="2021-11-29", event_start_1="13:00:00",
        event_end_0="2021-11-29", event_end_1="13:45:00",
    )  # fmt: skip
    assert editor_client.post(reverse("admin:posts_post_add"), data).status_code == 302
    post = Post.objects.get()
    assert post.event_start == datetime(2021, 11, 29, 12, 0, tzinfo=UTC)


def test_cancelled_all_day_event_with_a_place(pages):
    page = fetch_metadata(f"{pages}/event-cancelled.html")
    assert page.kind == Kind.EVENT
    assert page.event_all_day is True
    assert page.event_start == datetime(2026, 12, 9)
    assert page.event_end == datetime(2026, 12, 10)
    assert page.event_status == "cancelled"
    assert page.event_place == "Congress Centre, Basel, CH"
    assert page.event_online is False
    assert page.event_organiser == "Swiss CX Circle"


@pytest.mark.parametrize(
    ("name", "duration"),
    [
        ("video-duration.html", timedelta(minutes=12, seconds=34)),
        ("video-iso.html", timedelta(hours=1, minutes=2, seconds=3)),
    ],
)
def test_video_duration_from_the_pages_metadata(editor_client, pages, name, duration):
    form, _, response = add_from(editor_client, f"{pages}/{name}")
    assert form.initial["kind"] == Kind.VIDEO
    assert parse_duration(form.initial["media_duration"]) == duration
    assert 'name="media_duration"' in response.content.decode()


@pytest.mark.parametrize("name", ["hostile-jsonld.html", "deeply-nested-jsonld.html"])
def test_malformed_structured_data_is_skipped_without_an_error(editor_client, pages, name):
    _, messages, _ = add_from(editor_client, f"{pages}/{name}")
    assert not any("could not be read" in m for m in messages)
    page = fetch_metadata(f"{pages}/{name}")
    if name == "deeply-nested-jsonld.html":
        # The list nested past any parser's depth is skipped; the event beside it is read.
        assert page.event_start == datetime(2026, 5, 1, 11, 0)
        assert page.event_organiser == ""
    else:
        assert page.event_start is None
        assert page.media_duration is None
        assert page.kind == Kind.ARTICLE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PT1H2M3S", timedelta(hours=1, minutes=2, seconds=3)),
        ("PT45M", timedelta(minutes=45)),
        ("pt90s", timedelta(seconds=90)),
        ("PT1M30.5S", timedelta(minutes=1, seconds=30)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("3600", timedelta(hours=1)),
        ("P", None),
        ("PT", None),
        ("PT0S", None),
        ("-5", None),
        ("P400D", None),
        ("1:02:03", None),
        ("PT9" + "9" * 5000 + "H", None),
        ("", None),
        (None, None),
        (True, None),
        ({"@value": "PT1M"}, None),
    ],
)
def test_durations_are_read_or_refused(value, expected):
    assert fetch_metadata_module.parse_duration(value) == expected
