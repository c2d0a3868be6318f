"""Parse stage: bytes, response headers and final URL in; plain entries out. No network, no
database, no Django.

feedparser is given a stream of bytes, never a URL or a string: given a string it may open a
URL or a local file. Because feedparser 6 has regular expressions that are quadratic on
hostile input (a 32 KB author field costs seconds), `parse_with_limit` runs it in a separate
process that is killed when it overruns, with its memory capped too.
"""

from __future__ import annotations

import calendar
import contextlib
import io
import math
import multiprocessing
import re
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Marks of an HTML page and of the feed link it may advertise.
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)
_FEED_LINK = re.compile(rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.I)
_ENTITY_DECLARATIONS = [
    "<!ENTITY".encode(codec)
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
]


class ParseError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedEntry:
    guid: str = ""
    link: str = ""
    title: str = ""
    title_type: str = "text/plain"
    author: str = ""
    summary: str = ""
    content: str = ""
    base: str = ""  # the base URL relative links in the summary and content are resolved against
    categories: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    enclosures: tuple[tuple[str, str, int | None], ...] = ()  # (url, type, length)


@dataclass(frozen=True)
class ParsedFeed:
    title: str = ""
    link: str = ""
    entries: tuple[ParsedEntry, ...] = ()
    version: str = ""
    note: str = ""  # e.g. the document was not well-formed but could be read leniently
    extra: dict = field(default_factory=dict)


def parse(content: bytes, *, headers: dict[str, str], url: str) -> ParsedFeed:
    import feedparser  # imported here so the worker process pays for it, not every caller

    if not content.strip():
        raise ParseError("The server sent an empty answer instead of a feed.")
    head = content[:65536]
    if any(marker in head for marker in _ENTITY_DECLARATIONS):
        # Internal entity declarations are how "billion laughs" expansion bombs are built;
        # real feeds do not need them.
        raise ParseError(
            "The feed declares its own XML entities, which the hub refuses for safety "
            "(they can be used to blow up memory). Ask the site to publish a plain feed."
        )
    response_headers = {k.lower(): v for k, v in headers.items()}
    # feedparser resolves relative links against Content-Location; the final URL after
    # redirects is the right base when the server does not name one.
    if url:
        response_headers.setdefault("content-location", url)
    result = feedparser.parse(
        io.BytesIO(content),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    if not result.get("version") and not result.entries:
        raise ParseError(_not_a_feed(content, result))

    note = ""
    if result.get("bozo"):
        problem = result.get("bozo_exception")
        if isinstance(problem, feedparser.CharacterEncodingOverride):
            note = (
                f"The feed's declared character encoding is wrong ({_describe(problem)}); "
                f"the hub read it as {result.get('encoding') or 'another encoding'}. "
                "Check accented letters in its entries."
            )
        else:
            note = (
                f"The feed is not well-formed XML ({_describe(problem)}); the hub read it "
                "leniently, so entries may be missing or garbled."
            )
    if not result.entries:
        note = (note + " " if note else "") + "The feed has no entries."
    feed = result.get("feed", {})
    # Without an address (a feed read from a file), relative links resolve against the site.
    base = url or _text(feed.get("link"))
    return ParsedFeed(
        title=_text(feed.get("title")),
        link=_text(feed.get("link")),
        version=result.get("version", ""),
        note=note,
        entries=tuple(_entry(e, base) for e in result.entries),
    )


def _entry(e, feed_url: str) -> ParsedEntry:
    title_detail = e.get("title_detail") or {}
    summary_detail = e.get("summary_detail") or {}
    content = ""
    base = summary_detail.get("base") or ""
    for part in e.get("content") or []:
        # Prefer HTML over plain text when a feed offers both.
        if part.get("value") and (not content or "html" in (part.get("type") or "")):
            content = part["value"]
            base = part.get("base") or base
    enclosures = []
    for link in e.get("links") or []:
        if link.get("rel") == "enclosure" and link.get("href"):
            length = str(link.get("length") or "")
            # Plain ASCII digits, at most what a 64-bit column holds: int() refuses "²" and
            # numbers of more than 4,300 digits.
            number = length.isascii() and length.isdigit() and len(length) <= 18
            enclosures.append(
                (link["href"], link.get("type") or "", int(length) if number else None)
            )
    return ParsedEntry(
        guid=_text(e.get("id")),
        link=_text(e.get("link")),
        title=_text(e.get("title")),
        title_type=title_detail.get("type") or "text/plain",
        author=author_name(_text(e.get("author"))),
        summary=_text(e.get("summary")),
        content=content,
        base=base or title_detail.get("base") or feed_url,
        categories=tuple(
            name
            for name in dict.fromkeys(
                _text(t.get("label") or t.get("term")) for t in e.get("tags") or []
            )
            if name
        ),
        # dict.get: FeedParserDict.get maps a missing updated date onto the published one,
        # with a deprecation warning; the raw values are wanted here.
        published=utc_datetime(dict.get(e, "published_parsed")),
        updated=utc_datetime(dict.get(e, "updated_parsed")),
        enclosures=tuple(enclosures),
    )


_EMAIL_AND_NAME = re.compile(
    r"^\S+@\S+\s*\((?P<name>[^()]+)\)$|^(?P<name2>[^<>]+?)\s*<\S+@\S+>$"
    # feedparser writes an Atom author's name and e-mail address as "Ana Lopez (ana@…)".
    r"|^(?P<name3>[^()]+?)\s*\(\S+@\S+\)$"
)
_EMAIL = re.compile(r"^\S+@\S+$")


def author_name(raw: str) -> str:
    # RSS puts an e-mail address in <author>, "ana@example.org (Ana Lopez)"; the hub shows
    # the name only and never publishes a bare address. feedparser's own split of this is
    # wrong for long top-level domains, so it is done here.
    raw = raw[:1000]
    if match := _EMAIL_AND_NAME.match(raw):
        return (match.group("name") or match.group("name2") or match.group("name3")).strip()
    if _EMAIL.match(raw):
        return ""
    return raw


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def utc_datetime(value) -> datetime | None:
    # feedparser normalises dates to UTC struct_time.
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _describe(problem) -> str:
    text = str(problem or "unknown problem").strip()
    return text[:200]


def _not_a_feed(content: bytes, result) -> str:
    if _HTML_START.match(content[:4096]):
        link = _FEED_LINK.search(content[:262144])
        href = _HREF.search(link.group(0)) if link else None
        hint = (
            f" The page names a feed at {href.group(1).decode('utf-8', 'replace')}; use that "
            "address instead."
            if href
            else " Look on the site for its RSS or Atom link."
        )
        return "The address returned a web page (HTML), not a feed." + hint
    problem = result.get("bozo_exception")
    if problem is not None:
        return f"The answer is not a readable feed: {_describe(problem)}."
    return "The answer is not an RSS or Atom feed."


# --- running with a time limit --------------------------------------------------------------


def _worker(conn, content: bytes, headers: dict, url: str, timeout: float, memory_mb: int) -> None:
    # The parent decides when a parse ends: at the time limit, or when it stops itself. Ctrl+C
    # in a terminal and a service manager's SIGTERM reach every process of the group, and would
    # otherwise end a parse the parent still waits for. Should the parent die without ending
    # it, the alarm does (SIGALRM's default action), soon after the time limit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.alarm(math.ceil(timeout) + 1)
    try:
        if memory_mb:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(("ok", parse(content, headers=headers, url=url)))
    except ParseError as exc:
        conn.send(("error", exc.message))
    except MemoryError:
        conn.send(("error", "Reading the feed needed more memory than the hub allows."))
    except Exception as exc:  # any crash of the parser is the feed's fault
        conn.send(("error", f"The feed could not be read: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    # forkserver: a clean, single-threaded parent with feedparser preloaded, so each parse
    # starts quickly and never inherits database connections or threads.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["feedparser", "newsroom.parse"])
    return ctx


# Parses under way, for a worker that has to exit at once.
_running: set = set()


def stop_running_parses() -> None:
    """Kill the parse processes under way (from any thread: it only sends signals)."""
    for process in list(_running):
        with contextlib.suppress(ValueError, OSError):  # it ended meanwhile
            process.kill()


def parse_with_limit(
    content: bytes, *, headers: dict[str, str], url: str, timeout: float, memory_mb: int = 0
) -> ParsedFeed:
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_worker, args=(sender, content, headers, url, timeout, memory_mb), daemon=True
    )
    process.start()
    sender.close()
    _running.add(process)
    try:
        if not receiver.poll(timeout):
            raise ParseError(
                f"Reading the feed took longer than {timeout:g} seconds, so it was stopped. "
                "The feed may be built to slow down feed readers (for example a huge author "
                "or title field)."
            )
        try:
            outcome, value = receiver.recv()
        except EOFError:
            raise ParseError(
                "The feed reader crashed on this feed (it may be too large or malformed)."
            ) from None
    finally:
        _running.discard(process)
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
    if outcome == "error":
        raise ParseError(value)
    return value
