"""The backup archive's format: one .tar.gz with the database, the media and a manifest.

Members, in this order:
    database.sqlite3 | database.pgdump   SQLite's online backup, or pg_dump --format=custom
    media/<path under MEDIA_ROOT>        the uploaded files
    manifest.json                        last, since it holds every member's size and sha256

The manifest (JSON) also names the database vendor, the latest applied migration per app,
when the backup was made and the row count of every table.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT = "cxhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"database.sqlite3": "sqlite", "database.pgdump": "postgresql"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PROGRESS_EVERY = 2.0  # seconds between progress lines on long work

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


@dataclass
class Manifest:
    vendor: str
    created_at: str
    migrations: dict[str, str]
    row_counts: dict[str, int]
    files: list[dict] = field(default_factory=list)  # {"path", "size", "sha256"}

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("not a hub backup manifest")
            version = data.get("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise BackupError(
                    f"The archive has format version {version}; this hub reads version "
                    f"{FORMAT_VERSION}. Restore it with the version of the hub that made it."
                )
            manifest = cls(
                vendor=data["vendor"],
                created_at=data["created_at"],
                migrations=dict(data["migrations"]),
                row_counts={str(t): int(n) for t, n in data["row_counts"].items()},
                files=[
                    {"path": str(f["path"]), "size": int(f["size"]), "sha256": str(f["sha256"])}
                    for f in data["files"]
                ],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"The archive's manifest is unreadable ({error}).") from None
        return manifest

    @property
    def database_member(self) -> str:
        return next(f["path"] for f in self.files if f["path"] in DATABASE_MEMBERS)

    @property
    def media_files(self) -> list[dict]:
        return [f for f in self.files if f["path"].startswith(MEDIA_PREFIX)]


def media_files(media_root: Path) -> list[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT, as (POSIX path relative to it, path), sorted."""
    found = []
    # os.walk yields nothing for a MEDIA_ROOT that does not exist (yet).
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in files:
            path = Path(folder, name)
            # Not a link: it may point anywhere on the machine, and restoring it as a file
            # would change what it is.
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return sorted(found)


class Ticker:
    """Progress lines at most every few seconds, and one at the end."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.last = progress, time.monotonic()

    def tick(self, message: str) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            self.progress(message)
            self.last = time.monotonic()

    def done(self, message: str) -> None:
        self.progress(message)
