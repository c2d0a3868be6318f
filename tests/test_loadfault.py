"""manage.py loadfault: the harness runs end to end in its quick mode, and counts as it says.

Whether the run's targets hold (no 5xx outside the database stop, no "database is locked",
every served item stored once, the fetcher still running) depends on the hub's code, not on
the harness; the operator reads the verdict. These tests check that the harness itself worked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from cxhub.management.loadfault import report

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = {"run", "load", "prober", "lock_errors", "editor", "items", "faults", "fetcher"}


def suite_database() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite"


def test_quick_run_executes_every_fault_and_reports_every_section(tmp_path):
    # The suite's own database is not touched: the run makes a fresh one of the same kind
    # (on PostgreSQL, a throwaway cluster of its own, which it may stop).
    database = suite_database()
    out = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "loadfault", "--quick", "--database", database,
         "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    # 0: every target held; 3: a target missed. Either way the harness did its work.
    assert result.returncode in (0, 3), output
    data = json.loads(out.read_text())
    assert SECTIONS | {"verdict"} <= set(data)
    assert data["run"]["vendor"] == database
    assert data["load"]["requests"] > 0, output
    assert sum(data["load"]["status"].values()) > 0
    assert data["load"]["latency_ms"]["p50"] > 0
    assert data["prober"]["requests"] > 0
    assert data["editor"]["saves"] > 0
    assert data["items"]["served"] > 0
    assert [f["name"] for f in data["faults"]] == ["worker_kill", "database_stop", "fetcher_kill"]
    assert all(f["executed"] for f in data["faults"]), data["faults"]
    assert data["fetcher"]["starts"] >= 2  # started again after the kill
    assert [t["name"] for t in data["verdict"]["targets"]] == list(report.TARGETS)
    for heading in ("Load (wrk)", "Feed items:", "Faults", "Verdict:"):
        assert heading in result.stdout
    assert not Path(data["run"]["scratch"]).exists(), "the scratch folder was left behind"


WINDOW = (1000.0, 1010.0)


def test_a_503_during_the_database_stop_is_told_apart_from_one_outside_it():
    wrk = {
        "requests": 40,
        "duration_us": 20_000_000,
        # Status and tenth of a second: during the stop, just inside the grace, after it.
        "buckets": {"200 9990": 30, "503 10050": 5, "503 10105": 2, "503 10150": 1, "500 9995": 2},
    }
    figures = report.load_figures(wrk, started=998.0, window=WINDOW)
    assert figures["status"] == {"2xx": 30, "3xx": 0, "4xx": 0, "503": 8, "other 5xx": 2}
    assert figures["503_during_stop"] == 7
    assert figures["503_outside_stop"] == 1
    assert figures["5xx_outside_stop"] == 3  # the late 503 and both 500s
    assert figures["requests_per_s"] == 2.0
    assert figures["first_2xx_after_stop_s"] is None  # no 2xx after the stop in these buckets


def test_recovery_is_the_first_2xx_after_the_database_is_back():
    wrk = {"buckets": {"503 10090": 9, "200 10112": 3, "200 10104": 1, "200 9000": 5}}
    figures = report.load_figures(wrk, started=998.0, window=WINDOW)
    assert figures["first_2xx_after_stop_s"] == 0.4


def test_without_a_database_stop_every_503_counts_against_the_target():
    figures = report.load_figures({"buckets": {"503 10050": 4}}, started=0, window=None)
    assert figures["5xx_outside_stop"] == 4


def test_a_probe_sent_before_the_stop_and_answered_during_it_counts_as_during():
    samples = [
        {"t": 999.0, "end": 1000.5, "path": "/", "status": 503, "error": None},
        {"t": 1012.0, "end": 1012.1, "path": "/", "status": 503, "error": None},
        {"t": 1012.5, "end": 1012.6, "path": "/", "status": 200, "error": None},
        {"t": 1013.0, "end": 1014.0, "path": "/healthz", "status": None, "error": "Reset"},
    ]
    figures = report.checker_figures(samples, started=990, window=WINDOW)
    assert figures["5xx_outside_stop"] == 1
    assert figures["failed_connections"] == 1
    assert figures["home_200_again_after_s"] == 2.6


def test_a_chained_sqlite_traceback_counts_as_one_lock_error():
    log = "\n".join(
        [
            "Traceback (most recent call last):",
            "sqlite3.OperationalError: database is locked",
            "The above exception was the direct cause of the following exception:",
            "django.db.utils.OperationalError: database is locked",
            "Database unavailable, answered 503: GET / (OperationalError: database is locked)",
            "ERROR:  deadlock detected",
            "Database unavailable, answered 503: GET / (OperationalError: unable to open file)",
        ]
    )
    assert report.lock_errors(log) == 3


def test_editor_errors_during_the_stop_are_expected_and_lock_errors_are_counted():
    lines = [
        {"t": 1001.0, "seconds": 0.1, "error": "OperationalError: unable to open database file"},
        {"t": 1020.0, "seconds": 0.1, "error": "OperationalError: database is locked"},
        {"t": 1021.0, "seconds": 0.1},
    ]
    figures = report.editor_figures(lines, window=WINDOW)
    assert figures == {
        "saves": 1,
        "errors": 2,
        "errors_outside_stop": 1,
        "lock_errors": 1,
        "first_errors_outside_stop": ["OperationalError: database is locked"],
    }


def a_report(**changes) -> dict:
    base = {
        "load": {"5xx_outside_stop": 0},
        "prober": {"5xx_outside_stop": 0},
        "lock_errors": {"total": 0},
        "items": {"served": 10, "stored_once": 10, "stored_not_seen_served": 0},
        "fetcher": {"unexpected_exits": [], "running_at_end": True},
        "faults": [{"name": "worker_kill", "executed": True}],
    }
    for key, value in changes.items():
        base[key] = base[key] | value
    return base


def test_verdict_holds_only_when_every_target_holds():
    assert report.verdict(a_report())["all_held"]
    missed = {
        "no_5xx_outside_stop": a_report(prober={"5xx_outside_stop": 1}),
        "no_lock_errors": a_report(lock_errors={"total": 2}),
        "items_stored_once": a_report(items={"stored_once": 9}),
        "fetcher_kept_running": a_report(fetcher={"unexpected_exits": ["exit 1"]}),
    }
    for name, data in missed.items():
        result = report.verdict(data)
        assert not result["all_held"]
        assert [t["name"] for t in result["targets"] if not t["held"]] == [name]


def test_a_run_that_served_no_item_proves_nothing_about_storing():
    result = report.verdict(a_report(items={"served": 0, "stored_once": 0}))
    assert [t["name"] for t in result["targets"] if not t["held"]] == ["items_stored_once"]
