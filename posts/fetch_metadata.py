""" "Add from link": what a pasted page says about itself, to pre-fill a new post.

`parse_metadata` is pure (HTML text in, PageMetadata out); `fetch_metadata` adds the network
through `safe_fetch`. Sources, best first: OpenGraph, Twitter cards, plain HTML.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import Truncator

from cxhub.safehttp import absolute_http_url

from .models import Kind, Post
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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "link":
            for rel in values.get("rel", "").lower().split():
                self.links.setdefault(rel, values.get("href", "").strip())
        elif tag == "title" and not self._title_done:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


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
    return PageMetadata(
        url=canonical or url,
        title=title,
        excerpt=excerpt,
        image_url=absolute_http_url(image, url),
        kind=_kind(meta, canonical or url, title, excerpt),
        author_name=author,
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
