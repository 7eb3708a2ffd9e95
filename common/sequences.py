"""Gap-free numbers (số thứ tự): the next number of a counter row, in one statement.

A counter is a model with a unique constraint over its key fields (a one-stop unit and a day for
dossier codes, a unit and a year for receipts) and an integer field holding the last number
given. ``next_number`` inserts the row with 1 or adds one to it, and returns the number, in a
single ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (PostgreSQL 9.5+, SQLite 3.35+). The row
stays locked until the caller's transaction ends (PostgreSQL: the updated row; SQLite: the
IMMEDIATE transaction already holds the only write lock), so concurrent callers get consecutive
numbers, and a rolled-back caller gives its number back instead of leaving a gap.

The ORM would take three to five statements for the same (a locked read or get-or-create in a
savepoint, the increment, the read back)."""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router


def next_number(model: type[models.Model], *, counter: str = "last_number", **key: Any) -> int:
    """The next number of ``model``'s row for ``key`` (field name → value; a foreign key by its
    id), inside the caller's transaction."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number.")
    meta = model._meta
    quote = connection.ops.quote_name
    fields: list[Any] = [meta.get_field(name) for name in key]
    columns = ", ".join(quote(field.column) for field in fields)
    last = quote(meta.get_field(counter).column)  # type: ignore[union-attr,arg-type]
    table = quote(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({columns}, {last}) VALUES ({', '.join(['%s'] * len(fields))}, 1) "
        f"ON CONFLICT ({columns}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    params = [field.get_db_prep_value(value, connection) for field, value in zip(fields, key.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
