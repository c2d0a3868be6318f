"""Writing a backup: the database from one snapshot, then the media, then the manifest.

The database is copied before the media: an upload is stored before the row that names it is
committed, so every file the database snapshot refers to is on disk when the media are read.
The archive appears under its name only once it is complete.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from cxhub.backups.archive import (
    MANIFEST,
    MEDIA_PREFIX,
    VENDOR_NAMES,
    BackupError,
    Manifest,
    Progress,
    Ticker,
    media_files,
)
from cxhub.backups.databases import database_for


def default_name() -> str:
    return f"cxhub-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(
    destination: Path,
    *,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    progress: Progress,
) -> Manifest:
    database = database_for(connection)
    destination = destination.absolute()
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist; create it first.")
    if destination.resolve().is_relative_to(Path(media_root).resolve()):
        raise BackupError(
            "The archive would be written inside MEDIA_ROOT, where the web server publishes "
            "it; choose a folder outside it."
        )
    # The database copy waits next to the archive rather than in /tmp, which is often a small
    # RAM disk: whoever chose that folder for backups gave it room.
    with tempfile.TemporaryDirectory(prefix=".cxhub-backup-", dir=destination.parent) as tmp:
        dump = Path(tmp) / database.member
        progress(f"database ({VENDOR_NAMES[database.vendor]}) …")
        snapshot = database.dump(dump)
        rows = sum(snapshot.row_counts.values())
        progress(f"database … done, {rows:,} rows in {len(snapshot.row_counts)} tables")
        manifest = Manifest(
            vendor=database.vendor,
            created_at=timezone.now().isoformat(timespec="seconds"),
            migrations=snapshot.migrations,
            row_counts=snapshot.row_counts,
        )
        media = media_files(Path(media_root))
        _write_archive(destination, (database.member, dump), media, manifest, progress)
    return manifest


def _write_archive(
    destination: Path,
    database: tuple[str, Path],
    media: list[tuple[str, Path]],
    manifest: Manifest,
    progress: Progress,
) -> None:
    """Write the members, adding each one's size and sha256 to the manifest, then it."""
    ticker = Ticker(progress)
    vanished = 0
    # Level 6: covers and pg_dump's output are compressed already; 9 only costs time.
    with (
        _atomic_file(destination) as out,
        tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar,
    ):
        member, dump = database
        manifest.files.append(_add_file(tar, dump, member))
        for number, (name, path) in enumerate(media, 1):
            try:
                manifest.files.append(_add_file(tar, path, MEDIA_PREFIX + name))
            except FileNotFoundError:
                vanished += 1  # deleted since the listing; the database moved on too
            ticker.tick(f"media {number}/{len(media)} files")
        ticker.done(f"media {len(media)}/{len(media)} files")
        if vanished:
            progress(f"{vanished} media file(s) were deleted during the backup; left out")
        _add_bytes(tar, MANIFEST, manifest.to_json())


class _HashingReader:
    def __init__(self, file) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    # One read per file: the bytes hashed are the bytes archived, even if the file changes.
    with open(path, "rb") as file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        reader = _HashingReader(file)
        try:
            tar.addfile(info, reader)
        except OSError as error:
            if "unexpected end of data" not in str(error):
                raise
            raise BackupError(f"{path} shrank while it was read; run the backup again.") from None
    return {"path": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    tar.addfile(info, io.BytesIO(data))


@contextmanager
def _atomic_file(destination: Path):
    """A file that appears under its name complete or not at all (an older one stays)."""
    # mkstemp creates it readable by its owner only: the archive holds password hashes.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
    )
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(destination.parent)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
