"""Small reads built once by the ORM and run again with new values.

Django builds a query's SQL anew each time it runs it: for the small reads every signed-in request
makes (its session, an officer's memberships), building takes longer than the database takes to
answer. ``Prepared`` asks the ORM for the SQL once per process, with example values in place of
the real ones, and then runs that SQL with the values of each call."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def _adapt(value: Any) -> Any:
    """A value as the ORM hands it to the database driver (dates and times as the backend keeps
    them: text on SQLite, in UTC)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _other(value: Any) -> Any:
    """Another value of the same type, to tell the query's parameters from its constants."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value - 1
    if isinstance(value, str):
        return value + "\x01"
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(seconds=1)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    raise TypeError(f"no example of {type(value).__name__} (numbers, text, dates and times only)")


class Prepared:
    """``build(*values)`` returns the queryset for those values (a ``values_list``); ``examples``
    are values of the right types (numbers, text, dates, times). ``rows(*values)`` runs it; its
    columns come as the database driver gives them, without the ORM's conversions (right for
    text and numbers)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], examples: Sequence[Any]) -> None:
        self._build = build
        self._examples = tuple(examples)
        self._compiled: tuple[str, tuple[tuple[int | None, Any], ...]] | None = None

    def _compile(self) -> tuple[str, tuple[tuple[int | None, Any], ...]]:
        """The SQL, and for each of its parameters the example it comes from (or None and the
        constant it always is): built with two sets of examples, a parameter that changed is an
        example's, one that did not is the query's own."""
        others = tuple(_other(example) for example in self._examples)
        sql, params = self._build(*self._examples).query.sql_with_params()
        other_sql, other_params = self._build(*others).query.sql_with_params()
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError("the query's SQL changes with the values")
        first = [_adapt(example) for example in self._examples]
        second = [_adapt(example) for example in others]
        sources: list[tuple[int | None, Any]] = []
        for param, other in zip(params, other_params, strict=True):
            if param == other:
                sources.append((None, param))
                continue
            found = [i for i in range(len(first)) if (first[i], second[i]) == (param, other)]
            if len(found) != 1:
                raise ValueError(f"a parameter of the query is not one of the values: {param!r}")
            sources.append((found[0], None))
        if {i for i, _constant in sources if i is not None} != set(range(len(first))):
            raise ValueError("a value does not appear in the query")
        return sql, tuple(sources)

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        if self._compiled is None:
            self._compiled = self._compile()
        sql, sources = self._compiled
        params = [constant if i is None else _adapt(values[i]) for i, constant in sources]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
