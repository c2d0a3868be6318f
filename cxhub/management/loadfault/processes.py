"""The run's child processes: each in its own session, each ended by its own id.

A child starts a new session, so Ctrl+C in the terminal reaches the harness alone and the harness
ends the children in order. It also asks the kernel for SIGTERM should the harness die first
(`setpriv --pdeathsig`, util-linux), so nothing outlives a harness that was itself killed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

SETPRIV = shutil.which("setpriv")


class Child:
    def __init__(self, name: str, argv: list[str], *, env: dict, cwd: Path, log: Path):
        self.name = name
        self.log = log
        self.started_at = time.time()
        self.exited_at: float | None = None  # noted by Processes' watch, to a fifth of a second
        self.stopped_by_us = False
        self._log_file = log.open("ab")
        if SETPRIV:
            argv = [SETPRIV, "--pdeathsig", "TERM", "--", *argv]
        self.process = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        """SIGKILL to the child and everything in its session (a worker's helpers too), the way
        the kernel's OOM killer or a service manager ends a service."""
        self.stopped_by_us = True
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, then SIGKILL to the session if it has not ended within `timeout`."""
        if self.alive:
            self.stopped_by_us = True
            try:
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self._signal_group(signal.SIGKILL)  # leftovers: a fetcher's parse workers, say
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self._log_file.close()
        return self.process.returncode

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _signal_group(self, signum: int) -> None:
        # The session's process group has the child's id (start_new_session).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


class Processes:
    """Every child of the run; `close()` stops them newest first (on Ctrl+C too)."""

    def __init__(self, *, env: dict, cwd: Path, logs: Path):
        self.env = env
        self.cwd = cwd
        self.logs = logs
        self.children: list[Child] = []
        self._closing = threading.Event()
        self._watch = threading.Thread(target=self._note_exits, daemon=True)
        self._watch.start()

    def start(self, name: str, argv: list[str], *, log: str | None = None, env=None) -> Child:
        child = Child(
            name, argv, env=env or self.env, cwd=self.cwd, log=self.logs / (log or f"{name}.log")
        )
        self.children.append(child)
        return child

    def close(self) -> None:
        self._closing.set()
        self._watch.join(timeout=5)
        for child in reversed(self.children):
            child.stop(timeout=10)

    def _note_exits(self) -> None:
        for _ in range(5 * 3600 * 6):  # six hours at most, far beyond any run
            if self._closing.wait(0.2):
                return
            for child in list(self.children):
                if child.exited_at is None and not child.alive:
                    child.exited_at = time.time()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def process_table() -> dict[int, int]:
    """Live (not zombie) processes and their parents, read from /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # The command name in brackets may hold spaces; the fields after it do not.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            table[int(entry.name)] = int(ppid)
    return table


def children_of(pid: int) -> list[int]:
    return sorted(child for child, parent in process_table().items() if parent == pid)


def descendants_of(pid: int) -> list[int]:
    table = process_table()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in table.items():
            if its_parent == parent:
                found.append(child)
                todo.append(child)
    return sorted(found)
