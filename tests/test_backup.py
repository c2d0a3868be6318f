"""`manage.py backup` and `manage.py restore`, on the database the suite runs on.

Each test works as an operator would: `manage.py` in subprocesses against hubs of its own, a
source hub (migrated and filled by tests/scripts/backup_seed.py, with media files) and, to
restore into, a new empty one: a new SQLite file, or a new database on the same PostgreSQL
server. The test database of pytest-django (in memory on SQLite) plays no part.
"""

from __future__ import annotations

import io
import json
import os
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cxhub.backups.archive import BackupError
from cxhub.backups.databases import find_pg_program
from posts.models import Post

ROOT = Path(__file__).resolve().parent.parent
WRITER_SLUG = "writer-post-"


def vendor() -> str:
    return connection.vendor


# --- hubs of their own ---------------------------------------------------------------------


@dataclass
class Hub:
    url: str
    media: Path
    database: str  # the SQLite file, or the PostgreSQL database name

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def env(self) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.url, MEDIA_ROOT=str(self.media))

    def connect(self):
        """A DB-API connection of its own (sqlite3 or psycopg); both have execute()."""
        if vendor() == "sqlite":
            return sqlite3.connect(self.database, timeout=20)
        import psycopg

        return psycopg.connect(dbname=self.database, **server_parameters())

    def rows(self) -> dict[str, list[dict]]:
        """Every table's rows as dicts, in a stable order."""
        with closing(self.connect()) as db:
            everything = {}
            for table in table_names(db):
                cursor = db.execute(f'SELECT * FROM "{table}"')
                columns = [column[0] for column in cursor.description]
                rows = sorted(cursor.fetchall(), key=repr)
                everything[table] = [dict(zip(columns, row, strict=True)) for row in rows]
            return everything

    def media_files(self) -> dict[str, bytes]:
        return {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }


def table_names(db) -> list[str]:
    if vendor() == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    return sorted(name for (name,) in db.execute(query).fetchall())


def server_parameters() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }


def postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{name}"


def postgres_server():
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **server_parameters())


@pytest.fixture
def new_hub(tmp_path) -> Callable[..., Hub]:
    """Makes hubs with an empty database (and no MEDIA_ROOT yet); drops them afterwards."""
    created: list[str] = []

    def make(name: str, *, create: bool = True) -> Hub:
        media = tmp_path / f"{name}-media"
        if vendor() == "sqlite":
            path = tmp_path / f"{name}.sqlite3"
            return Hub(f"sqlite:///{path}", media, str(path))
        database = f"cxhub_backup_{name}_{secrets.token_hex(4)}"
        if create:
            with postgres_server() as server:
                server.execute(f'CREATE DATABASE "{database}"')
            created.append(database)
        return Hub(postgres_url(database), media, database)

    yield make
    if created:
        with postgres_server() as server:
            for database in created:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def source(new_hub) -> Hub:
    """A migrated hub with rows in every kind of table and a few media files."""
    hub = new_hub("source")
    seeded = subprocess.run(
        [sys.executable, "tests/scripts/backup_seed.py"],
        cwd=ROOT,
        env=hub.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    notes = hub.media / "notes" / "ümlaut name with spaces.txt"
    notes.parent.mkdir(parents=True)
    notes.write_text("Notes kept beside the covers.\n")
    (hub.media / "notes" / "empty").write_bytes(b"")
    (hub.media / "binary.bin").write_bytes(bytes(range(256)) * 4096)
    return hub


def backup(hub: Hub, archive: Path) -> subprocess.CompletedProcess:
    result = hub.manage("backup", str(archive))
    assert archive.is_file()
    return result


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def repack(archive: Path, destination: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of `archive` with each member's data passed through `change(name, data)`."""
    with tarfile.open(archive) as old, tarfile.open(destination, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return destination


# --- a writer that never stops -------------------------------------------------------------


def insert_post(db, number: int, template_id: int) -> None:
    """A copy of post `template_id` as "Writer post <number>", committed on its own."""
    columns = [
        f.column for f in Post._meta.concrete_fields if f.column not in {"id", "title", "slug"}
    ]
    listed = ", ".join(columns)
    marker = "?" if vendor() == "sqlite" else "%s"
    db.execute(
        f"INSERT INTO posts_post (title, slug, {listed}) "
        f"SELECT {marker}, {marker}, {listed} FROM posts_post WHERE id = {marker}",
        (f"Writer post {number}", f"{WRITER_SLUG}{number}", template_id),
    )
    db.commit()


class Writer(threading.Thread):
    """Inserts numbered posts into a hub, one committed transaction each, until stopped."""

    def __init__(self, hub: Hub) -> None:
        super().__init__(daemon=True)
        self.hub = hub
        self.committed = 0
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            with closing(self.hub.connect()) as db:
                if vendor() == "sqlite":
                    # Every write stays in the WAL, never checkpointed into the database file:
                    # the case in which a plain copy of the file loses committed posts.
                    db.execute("PRAGMA wal_autocheckpoint = 0")
                template_id = db.execute("SELECT min(id) FROM posts_post").fetchone()[0]
                db.commit()
                while not self.stopping.is_set():
                    insert_post(db, self.committed + 1, template_id)
                    self.committed += 1
        except Exception as error:
            self.error = error

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while self.committed < count:
            assert self.error is None and time.monotonic() < deadline, self.error
            time.sleep(0.01)

    def __enter__(self) -> Writer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.join(timeout=60)


def writer_number(post: dict) -> int | None:
    slug = post["slug"]
    return int(slug.removeprefix(WRITER_SLUG)) if slug.startswith(WRITER_SLUG) else None


# --- tests ---------------------------------------------------------------------------------


def test_backup_taken_while_posts_are_written_restores_a_consistent_hub(source, new_hub, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    with Writer(source) as writer:
        writer.wait_for(20)
        committed_before = writer.committed
        made = backup(source, archive)
        # Rows the backup cannot have: written once it had ended.
        writer.wait_for(writer.committed + 20)
    assert writer.error is None

    assert "database … done" in made.stdout
    assert "media 4/4 files" in made.stdout
    target = new_hub("target")
    restored = target.manage("restore", str(archive))
    assert "the counts match the backup" in restored.stdout

    before, after = source.rows(), target.rows()
    assert after.keys() == before.keys()
    for table in (
        "auth_user",
        "auth_user_groups",
        "django_admin_log",
        "django_session",
        "feeds_categoryrule",
        "feeds_feedentry",
        "feeds_feedsource",
        "feeds_feedsource_default_categories",
        "feeds_filterrule",
        "feeds_importedpost",
        "feeds_newsitem",
        "cxhub_contentversion",
        "posts_category",
        "posts_categoryredirect",
        "posts_loginfailure",
        "posts_taggedpost",
    ):
        assert before[table], f"the seed left {table} empty"
        assert after[table] == before[table], table
    assert {t for t in before if t.startswith("taggit_")}, "taggit's tables are compared too"
    # posts_post moves on while the backup runs, and SQLite's search index (the FTS5 table
    # posts_post_fts and its shadow tables) with it: both are checked against the copy below.
    # So do the category combinations that triggers keep with every post (posts.combinations):
    # checked against the copy's own posts below.
    moving = {t for t in before if t == "posts_post" or t.startswith("posts_post_fts")}
    moving |= {"posts_combination", "posts_categoryset", "posts_maskcount"}
    for table in before.keys() - moving:
        assert after[table] == before[table], table
    assert combinations_of(after) == {
        (row["key"], row["kind"]): row["n"] for row in after["posts_combination"]
    }
    assert masks_of(after) == {
        row["mask"]: (row["n"], row["k_article"]) for row in after["posts_maskcount"]
    }

    # The writer's posts in the copy are exactly those committed before one moment.
    numbers = sorted(n for post in after["posts_post"] if (n := writer_number(post)))
    restored_count = len(numbers)
    assert numbers == list(range(1, restored_count + 1))
    assert committed_before <= restored_count < writer.committed
    assert after["posts_post"] == [
        post for post in before["posts_post"] if (writer_number(post) or 0) <= restored_count
    ]
    assert manifest_of(archive)["row_counts"]["posts_post"] == len(after["posts_post"])
    if vendor() == "sqlite":  # the search index came along in step with the posts
        with closing(target.connect()) as db:
            found = db.execute(
                "SELECT count(*) FROM posts_post_fts WHERE posts_post_fts MATCH 'writer'"
            ).fetchone()[0]
        assert found == restored_count

    assert target.media_files() == source.media_files()
    assert any(name.startswith("covers/") for name in target.media_files())
    target.manage("migrate", "--check")
    # Sequences came along: the restored hub goes on numbering after the last post.
    with closing(target.connect()) as db:
        insert_post(db, restored_count + 1, after["posts_post"][0]["id"])
    assert len(target.rows()["posts_post"]) == len(after["posts_post"]) + 1


def combinations_of(rows: dict[str, list[dict]]) -> dict[tuple[str, str], int]:
    """What the combination rows should be for these posts and categories: published posts
    with a date, by their set of categories (",3,7," or ",") and kind."""
    categories: dict[int, list[int]] = {}
    for link in rows["posts_taggedpost"]:
        categories.setdefault(link["content_object_id"], []).append(link["tag_id"])
    counts: dict[tuple[str, str], int] = {}
    for post in rows["posts_post"]:
        if post["status"] != "published" or post["published_at"] is None:
            continue
        ids = sorted(categories.get(post["id"], []))
        key = "," + "".join(f"{pk}," for pk in ids)
        counts[key, post["kind"]] = counts.get((key, post["kind"]), 0) + 1
    return counts


def masks_of(rows: dict[str, list[dict]]) -> dict[int, tuple[int, int]]:
    """What posts_maskcount should hold for these combination rows: by the mask of the
    categories' bits, the posts and the articles among them."""
    bits = {category["id"]: category["bit"] for category in rows["posts_category"]}
    counts: dict[int, tuple[int, int]] = {}
    for row in rows["posts_combination"]:
        mask = sum(1 << bits[int(pk)] for pk in row["key"].split(",") if pk)
        n, articles = counts.get(mask, (0, 0))
        counts[mask] = (n + row["n"], articles + (row["n"] if row["kind"] == "article" else 0))
    return counts


def test_the_manifest_describes_the_archive(source, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    backup(source, archive)
    manifest = manifest_of(archive)
    assert manifest["format_version"] == 1
    assert manifest["vendor"] == vendor()
    latest = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    for app in ("posts", "feeds", "newsroom"):
        assert manifest["migrations"][app] == latest[app]
    assert manifest["created_at"]
    assert manifest["row_counts"]["posts_post"] == len(source.rows()["posts_post"])
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert sorted(f["path"] for f in manifest["files"]) == sorted(names[:-1])
    media = {f["path"]: f["size"] for f in manifest["files"] if f["path"].startswith("media/")}
    assert media["media/binary.bin"] == 256 * 4096
    assert media["media/notes/empty"] == 0


def test_a_damaged_archive_is_refused_and_changes_nothing(source, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    backup(source, archive)
    before_rows, before_media = source.rows(), source.media_files()

    def flip_a_byte(name: str, data: bytes) -> bytes:
        if name != "media/binary.bin":
            return data
        return data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:]

    tampered = repack(archive, tmp_path / "tampered.tar.gz", flip_a_byte)
    refused = source.manage("restore", str(tampered), "--force", check=False)
    assert refused.returncode != 0
    assert "media/binary.bin fails its sha256 checksum" in refused.stderr
    assert "nothing was restored" in refused.stderr

    garbled = tmp_path / "garbled.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    garbled.write_bytes(data)
    refused = source.manage("restore", str(garbled), "--force", check=False)
    assert refused.returncode != 0
    assert "is damaged" in refused.stderr
    assert "Traceback" not in refused.stderr

    assert source.rows() == before_rows
    assert source.media_files() == before_media


def test_restoring_over_data_needs_force_and_then_replaces_it(source, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    backup(source, archive)
    before_rows, before_media = source.rows(), source.media_files()
    with closing(source.connect()) as db:
        insert_post(db, 1, before_rows["posts_post"][0]["id"])
    (source.media / "covers" / "added-later.png").write_bytes(b"not in the backup")
    changed_rows = source.rows()

    refused = source.manage("restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "The target is not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert source.rows() == changed_rows

    replaced = source.manage("restore", str(archive), "--force")
    assert "1 file(s) under MEDIA_ROOT are not in the backup" in replaced.stdout
    assert source.rows() == before_rows
    assert source.media_files() == before_media | {"covers/added-later.png": b"not in the backup"}


def other_vendor(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"
    return json.dumps(manifest).encode()


def from_the_future(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["migrations"]["posts"] = "0099_from_the_future"
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (other_vendor, "Restore it into the same kind of database it came from"),
        (from_the_future, "comes from a newer version of the hub"),
    ],
    ids=["other-vendor", "newer-hub"],
)
def test_an_archive_this_hub_cannot_take_is_refused(source, new_hub, tmp_path, change, message):
    archive = tmp_path / "hub.tar.gz"
    backup(source, archive)
    odd = repack(archive, tmp_path / "odd.tar.gz", change)
    if change is other_vendor:
        # The vendor in the manifest and the database member must agree; rename it too.
        renamed = {"database.sqlite3": "database.pgdump", "database.pgdump": "database.sqlite3"}
        odd = _rename_database_member(odd, renamed, tmp_path / "odd-renamed.tar.gz")
    target = new_hub("target")
    refused = target.manage("restore", str(odd), check=False)
    assert refused.returncode != 0
    assert message in refused.stderr
    assert "Nothing was restored" in refused.stderr
    assert not target.media.exists()
    if vendor() == "sqlite":
        assert not Path(target.database).exists()
    else:
        with closing(target.connect()) as db:
            assert table_names(db) == []


def _rename_database_member(archive: Path, renamed: dict[str, str], destination: Path) -> Path:
    with tarfile.open(archive) as old, tarfile.open(destination, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                for entry in manifest["files"]:
                    entry["path"] = renamed.get(entry["path"], entry["path"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
            member.name = renamed.get(member.name, member.name)
            new.addfile(member, io.BytesIO(data))
    return destination


def test_a_failed_backup_leaves_the_previous_archive_alone(new_hub, tmp_path):
    archive = tmp_path / "hub.tar.gz"
    archive.write_bytes(b"yesterday's archive")
    missing = new_hub("missing", create=False)
    failed = missing.manage("backup", str(archive), check=False)
    assert failed.returncode != 0
    assert "No archive was written" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert archive.read_bytes() == b"yesterday's archive"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_interrupted_backup_leaves_no_archive_behind(source, tmp_path):
    # Incompressible, so that writing the archive takes a moment to interrupt.
    (source.media / "large.bin").write_bytes(random.Random(13).randbytes(96 * 1024 * 1024))
    archive = tmp_path / "hub.tar.gz"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "backup", str(archive)],
        cwd=ROOT,
        env=source.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size for p in tmp_path.glob(".hub.tar.gz.*.part")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode != 0
    assert not archive.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_missing_postgresql_program_is_named_with_its_debian_package():
    with pytest.raises(BackupError, match=r"apt-get install postgresql-client"):
        find_pg_program("pg_dump_that_is_not_installed")
