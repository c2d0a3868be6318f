"""Databases a test shares with a process it starts (gunicorn, a fetch worker), and that can go
away and come back while that process runs, without restarting it.

PostgreSQL is reached through a loopback TCP forwarder that can stop and start listening. The
test's in-memory SQLite database cannot be shared with another process, so on SQLite the test
works on a database file instead, whose folder is moved away and back.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections

from tests.test_production import free_port


class Forwarder:
    """A loopback TCP forwarder that can start listening later: the database 'comes back'."""

    def __init__(self, target_port: int):
        self.port = free_port()
        self.target_port = target_port
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        self.sockets.append(listener)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        """Stop listening and cut every connection made through it."""
        sockets, self.sockets = self.sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@dataclass
class SharedDatabase:
    url: str  # DATABASE_URL for the other process
    go_away: Callable[[], None]
    come_back: Callable[[], None]


@contextlib.contextmanager
def shared_database(folder: Path) -> Iterator[SharedDatabase]:
    """The test's database for another process; needs a transactional test (the other process
    sees committed rows only). `folder` holds the SQLite file."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        forwarder = Forwarder(int(settings["PORT"] or 5432))
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = (
            f"postgres://{settings['USER']}{password}@127.0.0.1:{forwarder.port}/{settings['NAME']}"
        )
        forwarder.start()
        try:
            yield SharedDatabase(url=url, go_away=forwarder.stop, come_back=forwarder.start)
        finally:
            forwarder.stop()
        return
    home, away = folder / "database", folder / "database-away"
    home.mkdir()
    with sqlite_file_as_default(home / "hub.sqlite3") as path:
        yield SharedDatabase(
            url=f"sqlite:///{path}",
            go_away=lambda: home.rename(away),
            come_back=lambda: away.rename(home),
        )


@contextlib.contextmanager
def sqlite_file_as_default(path: Path) -> Iterator[Path]:
    """This thread's default connection goes to a migrated SQLite file instead of the in-memory
    test database, which stays as it was (closing its last connection would drop it)."""
    in_memory = connections["default"]
    on_file = type(in_memory)({**in_memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    try:
        call_command("migrate", verbosity=0)
        yield path
    finally:
        on_file.close()
        connections["default"] = in_memory
        ContentType.objects.clear_cache()  # it cached the file's rows under "default"
