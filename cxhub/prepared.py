"""Queries built and compiled by Django once per database, then run again with another moment,
and other values, in place of the ones they were built with.

For the small queries of a fixed shape that every reader's request makes, whose values change
from request to request ("now", a slug): the content version, the home page's next events, the
post of an address. Building one (clones, lookups, subqueries) costs more than running it,
three times as much for the next events. Same SQL, same parameters but those values, same
converters.

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
    """`build(moment, *values)`: the QuerySet of `model` at a moment, for values of `names`
    (models, or `.values()` rows). The values, like the moment, must reach the SQL as lookup
    values, unchanged: a value that does not is refused when the query is compiled."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *names: str) -> None:
        self.model = model
        self._build = build
        # A stand-in per value: a string no slug or lookup value looks like.
        self._stand_ins = {name: f"\x00{name}\x00" for name in names}
        # database alias -> (SQL, parameters with the stand-ins, columns, names of values)
        self._compiled: dict[str, tuple[str, tuple, list, list[str]]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple, list, list[str]]:
        if alias not in self._compiled:
            queryset = self._build(STAND_IN, *self._stand_ins.values())
            if queryset.model is not self.model:
                raise ValueError(f"The query reads {queryset.model}, not {self.model}.")
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            for name, stand_in in self._stand_ins.items():
                if stand_in not in params:
                    raise ValueError(f"The query does not take {name} as a lookup value.")
            columns = [column for column, _, _ in compiler.select]
            names = [alias_ for _, _, alias_ in compiler.select]
            self._compiled[alias] = (sql, tuple(params), columns, names)
        return self._compiled[alias]

    def _statement(self, now: datetime, values: dict[str, Any]) -> tuple:
        if values.keys() != self._stand_ins.keys():
            raise TypeError(f"Values for {sorted(self._stand_ins)} expected, not {sorted(values)}.")
        alias = router.db_for_read(self.model)
        sql, compiled, columns, names = self._compile(alias)
        ops = connections[alias].ops
        given = {ops.adapt_datetimefield_value(STAND_IN): ops.adapt_datetimefield_value(now)}
        given |= {self._stand_ins[name]: value for name, value in values.items()}
        params = [
            given.get(value, value) if isinstance(value, str | datetime) else value
            for value in compiled
        ]
        return alias, sql, params, columns, names

    def objects(self, now: datetime, **values: Any) -> list[Model]:
        """The models the query reads at `now` (built from its rows as Django's raw() does)."""
        alias, sql, params, _, _ = self._statement(now, values)
        return list(self.model.objects.raw(sql, params).using(alias))

    def first(self, now: datetime, **values: Any) -> dict[str, Any] | None:
        """The first row of a `.values()` query at `now`, converted as the ORM would."""
        alias, sql, params, columns, names = self._statement(now, values)
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
