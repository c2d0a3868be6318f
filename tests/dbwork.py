"""How much work the database does for some code, counted rather than timed, so a test can
hold "this does not grow with the archive" without a clock.

SQLite: virtual-machine instructions (a progress handler called every 100 of them).
PostgreSQL: rows the plan nodes produced or filtered away, from EXPLAIN ANALYZE of every
SELECT the code ran (each is run a second time, which is fine for reads), with sequential scans
off: on a test's few thousand rows reading a whole table is often the cheapest plan, which
says nothing of 100,000 posts; with them off, what remains is what the indexes can bound.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext

STEP = 100


class Work:
    def __init__(self) -> None:
        self.units = 0
        self.queries: list[tuple[int, str]] = []  # PostgreSQL: (rows, SQL) of each SELECT


@contextlib.contextmanager
def database_work() -> Iterator[Work]:
    work = Work()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection

        def tick() -> int:
            work.units += STEP
            return 0  # 0: go on

        raw.set_progress_handler(tick, STEP)
        try:
            yield work
        finally:
            raw.set_progress_handler(None, STEP)
        return
    with CaptureQueriesContext(connection) as captured:
        yield work
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            rows = _rows(plan[0]["Plan"])
            work.units += rows
            work.queries.append((rows, sql))


def _rows(node: dict) -> int:
    own = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    own += node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return own + sum(_rows(child) for child in node.get("Plans", []))
