"""The hub's events as iCalendar: the site's and any selection's calendar, one file per event.

Read through the same `Listing` and `PostQuerySet.upcoming()` / `past()` as the events pages, so
a calendar and its page hold the same events. Validators come from the content version, whose
token moves when an upcoming event ends (cxhub.content_version): a 304 costs the categories and
the version, two indexed lookups.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings

from cxhub import content_version
from posts.filters import Listing
from posts.models import EventStatus, Post
from posts.selection import describe

from . import icalendar
from .conditional import Validators
from .syndication import absolute_url, text

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Bump when the calendars' output changes, so that holders of an old ETag fetch again.
FORMAT_VERSION = "1"
# A calendar holds the upcoming events and the latest past ones, never the whole archive.
UPCOMING_EVENTS = 150
PAST_EVENTS = 50

STATUSES = {
    EventStatus.SCHEDULED: icalendar.Status.CONFIRMED,
    EventStatus.MOVED_ONLINE: icalendar.Status.CONFIRMED,
    EventStatus.POSTPONED: icalendar.Status.TENTATIVE,
    EventStatus.CANCELLED: icalendar.Status.CANCELLED,
}


def uid_host() -> str:
    return settings.FEED_TAG_AUTHORITY or urlsplit(settings.SITE_URL).hostname or "localhost"


def prodid() -> str:
    return f"-//{text(settings.SITE_NAME)}//Events//EN"


def event_for(post: Post) -> icalendar.Event:
    """The calendar entry of an event post (kind "event" with a start)."""
    url = absolute_url(post.get_absolute_url())
    # ORGANIZER needs a cal-address (a mailto:) we do not have: the organiser goes into the
    # description in words instead.
    details = [text(post.summary)]
    if post.event_status != EventStatus.SCHEDULED:
        details.insert(0, f"{post.get_event_status_display()}.")
    if post.event_organiser:
        details.append(f"Organised by {text(post.event_organiser)}.")
    if post.event_registration_url:
        details.append(f"Registration: {text(post.event_registration_url)}")
    details.append(f"More on {text(settings.SITE_NAME)}: {url}")
    fields = {}
    if post.event_all_day:
        zone = post.event_zone
        first = post.event_start.astimezone(zone).date()
        last = (post.event_end or post.event_start).astimezone(zone).date()
        fields = {"start_date": first, "end_date": max(first, last) + timedelta(days=1)}
    else:
        fields = {"start": post.event_start, "end": post.event_end}
    return icalendar.Event(
        uid=f"post-{post.pk}@{uid_host()}",
        stamp=post.updated_at,
        sequence=post.event_sequence,
        summary=text(post.title) or "Untitled event",
        description="\n\n".join(d for d in details if d),
        url=url,
        location=text(post.event_place_text),
        status=STATUSES.get(post.event_status, icalendar.Status.CONFIRMED),
        **fields,
    )


def calendar_name(listing: Listing) -> str:
    label = describe(listing.selection, listing.by_slug)
    name = f"{settings.SITE_NAME}: events"
    return text(f"{name} {label}" if label else name)


def site_calendar(listing: Listing, now: datetime) -> bytes:
    posts = Post.objects.published().matching(listing.selection)
    events = [
        *posts.upcoming(now)[:UPCOMING_EVENTS],
        *posts.past(now)[:PAST_EVENTS],
    ]
    return icalendar.calendar(
        (event_for(post) for post in events),
        prodid=prodid(),
        name=calendar_name(listing),
        description=text(" ".join([settings.FEED_DESCRIPTION, *listing.selection.notices])),
        refresh_minutes=max(1, -(-settings.FEED_MAX_AGE // 60)),
    )


def event_calendar(post: Post) -> bytes:
    return icalendar.calendar([event_for(post)], prodid=prodid(), name=text(post.title))


class CalendarValidators(Validators):
    """ETag and Last-Modified of a calendar from the content version, and a max-age that ends
    when the version moves by itself (the next upcoming event ends)."""

    @classmethod
    def of(cls, version: content_version.Version, *parts: object) -> CalendarValidators:
        state = repr(
            (FORMAT_VERSION, version.token, settings.SITE_URL, settings.FEED_MAX_AGE, *parts)
        )
        digest = hashlib.sha256(state.encode("utf-8")).hexdigest()[:40]
        return cls(f'"{digest}"', version.last_modified, version.next_change)
