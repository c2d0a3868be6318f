"""The database half of a backup: a consistent copy out, a complete replacement in.

One class per vendor, because the mechanisms have nothing in common. SQLite copies through its
online backup API, never the file: a copy of the file taken while the hub writes misses what
is still in the WAL, or catches a page half written. PostgreSQL goes through pg_dump and
pg_restore. Both read the row counts and migration state from the very snapshot they dump, so
the manifest describes exactly what the archive holds even while the hub keeps writing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from cxhub.backups.archive import BackupError


@dataclass(frozen=True)
class Snapshot:
    row_counts: dict[str, int]
    migrations: dict[str, str]  # app label → latest applied migration


def database_for(connection: BaseDatabaseWrapper) -> SQLiteDatabase | PostgreSQLDatabase:
    if connection.vendor == "sqlite":
        return SQLiteDatabase(connection)
    if connection.vendor == "postgresql":
        return PostgreSQLDatabase(connection)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.display_name}.")


def latest_migrations(rows) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in rows:  # in the order they were applied
        latest[app] = name
    return dict(sorted(latest.items()))


class SQLiteDatabase:
    vendor = "sqlite"
    member = "database.sqlite3"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.path = Path(connection.settings_dict["NAME"])

    def dump(self, destination: Path) -> Snapshot:
        if self.connection.is_in_memory_db() or not self.path.is_file():
            raise BackupError(
                f"There is no SQLite database file at {self.path}. Check DATABASE_URL."
            )
        try:
            with (
                closing(self._open(self.path)) as source,
                closing(sqlite3.connect(destination)) as copy,
            ):
                # One step (pages=-1): the whole copy is one read transaction, so it is one
                # consistent state, and writers go on meanwhile (WAL). Copying in slices would
                # start over each time another connection writes and might never finish.
                source.backup(copy)
                # One self-contained file, whatever the journal mode of the hub's database.
                copy.execute("PRAGMA journal_mode=DELETE")
                return Snapshot(_sqlite_row_counts(copy), _sqlite_migrations(copy))
        except sqlite3.Error as error:
            raise BackupError(f"Copying the SQLite database {self.path} failed: {error}.") from None

    def occupied_tables(self) -> list[str]:
        if not self.path.exists():
            return []
        with closing(self._open(self.path)) as db:
            return [table for table, rows in _sqlite_row_counts(db).items() if rows]

    def load(self, source: Path) -> None:
        if self.connection.is_in_memory_db():
            raise BackupError("The configured SQLite database is in memory; restore needs a file.")
        if not self.path.parent.is_dir():
            raise BackupError(
                f"The folder of the database file, {self.path.parent}, does not exist. "
                "Create it, or point DATABASE_URL elsewhere."
            )
        # Django's connection must not hold the file open across the swap.
        self.connection.close()
        try:
            with (
                closing(sqlite3.connect(source)) as archived,
                closing(self._open(self.path)) as db,
            ):
                # The backup API replaces every page of the destination in one write
                # transaction: others see the old database or the restored one, never a mixture.
                archived.backup(db)
        except sqlite3.Error as error:
            raise BackupError(
                f"Writing the SQLite database {self.path} failed: {error}. Nothing was changed; "
                "stop the hub (and anything else using the database) and run the restore again."
            ) from None

    def row_counts(self) -> dict[str, int]:
        with closing(self._open(self.path)) as db:
            return _sqlite_row_counts(db)

    def _open(self, path: Path) -> sqlite3.Connection:
        # The same busy timeout as the hub's own connections (settings.py).
        timeout = self.connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)
        return sqlite3.connect(path, timeout=timeout)


def _sqlite_row_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sqlite_migrations(db: sqlite3.Connection) -> dict[str, str]:
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        raise BackupError(
            "The database has no migration table: it was never migrated. Nothing to back up."
        ) from None
    return latest_migrations(rows)


class PostgreSQLDatabase:
    vendor = "postgresql"
    member = "database.pgdump"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.settings = connection.settings_dict

    def dump(self, destination: Path) -> Snapshot:
        pg_dump = find_pg_program("pg_dump")
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            # pg_dump joins this transaction's snapshot, so the counts read here describe the
            # dump exactly, however many posts are written meanwhile.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            snapshot_state = Snapshot(self._row_counts(cursor), self._migrations(cursor))
            self._run(
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={destination}",
            )
        return snapshot_state

    def occupied_tables(self) -> list[str]:
        with self.connection.cursor() as cursor:
            occupied = []
            for table in self.connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {self._quote(table)})")
                if cursor.fetchone()[0]:
                    occupied.append(table)
            return occupied

    def load(self, source: Path) -> None:
        pg_restore = find_pg_program("pg_restore")
        self.connection.close()
        self._run(
            pg_restore,
            # Drop what the archive holds before creating it again; nothing when it is not there.
            "--clean",
            "--if-exists",
            # Owners and grants name roles of the machine the backup came from.
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={self.settings['NAME']}",
            str(source),
        )

    def row_counts(self) -> dict[str, int]:
        with self.connection.cursor() as cursor:
            return self._row_counts(cursor)

    def _row_counts(self, cursor) -> dict[str, int]:
        counts = {}
        for table in sorted(self.connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {self._quote(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts

    def _migrations(self, cursor) -> dict[str, str]:
        if "django_migrations" not in self.connection.introspection.table_names(cursor):
            raise BackupError(
                "The database has no migration table: it was never migrated. Nothing to back up."
            )
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return latest_migrations(cursor.fetchall())

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def _run(self, program: str, *args: str) -> None:
        # The password travels in the environment, never on the command line where every
        # user of the machine could read it in the process list.
        result = subprocess.run(
            [program, "--no-password", *args],
            env=libpq_environment(self.settings),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            name = Path(program).name
            raise BackupError(
                f"{name} failed (exit {result.returncode}): {result.stderr.strip()}"
                + PG_HINTS.get(name, "")
            )


PG_HINTS = {
    "pg_dump": "\nIf it names a server version mismatch, install the client package of the "
    "server's major version (e.g. postgresql-client-15) and put its bin folder first on PATH.",
    "pg_restore": "\nNothing was changed: the restore runs in one transaction.",
}

# Django's OPTIONS that libpq also reads from the environment (as Django's dbshell passes them).
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS", {})
    values |= {variable: options.get(option) for option, variable in LIBPQ_OPTIONS.items()}
    env |= {variable: str(value) for variable, value in values.items() if value}
    return env


def find_pg_program(name: str) -> str:
    """`name` on PATH, else from the newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    bindirs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda d: [int(n) for n in re.findall(r"\d+", d.parent.name)],
        reverse=True,
    )
    for bindir in bindirs:
        if os.access(bindir / name, os.X_OK):
            return str(bindir / name)
    raise BackupError(
        f"{name} was not found. Install PostgreSQL's client programs (Debian and Ubuntu: "
        f"`apt-get install postgresql-client`, the server's major version or newer), "
        f"or put the folder holding {name} on PATH."
    )
