"""The run's database, fresh each time, and how it is made unreachable for a while.

- SQLite: a file in a folder of its own. "Stopping" it moves the folder away and back: new
  connections fail as they would with a server down, while connections already open go on
  working (their files stay open). That is the SQLite analogue of a database stop.
- PostgreSQL: a throwaway cluster on a free loopback port (initdb, pg_ctl; as the `postgres`
  user when run as root, as .ci/test does), stopped with `pg_ctl stop -m fast` and started again.
- PostgreSQL at a given URL: a fresh database created on that server and dropped afterwards; the
  server is not ours, so it is never stopped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import CommandError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SqliteDatabase:
    vendor = "sqlite"
    can_stop = True
    stop_method = (
        "SQLite analogue of a stop: the database's folder is moved away and back, so new "
        "connections fail while connections already open keep working"
    )

    def __init__(self, scratch: Path):
        self.folder = scratch / "db"
        self.away = scratch / "db.away"
        self.folder.mkdir()
        self.url = f"sqlite:///{self.folder / 'hub.sqlite3'}"
        self.label = f"SQLite {sqlite3.sqlite_version}"

    def stop(self) -> None:
        self.folder.rename(self.away)

    def start(self) -> None:
        self.away.rename(self.folder)

    def close(self) -> None:
        if self.away.exists() and not self.folder.exists():
            self.start()


def find_pg_bindir() -> Path | None:
    """The newest PostgreSQL server install with initdb and pg_ctl (as .ci/test looks)."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(result.stdout.strip()))

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in path.parent.name.split(".") if p.isdigit())

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


class PostgresCluster:
    vendor = "postgresql"
    can_stop = True
    stop_method = "pg_ctl stop -m fast, then pg_ctl start"

    def __init__(self):
        bindir = find_pg_bindir()
        if bindir is None:
            raise CommandError(
                "No PostgreSQL server binaries (initdb, pg_ctl) found. Install them "
                "(Debian: apt-get install postgresql) or give --database-url."
            )
        self.bin = bindir
        self.as_root = os.geteuid() == 0
        if (
            self.as_root
            and subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode
        ):
            raise CommandError(
                "Running as root, the cluster must run as the `postgres` user, which does not "
                "exist (useradd --system --user-group postgres), or run as another user."
            )
        # A folder of its own, outside the run's scratch folder, which `postgres` cannot enter.
        self.root = Path(tempfile.mkdtemp(prefix="cxhub-loadfault-pg-"))
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.running = False
        self._pg("initdb", "-D", str(self.data), "--auth=trust", "-U", "cxhub", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self._pg("mkdir", str(self.root / "sock"), tool=False)
        with (self.data / "postgresql.conf").open("a") as conf:
            # Durability stays at the defaults (fsync on): the figures should be production's.
            conf.write(
                "\n# Throwaway load-and-fault cluster: loopback only.\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root / 'sock'}'\n"
            )
        for _ in range(3):
            self.port = free_port()
            if self._start():
                break
        else:
            raise CommandError(f"PostgreSQL did not start:\n{self._log_tail()}")
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "cxhub", "cxhub")
        # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        version = self._pg("postgres", "--version").split(")")[1].split()[0]
        self.label = f"PostgreSQL {version} (throwaway cluster)"
        self.url = f"postgres://cxhub@127.0.0.1:{self.port}/cxhub"

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        self.running = False

    def start(self) -> None:
        if not self._start():
            raise CommandError(f"PostgreSQL did not start again:\n{self._log_tail()}")

    def close(self) -> None:
        try:
            if self.running or (self.data / "postmaster.pid").exists():
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                         check=False)  # fmt: skip
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _start(self) -> bool:
        result = self._pg(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", f"-p {self.port}",
            "-w", "-t", "60", "start", check=False,
        )  # fmt: skip
        self.running = result is not None
        return self.running

    def _pg(self, program: str, *args: str, tool: bool = True, check: bool = True) -> str | None:
        argv = [str(self.bin / program) if tool else program, *args]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, cwd=self.root, capture_output=True, text=True)
        if result.returncode:
            if check:
                raise CommandError(f"{program} failed: {result.stderr or result.stdout}")
            return None
        return result.stdout

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-15:])
        except OSError:
            return "(no server log)"


class GivenPostgres:
    """A fresh database on a server the operator runs; created here, dropped at the end."""

    vendor = "postgresql"
    can_stop = False
    stop_method = "not run: the server at --database-url is not ours to stop"

    def __init__(self, url: str):
        import psycopg

        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise CommandError("--database-url must be a postgres:// URL.")
        host = parts.hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise CommandError("--database-url must point at this machine (127.0.0.1).")
        self.name = f"cxhub_loadfault_{secrets.token_hex(4)}"
        self._admin_url = url
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
                version = conn.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error as exc:
            raise CommandError(f"Could not create a database at --database-url: {exc}") from None
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.label = f"PostgreSQL {version} (given server, database {self.name})"

    def stop(self) -> None:
        raise AssertionError("a given server is never stopped")

    def start(self) -> None:
        raise AssertionError("a given server is never stopped")

    def close(self) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
