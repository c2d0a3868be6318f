"""Clean stage: parsed entries → values safe to store. Sanitising, absolute links, plain-text
fields within the sizes of our columns, dates in the past, and the keys `dedupe` compares."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape

from cxhub.safehttp import absolute_http_url
from posts.sanitize import clean_html, html_to_text, strip_control_chars, summarise

from .dedupe import canonical_url, entry_key, title_key
from .parse import ParsedEntry

# A longer summary is probably the full article; the queue shows a teaser of it instead.
REVIEW_CHARS = 1500


@dataclass(frozen=True)
class CleanEntry:
    key: str  # identity within the source (dedupe.entry_key)
    guid: str
    link: str
    canonical_url: str
    title: str
    title_key: str
    author: str
    summary_html: str  # sanitised summary, links absolute
    review_html: str  # what the editor sees in the queue: the summary, or a teaser if it is long
    teaser: str  # plain text, a few sentences at most
    full_html: str  # sanitised full content; only ever stored for the hub's own posts
    categories: tuple[str, ...]
    date: datetime  # the entry's own date, else the fetch time; never in the future
    has_own_date: bool
    audio: tuple[str, str, int | None] | None
    content_hash: str


def clean_entry(entry: ParsedEntry, *, now: datetime, teaser_chars: int) -> CleanEntry:
    link = stored_http_url(entry.link, entry.base)
    title = _plain(entry.title, is_html="html" in entry.title_type)[:300]
    summary_html = clean_html(entry.summary, base_url=entry.base or None)
    full_html = clean_html(entry.content or entry.summary, base_url=entry.base or None)
    teaser = summarise(summary_html or full_html, chars=teaser_chars)
    if not title:
        title = summarise(summary_html or full_html, chars=80) or link or "Untitled entry"
    own_date = entry.published or entry.updated
    date = min(own_date, now) if own_date else now
    guid = strip_control_chars(entry.guid)[:1000]
    audio = next(
        (
            (absolute, kind, length)
            for url, kind, length in entry.enclosures
            if kind.startswith("audio/") and (absolute := stored_http_url(url, entry.base))
        ),
        None,
    )
    review_html = (
        summary_html
        if summary_html and len(html_to_text(summary_html)) <= REVIEW_CHARS
        else f"<p>{escape(teaser)}</p>"
        if teaser
        else ""
    )
    author = _plain(entry.author, is_html=False)[:200]
    categories = tuple(_plain(c, is_html=False)[:100] for c in entry.categories)
    content_hash = _hash(
        title,
        link,
        author,
        summary_html,
        full_html,
        "|".join(categories),
        own_date.isoformat() if own_date else "",
    )
    return CleanEntry(
        key=entry_key(guid=guid, link=link, title=title, own_date=own_date),
        guid=guid,
        link=link,
        canonical_url=canonical_url(link) if link else "",
        title=title,
        title_key=title_key(title),
        author=author,
        summary_html=summary_html,
        review_html=review_html,
        teaser=teaser,
        full_html=full_html,
        categories=tuple(c for c in categories if c),
        date=date,
        has_own_date=own_date is not None,
        audio=audio,
        content_hash=content_hash,
    )


def _plain(value: str, *, is_html: bool) -> str:
    text = html_to_text(value) if is_html or "<" in value else " ".join(value.split())
    return strip_control_chars(text).strip()


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def stored_http_url(url: str, base: str = "") -> str:
    # cxhub's one test of a web address, plus what storing needs: no characters XML forbids,
    # and no longer than the column.
    url = absolute_http_url(strip_control_chars(url or ""), base)
    return url if len(url) <= 1000 else ""
