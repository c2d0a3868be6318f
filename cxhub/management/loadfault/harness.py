"""One load-and-fault run: set up a fresh hub, load it, inject the faults in order, tally, report.

Everything runs on this machine and talks to 127.0.0.1 only. Every wait is bounded; processes,
threads, the database and the scratch folder are cleaned up on the way out, on Ctrl+C too.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import gunicorn
from django.conf import settings
from django.core.management.base import CommandError

from . import report as reporting
from .databases import GivenPostgres, PostgresCluster, SqliteDatabase, free_port
from .feedserver import GrowingFeeds
from .processes import Child, Processes, children_of, process_table

ROOT = Path(settings.BASE_DIR)
LUA = Path(__file__).parent.parent / "wrk.lua"  # shared with the benchmark
FEEDS = ["alpha", "bravo", "charlie", "delta"]
BURST = "burst"
TASKS = [sys.executable, "-m", "cxhub.management.loadfault.tasks"]


@dataclass
class Options:
    database: str  # "sqlite" or "postgresql"
    database_url: str | None = None
    duration: int = 60
    connections: int = 64
    workers: int = 4
    outage: float = 10
    burst: int = 200  # entries added at once for the fetcher to be killed while storing them
    catch_up: float = 40  # seconds the fetcher gets after the load to store what was served
    keep: bool = False

    @classmethod
    def quick(cls, **kwargs) -> Options:
        return cls(**{"duration": 10, "connections": 16, "workers": 2, "outage": 3,
                      "burst": 100, "catch_up": 12} | kwargs)  # fmt: skip


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise CommandError(
            "wrk is not installed. Install it (Debian/Ubuntu: apt-get install wrk; macOS: brew "
            "install wrk) and run again."
        )
    return wrk


def get(port: int, path: str, *, timeout: float) -> tuple[int | None, str | None]:
    """GET from the hub as its TLS-terminating proxy would; (status, None) or (None, error)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        return response.status, None
    except (OSError, http.client.HTTPException) as exc:
        return None, type(exc).__name__
    finally:
        conn.close()


@contextmanager
def signals_ignored():
    """Cleaning up must finish even if Ctrl+C is pressed again."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Prober(threading.Thread):
    """Asks for / and /healthz in turn, four times a second, noting each answer with its time:
    wrk counts statuses but cannot say which URL failed, nor exactly when."""

    def __init__(self, port: int, *, deadline: float):
        super().__init__(daemon=True, name="loadfault-prober")
        self.port = port
        self.deadline = deadline
        self.samples: list[dict] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        for path in itertools.islice(itertools.cycle(["/", "/healthz"]), 20_000):
            if self.stopping.is_set() or time.time() > self.deadline:
                return
            started = time.time()
            status, error = get(self.port, path, timeout=10)
            self.samples.append(
                {"t": started, "end": time.time(), "path": path, "status": status, "error": error}
            )
            self.stopping.wait(0.25)


class Run:
    def __init__(self, options: Options, say: Callable[[str], None]):
        self.o = options
        self.say = say
        self.wrk = require_wrk()
        self.faults: list[dict] = []
        self.unexpected_exits: list[str] = []
        self.noted: list[Child] = []
        self.window: tuple[float, float] | None = None
        self.fetchers = 0

    # --- the run ------------------------------------------------------------------------------

    def execute(self) -> dict:
        stack = ExitStack()
        try:
            self.scratch = Path(tempfile.mkdtemp(prefix="cxhub-loadfault-"))
            if not self.o.keep:
                stack.callback(shutil.rmtree, self.scratch, ignore_errors=True)
            self.say(f"Scratch folder {self.scratch}")
            self.db = self.open_database()
            stack.callback(self.db.close)
            self.feeds = stack.enter_context(
                GrowingFeeds([*FEEDS, BURST], run=secrets.token_hex(4))
            )
            self.env = self.hub_env()
            self.procs = stack.enter_context(Processes(env=self.env, cwd=ROOT, logs=self.scratch))
            self.set_up()
            self.serve()
            return self.load_and_faults()
        finally:
            with signals_ignored():
                self.say("Cleaning up …")
                stack.close()

    def open_database(self):
        if self.o.database_url:
            self.say("Creating a fresh database on the given PostgreSQL server …")
            return GivenPostgres(self.o.database_url)
        if self.o.database == "postgresql":
            self.say("Starting a throwaway PostgreSQL cluster on 127.0.0.1 …")
            return PostgresCluster()
        return SqliteDatabase(self.scratch)

    def hub_env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        return env | {
            "DJANGO_SETTINGS_MODULE": "cxhub.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "ADMIN_LOGIN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "DATABASE_URL": self.db.url,
            "STATIC_ROOT": str(self.scratch / "static"),
            "MEDIA_ROOT": str(self.scratch / "media"),
            # The feed server is on 127.0.0.1, which production refuses to fetch from.
            "OUTBOUND_ALLOW_PRIVATE_ADDRESSES": "1",
            "INGEST_TIMEOUT": "10",
            "PYTHONUNBUFFERED": "1",  # a killed process's last lines reach its log
        }

    def set_up(self) -> None:
        self.say(f"Setting up a fresh hub on {self.db.label} …")
        now = time.time()
        for name in FEEDS:
            self.feeds.add(name, 5, at=now)
        self.feeds.add(BURST, 3, at=now)
        params = {
            "categories": ["cx-design", "healthcare-sector"],
            "extra_posts": 60,
            "editor_posts": 20,
            "interval": 1,
            "feeds": {name: self.feeds.url(self.feeds.path(name)) for name in [*FEEDS, BURST]},
        }
        static = self.procs.start(
            "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"]
        )
        self.setup = self.task("setup", params, timeout=300)
        if static.wait(timeout=300) != 0:
            raise CommandError(f"collectstatic failed:\n{static.tail()}")

    def task(self, name: str, params: dict, *, timeout: float) -> dict:
        source, target = self.scratch / f"{name}-in.json", self.scratch / f"{name}-out.json"
        source.write_text(json.dumps(params))
        child = self.procs.start(name, [*TASKS, name, str(source), str(target)])
        if child.wait(timeout=timeout) != 0:
            child.stop()
            raise CommandError(f"The {name} step failed:\n{child.tail()}")
        return json.loads(target.read_text())

    def serve(self) -> None:
        extra = []
        if gunicorn.version_info >= (27,):
            # Else every gunicorn on the machine shares one control socket in $HOME.
            extra = ["--no-control-socket"]
        for _ in range(3):  # another process may take the free port first
            self.port = free_port()
            self.gunicorn = self.procs.start(
                "gunicorn",
                [sys.executable, "-m", "gunicorn", "cxhub.wsgi",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.o.workers),
                 "--worker-class", "sync", "--timeout", "30", "--graceful-timeout", "5",
                 *extra],
            )  # fmt: skip
            if self.wait_healthy(seconds=60):
                self.say(f"gunicorn serves on 127.0.0.1:{self.port}")
                return
            self.gunicorn.stop()
        raise CommandError(f"gunicorn did not start:\n{self.gunicorn.tail()}")

    def wait_healthy(self, *, seconds: float) -> bool:
        deadline = time.time() + seconds
        while time.time() < deadline and self.gunicorn.alive:
            if get(self.port, "/healthz", timeout=5)[0] == 200:
                return True
            time.sleep(0.2)
        return False

    def warm_up(self, paths: list[str]) -> None:
        """A few requests per worker first, so wrk does not time the workers' first imports."""
        for path in paths * self.o.workers:
            get(self.port, path, timeout=30)

    def start_fetcher(self) -> Child:
        self.fetchers += 1
        self.fetcher = self.procs.start(
            "fetcher",
            [sys.executable, "manage.py", "fetch_feeds", "--loop", "--interval", "1"],
            log=f"fetcher-{self.fetchers}.log",
        )
        return self.fetcher

    def note_fetcher_exit(self) -> None:
        fetcher = self.fetcher
        if fetcher.alive or fetcher.stopped_by_us or fetcher in self.noted:
            return
        self.noted.append(fetcher)
        last = fetcher.tail(1).strip()[:300] or "(nothing)"
        self.unexpected_exits.append(
            f"fetcher {self.fetchers} (pid {fetcher.pid}) exited with code {fetcher.returncode}"
            f" at {self.since(fetcher.exited_at or time.time())} s; its last line: {last}"
        )

    def load_and_faults(self) -> dict:
        d = self.o.duration
        self.start_fetcher()
        # A steady start: the faults should meet a fetcher at work, not one still booting.
        self.say("The fetcher stores the first entries …")
        if not self.wait_caught_up(seconds=60):
            self.say("… not within 60 s; going on")
        self.paths = paths = [
            "/",
            "/?page=2",
            "/?topic=cx-design&industry=healthcare-sector",
            "/?topic=cx-design&industry=healthcare-sector&page=2",
            *self.setup["post_paths"],
            "/feed/",
        ]
        self.warm_up(paths)
        load_end = time.time() + d + 5  # wrk starts in a moment
        editor_log = self.scratch / "editor.jsonl"
        editor_params = {"posts": self.setup["editor_posts"], "until": load_end,
                         "pause": 0.2, "max_saves": d * 10}  # fmt: skip
        (self.scratch / "editor-in.json").write_text(json.dumps(editor_params))
        editor = self.procs.start(
            "editor", [*TASKS, "editor", str(self.scratch / "editor-in.json"), str(editor_log)]
        )
        self.prober = Prober(self.port, deadline=load_end + self.o.catch_up + 120)
        self.prober.start()
        growing = threading.Event()
        grower = threading.Thread(target=self.grow, args=(growing, load_end), daemon=True)
        grower.start()
        out = self.scratch / "wrk.json"
        threads = min(2, self.o.connections)
        self.say(f"Load: wrk, {self.o.connections} connections, {d} s, against {len(paths)} URLs …")
        wrk = self.procs.start(
            "wrk",
            [self.wrk, "-t", str(threads), "-c", str(self.o.connections), "-d", f"{d}s",
             "--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{self.port}/"],
            env=os.environ
            | {"WRK_PATHS": "\n".join(paths), "WRK_OUT": str(out), "WRK_BUCKETS": "1"},
        )  # fmt: skip
        self.t0 = time.time()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self.sleep_until(0.15 * d)
            self.kill_worker()
            self.sleep_until(0.3 * d)
            self.stop_database()
            self.sleep_until(0.55 * d)
            self.kill_fetcher()
            if wrk.wait(timeout=max(0, self.t0 + d - time.time()) + 30) is None:
                raise CommandError("wrk did not finish in time.")
        finally:
            growing.set()
        self.say("Load over; the fetcher may catch up …")
        caught_up = self.wait_caught_up(seconds=self.o.catch_up)
        running = self.fetcher.alive
        self.note_fetcher_exit()
        self.prober.stopping.set()
        self.prober.join(timeout=15)
        for child in (editor, self.fetcher, self.gunicorn):
            child.stop()
        return self.build_report(out, editor_log, running=running, caught_up=caught_up)

    def grow(self, stop: threading.Event, until: float) -> None:
        """A new entry every half second, in the feeds in turn, until the load ends."""
        for name in itertools.islice(itertools.cycle(FEEDS), int(self.o.duration * 2 + 20)):
            if stop.wait(0.5) or time.time() > until:
                return
            self.feeds.add(name, at=time.time())

    def sleep_until(self, offset: float) -> None:
        time.sleep(max(0, self.t0 + offset - time.time()))

    def since(self, t: float) -> float:
        return round(t - self.t0, 1)

    # --- the faults ---------------------------------------------------------------------------

    def kill_worker(self) -> None:
        fault = {"name": "worker_kill", "title": "SIGKILL to one gunicorn worker",
                 "at": self.since(time.time()), "executed": False, "survived": False,
                 "details": []}  # fmt: skip
        self.faults.append(fault)
        workers = children_of(self.gunicorn.pid)
        if not workers:
            fault["details"].append("no gunicorn worker found")
            return
        victim = workers[-1]
        self.say(f"Fault 1: SIGKILL to gunicorn worker {victim} …")
        os.kill(victim, signal.SIGKILL)
        killed = time.time()
        fault["executed"] = True
        deadline = killed + 20
        while time.time() < deadline:
            now = children_of(self.gunicorn.pid)
            new = [pid for pid in now if pid not in workers]
            if victim not in now and new and len(now) >= self.o.workers:
                fault["survived"] = self.gunicorn.alive
                fault["details"].append(
                    f"worker {victim} killed; gunicorn started worker {new[0]} in its place "
                    f"after {time.time() - killed:.1f} s"
                )
                return
            time.sleep(0.1)
        fault["details"].append(f"worker {victim} killed; not replaced within 20 s")

    def stop_database(self) -> None:
        fault = {"name": "database_stop",
                 "title": f"database stopped for {self.o.outage:g} s",
                 "at": self.since(time.time()), "executed": False, "survived": False,
                 "details": [self.db.stop_method]}  # fmt: skip
        self.faults.append(fault)
        if not self.db.can_stop:
            return
        self.say(f"Fault 2: stopping the database for {self.o.outage:g} s …")
        started = time.time()
        self.db.stop()
        stopped = time.time()
        time.sleep(self.o.outage)
        self.db.start()
        back = time.time()
        self.window = (started, back)
        fault["executed"] = True
        fault["details"].append(
            f"stopping took {stopped - started:.1f} s, down {back - stopped:.1f} s in all "
            f"({self.since(started)}–{self.since(back)} s; 503s then are expected)"
        )
        # Whether pages came back is read from wrk's answers at the end; a moment here lets
        # workers and the fetcher meet the database again before the next fault.
        time.sleep(2)
        self.note_fetcher_exit()
        fault["details"].append(
            f"the fetcher exited by itself at {self.since(self.fetcher.exited_at or back)} s"
            if self.fetcher in self.noted
            else "the fetcher was still running afterwards"
        )

    def kill_fetcher(self) -> None:
        fault = {"name": "fetcher_kill", "title": "SIGKILL to the fetcher while it stores",
                 "at": self.since(time.time()), "executed": False, "survived": False,
                 "details": []}  # fmt: skip
        self.faults.append(fault)
        self.note_fetcher_exit()
        if not self.fetcher.alive:
            self.start_fetcher()
            fault["details"].append(
                "the fetcher had exited by itself before this fault; started again first"
            )
        self.say(f"Fault 3: {self.o.burst} new entries at once, SIGKILL to the fetcher …")
        seen = len(self.feeds.requests)
        self.burst = self.feeds.add(BURST, self.o.burst, at=time.time())
        deadline = time.time() + max(10, 0.3 * self.o.duration)
        while time.time() < deadline and not self.feeds.served_since(BURST, seen):
            time.sleep(0.02)
        if self.feeds.served_since(BURST, seen):
            served = time.time()
            parsed = self.wait_for_parse(self.fetcher.pid, seconds=5)
            time.sleep(0.3)  # into the store stage: storing the burst takes seconds
            fault["details"].append(
                f"the burst was fetched at {self.since(served)} s"
                + (f", parsed {parsed:.1f} s later" if parsed is not None else "")
            )
        else:
            fault["details"].append(
                "the fetcher did not fetch the burst in time; killed without it in hand"
            )
        killed = time.time()
        self.fetcher.kill()
        fault["executed"] = True
        fault["at"] = self.since(killed)
        stored = self.task("tally", self.tally_params(self.burst), timeout=120)["stored_once"]
        fault["details"].append(
            f"SIGKILL at {self.since(killed)} s to the fetcher and its helpers; "
            f"{stored} of {len(self.burst)} burst entries were stored at that moment"
        )
        self.start_fetcher()
        fault["details"].append(f"fetcher started again at {self.since(time.time())} s")

    def wait_for_parse(self, pid: int, *, seconds: float) -> float | None:
        """Until a feed parse (a grandchild: fetcher → forkserver → parse) has come and gone;
        the seconds it took, or None if none was seen."""
        started = time.time()
        seen = False
        while time.time() < started + seconds:
            table = process_table()
            kids = {p for p, parent in table.items() if parent == pid}
            parsing = any(parent in kids for parent in table.values())
            if parsing:
                seen = True
            elif seen:
                return time.time() - started
            time.sleep(0.01)
        return None

    # --- the end ------------------------------------------------------------------------------

    def wait_caught_up(self, *, seconds: float) -> bool:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if all(self.feeds.acknowledged().values()):
                return True
            if not self.fetcher.alive:
                return False
            time.sleep(0.2)
        return all(self.feeds.acknowledged().values())

    def tally_params(self, guids: list[str]) -> dict:
        entries = self.feeds.all_entries()
        return {
            "served": sorted(guids),
            "links": {guid: entries[guid][1] for guid in guids},
            "prefix": f"cxhub-loadfault:{self.feeds.run}:",
        }

    def build_report(self, wrk_out: Path, editor_log: Path, *, running, caught_up) -> dict:
        self.say("Counting what was served and stored …")
        items = self.task("tally", self.tally_params(sorted(self.feeds.served)), timeout=300)
        # Entries no reader ever fetched cannot be missed by the tally; they are counted here.
        items["published"] = len(self.feeds.all_entries())
        items["never_fetched"] = items["published"] - len(self.feeds.served)
        try:
            wrk = json.loads(wrk_out.read_text())
        except (OSError, ValueError):
            wrk = {}
        editor_lines = [
            json.loads(line) for line in editor_log.read_text().splitlines() if line.strip()
        ] if editor_log.exists() else []  # fmt: skip
        logs = {p.name: p.read_text(errors="replace") for p in self.scratch.glob("*.log")}
        fetcher_locks = sum(
            reporting.lock_errors(text) for name, text in logs.items() if name.startswith("fetcher")
        )
        editor = reporting.editor_figures(editor_lines, window=self.window)
        locks = {
            "gunicorn": reporting.lock_errors(logs.get("gunicorn.log", "")),
            "fetcher": fetcher_locks,
            "editor": editor["lock_errors"] + reporting.lock_errors(logs.get("editor.log", "")),
        }
        locks["total"] = sum(locks.values())
        fetcher_fault = next((f for f in self.faults if f["name"] == "fetcher_kill"), None)
        if fetcher_fault and fetcher_fault["executed"]:
            lost = set(items["missing"]) | set(items["duplicated"])
            burst_ok = not (set(self.burst) & lost) and set(self.burst) <= self.feeds.served
            fetcher_fault["survived"] = running and caught_up and burst_ok
            fetcher_fault["details"].append(
                "after the restart: "
                + ("running" if running else "NOT running")
                + (", caught up" if caught_up else ", did NOT catch up")
                + (", burst stored exactly once" if burst_ok else ", burst NOT stored exactly once")
            )
        load = reporting.load_figures(wrk, started=self.t0, window=self.window)
        prober = reporting.checker_figures(self.prober.samples, started=self.t0, window=self.window)
        stop = next(f for f in self.faults if f["name"] == "database_stop")
        if stop["executed"]:
            first, home = load["first_2xx_after_stop_s"], prober["home_200_again_after_s"]
            stop["survived"] = first is not None or home is not None
            stop["details"].append(
                # The prober's figure (in the JSON) is later: its one request at a time waits
                # its turn behind wrk's in gunicorn's backlog.
                f"pages answered 2xx again {first} s after the database was back (wrk)"
                if first is not None
                else f"the prober's home page answered 200 {home} s after the database was back"
                if home is not None
                else "no page answered 2xx after the database was back"
            )
        report = {
            "run": {
                "database": self.db.label,
                "vendor": self.db.vendor,
                "duration": self.o.duration,
                "connections": self.o.connections,
                "gunicorn_workers": self.o.workers,
                "outage_seconds": self.o.outage,
                "cpus": os.cpu_count(),
                "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                "started_at": self.started_at,
                "urls": self.paths,
                "database_stop": self.db.stop_method,
                "database_stop_window_s": (
                    [self.since(self.window[0]), self.since(self.window[1])]
                    if self.window
                    else None
                ),
                "scratch": str(self.scratch),
                "scratch_kept": self.o.keep,
            },
            "load": load,
            "prober": prober,
            "lock_errors": locks,
            "editor": editor,
            "items": items,
            "faults": self.faults,
            "fetcher": {
                "running_at_end": running,
                "caught_up": caught_up,
                "unexpected_exits": self.unexpected_exits,
                "starts": self.fetchers,
            },
        }
        if not wrk:
            report["load"]["error"] = "wrk wrote no summary: " + logs.get("wrk.log", "")[-300:]
        report["verdict"] = reporting.verdict(report)
        return report
