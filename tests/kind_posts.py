"""One post of every kind with the fields of its kind, for page, feed and JSON-LD tests."""

from datetime import UTC, datetime, timedelta

from tests.factories import make_post

# 13 April 2021, 13:00–13:45 in Berlin (CEST, UTC+2).
EVENT_START = datetime(2021, 4, 13, 11, 0, tzinfo=UTC)
EVENT_END = datetime(2021, 4, 13, 11, 45, tzinfo=UTC)


def make_kind_posts() -> dict[str, object]:
    return {
        "event": make_post(
            title="Patient voices in launch planning",
            kind="event", event_start=EVENT_START, event_end=EVENT_END,
            event_timezone="Europe/Berlin", event_online=True,
            event_registration_url="https://example.org/register",
            event_organiser="Pharma CX Circle", event_price="free",
            link="https://example.org/events/patient-voices",
        ),
        "cancelled": make_post(
            title="CX summit in Basel",
            kind="event", event_start=datetime(2021, 12, 8, 23, 0, tzinfo=UTC),
            event_end=datetime(2021, 12, 9, 23, 0, tzinfo=UTC), event_all_day=True,
            event_timezone="Europe/Zurich", event_place="Congress Center Basel",
            event_status="cancelled", event_price="paid",
        ),
        "podcast": make_post(
            title="Listening at scale, episode 42",
            kind="podcast", media_duration=timedelta(minutes=42), media_host="Ana Host",
            audio_url="https://cdn.example.org/ep42.mp3", audio_type="audio/mpeg",
            audio_length=40_321_024, media_url="https://example.org/podcast/42",
        ),
        "video": make_post(
            title="Journey mapping in ten minutes",
            kind="video", media_duration=timedelta(minutes=9, seconds=30),
            media_host="CX Channel", media_url="https://media.example.org/journey.mp4",
        ),
        "webinar": make_post(
            title="Recording: omnichannel for medical affairs",
            kind="webinar", media_duration=timedelta(hours=1, minutes=2),
            media_host="MedAffairs Forum", media_url="https://example.org/webinars/omni",
        ),
        "quote": make_post(
            title="On listening",
            kind="quote", quote_text="Most people do not listen with the intent to understand.",
            quote_author="Stephen R. Covey",
        ),
        "case-study": make_post(
            title="A contact centre that answers first time",
            kind="case-study", case_organisation="Example Pharma GmbH",
            case_outcomes="90 % first-contact resolution\n-35 % call volume\nNPS +18",
        ),
        "report": make_post(title="The state of pharma CX, 2021", kind="report"),
        "article": make_post(title="Why journeys beat funnels", kind="article"),
    }  # fmt: skip
