"""Is this the same story? Decided here, and only here.

Three questions, from narrow to wide:

1. Within one fetch, a feed may list an entry twice: the first copy wins (`one_per_key`).
2. Within a source, an entry is known by its key: the guid, else its canonical link, else its
   title and own date (`entry_key`), remembered as a `FeedEntry` (`known_entries`).
3. Across sources (and reposts within one), entries tell the same story when their links agree
   once tracking is removed (`canonical_url`), or when their titles agree (`title_key`) and
   their dates lie within `merge_days` of each other; the story is one `NewsItem`
   (`same_story`, `get_or_create_story`).

The database's unique constraints are the final guard behind these answers:

- `unique_entry_per_source` (source, key): never met in a race, because the pipeline locks the
  source's row before storing each batch, so two workers storing one source take turns and
  the second finds the first one's entries. Meeting it means a bug: the entry is skipped and
  the error logged with its traceback (store.store_entries).
- `unique_news_item_canonical_url`: two sources carrying the same story can be stored at the
  same moment. The loser's insert fails; `get_or_create_story` then finds the winner's story.
  Only PostgreSQL gets there: on SQLite every write transaction is IMMEDIATE, so the second
  worker waits for the first to commit and finds the story with its first look.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction

from .models import FeedEntry, FeedSource, NewsItem

# Query parameters that only track the reader; removing them gives the address of the story.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|hsctatracking|"
    r"mkt_tok|igshid|yclid|ref|ref_src|cmpid|campaign|source)$",
    re.I,
)
# Keys looked up per query: SQLite before 3.32 allows at most 999 parameters in one.
KEYS_PER_QUERY = 500


def entry_key(*, guid: str, link: str, title: str, own_date: datetime | None) -> str:
    """An entry's identity within its source: the guid, else the canonical link, else the
    title with the entry's own date. Stored keys depend on it: changing it re-imports every
    entry once."""
    if guid:
        identity = f"guid:{guid}"
    elif link:
        identity = f"link:{canonical_url(link)}"
    else:
        identity = f"title:{title_key(title)}|{own_date.isoformat() if own_date else ''}"
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_url(url: str) -> str:
    """The story's address without tracking parameters, fragment, default port or case
    differences in scheme and host: two sources linking the same article agree on it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMS.match(k)
        )
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, query, ""))[:1000]


def title_key(title: str) -> str:
    """A title folded for comparison: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())[:300]


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=Keyed)


def one_per_key(entries: Iterable[K]) -> list[K]:
    """The entries of one fetch, each key once: a feed listing an entry twice, the first wins."""
    unique: dict[str, K] = {}
    for entry in entries:
        unique.setdefault(entry.key, entry)
    return list(unique.values())


def known_entries(source: FeedSource, keys: Iterable[str]) -> dict[str, FeedEntry]:
    """The source's entries with these keys, with their story and post, by key."""
    keys = list(keys)
    known: dict[str, FeedEntry] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        for entry in FeedEntry.objects.filter(
            source=source, key__in=keys[start : start + KEYS_PER_QUERY]
        ).select_related("item__post"):
            known[entry.key] = entry
    return known


def same_story(
    *, canonical_url: str, title_key: str, date: datetime, merge_days: int
) -> NewsItem | None:
    """The story an entry tells, if the hub has it: by address first, else the oldest story
    with the same title within `merge_days` of the entry's date (a title alone, a year apart,
    is another story)."""
    if canonical_url:
        item = NewsItem.objects.filter(canonical_url=canonical_url).first()
        if item is not None:
            return item
    if title_key:
        window = timedelta(days=merge_days)
        return (
            NewsItem.objects.filter(
                title_key=title_key,
                original_date__gte=date - window,
                original_date__lte=date + window,
            )
            .order_by("pk")
            .first()
        )
    return None


def get_or_create_story(
    *,
    canonical_url: str,
    title_key: str,
    date: datetime,
    merge_days: int,
    create: Callable[[], NewsItem],
) -> tuple[NewsItem, bool]:
    """The same story, or a new one from `create()`; True when it was created.

    `create` runs in a savepoint: when another worker created the story for the same address
    a moment ago, the unique constraint on `canonical_url` refuses ours, everything `create`
    wrote is undone, and the other worker's story is returned.
    """
    keys = {
        "canonical_url": canonical_url,
        "title_key": title_key,
        "date": date,
        "merge_days": merge_days,
    }
    item = same_story(**keys)
    if item is not None:
        return item, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        item = same_story(**keys)
        if item is None:
            raise
        return item, False
