"""Clean stage: parsed entries → values safe to store. Sanitising, absolute links, plain-text
fields within the sizes of our columns, dates in the past, and the keys `dedupe` compares.

An entry that cannot be stored as it is (a link that is no web address) is skipped with the
reason, and so is one the clean stage fails on: one bad entry never costs the others.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from django.utils.html import escape

from cxhub.safehttp import Failure, FetchError, absolute_http_url, split_http_url
from posts.sanitize import clean_html, html_to_text, strip_control_chars, summarise

from .dedupe import canonical_url, entry_key, title_key
from .parse import ParsedEntry

logger = logging.getLogger(__name__)

# A longer summary is probably the full article; the queue shows a teaser of it instead.
REVIEW_CHARS = 1500
# Feeds were not around before this; an earlier date is a broken one (0001-01-01, 1900-01-01)
# and is treated as missing.
EARLIEST_DATE = datetime(1970, 1, 1, tzinfo=UTC)
# Post.audio_length is a PositiveBigIntegerField.
MAX_AUDIO_LENGTH = 2**63 - 1


class BadEntry(Exception):
    """An entry that cannot be stored as it is; the message says why, for the editor."""


@dataclass(frozen=True)
class SkippedEntry:
    """An entry left out of a fetch, and why: named by its title, guid and link, shortened."""

    title: str
    guid: str
    link: str
    reason: str

    @classmethod
    def of(cls, entry, reason: str) -> SkippedEntry:
        """From a parsed or a clean entry; never fails, whatever the entry holds."""
        return cls(
            title=_short(getattr(entry, "title", ""), 80),
            guid=_short(getattr(entry, "guid", ""), 100),
            link=_short(getattr(entry, "link", ""), 120),
            reason=_short(reason, 300),
        )

    def __str__(self) -> str:
        names = [f"guid {self.guid}"] if self.guid else []
        names += [f"link {self.link}"] if self.link else []
        title = f"“{self.title}”" if self.title else "an entry without a title"
        named = f" ({', '.join(names)})" if names else ""
        return f"{title}{named}: {self.reason}"


def skipped_note(skipped: list[SkippedEntry], *, listed: int = 5) -> str:
    """What the source's note says about the entries a fetch left out."""
    if not skipped:
        return ""
    n = len(skipped)
    head = f"{n} entr{'y was' if n == 1 else 'ies were'} skipped: "
    more = f"; and {n - listed} more" if n > listed else ""
    return head + "; ".join(str(s) for s in skipped[:listed]) + more + "."


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


def clean_entries(
    entries: Iterable[ParsedEntry], *, now: datetime, teaser_chars: int
) -> tuple[list[CleanEntry], list[SkippedEntry]]:
    """The entries that can be stored, and the ones skipped with the reason."""
    cleaned: list[CleanEntry] = []
    skipped: list[SkippedEntry] = []
    for entry in entries:
        try:
            cleaned.append(clean_entry(entry, now=now, teaser_chars=teaser_chars))
        except BadEntry as exc:
            skipped.append(SkippedEntry.of(entry, str(exc)))
        except Exception as exc:
            # A bug of ours, or an input nobody thought of: logged in full for the developers.
            logger.exception("Cleaning an entry failed: %r", entry)
            skipped.append(SkippedEntry.of(entry, failure_reason(exc)))
    return cleaned, skipped


def failure_reason(exc: BaseException) -> str:
    return f"the hub failed on it ({type(exc).__name__}: {exc}); the log has the details"


def clean_entry(entry: ParsedEntry, *, now: datetime, teaser_chars: int) -> CleanEntry:
    """Raises BadEntry for an entry that cannot be stored as it is."""
    # Links resolve against the base: a control character in it would end up in every link.
    base = strip_control_chars(entry.base)
    link = stored_http_url(entry.link, base)
    if not link and entry.link.strip():
        # A third-party story is stored as a teaser and a link to the original: with a link
        # that goes nowhere (javascript:, a port out of range) it would credit nobody.
        raise BadEntry(f"its link is {_link_problem(entry.link, base)}")
    title = _plain(entry.title, is_html="html" in entry.title_type)[:300]
    summary_html = clean_html(entry.summary, base_url=base or None)
    full_html = clean_html(entry.content or entry.summary, base_url=base or None)
    teaser = summarise(summary_html or full_html, chars=teaser_chars)
    if not title:
        title = summarise(summary_html or full_html, chars=80) or link or "Untitled entry"
    own_date = _believable(entry.published) or _believable(entry.updated)
    date = min(own_date, now) if own_date else now
    guid = strip_control_chars(entry.guid)[:1000]
    audio = next(
        (
            (absolute, strip_control_chars(kind)[:100], _length(length))
            for url, kind, length in entry.enclosures
            if kind.startswith("audio/") and (absolute := stored_http_url(url, base))
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


def _believable(date: datetime | None) -> datetime | None:
    """The date in UTC, or None when it is no date a feed entry can have."""
    if date is None or date.utcoffset() is None:
        return None
    try:
        date = date.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01 in a time zone east of UTC
        return None
    return date if date >= EARLIEST_DATE else None


def _length(length: int | None) -> int | None:
    return length if length is not None and 0 <= length <= MAX_AUDIO_LENGTH else None


def _link_problem(url: str, base: str) -> str:
    url = strip_control_chars(url).strip()
    try:
        split_http_url(urljoin(base, url) if base else url)
    except ValueError as exc:  # from urljoin, for a broken [IPv6] host
        return f"malformed ({exc})"
    except FetchError as exc:
        return {
            Failure.INVALID_URL: f"malformed ({exc.detail})",
            Failure.SCHEME: "not an http or https address",
            Failure.NO_HOST: "an address without a host",
        }.get(exc.reason, "not a usable web address")
    return "longer than 1,000 characters"  # what else stored_http_url refuses


def _short(value, chars: int) -> str:
    text = " ".join(strip_control_chars(str(value or "")).split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def stored_http_url(url: str, base: str = "") -> str:
    # cxhub's one test of a web address, plus what storing needs: no characters XML forbids,
    # and no longer than the column.
    url = absolute_http_url(strip_control_chars(url or ""), base)
    return url if len(url) <= 1000 else ""
