""" "Add from link": what a pasted page says about itself, to pre-fill a new post.

`parse_metadata` is pure (HTML text in, PageMetadata out); `fetch_metadata` adds the network
through `safe_fetch`. Sources, best first: OpenGraph, Twitter cards, plain HTML; an event's
dates, place and status, and a recording's duration, from the page's structured data (schema.org
JSON-LD, microdata `itemprop`) and `og:video:duration`.
"""

from __future__ import annotations

import codecs
import json
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import Truncator

from cxhub.safehttp import absolute_http_url

from .models import EventStatus, Kind, Post
from .safe_fetch import fetch
from .sanitize import html_to_text, strip_control_chars

PAGE_TYPES = ("text/html", "application/xhtml+xml")
EXCERPT_CHARS = 600
TITLE_CHARS = Post._meta.get_field("title").max_length

VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "wistia.com", "dailymotion.com")
PODCAST_HOSTS = (
    "podcasts.apple.com", "open.spotify.com", "buzzsprout.com", "podbean.com",
    "anchor.fm", "soundcloud.com", "simplecast.com", "libsyn.com", "captivate.fm",
)  # fmt: skip
WEBINAR_HOSTS = ("on24.com", "brighttalk.com", "gotowebinar.com", "webinarjam.com")
_WEBINAR_WORD = re.compile(r"\bwebinar", re.IGNORECASE)
_PODCAST_WORD = re.compile(r"\bpodcast", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class PageMetadata:
    url: str
    title: str = ""
    excerpt: str = ""
    image_url: str = ""
    kind: str = ""
    author_name: str = ""
    # An event's times as its page gives them, read in the site's zone (TIME_ZONE): naive,
    # as the editor's form shows them.
    event_start: datetime | None = None
    event_end: datetime | None = None
    event_all_day: bool = False
    event_place: str = ""
    event_online: bool = False
    event_status: str = ""
    event_organiser: str = ""
    media_duration: timedelta | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.excerpt or self.image_url)


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self._title_done = False
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if not key and values.get("itemprop"):
                key = "itemprop:" + values["itemprop"].strip().lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
            if len(self.json_ld) < MAX_JSON_LD_BLOCKS:
                self.json_ld.append("")
                self._in_json_ld = True
        elif tag == "link":
            for rel in values.get("rel", "").lower().split():
                self.links.setdefault(rel, values.get("href", "").strip())
        elif tag == "title" and not self._title_done:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
        elif tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._in_json_ld:
            self.json_ld[-1] += data


def _first(meta: dict[str, str], *keys: str) -> str:
    return next((meta[key] for key in keys if meta.get(key)), "")


def _clean_text(value: str, chars: int) -> str:
    return Truncator(strip_control_chars(html_to_text(value))).chars(chars)


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _kind(meta: dict[str, str], url: str, title: str, excerpt: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    og_type = meta.get("og:type", "").lower()
    if _host_matches(host, WEBINAR_HOSTS) or _WEBINAR_WORD.search(title):
        return Kind.WEBINAR
    if (
        _host_matches(host, PODCAST_HOSTS)
        or og_type.startswith("music")
        or "og:audio" in meta
        or _PODCAST_WORD.search(title)
    ):
        return Kind.PODCAST
    if (
        _host_matches(host, VIDEO_HOSTS)
        or og_type.startswith("video")
        or "og:video" in meta
        or meta.get("twitter:card") == "player"
    ):
        return Kind.VIDEO
    return Kind.ARTICLE


# Structured data from strangers: bounded in blocks, nodes and depth, and anything unexpected is
# skipped, never an error.
MAX_JSON_LD_BLOCKS = 20
MAX_NODES = 500
MAX_DEPTH = 6
# Of schema.org's Event types all end in "Event" (BusinessEvent, EducationEvent, …).
RECORDING_TYPES = {"VideoObject", "PodcastEpisode", "AudioObject", "Episode", "Clip"}
STATUSES = {
    "eventscheduled": EventStatus.SCHEDULED,
    "eventrescheduled": EventStatus.SCHEDULED,
    "eventcancelled": EventStatus.CANCELLED,
    "eventmovedonline": EventStatus.MOVED_ONLINE,
    "eventpostponed": EventStatus.POSTPONED,
}
_ISO_DURATION = re.compile(
    r"P(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})(?:[.,]\d{1,9})?S)?)?",
    re.IGNORECASE,
)
# A year of running time is beyond any recording: a larger figure is a mistake.
MAX_DURATION = timedelta(days=366)


def _json_ld_nodes(blocks: list[str]) -> list[dict]:
    """Every object of the page's JSON-LD, outer ones first (inside @graph and lists too)."""
    nodes: list[dict] = []

    def walk(value, depth: int) -> None:
        if len(nodes) >= MAX_NODES or depth > MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            nodes.append(value)
            for key in ("@graph", "mainEntity", "subjectOf", "video", "associatedMedia"):
                walk(value.get(key), depth + 1)

    for block in blocks:
        try:
            walk(json.loads(block), 0)
        except (ValueError, RecursionError):
            continue
    return nodes


def _types(node: dict) -> set[str]:
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {name.rsplit("/", 1)[-1] for name in names if isinstance(name, str)}


def _text(value, chars: int = 300) -> str:
    """A schema.org text, or the name of a thing, or the first of a list of them."""
    if isinstance(value, list):  # not recursive: nesting in hostile data can be very deep
        value = next((item for item in value if isinstance(item, str | dict)), "")
    if isinstance(value, dict):
        value = value.get("name", "")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    return _clean_text(str(value), chars)


def _schema_word(value) -> str:
    # "https://schema.org/EventCancelled", "EventCancelled" and {"@id": …} are one value.
    if isinstance(value, dict):
        value = value.get("@id") or value.get("name")
    return value.rsplit("/", 1)[-1].strip().lower() if isinstance(value, str) else ""


def _moment(value) -> tuple[datetime | None, bool]:
    """An ISO 8601 date or date-time, as the site's clock reads it (naive); and whether it
    was a date alone (an all-day event)."""
    if not isinstance(value, str) or len(value) > 40:
        return None, False
    value = value.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(0)), True
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, False
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        except (OverflowError, ValueError):
            return None, False
        moment = moment.replace(tzinfo=None)
    return moment, False


def parse_duration(value) -> timedelta | None:
    """ISO 8601 (PT1H2M3S, as schema.org's duration) or a number of seconds (og:video:duration)."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    value = str(value).strip()
    if value.isascii() and value.isdigit() and len(value) <= 8:
        duration = timedelta(seconds=int(value))
    elif (found := _ISO_DURATION.fullmatch(value)) and any(found.groups()) and value[-1:] != "T":
        days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
        duration = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    else:
        return None
    return duration if timedelta(0) < duration <= MAX_DURATION else None


def _place(location) -> tuple[str, bool]:
    """Where an event is (a place's name and address) and whether it can be joined online."""
    places, online = [], False
    for item in location if isinstance(location, list) else [location]:
        if isinstance(item, str):
            places.append(_clean_text(item, 300))
        elif isinstance(item, dict):
            if "VirtualLocation" in _types(item):
                online = True
                continue
            address = item.get("address")
            if isinstance(address, dict):
                parts = [address.get(k) for k in ("streetAddress", "addressLocality",
                                                  "addressCountry")]  # fmt: skip
                address = ", ".join(_text(part, 100) for part in parts if _text(part, 100))
            words = [w for w in (_text(item.get("name")), _text(address)) if w]
            places.append(", ".join(dict.fromkeys(words)))
    return "; ".join(p for p in places if p)[:300], online


def _event_fields(node: dict) -> dict:
    start, all_day = _moment(node.get("startDate"))
    end, _ = _moment(node.get("endDate"))
    if start is None:
        return {}
    if end is not None and end < start:
        end = None
    place, online = _place(node.get("location"))
    mode = _schema_word(node.get("eventAttendanceMode"))
    status = STATUSES.get(_schema_word(node.get("eventStatus")), "")
    return {
        "event_start": start,
        "event_end": end,
        "event_all_day": all_day,
        "event_place": place,
        "event_online": online or mode.startswith(("online", "mixed")) or (
            status == EventStatus.MOVED_ONLINE
        ),
        "event_status": status,
        "event_organiser": _text(node.get("organizer"), 200),
    }  # fmt: skip


def _structured(parser: _HeadParser) -> dict:
    fields: dict = {}
    for node in _json_ld_nodes(parser.json_ld):
        types = _types(node)
        if "event_start" not in fields and any(t.endswith("Event") for t in types):
            fields |= _event_fields(node)
        if (
            "media_duration" not in fields
            and types & RECORDING_TYPES
            and (duration := parse_duration(node.get("duration")))
        ):
            fields["media_duration"] = duration
    if "media_duration" not in fields:
        meta = parser.meta
        for key in ("og:video:duration", "video:duration", "itemprop:duration"):
            if duration := parse_duration(meta.get(key)):
                fields["media_duration"] = duration
                break
    return fields


def parse_metadata(html: str, url: str) -> PageMetadata:
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    meta = parser.meta
    title = _clean_text(_first(meta, "og:title", "twitter:title") or parser.title, TITLE_CHARS)
    excerpt = _clean_text(
        _first(meta, "og:description", "twitter:description", "description"), EXCERPT_CHARS
    )
    image = _first(meta, "og:image:secure_url", "og:image", "og:image:url", "twitter:image",
                   "twitter:image:src") or parser.links.get("image_src", "")  # fmt: skip
    canonical = absolute_http_url(_first(meta, "og:url") or parser.links.get("canonical", ""), url)
    author = _clean_text(_first(meta, "author", "article:author", "twitter:creator"), 200)
    if urlsplit(author).scheme:  # article:author is often a profile URL, not a name
        author = ""
    structured = _structured(parser)
    kind = _kind(meta, canonical or url, title, excerpt)
    if "event_start" in structured:
        kind = Kind.EVENT
    elif "media_duration" in structured and kind == Kind.ARTICLE:
        kind = Kind.VIDEO
    return PageMetadata(
        url=canonical or url,
        title=title,
        excerpt=excerpt,
        image_url=absolute_http_url(image, url),
        kind=kind,
        author_name=author,
        **structured,
    )


def _decode(body: bytes, charset: str | None) -> str:
    if not charset:
        found = _META_CHARSET.search(body[:4096])
        charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    return body.decode(charset, errors="replace")


def fetch_metadata(url: str) -> PageMetadata:
    """Raises safehttp.FetchError, worded for the editor, when the page cannot be read."""
    # Metadata lives in <head>: a page over the cap is read up to it (as Facebook's and
    # LinkedIn's link previews do) rather than refused.
    result = fetch(
        url,
        accept=PAGE_TYPES,
        what="a web page",
        max_bytes=settings.LINK_FETCH_MAX_PAGE_KB * 1024,
        truncate=True,
    )
    return parse_metadata(_decode(result.body, result.charset), result.url)
