"""Restoring a backup: check the whole archive first, then replace database and media.

Nothing changes before every member matches the manifest's size and sha256 and the archive
fits this hub (same database vendor, no migrations this code lacks). Afterwards the restored
row counts are compared with the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import secrets
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from cxhub.backups.archive import (
    DATABASE_MEMBERS,
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

MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass
class StagedArchive:
    """An archive unpacked into a folder and checked against its manifest."""

    manifest: Manifest
    folder: Path
    mtimes: dict[str, int]

    def path(self, member: str) -> Path:
        return self.folder / member


def stage_archive(archive: Path, folder: Path, progress: Progress) -> StagedArchive:
    """Unpack `archive` into `folder`, checking every member against the manifest."""
    found: dict[str, dict] = {}
    mtimes: dict[str, int] = {}
    seen: set[str] = set()
    manifest_raw = None
    ticker = Ticker(progress)
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = _checked_name(member, seen)
                seen.add(name)
                reader = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("The archive's manifest is implausibly large.")
                    manifest_raw = reader.read()
                    continue
                found[name] = {
                    "path": name,
                    "size": member.size,
                    "sha256": _unpack(reader, folder / name),
                }
                mtimes[name] = int(member.mtime)
                ticker.tick(f"checking the archive … {len(found)} files")
            # The tar ends before the gzip stream does: read on to the end, where gzip checks
            # its CRC over everything, so no flipped byte anywhere goes unnoticed.
            while tar.fileobj.read(1024 * 1024):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{archive} is damaged or is not a hub backup ({error}). Nothing was restored; "
            "use another copy of the backup."
        ) from None
    except OSError as error:
        raise BackupError(f"Cannot read {archive}: {error}. Nothing was restored.") from None
    if manifest_raw is None:
        raise BackupError(f"{archive} has no {MANIFEST}; it is not a hub backup.")
    manifest = Manifest.from_json(manifest_raw)
    problems = _compare(manifest, found)
    if problems:
        listed = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if problems[5:] else ""
        )
        raise BackupError(
            f"{archive} does not match its manifest: {listed}. The archive is damaged; "
            "nothing was restored. Use another copy of the backup."
        )
    ticker.done(f"checking the archive … done, {len(found)} files match the manifest")
    return StagedArchive(manifest, folder, mtimes)


def _unpack(reader, target: Path) -> str:
    """Copy a member's data to `target`; returns its sha256."""
    # Errors in reading are the archive's and propagate as they are; errors in writing are
    # the unpacked copy's, which needs room.
    sha256 = hashlib.sha256()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "wb")  # noqa: SIM115 (closed by the with block below)
    except OSError as error:
        raise _unpack_failed(error) from None
    with out:
        while chunk := reader.read(1024 * 1024):
            sha256.update(chunk)
            try:
                out.write(chunk)
            except OSError as error:
                raise _unpack_failed(error) from None
        try:
            out.flush()
        except OSError as error:
            raise _unpack_failed(error) from None
    return sha256.hexdigest()


def _unpack_failed(error: OSError) -> BackupError:
    return BackupError(
        f"Unpacking the archive failed: {error}. Nothing was restored; point TMPDIR at a "
        "folder with room for the unpacked archive."
    )


def _checked_name(member: tarfile.TarInfo, seen: set[str]) -> str:
    name = member.name
    path = PurePosixPath(name)
    # Written the one way we write names: no "..", no "//" or "./", nothing absolute. The
    # part after "media/" becomes a path under MEDIA_ROOT.
    allowed = name in (MANIFEST, *DATABASE_MEMBERS) or (
        name.startswith(MEDIA_PREFIX)
        and len(path.parts) > 1
        and path.as_posix() == name
        and ".." not in path.parts
        and "\\" not in name
    )
    if not member.isfile() or not allowed or name in seen:
        raise BackupError(
            f"The archive holds an unexpected member {name!r}; it is not a hub backup "
            "(or was tampered with). Nothing was restored."
        )
    return name


def _compare(manifest: Manifest, found: dict[str, dict]) -> list[str]:
    listed = {f["path"]: f for f in manifest.files}
    problems = [f"{name} is missing" for name in listed.keys() - found.keys()]
    problems += [f"{name} is not in the manifest" for name in found.keys() - listed.keys()]
    for name in sorted(listed.keys() & found.keys()):
        if listed[name]["size"] != found[name]["size"]:
            problems.append(f"{name} has the wrong size")
        elif listed[name]["sha256"] != found[name]["sha256"]:
            problems.append(f"{name} fails its sha256 checksum")
    database_members = [name for name in listed if name in DATABASE_MEMBERS]
    if database_members != [n for n, v in DATABASE_MEMBERS.items() if v == manifest.vendor]:
        problems.append("the database member does not match the vendor")
    return sorted(problems)


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    count_mismatches: list[str] = field(default_factory=list)
    extra_tables: list[str] = field(default_factory=list)
    extra_media: int = 0
    notes: list[str] = field(default_factory=list)


def occupied(connection: BaseDatabaseWrapper, media_root: Path) -> list[str]:
    """What a restore would overwrite: tables with rows, and files under MEDIA_ROOT."""
    tables = database_for(connection).occupied_tables()
    what = []
    if tables:
        shown = ", ".join(tables[:4]) + (", …" if tables[4:] else "")
        what.append(f"{len(tables)} table(s) with rows ({shown})")
    files = len(media_files(media_root))
    if files:
        what.append(f"{files} file(s) under MEDIA_ROOT")
    return what


def restore_backup(
    archive: Path,
    *,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    force: bool,
    progress: Progress,
) -> RestoreReport:
    database = database_for(connection)
    media_root = Path(media_root)
    if not force:
        in_the_way = occupied(connection, media_root)
        if in_the_way:
            raise BackupError(
                "The target is not empty: " + "; ".join(in_the_way) + ". A restore replaces "
                "the database and overwrites media files: run again with --force to do that, "
                "or restore into a new, empty database and MEDIA_ROOT."
            )
    with tempfile.TemporaryDirectory(prefix="cxhub-restore-") as tmp:
        staged = stage_archive(archive, Path(tmp), progress)
        manifest = staged.manifest
        _refuse_incompatible(manifest, database.vendor)
        progress(f"database ({VENDOR_NAMES[database.vendor]}) …")
        database.load(staged.path(manifest.database_member))
        progress("database … done")
        _restore_media(staged, media_root, progress)
    return _compare_with_manifest(manifest, database, connection, media_root)


def _refuse_incompatible(manifest: Manifest, vendor: str) -> None:
    if manifest.vendor != vendor:
        raise BackupError(
            f"The archive holds a {VENDOR_NAMES.get(manifest.vendor, manifest.vendor)} "
            f"database, but DATABASE_URL points at {VENDOR_NAMES[vendor]}. Restore it into "
            "the same kind of database it came from. Nothing was restored."
        )
    # Only the migration files on disk matter here, not the database's state.
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{a}.{n}" for a, n in manifest.migrations.items() if (a, n) not in known)
    if unknown:
        raise BackupError(
            "The archive comes from a newer version of the hub: its database has migrations "
            f"this code lacks ({', '.join(unknown[:5])}). Deploy that version (or a newer one) "
            "and restore again. Nothing was restored."
        )


def _restore_media(staged: StagedArchive, media_root: Path, progress: Progress) -> None:
    media = staged.manifest.media_files
    ticker = Ticker(progress)
    try:
        for number, entry in enumerate(media, 1):
            name = entry["path"]
            target = media_root / name.removeprefix(MEDIA_PREFIX)
            _install(staged.path(name), target, staged.mtimes[name])
            ticker.tick(f"media {number}/{len(media)} files")
    except OSError as error:
        raise BackupError(
            f"Copying the media files into MEDIA_ROOT failed: {error}. The database is "
            "restored already; fix the cause and run the restore again with --force."
        ) from None
    ticker.done(f"media {len(media)}/{len(media)} files")


def _compare_with_manifest(
    manifest: Manifest, database, connection: BaseDatabaseWrapper, media_root: Path
) -> RestoreReport:
    counts = database.row_counts()
    restored_media = {f["path"].removeprefix(MEDIA_PREFIX) for f in manifest.media_files}
    report = RestoreReport(
        tables=len(manifest.row_counts),
        rows=sum(manifest.row_counts.values()),
        media_files=len(restored_media),
        count_mismatches=[
            f"{table}: {counts.get(table)} rows, the backup had {expected}"
            for table, expected in sorted(manifest.row_counts.items())
            if counts.get(table) != expected
        ],
        extra_tables=sorted(counts.keys() - manifest.row_counts.keys()),
        extra_media=sum(1 for name, _ in media_files(media_root) if name not in restored_media),
    )
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        report.notes.append(
            f"This version of the hub has {len(pending)} migration(s) the backup predates: "
            "run `manage.py migrate` before starting the hub."
        )
    return report


def _install(source: Path, target: Path, mtime: int) -> None:
    """Copy a media file into place under a temporary name, then rename it over the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        shutil.copyfile(source, tmp)
        os.utime(tmp, (mtime, mtime))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
