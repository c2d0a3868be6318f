"""Queries built and compiled by Django once per database, then run again with another moment
in place of the one they were built with.

For the small queries every reader's request makes whose only changing value is "now" (the
content version, the next events): building one (clones, lookups, subqueries) costs a few times
more than running it. Same SQL, same parameters but the moment, same converters.

Infrastructure: imports no app of ours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet

# "Now" while the query is built: a moment no real value equals, found among the compiled
# parameters and replaced by the moment asked for. The query must take the moment only as
# lookup values: a value computed from it would not be recognised.
STAND_IN = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


class Prepared:
    """`build(moment)`: the QuerySet of `model` at a moment (models, or `.values()` rows)."""

    def __init__(self, model: type[Model], build: Callable[[datetime], QuerySet]) -> None:
        self.model = model
        self._build = build
        # database alias -> (SQL, parameters with the stand-in, columns, names of values)
        self._compiled: dict[str, tuple[str, tuple, list, list[str]]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple, list, list[str]]:
        if alias not in self._compiled:
            queryset = self._build(STAND_IN)
            if queryset.model is not self.model:
                raise ValueError(f"The query reads {queryset.model}, not {self.model}.")
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            columns = [column for column, _, _ in compiler.select]
            names = [alias_ for _, _, alias_ in compiler.select]
            self._compiled[alias] = (sql, tuple(params), columns, names)
        return self._compiled[alias]

    def _statement(self, now: datetime) -> tuple[str, str, list, list, list[str]]:
        alias = router.db_for_read(self.model)
        sql, compiled, columns, names = self._compile(alias)
        ops = connections[alias].ops
        stand_in = ops.adapt_datetimefield_value(STAND_IN)
        moment = ops.adapt_datetimefield_value(now)
        params = [moment if value == stand_in else value for value in compiled]
        return alias, sql, params, columns, names

    def objects(self, now: datetime) -> list[Model]:
        """The models the query reads at `now` (built from its rows as Django's raw() does)."""
        alias, sql, params, _, _ = self._statement(now)
        return list(self.model.objects.raw(sql, params).using(alias))

    def first(self, now: datetime) -> dict[str, Any] | None:
        """The first row of a `.values()` query at `now`, converted as the ORM would."""
        alias, sql, params, columns, names = self._statement(now)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        # The converters of this thread's connection (SQLite gives datetimes as text).
        compiler = self.model.objects.none().query.get_compiler(using=alias)
        if converters := compiler.get_converters(columns):
            (row,) = compiler.apply_converters([row], converters)
        return dict(zip(names, row, strict=True))
