"""Load a fresh hub on this machine while a worker, the database and the fetcher fail; report.

    manage.py loadfault --database sqlite
    manage.py loadfault --database postgresql --json report.json
    manage.py loadfault --quick                      # about 10 s of load, for CI

Exit status: 0 when every target held, 3 when the run completed but a target was missed,
1 when the run itself could not be done.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cxhub.management.loadfault import report
from cxhub.management.loadfault.harness import Options, Run

TARGETS_MISSED = 3


def interrupted(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Run gunicorn, wrk, the feed fetcher and an editor loop against a fresh hub on "
        "127.0.0.1, kill a worker, stop the database, kill the fetcher; report and judge."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
        parser.add_argument(
            "--database-url",
            help="A PostgreSQL server on 127.0.0.1 to create a fresh database on (dropped "
            "afterwards), instead of a throwaway cluster; it is never stopped.",
        )
        parser.add_argument("--duration", type=int, help="Seconds of load (60).")
        parser.add_argument("--connections", type=int, help="wrk's connections (64).")
        parser.add_argument("--workers", type=int, help="gunicorn's sync workers (4).")
        parser.add_argument("--outage", type=float, help="Seconds the database is down (10).")
        parser.add_argument(
            "--quick", action="store_true", help="10 s, 16 connections, 2 workers, 3 s outage."
        )
        parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch folder with every log."
        )

    def handle(self, *args, database, database_url, quick, json, keep, **options) -> None:
        if database_url:
            database = "postgresql"
        chosen = {k: v for k, v in options.items() if k in ("duration", "connections", "workers",
                                                           "outage") and v is not None}  # fmt: skip
        if any(v <= 0 for v in chosen.values()):
            raise CommandError("--duration, --connections, --workers and --outage must be > 0.")
        make = Options.quick if quick else Options
        run_options = make(database=database, database_url=database_url, keep=keep, **chosen)
        if run_options.outage >= 0.3 * run_options.duration + 5:
            raise CommandError("--outage must be well under the duration.")
        if threading.current_thread() is threading.main_thread():
            # SIGINT too: a shell starts a background job with Ctrl+C ignored.
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, interrupted)
        try:
            result = Run(run_options, say=self.progress).execute()
        except KeyboardInterrupt:
            raise CommandError("Interrupted; everything the run started is stopped.") from None
        self.stdout.write("\n" + report.render(result))
        if json:
            json.write_text(report.dumps(result))
            self.stdout.write(f"\nJSON report: {json}")
        if not result["verdict"]["all_held"]:
            sys.exit(TARGETS_MISSED)

    def progress(self, line: str) -> None:
        if not hasattr(self, "started"):
            self.started = time.monotonic()
        self.stderr.write(f"-> [{time.monotonic() - self.started:5.1f} s] {line}")
