"""Small reads built once by the ORM and run again with new values.

Django builds a query's SQL anew each time it runs it: for the small reads every signed-in request
makes (its session, account and second factor, an officer's memberships) and the dossier an
officer's action reads, building takes longer than the database takes to answer. ``Prepared`` asks
the ORM for the SQL once per process, with example values in place of the real ones, and then runs
that SQL with the values of each call: as rows (``rows``), or as the model instances the ORM would
have made of them (``objects``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler


def _adapt(value: Any, db: str) -> Any:
    """A value as the ORM hands it to the database driver (dates and times as the backend keeps
    them: text on SQLite, in UTC)."""
    if isinstance(value, datetime.datetime):
        return connections[db].ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connections[db].ops.adapt_datefield_value(value)
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


Sources = tuple[tuple[int | None, Any], ...]


class _Instances:
    """How the ORM makes model instances of the query's rows (as ``ModelIterable`` does), worked
    out once: the compiler that converts the columns, and where each model's columns are."""

    def __init__(self, compiler: SQLCompiler, db: str) -> None:
        if compiler.annotation_col_map:
            raise ValueError("annotations are not supported: read them with rows()")
        klass_info = compiler.klass_info
        assert klass_info is not None
        select_fields = klass_info["select_fields"]
        self.compiler = compiler
        self.db = db
        self.model: type[Model] = klass_info["model"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        # Each populator only reads the row it is given: one set serves every call.
        # (The stubs describe a later Django, whose populators also take a fetch mode.)
        self.populators = get_related_populators(klass_info, compiler.select, db)  # type: ignore[call-arg]

    def build(self, rows: list[Any]) -> list[Any]:
        found = []
        for row in self.compiler.results_iter(results=[rows]):
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found


class Prepared:
    """``build(*values)`` returns the queryset for those values; ``examples`` are values of the
    right types (numbers, text, dates, times). For a ``values_list``, ``rows(*values)`` runs it;
    its columns come as the database driver gives them, without the ORM's conversions (right for
    text and numbers). For a queryset of model instances (``select_related`` and ``defer``
    included, annotations not), ``objects(*values)`` runs it and makes the instances as the ORM
    does, conversions included."""

    def __init__(self, build: Callable[..., QuerySet[Any]], examples: Sequence[Any]) -> None:
        self._build = build
        self._examples = tuple(examples)
        self._compiled: tuple[str, Sources, str, _Instances | None] | None = None

    def _compile(self) -> tuple[str, Sources, str, _Instances | None]:
        """The SQL, and for each of its parameters the example it comes from (or None and the
        constant it always is): built with two sets of examples, a parameter that changed is an
        example's, one that did not is the query's own."""
        others = tuple(_other(example) for example in self._examples)
        queryset = self._build(*self._examples)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        other_sql, other_params = self._build(*others).query.get_compiler(using=queryset.db).as_sql()
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError("the query's SQL changes with the values")
        db = queryset.db
        first = [_adapt(example, db) for example in self._examples]
        second = [_adapt(example, db) for example in others]
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
        instances = _Instances(compiler, db) if queryset._iterable_class is ModelIterable else None
        return sql, tuple(sources), db, instances

    def _run(self, values: Sequence[Any]) -> tuple[list[tuple[Any, ...]], _Instances | None]:
        if self._compiled is None:
            self._compiled = self._compile()
        sql, sources, db, instances = self._compiled
        params = [constant if i is None else _adapt(values[i], db) for i, constant in sources]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()), instances

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        return self._run(values)[0]

    def objects(self, *values: Any) -> list[Any]:
        rows, instances = self._run(values)
        if instances is None:
            raise TypeError("objects() reads model instances: build a queryset of a model, not of values")
        return instances.build(rows)
