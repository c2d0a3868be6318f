"""Mode 2 of the benchmark: the hub behind gunicorn on 127.0.0.1, each page driven by wrk.

Two runs of the same production-like server (DJANGO_ENV=production, DEBUG off, collected static
files, sync workers, the configured database): (a) with the cache switched off, (b) in the
default configuration with the cache warm, where each page is set beside the bare view
(`serve.py`) answering the same number of bytes through the same middleware, measured in the
same run. Then the resident memory of each worker once every worker has served
`rss_requests` hub requests (counted per worker by serve.py). Everything started here is
stopped on any exit, Ctrl+C too.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import gunicorn
from django.conf import settings
from django.core.management.base import CommandError

from cxhub.management.loadfault.databases import free_port
from cxhub.management.loadfault.harness import require_wrk, signals_ignored
from cxhub.management.loadfault.processes import Child, Processes, children_of

from .pages import BARE_PATH, FEED, LISTING, REVALIDATION, Page

LUA = Path(__file__).parent.parent / "wrk.lua"  # shared with the load-and-fault run
APPLICATION = "cxhub.management.benchmark.serve:application"

# The targets of issue 9, "Stay fast at 100,000 posts".
CACHE_OFF_MIN_RPS = {LISTING: 150, FEED: 150}
CACHE_ON_MIN_RATIO = {LISTING: 0.5, FEED: 0.7, REVALIDATION: 0.8}
WORKER_MAX_RSS_MB = 150
TARGETS = {
    "cache off: listing pages ≥ 150 req/s": ("off", LISTING),
    "cache off: feeds ≥ 150 req/s": ("off", FEED),
    "cache warm: listing pages ≥ 50 % of the bare view": ("on", LISTING),
    "cache warm: feeds ≥ 70 % of the bare view": ("on", FEED),
    "cache warm: 304 answers ≥ 80 % of the bare view": ("on", REVALIDATION),
    f"a worker < {WORKER_MAX_RSS_MB} MB resident after its requests": ("memory", None),
}


@dataclass(frozen=True)
class Options:
    duration: int = 10
    connections: int = 16
    workers: int = 2
    rss_requests: int = 10_000
    rss_seconds: int = 300

    def __post_init__(self) -> None:
        for name in ("duration", "connections", "workers", "rss_requests", "rss_seconds"):
            if getattr(self, name) < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")


def database_url() -> str:
    """The configured database, as DATABASE_URL for the server's processes."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"] or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            raise CommandError(
                "Mode 2 needs a database another process can open: set DATABASE_URL to a "
                "SQLite file or a PostgreSQL server."
            )
        return f"sqlite:///{Path(name).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db.get("USER") or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"
    raise CommandError(f"Mode 2 does not know how to hand {db['ENGINE']} to gunicorn.")


def fetch(
    port: int, path: str, headers: dict | None = None, *, timeout: float = 120
) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Run:
    def __init__(self, pages: list[Page], options: Options, say: Callable[[str], None]):
        self.pages = pages
        self.o = options
        self.say = say
        self.wrk = require_wrk()
        self.runs = 0

    def execute(self) -> dict:
        stack = ExitStack()
        try:
            self.scratch = Path(tempfile.mkdtemp(prefix="cxhub-benchmark-"))
            stack.callback(shutil.rmtree, self.scratch, ignore_errors=True)
            self.counts = self.scratch / "requests"
            self.counts.mkdir()
            env = self.server_env()
            self.procs = stack.enter_context(
                Processes(env=env, cwd=settings.BASE_DIR, logs=self.scratch)
            )
            self.collect_static()
            off = self.measure("cache off", cache_off=True)
            on = self.measure("default configuration, cache warm", cache_off=False)
            result = {
                "options": vars(self.o) | {"gunicorn": gunicorn.__version__},
                "off": off["rows"],
                "on": on["rows"],
                "memory": on["memory"],
            }
            result["targets"] = verdict(result)
            result["all_held"] = all(t["held"] for t in result["targets"])
            return result
        finally:
            with signals_ignored():
                stack.close()

    def server_env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        return env | {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": database_url(),
            "STATIC_ROOT": str(self.scratch / "static"),
            "MEDIA_ROOT": str(self.scratch / "media"),
            "PYTHONUNBUFFERED": "1",
            "BENCHMARK_COUNTS": str(self.counts),
        }

    def collect_static(self) -> None:
        self.say("Collecting static files as production serves them …")
        child = self.procs.start(
            "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"]
        )
        if child.wait(timeout=600) != 0:
            raise CommandError(f"collectstatic failed:\n{child.tail()}")
        child.stop()

    # --- one server configuration ----------------------------------------------------------

    def measure(self, label: str, *, cache_off: bool) -> dict:
        server = self.serve(cache_off=cache_off)
        try:
            seen = self.preflight(server)
            self.warm(server, seen)
            rows = []
            for page in self.pages:
                self.say(f"{label}: {page.name} ({self.o.duration} s) …")
                row = self.load_row(server, page, seen[page.name])
                if not cache_off:
                    size, content_type = len(seen[page.name]["body"]), seen[page.name]["type"]
                    bare_path = f"/{BARE_PATH}{size}/?type={quote(content_type, safe='')}"
                    bare = self.wrk_run(server, [bare_path])
                    row["bare_rps"] = bare["rps"]
                    row["ratio"] = row["rps"] / bare["rps"] if bare["rps"] else 0.0
                    row["bare_unexpected"] = bare["requests"] - bare["statuses"].get("200", 0)
                rows.append(row)
            memory = None if cache_off else self.memory(server, rows)
            if not server.alive:
                raise CommandError(f"gunicorn stopped during the run:\n{server.tail()}")
            return {"rows": rows, "memory": memory}
        finally:
            stop(server)

    def serve(self, *, cache_off: bool) -> Child:
        extra = ["--no-control-socket"] if gunicorn.version_info >= (27,) else []
        env = self.procs.env | {"BENCHMARK_CACHE": "off" if cache_off else "default"}
        for _ in range(3):  # another process may take the free port first
            port = free_port()
            server = self.procs.start(
                "gunicorn",
                [sys.executable, "-m", "gunicorn", APPLICATION,
                 "--bind", f"127.0.0.1:{port}", "--workers", str(self.o.workers),
                 "--worker-class", "sync", "--timeout", "120", "--graceful-timeout", "5",
                 *extra],
                env=env,
            )  # fmt: skip
            server.port = port
            if self.healthy(server):
                self.say(
                    f"gunicorn ({self.o.workers} sync workers, cache "
                    f"{'off' if cache_off else 'as configured'}) serves on 127.0.0.1:{port}"
                )
                return server
            server.stop()
        raise CommandError(f"gunicorn did not start:\n{server.tail()}")

    def healthy(self, server: Child) -> bool:
        for _ in range(300):
            if not server.alive:
                return False
            try:
                if fetch(server.port, "/healthz")[0] == 200:
                    return True
            except OSError:
                pass
            server.wait(timeout=0.2)
        return False

    def preflight(self, server: Child) -> dict[str, dict]:
        """One answer per page: its status, bytes and validator (and the 304 pages' ETag)."""
        seen: dict[str, dict] = {}
        for page in self.pages:
            headers = {}
            if page.etag_of:
                headers["If-None-Match"] = seen[page.etag_of]["etag"]
            status, answer_headers, body = fetch(server.port, page.path, headers)
            seen[page.name] = {
                "status": status,
                "body": body,
                "etag": answer_headers.get("ETag", ""),
                "type": answer_headers.get("Content-Type", "text/html; charset=utf-8"),
                "headers": headers,
            }
        return seen

    def warm(self, server: Child, seen: dict) -> None:
        """A few requests per page and worker, so wrk times neither a worker's first imports
        nor (in the default configuration) a cold cache."""
        for _ in range(3 * self.o.workers):
            for page in self.pages:
                fetch(server.port, page.path, seen[page.name]["headers"])

    def load_row(self, server: Child, page: Page, seen: dict) -> dict:
        expected = 304 if page.etag_of else 200
        etag = seen["headers"].get("If-None-Match")
        figures = self.wrk_run(server, [page.path], etag=etag)
        unexpected = figures["requests"] - figures["statuses"].get(str(expected), 0)
        return {
            "page": page.name,
            "path": page.path,
            "group": page.group,
            "status": seen["status"],
            "expected": expected,
            "bytes": len(seen["body"]),
            "unexpected": unexpected + figures["socket_errors"],
        } | figures

    def wrk_run(self, server: Child, paths: list[str], *, etag=None, duration=None) -> dict:
        self.runs += 1
        out = self.scratch / f"wrk-{self.runs}.json"
        seconds = duration or self.o.duration
        env = self.procs.env | {
            "WRK_PATHS": "\n".join(paths),
            "WRK_IF_NONE_MATCH": etag or "",
            "WRK_OUT": str(out),
        }
        child = self.procs.start(
            "wrk",
            [self.wrk, "-t", "1", "-c", str(self.o.connections), "-d", f"{seconds}s",
             "--timeout", "60s", "-s", str(LUA), f"http://127.0.0.1:{server.port}{paths[0]}"],
            env=env,
            log=f"wrk-{self.runs}.log",
        )  # fmt: skip
        if child.wait(timeout=seconds + 120) is None:
            child.stop()
            raise CommandError(f"wrk did not finish within {seconds + 120} s.")
        child.stop()
        if child.returncode != 0 or not out.exists():
            raise CommandError(f"wrk failed (exit {child.returncode}):\n{child.tail()}")
        self.settle(server)
        data = json.loads(out.read_text())
        duration_s = data["duration_us"] / 1e6
        return {
            "requests": data["requests"],
            "rps": data["requests"] / duration_s if duration_s else 0.0,
            "p50_ms": data["latency_us"]["p50"] / 1000,
            "p90_ms": data["latency_us"]["p90"] / 1000,
            "statuses": data["statuses"],
            # "status" counts answers that are not 2xx or 3xx: those are in "statuses".
            "socket_errors": sum(n for kind, n in data["errors"].items() if kind != "status"),
        }

    def settle(self, server: Child) -> None:
        """Wait for the requests wrk left queued when it stopped: sync workers still answer
        them, and the next run would otherwise be timed behind them. A request sent now is
        answered once those before it in the queue are."""
        for _ in range(self.o.workers + 1):
            fetch(server.port, "/healthz", timeout=600)

    def memory(self, server: Child, rows: list[dict]) -> dict:
        """Resident memory of each worker once every worker has answered `rss_requests` hub
        requests (the bare view not counted; serve.py counts them per worker); more load over
        every page first if needed, for at most `rss_seconds`."""
        wanted = self.o.rss_requests
        paths = [row["path"] for row in rows if row["group"] != REVALIDATION]
        budget = self.o.rss_seconds
        rate = max(sum(r["rps"] for r in rows) / len(rows), 1.0)
        while budget > 0:
            served = self.served(server)
            behind = wanted - min(served.values(), default=0)
            if behind <= 0:
                break
            # The slowest worker gets its share of the load only: all of them need `behind`.
            seconds = min(budget, max(1, math.ceil(behind * self.o.workers / rate * 1.1)))
            self.say(
                f"Memory: {behind:,} more requests for the least busy worker, over every page "
                f"({seconds} s) …"
            )
            self.wrk_run(server, paths, duration=seconds)
            budget -= seconds
        served = self.served(server)
        workers = []
        for pid in children_of(server.pid):
            status = read_status(pid)
            workers.append(
                {"pid": pid, "rss_mb": status.get("VmRSS", 0) / 1024,
                 "hwm_mb": status.get("VmHWM", 0) / 1024, "requests": served.get(pid, 0)}
            )  # fmt: skip
        return {"requests": sum(served.values()), "wanted": wanted, "workers": workers}

    def served(self, server: Child) -> dict[int, int]:
        """Hub requests answered by each live worker so far (serve.Counted)."""
        served = {}
        for pid in children_of(server.pid):
            try:
                served[pid] = int((self.counts / str(pid)).read_text().strip() or 0)
            except (OSError, ValueError):
                served[pid] = 0
        return served


def stop(server: Child) -> None:
    """Stop gunicorn and wait until its workers are gone too (the master does not always
    outlive them by the time it exits, and they are not our children to wait for)."""
    workers = children_of(server.pid)
    server.stop()
    for _ in range(100):
        if not any(read_status(pid).get("alive") for pid in workers):
            return
        time.sleep(0.1)


def read_status(pid: int) -> dict[str, int]:
    """The kB figures of /proc/<pid>/status (VmRSS: resident now; VmHWM: the highest)."""
    figures = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return figures
    for line in lines:
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            figures[key] = int(value.split()[0])
        elif key == "State":
            figures["alive"] = int(value.split()[0] not in "ZX")
    return figures


# --- judging and printing ------------------------------------------------------------------


def row_verdict(row: dict, config: str) -> tuple[str, bool | None]:
    """The row's target in words and whether it held (None: no target for this page)."""
    if config == "off":
        minimum = CACHE_OFF_MIN_RPS.get(row["group"])
        if minimum is None:
            return "–", None
        return f"≥ {minimum} req/s", row["unexpected"] == 0 and row["rps"] >= minimum
    ratio = CACHE_ON_MIN_RATIO.get(row["group"])
    if ratio is None:
        return "–", None
    held = row["unexpected"] == 0 and row["bare_unexpected"] == 0 and row["ratio"] >= ratio
    return f"≥ {ratio:.0%} of bare", held


def verdict(result: dict) -> list[dict]:
    targets = []
    for name, (config, group) in TARGETS.items():
        if config == "memory":
            memory = result["memory"]
            workers = memory["workers"]
            fewest = min((w["requests"] for w in workers), default=0)
            enough = bool(workers) and fewest >= memory["wanted"]
            largest = max((w["rss_mb"] for w in workers), default=0.0)
            held = enough and largest < WORKER_MAX_RSS_MB
            detail = f"largest {largest:.0f} MB, each worker after ≥ {fewest:,} requests"
            if not enough:
                detail += f" (fewer than the {memory['wanted']:,} wanted)"
            targets.append({"name": name, "held": held, "detail": detail})
            continue
        rows = [row for row in result[config] if row["group"] == group]
        judged = [row_verdict(row, config)[1] for row in rows]
        if config == "off":
            worst = min(rows, key=lambda r: r["rps"], default=None)
            detail = f"slowest {worst['page']}: {worst['rps']:,.1f} req/s" if worst else ""
        else:
            worst = min(rows, key=lambda r: r["ratio"], default=None)
            detail = f"lowest {worst['page']}: {worst['ratio']:.0%}" if worst else ""
        targets.append({"name": name, "held": bool(rows) and all(judged), "detail": detail})
    return targets


def mark(held: bool | None) -> str:
    return "–" if held is None else ("PASS" if held else "FAIL")


def render(result: dict) -> str:
    o = result["options"]
    lines = [
        f"gunicorn {o['gunicorn']}, {o['workers']} sync workers, DJANGO_ENV=production; wrk, "
        f"1 thread, {o['connections']} connections, {o['duration']} s per URL.",
        "",
        "### Cache switched off",
        "",
        "| page | status | bytes | req/s | p50 / p90 ms | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["off"]:
        target, held = row_verdict(row, "off")
        latency = f"{row['p50_ms']:,.0f} / {row['p90_ms']:,.0f}" if row["requests"] else "–"
        lines.append(
            f"| {row['page']} | {row['status']} | {row['bytes']:,} | {row['rps']:,.1f} "
            f"| {latency} | {target} | {mark(held)}"
            f"{unexpected_note(row)} |"
        )
    lines += [
        "",
        "### Default configuration, cache warm, beside the bare view",
        "",
        "| page | status | bytes | req/s | bare view req/s | ratio | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["on"]:
        target, held = row_verdict(row, "on")
        lines.append(
            f"| {row['page']} | {row['status']} | {row['bytes']:,} | {row['rps']:,.1f} "
            f"| {row['bare_rps']:,.1f} | {row['ratio']:.0%} | {target} | {mark(held)}"
            f"{unexpected_note(row)} |"
        )
    memory = result["memory"]
    lines += [
        "",
        f"### Worker memory after {memory['wanted']:,} hub requests each",
        "",
        "| worker | requests | VmRSS MB | VmHWM MB | target | result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for worker in memory["workers"]:
        held = worker["rss_mb"] < WORKER_MAX_RSS_MB and worker["requests"] >= memory["wanted"]
        lines.append(
            f"| pid {worker['pid']} | {worker['requests']:,} | {worker['rss_mb']:.1f} "
            f"| {worker['hwm_mb']:.1f} | < {WORKER_MAX_RSS_MB} MB | {mark(held)} |"
        )
    lines += ["", "### Targets", "", "| target | result | |", "| --- | --- | --- |"]
    for target in result["targets"]:
        lines.append(f"| {target['name']} | {mark(target['held'])} | {target['detail']} |")
    return "\n".join(lines)


def unexpected_note(row: dict) -> str:
    if not row["requests"]:
        return " (no answer within the run: give it a longer --duration)"
    wrong = row["unexpected"] + row.get("bare_unexpected", 0)
    if not wrong:
        return ""
    others = ", ".join(f"{n} × {s}" for s, n in sorted(row["statuses"].items()))
    return f" ({wrong:,} answers not {row['expected']}: {others or 'socket errors'})"
