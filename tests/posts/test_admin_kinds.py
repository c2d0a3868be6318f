"""The post form by kind: each kind's fields in their fieldset, event times in the event's own
zone, the model's checks shown on the form, and the change list filtered by event time."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from posts.models import Kind, Post
from tests.factories import make_post
from tests.posts.admin_support import post_form_data

pytestmark = pytest.mark.django_db
ADD = "/admin/posts/post/add/"


def change_url(post: Post) -> str:
    return f"/admin/posts/post/{post.pk}/change/"


def fieldset_of(html: str, field: str) -> str:
    """The class attribute of the fieldset holding the field's input."""
    position = html.index(f'id="id_{field}')
    start = html.rindex("<fieldset", 0, position)
    return re.search(r'class="([^"]*)"', html[start:position]).group(1)


@pytest.mark.parametrize(
    ("field", "kinds"),
    [
        ("event_start_0", ["event"]),
        ("event_timezone", ["event"]),
        ("event_status", ["event"]),
        ("media_duration", ["podcast", "webinar", "video"]),
        ("audio_url", ["podcast", "webinar", "video"]),
        ("quote_text", ["quote"]),
        ("quote_author", ["quote"]),
        ("case_outcomes", ["case-study"]),
    ],
)
def test_each_kinds_fields_sit_in_a_fieldset_marked_with_its_kinds(editor_client, field, kinds):
    html = editor_client.get(ADD).content.decode()
    classes = fieldset_of(html, field).split()
    assert "kind-fields" in classes
    assert sorted(
        c.removeprefix("kind-") for c in classes if c.startswith("kind-") and c != "kind-fields"
    ) == sorted(kinds)


def test_fields_of_every_kind_are_in_the_page_for_browsers_without_javascript(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert not any("hidden" in tag for tag in re.findall(r"<fieldset[^>]*>", html))
    for field in ["event_place", "media_url", "quote_author", "case_organisation", "series_part"]:
        assert f'id="id_{field}"' in html


def event_data(**fields) -> dict:
    data = post_form_data(title="CX summit", kind="event", **fields)
    return data


@pytest.mark.parametrize(
    ("zone", "entered", "stored_utc"),
    [
        # Central European time in winter (+1) and, after the change on 29 March, summer (+2).
        ("Europe/Berlin", ("2026-03-28", "10:00:00"), datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),
        ("Europe/Berlin", ("2026-03-29", "10:00:00"), datetime(2026, 3, 29, 8, 0, tzinfo=UTC)),
        # New York moves on 8 March 2026, three weeks before Europe.
        ("America/New_York", ("2026-03-09", "13:00:00"), datetime(2026, 3, 9, 17, 0, tzinfo=UTC)),
        # Empty: the site's zone (Europe/Zurich in the test settings).
        ("", ("2021-11-29", "13:00:00"), datetime(2021, 11, 29, 12, 0, tzinfo=UTC)),
    ],
)
def test_event_times_are_entered_in_the_events_zone_and_shown_back_in_it(
    editor_client, zone, entered, stored_utc
):
    data = event_data(event_timezone=zone, event_start_0=entered[0], event_start_1=entered[1])
    response = editor_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert post.event_start == stored_utc

    html = editor_client.get(change_url(post)).content.decode()
    assert f'name="event_start_0" value="{entered[0]}"' in html
    assert re.search(rf'name="event_start_1" value="{entered[1][:5]}(:00)?"', html)

    # Saved again unchanged, the time stays where it is.
    assert editor_client.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert post.event_start == stored_utc
    assert post.event_sequence == 0


def test_event_across_a_daylight_saving_change_keeps_both_ends(editor_client):
    data = event_data(
        event_timezone="Europe/Berlin",
        event_start_0="2026-10-24", event_start_1="18:00",
        event_end_0="2026-10-25", event_end_1="18:00",
    )  # fmt: skip
    assert editor_client.post(ADD, data).status_code == 302
    post = Post.objects.get()
    assert post.event_start == datetime(2026, 10, 24, 16, 0, tzinfo=UTC)
    assert post.event_end == datetime(2026, 10, 25, 17, 0, tzinfo=UTC)  # 25 hours later
    html = editor_client.get(change_url(post)).content.decode()
    assert 'name="event_end_0" value="2026-10-25"' in html
    assert re.search(r'name="event_end_1" value="18:00(:00)?"', html)


def test_unknown_time_zone_is_an_error_on_its_field(editor_client):
    data = event_data(
        event_timezone="Mars/Olympus", event_start_0="2026-03-28", event_start_1="10:00"
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "is not a time zone name" in str(errors["event_timezone"])
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "event_start", "An event needs its start."),
        (
            {"event_start_0": "2026-05-02", "event_start_1": "10:00",
             "event_end_0": "2026-05-01", "event_end_1": "10:00"},
            "event_end",
            "The end is before the start.",
        ),
    ],
)  # fmt: skip
def test_the_models_checks_show_on_the_form(editor_client, fields, field, message):
    response = editor_client.post(ADD, event_data(**fields))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert message in response.content.decode()


def test_quote_without_its_quotation_is_refused_on_the_form(editor_client):
    response = editor_client.post(ADD, post_form_data(kind="quote", quote_author="A patient"))
    assert "A quote needs its quotation." in response.content.decode()


def test_case_study_and_media_fields_are_saved(editor_client):
    data = post_form_data(
        kind="case-study",
        case_organisation="A mid-sized biotech",
        case_outcomes="90 % first-contact resolution\n\n 2 weeks to launch ",
    )
    assert editor_client.post(ADD, data).status_code == 302
    data = post_form_data(
        title="An episode", kind="podcast", media_duration="00:42:10", media_host="Hub radio"
    )
    assert editor_client.post(ADD, data).status_code == 302
    case = Post.objects.get(kind=Kind.CASE_STUDY)
    assert case.outcomes == ["90 % first-contact resolution", "2 weeks to launch"]
    assert Post.objects.get(kind=Kind.PODCAST).media_duration == timedelta(minutes=42, seconds=10)


def test_change_list_filters_events_by_upcoming_or_over(editor_client):
    now = timezone.now()
    make_post(title="Next month's summit", kind="event", event_start=now + timedelta(days=30))
    make_post(title="Last year's summit", kind="event", event_start=now - timedelta(days=300))
    make_post(title="Running right now", kind="event", event_start=now - timedelta(hours=1),
              event_end=now + timedelta(hours=1))  # fmt: skip
    make_post(title="An article")

    def titles(query: str) -> set[str]:
        response = editor_client.get(f"/admin/posts/post/?{query}")
        return {post.title for post in response.context["cl"].result_list}

    assert titles("event=upcoming") == {"Next month's summit", "Running right now"}
    assert titles("event=past") == {"Last year's summit"}
    assert len(titles("")) == 4
    assert titles("kind=event&event=past") == {"Last year's summit"}
