"""From what the run recorded to figures, fault outcomes and a verdict; as JSON and as text.

Plain functions of plain data, so the counting rules are tested without running anything.
"""

from __future__ import annotations

import json
from collections import Counter

STATUS_CLASSES = ("2xx", "3xx", "4xx", "503", "other 5xx")
LOCK_ERRORS = ("database is locked", "deadlock detected")
# After the database is back, a request may still meet a connection from before the stop.
GRACE_SECONDS = 1.0

TARGETS = {
    "no_5xx_outside_stop": "0 5xx outside the database stop (503s only during it)",
    "no_lock_errors": '0 "database is locked" (or deadlock) errors',
    "items_stored_once": "every served feed item stored exactly once",
    "fetcher_kept_running": "the fetcher kept running (no exit but the harness's kill)",
}


def status_class(status: int) -> str:
    if status == 503:
        return "503"
    if status >= 500:
        return "other 5xx"
    return f"{status // 100}xx" if 200 <= status < 500 else "other 5xx"


def in_window(start: float, end: float, window: tuple[float, float] | None) -> bool:
    """Does [start, end) overlap the database stop, grace included?"""
    return window is not None and start < window[1] + GRACE_SECONDS and end > window[0]


def load_figures(wrk: dict, *, started: float, window: tuple[float, float] | None) -> dict:
    """wrk's summary, with its 100 ms status buckets split at the database stop."""
    statuses: Counter[str] = Counter({name: 0 for name in STATUS_CLASSES})
    inside = outside = 0
    outside_at: list[float] = []
    other_at: list[float] = []
    first_2xx_after: float | None = None
    for key, count in wrk.get("buckets", {}).items():
        status, tenth = (int(part) for part in key.split())
        kind = status_class(status)
        statuses[kind] += count
        at = round(tenth / 10 - started, 1)
        if kind == "503":
            if in_window(tenth / 10, tenth / 10 + 0.1, window):
                inside += count
            else:
                outside += count
                outside_at.append(at)
        elif kind == "other 5xx":
            other_at.append(at)
        elif kind == "2xx" and window is not None and tenth / 10 >= window[1]:
            after = round(tenth / 10 - window[1], 1)
            first_2xx_after = after if first_2xx_after is None else min(first_2xx_after, after)
    seconds = wrk.get("duration_us", 0) / 1e6
    latency = wrk.get("latency_us", {})
    return {
        "requests": wrk.get("requests", 0),
        "seconds": round(seconds, 1),
        "requests_per_s": round(wrk.get("requests", 0) / seconds, 1) if seconds else 0,
        "latency_ms": {k: round(latency.get(k, 0) / 1000, 1) for k in ("p50", "p90", "p99", "max")},
        "status": dict(statuses),
        "socket_errors": {
            k: v
            for k, v in wrk.get("errors", {}).items()
            if k in ("connect", "read", "write", "timeout")
        },
        "503_during_stop": inside,
        "503_outside_stop": outside,
        "5xx_outside_stop": outside + statuses["other 5xx"],
        "5xx_outside_stop_at": sorted(set(outside_at + other_at))[:20],
        "first_2xx_after_stop_s": first_2xx_after,
    }


def checker_figures(samples: list[dict], *, started: float, window) -> dict:
    """The prober's answers: non-2xx with their times, and when the site answered 200 again.

    A request counts as during the stop when any of its time, sent to answered, overlaps it.
    A connection that failed without an answer (a killed worker's) is no 5xx; it is listed.
    """
    bad = [s for s in samples if s["status"] is None or s["status"] >= 300]
    outside = [
        s
        for s in bad
        if s["status"] is not None
        and s["status"] >= 500
        and not in_window(s["t"], s["end"], window)
    ]
    back_at = None
    if window is not None:
        back_at = next(
            (
                s["end"]
                for s in samples
                if s["t"] >= window[1] and s["path"] == "/" and s["status"] == 200
            ),
            None,
        )
    return {
        "requests": len(samples),
        "not_2xx": [
            {
                "at": round(s["t"] - started, 2),
                "answered_at": round(s["end"] - started, 2),
                "path": s["path"],
                "status": s["status"] or s["error"],
            }
            for s in bad
        ][:40],
        "5xx_outside_stop": len(outside),
        "failed_connections": sum(1 for s in bad if s["status"] is None),
        "home_200_again_after_s": None if back_at is None else round(back_at - window[1], 2),
    }


def lock_errors(text: str) -> int:
    """Log lines naming a lock error. A Django traceback names SQLite's error twice (sqlite3's
    own, then Django's wrapper of it); only the wrapper's line counts."""
    return sum(
        1
        for line in text.splitlines()
        if any(phrase in line.lower() for phrase in LOCK_ERRORS)
        and not line.lstrip().startswith("sqlite3.OperationalError")
    )


def editor_figures(lines: list[dict], *, window) -> dict:
    errors = [line for line in lines if "error" in line]
    outside = [e for e in errors if not in_window(e["t"], e["t"] + e["seconds"], window)]
    return {
        "saves": len(lines) - len(errors),
        "errors": len(errors),
        "errors_outside_stop": len(outside),
        "lock_errors": sum(lock_errors(e["error"]) for e in errors),
        "first_errors_outside_stop": sorted({e["error"] for e in outside})[:5],
    }


def verdict(report: dict) -> dict:
    load, items, fetcher = report["load"], report["items"], report["fetcher"]
    held = {
        "no_5xx_outside_stop": load["5xx_outside_stop"] == 0
        and report["prober"]["5xx_outside_stop"] == 0,
        "no_lock_errors": report["lock_errors"]["total"] == 0,
        "items_stored_once": items["served"] > 0
        and items["stored_once"] == items["served"]
        and not items["stored_not_seen_served"],
        "fetcher_kept_running": not fetcher["unexpected_exits"] and fetcher["running_at_end"],
    }
    incomplete = [f["name"] for f in report["faults"] if not f["executed"]]
    return {
        "targets": [
            {"name": name, "target": TARGETS[name], "held": held[name]} for name in TARGETS
        ],
        "all_held": all(held.values()),
        "faults_not_executed": incomplete,
    }


def render(report: dict) -> str:
    """The report as an operator reads it."""
    run, load, items = report["run"], report["load"], report["items"]
    s, lat, locks = load["status"], load["latency_ms"], report["lock_errors"]
    lines = [
        f"Load and faults on {run['database']}",
        f"  {run['duration']} s of load, {run['connections']} connections, "
        f"{run['gunicorn_workers']} gunicorn workers (sync), {run['cpus']} CPUs, "
        f"started {run['started_at']}",
        "",
        "Load (wrk)",
        f"  requests        {load['requests']:,} in {load['seconds']} s, "
        f"{load['requests_per_s']:,} per second",
        f"  latency ms      p50 {lat['p50']}   p90 {lat['p90']}   p99 {lat['p99']}   "
        f"max {lat['max']}",
        "  statuses        " + "   ".join(f"{k} {s[k]:,}" for k in STATUS_CLASSES),
        "  socket errors   " + "   ".join(f"{k} {v:,}" for k, v in load["socket_errors"].items()),
        f"  5xx outside the database stop: {load['5xx_outside_stop']:,}"
        f" (503 during the stop: {load['503_during_stop']:,})"
        + (f", at s: {load['5xx_outside_stop_at']}" if load["5xx_outside_stop_at"] else ""),
        f"  prober: {report['prober']['requests']} requests to / and /healthz, "
        f"{report['prober']['5xx_outside_stop']} 5xx outside the stop, "
        f"{report['prober']['failed_connections']} without an answer",
        "",
        f'"database is locked" and deadlocks: {locks["total"]} log lines '
        f"(gunicorn {locks['gunicorn']}, fetcher {locks['fetcher']}, editor {locks['editor']})",
        f"Editor loop: {report['editor']['saves']:,} saves, {report['editor']['errors']} failed "
        f"({report['editor']['errors_outside_stop']} outside the database stop)",
        f"Feed items: served {items['served']:,}, stored exactly once {items['stored_once']:,}, "
        f"missing {len(items['missing']):,}, duplicated {len(items['duplicated']):,}, "
        f"without a story {len(items['without_story']):,}",
        f"  published {items['published']:,}, of which never fetched {items['never_fetched']:,}",
    ]
    stuck = [src["name"] for src in items["sources"] if src["claimed"]]
    if stuck:
        lines.append(f"  sources still claimed at the end: {', '.join(stuck)}")
    lines += ["", "Faults"]
    for n, fault in enumerate(report["faults"], 1):
        outcome = (
            "not executed"
            if not fault["executed"]
            else ("survived" if fault["survived"] else "NOT survived")
        )
        lines.append(f"  {n}. {fault['title']} at {fault['at']} s: {outcome}")
        lines += [f"     {detail}" for detail in fault["details"]]
    fetcher = report["fetcher"]
    lines += [
        "",
        f"Fetcher: running at the end: {'yes' if fetcher['running_at_end'] else 'NO'}; "
        f"caught up at the end: {'yes' if fetcher['caught_up'] else 'NO'}",
    ]
    lines += [f"  exited by itself: {e}" for e in fetcher["unexpected_exits"]]
    result = report["verdict"]
    lines += [
        "",
        "Verdict: " + ("every target held" if result["all_held"] else "targets NOT all held"),
    ]
    for target in result["targets"]:
        lines.append(f"  [{'held' if target['held'] else 'MISSED'}] {target['target']}")
    if result["faults_not_executed"]:
        lines.append(
            "  incomplete: faults not executed: " + ", ".join(result["faults_not_executed"])
        )
    if run["scratch_kept"]:
        lines += ["", f"Logs and database kept in {run['scratch']}"]
    return "\n".join(lines)


def dumps(report: dict) -> str:
    return json.dumps(report, indent=2, sort_keys=False)
