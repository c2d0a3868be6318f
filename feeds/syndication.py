"""What a published feed says, independent of its format: a channel and its entries.

Built from a `Listing` (the same selection and queryset as the listing page), so a feed and its
page always hold the same posts. The formats in `feeds.formats` only serialise these objects.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import escape

from cxhub.safehttp import absolute_http_url
from posts.filters import Listing
from posts.kinds import media_file_type
from posts.models import Category, EventStatus, Kind, Post
from posts.paths import named_path, path_with_slug
from posts.sanitize import clean_html, strip_control_chars
from posts.selection import Facet, PostFilter, describe, noun

FORMATS = ("rss", "atom", "json")
FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
# The formats' own media types: in <link rel="alternate">, on the Subscribe page, in atom:link.
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
# What the feeds are served as. Browsers apply a feed's XSLT stylesheet (the readable page) only
# to a document served as XML: Chromium shows application/rss+xml as raw text and Firefox offers
# it as a download. Feed readers go by the document, not the header, so RSS and Atom go out as
# application/xml, as many publishers' feeds do.
CONTENT_TYPES = {
    "rss": "application/xml; charset=utf-8",
    "atom": "application/xml; charset=utf-8",
    # RFC 8259 defines no charset for JSON; browsers showing the feed still benefit from it.
    "json": "application/feed+json; charset=utf-8",
}
PAGE_KEY = "page"


def absolute_url(path_or_url: str) -> str:
    """An absolute URL on the public site: from SITE_URL, never from the request's Host."""
    return urljoin(settings.SITE_URL + "/", path_or_url)


def public_link(url: str) -> str:
    """An absolute http(s) URL from stored data, or "" for anything else (javascript:, data:)."""
    if not url:
        return ""
    return _public_link(url, settings.SITE_URL)


@lru_cache(maxsize=4096)
def _public_link(url: str, site_url: str) -> str:
    # A feed asks for the same few links of each item several times, and polls repeat them:
    # parsing an address costs more than the rest of an item's links together.
    return absolute_http_url(text(url), site_url + "/")


def tag_uri(specific: str) -> str:
    """A tag: URI (RFC 4151) that stays the same when titles, slugs or SITE_URL change."""
    authority = settings.FEED_TAG_AUTHORITY or urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{authority},{settings.FEED_TAG_DATE}:{specific}"


def facet_scheme(facet: str) -> str:
    """The taxonomy a category belongs to: RSS category domain, Atom category scheme."""
    return tag_uri(f"facet/{facet}")


def utc(moment: datetime) -> datetime:
    # Feeds and HTTP dates have second resolution; dropping microseconds keeps every format
    # and the Last-Modified header saying exactly the same thing.
    return moment.astimezone(UTC).replace(microsecond=0)


# --- Addresses --------------------------------------------------------------------------------


def feed_path(fmt: str, base: Category | None = None) -> str:
    if base is None:
        return named_path(f"feeds:{fmt}")
    return path_with_slug(f"feeds:category_{fmt}", base.slug)


def feed_query(selection: PostFilter, base: Category | None = None, page: int = 1) -> str:
    """The canonical query string of a feed: the filters beyond its base category, then page."""
    if base is not None:
        included = {
            facet: tuple(slug for slug in slugs if (facet, slug) != (base.facet, base.slug))
            for facet, slugs in selection.included.items()
        }
        selection = replace(selection, included={f: s for f, s in included.items() if s})
    query = selection.querystring()
    if page > 1:
        query = f"{query}&{PAGE_KEY}={page}" if query else f"{PAGE_KEY}={page}"
    return query


def feed_url(fmt: str, selection: PostFilter, base: Category | None = None, page: int = 1) -> str:
    query = feed_query(selection, base, page)
    return absolute_url(feed_path(fmt, base) + (f"?{query}" if query else ""))


def selection_label(selection: PostFilter, by_slug: dict[str, Category]) -> str:
    """The selection in words, e.g. "about CX design or about CX strategy, by healthcare sector";
    the same words as the listing page's heading (posts.selection.describe); with kinds, they
    come first: "podcast episodes about CX design", "posts except events"."""
    words = describe(selection, by_slug)
    if selection.kinds or selection.excluded_kinds:
        return f"{noun(selection)} {words}".strip()
    return words


def feed_title(selection: PostFilter, by_slug: dict[str, Category]) -> str:
    label = selection_label(selection, by_slug)
    return f"{settings.FEED_TITLE}: {label}" if label else settings.FEED_TITLE


# --- Contents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Media:
    url: str
    mime_type: str
    length: int | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True)
class EventInfo:
    """An event's own dates and place, apart from the post's publication date: start and end
    in ISO 8601 with the event zone's offset, or dates alone for an all-day event (its end
    then being its last day, included)."""

    text: str
    start: str
    end: str
    all_day: bool
    timezone: str
    place: str
    online: bool
    status: str
    registration_url: str

    @classmethod
    def from_post(cls, post: Post) -> EventInfo | None:
        when = post.event_when if post.kind == Kind.EVENT else None
        if when is None:
            return None
        return cls(
            text=event_line(post),
            start=when.start_iso,
            end=when.end_iso,
            all_day=when.all_day,
            timezone=post.event_zone.key,
            place=text(post.event_place),
            online=post.event_online or post.event_status == EventStatus.MOVED_ONLINE,
            status=post.event_status,
            registration_url=public_link(post.event_registration_url),
        )


def event_line(post: Post) -> str:
    """ "Event: Tue 13 Apr 2021, 13:00–13:45 CEST, online." """
    place = post.event_place_text
    place = "online" if place == "Online" else place
    return f"Event: {post.event_when_text}" + (f", {place}." if place else ".")


@dataclass(frozen=True)
class EntryCategory:
    slug: str
    name: str
    facet: str

    @property
    def scheme(self) -> str:
        return facet_scheme(self.facet)

    @property
    def facet_label(self) -> str:
        return Facet(self.facet).label if self.facet in Facet.values else self.facet


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    author: str
    author_url: str
    categories: tuple[EntryCategory, ...]
    external_url: str
    kind: str
    image: Media | None
    audio: Media | None
    video: Media | None = None
    event: EventInfo | None = None
    extension: dict | None = None  # the kind's own fields for the JSON Feed's _cxhub

    @classmethod
    def from_post(cls, post: Post, categories: list[Category] | None = None) -> Entry:
        """The entry of `post`; `categories`: its categories in navigation order, when the
        caller has them (else its prefetched ones are sorted)."""
        if categories is None:
            categories = post.sorted_categories()
        url = absolute_url(post.get_absolute_url())
        published = utc(post.published_at)
        # Atom requires an updated date, and one earlier than the publication would read as
        # nonsense: a post scheduled after its last edit was "updated" when it appeared.
        updated = max(published, utc(post.updated_at))
        event = EventInfo.from_post(post)
        summary = text(post.summary)
        if event:
            # Readers that show the summary alone still see when and where it happens.
            summary = f"{event.text} {summary}".strip()
        return cls(
            id=tag_uri(f"post/{post.pk}"),
            url=url,
            title=text(post.title) or "Untitled",
            summary=summary,
            content_html=entry_content(post, base_url=url),
            published=published,
            updated=updated,
            # A story from another site is credited to its author, else to that site, never
            # to the hub; the hub's own posts without a named author are the hub's.
            author=text(post.author_name) or text(post.credit_name) or settings.SITE_NAME,
            author_url=public_link(post.credit_url) if post.credit_name else "",
            categories=tuple(
                EntryCategory(slug=c.slug, name=text(c.name), facet=c.facet) for c in categories
            ),
            external_url=public_link(post.link),
            kind=post.kind,
            image=cover_media(post),
            audio=audio_media(post),
            video=video_media(post),
            event=event,
            extension=kind_extension(post),
        )


def text(value: str) -> str:
    """Plain text as it may appear in a feed: no characters that XML 1.0 forbids."""
    return strip_control_chars(value or "").strip()


def entry_content(post: Post, *, base_url: str) -> str:
    # The stored body is already sanitised; cleaning again with base_url makes every link and
    # image absolute, since readers resolve relative URLs against the feed, not the post.
    html = clean_html(post.body, base_url=base_url)
    if not html and post.summary:
        html = f"<p>{escape(text(post.summary))}</p>"
    if facts := kind_facts(post):
        html = f"{facts}\n{html}"
    if public_link(post.link):
        kind = Kind(post.kind).label.lower() if post.kind in Kind else ""
        what = f"the {kind}" if kind else "it"
        href = escape(public_link(post.link))
        html += f'\n<p><a href="{href}">Open {escape(what)} at the source</a></p>'
    if credit := source_credit(post):
        html += f"\n{credit}"
    return html


def kind_facts(post: Post) -> str:
    """What the item says of the post's kind, ahead of the body: an event's date and place,
    a quotation and who said it, a recording's length and host, a case study's figures."""
    if post.kind not in FACT_KINDS:
        return ""
    context = {
        "post": post,
        "event_line": event_line(post) if post.event_when else "",
        "registration_url": public_link(post.event_registration_url),
    }
    return strip_control_chars(render_to_string("feeds/_kind_facts.html", context)).strip()


# The kinds templates/feeds/_kind_facts.html says anything of (a recording: podcast, video,
# webinar); for the others it renders nothing, and is not rendered.
FACT_KINDS = frozenset(
    {Kind.EVENT, Kind.QUOTE, Kind.CASE_STUDY, Kind.PODCAST, Kind.VIDEO, Kind.WEBINAR}
)


def kind_extension(post: Post) -> dict | None:
    """The kind's fields for machines (JSON Feed `_cxhub`), beyond what `EventInfo` holds."""
    if post.kind == Kind.QUOTE and post.quote_text:
        return {"quote": {"text": text(post.quote_text), "author": text(post.quote_author)}}
    if post.is_recording and (post.media_duration or post.media_host):
        seconds = round(post.media_duration.total_seconds()) if post.media_duration else None
        return {"recording": {"duration_seconds": seconds, "host": text(post.media_host)}}
    if post.kind == Kind.CASE_STUDY and (post.case_organisation or post.outcomes):
        return {
            "case_study": {
                "organisation": text(post.case_organisation),
                "outcomes": [text(outcome) for outcome in post.outcomes],
            }
        }
    return None


def source_credit(post: Post) -> str:
    """ "Via <source>, first published <date>" for a story taken in from another site: the
    post page's partial, so that page and feed item say the same."""
    if not post.credit_name:
        return ""
    return render_to_string("posts/_credit.html", {"post": post}).strip()


def cover_media(post: Post) -> Media | None:
    if not post.cover:
        return None
    mime_type = mimetypes.guess_type(post.cover.name)[0] or "image/jpeg"
    return Media(url=absolute_url(post.cover.url), mime_type=mime_type)


def audio_media(post: Post) -> Media | None:
    url = public_link(post.audio_url)
    if not url:
        return None
    mime_type = text(post.audio_type) or mimetypes.guess_type(url)[0] or "audio/mpeg"
    return Media(
        url=url,
        mime_type=mime_type,
        length=post.audio_length or None,
        duration_seconds=duration_seconds(post),
    )


def duration_seconds(post: Post) -> int | None:
    if post.media_duration is None or post.media_duration.total_seconds() <= 0:
        return None
    return round(post.media_duration.total_seconds())


def video_media(post: Post) -> Media | None:
    """A video's or webinar's media link when it is a media file itself (its type known
    from its name: .mp4, .webm, …), not a page that plays it. Its length in bytes is not
    known: RSS gets no <enclosure> for it (RSS requires one), Atom and JSON Feed do."""
    if post.kind not in (Kind.VIDEO, Kind.WEBINAR):
        return None
    url = public_link(post.media_url)
    mime_type = media_file_type(url)
    if not mime_type:
        return None
    return Media(url=url, mime_type=mime_type, duration_seconds=duration_seconds(post))


@dataclass(frozen=True)
class Channel:
    fmt: str
    id: str
    title: str
    description: str
    home_url: str
    self_url: str
    first_url: str
    previous_url: str
    next_url: str
    language: str
    updated: datetime
    icon_url: str
    large_icon_url: str
    favicon_url: str
    author: str
    ttl_minutes: int
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class FeedSpec:
    """Everything about one feed document that is known before any post is read."""

    fmt: str
    listing: Listing
    page: int

    @property
    def title(self) -> str:
        return text(feed_title(self.listing.selection, self.listing.by_slug))

    @property
    def description(self) -> str:
        selection = self.listing.selection
        label = selection_label(selection, self.listing.by_slug)
        parts = [settings.FEED_DESCRIPTION]
        if label:
            parts.append(f"This feed holds only posts {label}.")
        # The listing page shows these notices above the list; a feed has only its description.
        parts += selection.notices
        return text(" ".join(parts))

    def url(self, page: int) -> str:
        return feed_url(self.fmt, self.listing.selection, self.listing.base, page)

    @property
    def self_url(self) -> str:
        return self.url(self.page)

    def channel(self, entries: tuple[Entry, ...], *, updated: datetime | None, has_next: bool):
        return Channel(
            fmt=self.fmt,
            # One id for all formats and pages of the same selection.
            id=tag_uri(f"feed{self.listing.selection.get_absolute_url()}"),
            title=self.title,
            description=self.description,
            home_url=absolute_url(self.listing.selection.get_absolute_url()),
            self_url=self.self_url,
            first_url=self.url(1),
            previous_url=self.url(self.page - 1) if self.page > 1 else "",
            next_url=self.url(self.page + 1) if has_next else "",
            language=settings.LANGUAGE_CODE,
            updated=updated or feed_epoch(),
            icon_url=absolute_url(static("feeds/icon-144.png")),
            large_icon_url=absolute_url(static("feeds/icon-512.png")),
            favicon_url=absolute_url(static("feeds/icon-64.png")),
            author=settings.SITE_NAME,
            ttl_minutes=max(1, -(-settings.FEED_MAX_AGE // 60)),
            entries=entries,
        )


def feed_epoch() -> datetime:
    # A feed without posts still needs a fixed "updated" date (RFC 4287 requires one); "now"
    # would make every empty feed look changed.
    return datetime(int(settings.FEED_TAG_DATE[:4]), 1, 1, tzinfo=UTC)
