"""Feeds on 127.0.0.1 that grow while the hub reads them, and a record of what was served.

Every entry has its own guid, link and title, so each must become exactly one stored entry and
one story. An entry counts as served once a 200 answer carrying it went out completely; the
tally compares these guids with the database's rows.
"""

from __future__ import annotations

import itertools
import threading
from email.utils import formatdate
from xml.sax.saxutils import escape

from cxhub.loopback import LoopbackServer

CONTENT_TYPE = "application/rss+xml; charset=utf-8"


class GrowingFeeds(LoopbackServer):
    def __init__(self, names: list[str], *, run: str):
        super().__init__(content_type=CONTENT_TYPE)
        self.run = run
        self.entries: dict[str, list[tuple[str, str, str, float]]] = {n: [] for n in names}
        self.served: set[str] = set()
        self._guids_by_etag: dict[str, tuple[str, ...]] = {}
        self._etag: dict[str, str] = {}
        self._versions = itertools.count(1)
        self._lock = threading.Lock()

    def path(self, name: str) -> str:
        return f"/feeds/{name}.xml"

    def add(self, name: str, count: int = 1, *, at: float) -> list[str]:
        """Append `count` new entries to feed `name` and publish the new document."""
        with self._lock:
            entries = self.entries[name]
            new = []
            for seq in range(len(entries) + 1, len(entries) + count + 1):
                guid = f"cxhub-loadfault:{self.run}:{name}:{seq}"
                title = f"Load-and-fault story {seq} from {name}"
                link = self.url(f"/story/{name}/{seq}")  # 127.0.0.1, like everything here
                entries.append((guid, title, link, at))
                new.append(guid)
            version = next(self._versions)
            etag = f'"{name}-{version}"'
            self._guids_by_etag[etag] = tuple(guid for guid, *_ in entries)
            self._etag[name] = etag
            self.route(
                self.path(name),
                body=self._document(name, entries),
                content_type=CONTENT_TYPE,
                # A distinct date per version: a conditional request must see every change.
                headers={"ETag": etag, "Last-Modified": formatdate(1_700_000_000 + version)},
            )
        return new

    def all_entries(self) -> dict[str, tuple[str, str]]:
        """guid → (title, link) of every entry published so far."""
        with self._lock:
            return {
                guid: (title, link)
                for entries in self.entries.values()
                for guid, title, link, _ in entries
            }

    def served_since(self, name: str, start: int) -> bool:
        """Has feed `name` been answered since request number `start`?"""
        return any(p == self.path(name) for p, _ in self.requests[start:])

    def acknowledged(self) -> dict[str, bool]:
        """Per feed: did a reader ask with the ETag of the feed's latest version?

        The hub keeps a feed's ETag only once it has stored what came with it, so asking with
        the latest one means everything published in that feed is stored.
        """
        with self._lock:
            latest = {self.path(name): etag for name, etag in self._etag.items()}
        asked = {(p, h.get("If-None-Match")) for p, h in list(self.requests)}
        return {path: (path, etag) in asked for path, etag in latest.items()}

    def _send(self, handler, status, headers, body: bytes, reason=None) -> None:
        # Every answer of LoopbackServer goes out here: the one place to see what was sent.
        super()._send(handler, status, headers, body, reason)
        if status == 200 and (guids := self._guids_by_etag.get(headers.get("ETag", ""))):
            with self._lock:
                self.served.update(guids)

    def _document(self, name: str, entries) -> bytes:
        items = "".join(
            f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(guid)}</guid>'
            f"<pubDate>{formatdate(at, usegmt=True)}</pubDate>"
            "<description>A patient-experience story, published while the hub was under "
            "load.</description></item>"
            for guid, title, link, at in reversed(entries)  # newest first, as feeds do
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Load-and-fault feed {name}</title><link>{self.url('/')}</link>"
            f"<description>Generated</description>{items}</channel></rss>"
        ).encode()
