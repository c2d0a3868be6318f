"""What a reader page says about itself: heading, <title>, description, canonical address,
sharing cards (OpenGraph, Twitter) and structured data (JSON-LD, schema.org).

Everything is worked out here from objects the view already has, so the templates only print
it and cause no queries. Addresses are absolute on SITE_URL, never on the request's Host.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Page
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cxhub.safehttp import absolute_http_url

from . import search
from .archive import Period
from .filters import events_url
from .kinds import media_file_type
from .models import Category, EventStatus, Kind, Post, Price
from .selection import PostFilter, describe, noun

SITE_DESCRIPTION = "Customer-experience inspiration for people in pharma and life sciences."
# static/img/share.png: drawn once by docs/share-image.py, 1200×630 as the sharing cards want.
DEFAULT_IMAGE = "img/share.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
DESCRIPTION_LENGTH = 160


def absolute(path_or_url: str) -> str:
    return urljoin(settings.SITE_URL + "/", path_or_url)


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    json_ld: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def json_ld_script(self) -> SafeString:
        """JSON-LD for a <script type="application/ld+json">: data, not script, so the
        Content-Security-Policy allows it; <, > and & escaped so that no text closes the tag."""
        data = self.json_ld[0] if len(self.json_ld) == 1 else list(self.json_ld)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return mark_safe(text.translate(JSON_ESCAPES))  # escaped just above


JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def default_image() -> dict:
    width, height = DEFAULT_IMAGE_SIZE
    return {
        "image": absolute(static(DEFAULT_IMAGE)),
        "image_width": width,
        "image_height": height,
        "image_alt": settings.SITE_NAME,
    }


def website() -> dict:
    return {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute("/")}


def breadcrumbs(*steps: tuple[str, str]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(steps, start=1)
        ],
    }


# --- Listings ---------------------------------------------------------------------------------


def listing_heading(selection: PostFilter, categories: dict[str, Category], count: int) -> str:
    """The <h1> of a listing: "Posts with a focus on digital experience", and for a search what
    was searched with the number found: "12 posts matching “journey mapping”, about CX design"."""
    if selection.is_empty:
        return "Latest inspiration"
    if selection.query:
        others = describe(selection.without_query(), categories)
        # A search is counted up to COUNT_LIMIT (posts.filters.Listing.total).
        limit = search.COUNT_LIMIT
        number = f"More than {limit:,}" if count > limit else f"{count:,}"
        found = f"{number} {noun(selection, count)} matching “{selection.query}”"
        return f"{found}, {others}" if others else found
    return listing_title(selection, categories)


def listing_title(selection: PostFilter, categories: dict[str, Category]) -> str:
    if selection.is_empty:
        return "Latest inspiration"
    words = " ".join(filter(None, [noun(selection), describe(selection, categories)]))
    return words[:1].upper() + words[1:]


def listing_meta(selection: PostFilter, categories: dict[str, Category], page: Page) -> PageMeta:
    words = listing_title(selection, categories)
    if selection.is_empty:
        title = f"{settings.SITE_NAME} — customer-experience inspiration{page_note(page.number)}"
        description = SITE_DESCRIPTION
    else:
        title = f"{words}{page_note(page.number)} — {settings.SITE_NAME}"
        single = selection.single_category()
        lead = categories[single].description if single else ""
        description = lead or f"{words} on {settings.SITE_NAME}. {SITE_DESCRIPTION}"
    # One address per selection: selection.get_absolute_url() is the category page for a
    # one-category filter, and the query string in one order otherwise.
    url = selection.get_absolute_url()
    return collection_meta(
        name=words if not selection.is_empty else settings.SITE_NAME,
        title=title,
        description=description,
        url=url,
        page_number=page.number,
        trail=() if selection.is_empty else ((words, absolute(url)),),
    )


def page_note(page_number: int) -> str:
    return f" (page {page_number})" if page_number > 1 else ""


def collection_meta(
    *,
    name: str,
    title: str,
    description: str,
    url: str,
    page_number: int,
    trail: tuple[tuple[str, str], ...] = (),
    here: str = "",
) -> PageMeta:
    """The meta of a listing page: page `page_number` of the list at `url` (page 1 has no
    number) as a schema.org CollectionPage, with breadcrumbs from Home through `trail` (name,
    absolute address), ending on this very page under the name `here` if one is given."""
    if page_number > 1:
        url += ("&" if "?" in url else "?") + f"page={page_number}"
    canonical = absolute(url)
    description = Truncator(" ".join(description.split())).chars(DESCRIPTION_LENGTH)
    collection = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": canonical,
        "isPartOf": website(),
    }
    steps = [("Home", absolute("/")), *trail]
    if here:
        steps.append((here, canonical))
    return PageMeta(
        title=title,
        description=description,
        canonical=canonical,
        json_ld=(collection, breadcrumbs(*steps)) if len(steps) > 1 else (collection,),
        **default_image(),
    )


def events_heading(
    selection: PostFilter, categories: dict[str, Category], *, past: bool = False
) -> str:
    """ "Upcoming events", "Past events about CX design"."""
    words = "Past events" if past else "Upcoming events"
    return f"{words} {describe(selection, categories)}" if not selection.is_empty else words


def events_meta(
    selection: PostFilter, categories: dict[str, Category], page: Page, *, past: bool = False
) -> PageMeta:
    words = events_heading(selection, categories, past=past)
    return collection_meta(
        name=words,
        title=f"{words}{page_note(page.number)} — {settings.SITE_NAME}",
        description=f"{words} on {settings.SITE_NAME}. {SITE_DESCRIPTION}",
        url=events_url(selection, past=past),
        page_number=page.number,
        here=words,
    )


def archive_heading(
    selection: PostFilter, categories: dict[str, Category], period: Period | None
) -> str:
    """ "Archive", "Posts from March 2025", "Podcast episodes from 2025 about CX design"."""
    if period is None:
        if selection.is_empty:
            return "Archive"
        title = listing_title(selection, categories)
        return f"Archive: {title[:1].lower()}{title[1:]}"
    words = " ".join(
        filter(None, [noun(selection), f"from {period.name}", describe(selection, categories)])
    )
    return words[:1].upper() + words[1:]


def archive_meta(
    selection: PostFilter,
    categories: dict[str, Category],
    period: Period | None,
    url: str,
    page_number: int,
) -> PageMeta:
    words = archive_heading(selection, categories, period)
    trail = [("Archive", absolute("/archive/"))]
    if period is not None and period.month is not None:
        trail.append((str(period.year), absolute(Period(period.year).url())))
    return collection_meta(
        name=words,
        title=f"{words}{page_note(page_number)} — {settings.SITE_NAME}",
        description=f"{words} on {settings.SITE_NAME}. {SITE_DESCRIPTION}",
        url=url,
        page_number=page_number,
        trail=tuple(trail),
        here=period.name if period is not None else "",
    )


# --- Posts ------------------------------------------------------------------------------------


def post_meta(post: Post) -> PageMeta:
    canonical = absolute(post.get_absolute_url())
    description = Truncator(" ".join(post.summary.split())).chars(DESCRIPTION_LENGTH)
    image = {"image": absolute(post.cover.url), "image_alt": ""} if post.cover else default_image()
    categories = post.sorted_categories()
    item = post_json_ld(post, canonical, description, image["image"], categories)
    trail = [("Home", absolute("/"))]
    if categories:
        trail.append((categories[0].name, absolute(categories[0].get_absolute_url())))
    trail.append((post.title, canonical))
    return PageMeta(
        title=f"{post.title} — {settings.SITE_NAME}",
        description=description,
        canonical=canonical,
        og_type="article",
        json_ld=(item, breadcrumbs(*trail)),
        **image,
    )


def post_json_ld(post: Post, canonical: str, description: str, image: str, categories) -> dict:
    """The post as schema.org knows its kind, with only what we store: an Event, a
    PodcastEpisode, a VideoObject (only with a cover: search engines require a thumbnail, and
    the site's sharing image is no frame of the video), a Quotation, else a BlogPosting."""
    if post.kind == Kind.EVENT and post.event_when:
        return event_json_ld(post, canonical, description, image)
    work = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": canonical,
        "image": image,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/")},
        "isPartOf": website(),
    }
    if post.published_at:
        work["datePublished"] = post.published_at.isoformat()
    work["dateModified"] = post.updated_at.isoformat()
    if post.author_name:
        work["author"] = {"@type": "Person", "name": post.author_name}
    if categories:
        work["keywords"] = [category.name for category in categories]
    if post.kind == Kind.PODCAST:
        work["@type"] = "PodcastEpisode"
        work["name"] = post.title
        if post.duration_iso:
            work["duration"] = post.duration_iso
        if audio := absolute_http_url(post.audio_url):
            work["associatedMedia"] = {
                "@type": "MediaObject",
                "contentUrl": audio,
                "encodingFormat": post.audio_type or media_file_type(audio) or "audio/mpeg",
            }
    elif post.kind in (Kind.VIDEO, Kind.WEBINAR) and post.cover:
        work["@type"] = "VideoObject"
        work["name"] = post.title
        work["thumbnailUrl"] = image
        if post.published_at:
            work["uploadDate"] = post.published_at.isoformat()
        if post.duration_iso:
            work["duration"] = post.duration_iso
        media = absolute_http_url(post.media_url)
        if media and media_file_type(media):
            work["contentUrl"] = media
    elif post.kind == Kind.QUOTE and post.quote_text.strip():
        work["@type"] = "Quotation"
        work["text"] = post.quote_text.strip()
        if post.quote_author:
            work["spokenByCharacter"] = {"@type": "Person", "name": post.quote_author}
    return work


EVENT_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}


def event_json_ld(post: Post, canonical: str, description: str, image: str) -> dict:
    when = post.event_when
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.title,
        "description": description,
        "url": canonical,
        "image": image,
        # With the zone's offset, or dates alone for an all-day event.
        "startDate": when.start_iso,
    }
    if when.end_iso:
        event["endDate"] = when.end_iso
    event["eventStatus"] = EVENT_STATUS.get(post.event_status, EVENT_STATUS["scheduled"])
    place = post.event_place.strip()
    online = post.event_online or post.event_status == EventStatus.MOVED_ONLINE
    moved = post.event_status == EventStatus.MOVED_ONLINE
    locations = []
    if place and not moved:
        locations.append({"@type": "Place", "name": place, "address": place})
    if online:
        joining = (
            absolute_http_url(post.event_registration_url)
            or absolute_http_url(post.link)
            or canonical
        )
        locations.append({"@type": "VirtualLocation", "url": joining})
    if locations:
        mode = "Mixed" if len(locations) == 2 else "Online" if online else "Offline"
        event["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
        event["location"] = locations[0] if len(locations) == 1 else locations
    if post.event_organiser:
        event["organizer"] = {"@type": "Organization", "name": post.event_organiser}
    if post.event_price:
        event["isAccessibleForFree"] = post.event_price == Price.FREE
    registration = absolute_http_url(post.event_registration_url)
    if post.event_price == Price.FREE or registration:
        # No price or currency is stored: a free event's price is 0, a paid one's unsaid.
        offer = {"@type": "Offer"}
        if post.event_price == Price.FREE:
            offer["price"] = 0
        if registration:
            offer["url"] = registration
        event["offers"] = offer
    return event
