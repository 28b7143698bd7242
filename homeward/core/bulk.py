"""Writing many new rows at once: COPY on PostgreSQL, ``bulk_create`` elsewhere.

A bulk INSERT of thousands of rows spends most of its time in Python building and binding
the statement's parameters (for the census import, more than the database spent writing).
COPY streams the same values instead. The instances get their primary keys first, from the
table's own sequence, so callers can refer to them as after ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model
from psycopg import sql

BATCH = 1000


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY plain rows (values in the order of ``columns``) into ``model``'s table
    (PostgreSQL only); returns how many were written."""
    connection = connections[model._default_manager.db]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
    )
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _primary_key(model: type[Model]) -> Any:
    if model._meta.pk is None:  # abstract models only
        raise TypeError(f"{model.__name__} has no primary key")
    return model._meta.pk


def _allocate_keys(model: type[Model], count: int) -> list[int]:
    connection = connections[model._default_manager.db]
    pk = _primary_key(model)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(model: type[Model], objs: list[Any], *, keys: bool = True) -> list[Any]:
    """Insert new instances of ``model`` (no primary key yet) and give them their keys
    (``keys=False``: on PostgreSQL the database numbers the rows and the instances are left
    without, for rows nothing refers to in the same transaction).

    Values are prepared as ``bulk_create`` prepares them (``pre_save`` for the timestamps,
    ``get_db_prep_save`` for JSON and the like); no signals are sent, as with ``bulk_create``.
    """
    if not objs:
        return objs
    connection = connections[model._default_manager.db]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return objs
    pk = _primary_key(model)
    fields = list(model._meta.concrete_fields)
    if keys:
        for obj, key in zip(objs, _allocate_keys(model, len(objs)), strict=True):
            setattr(obj, pk.attname, key)
    else:
        fields.remove(pk)
    # Only fields whose value the database adapter cannot take as it is go through Django's
    # preparation: doing it for every value cost as much as the binding COPY avoids.
    prepared = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]

    def values(obj: Any) -> list[Any]:
        # foreign keys given as instances saved after them take their keys now
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        for field in stamped:
            field.pre_save(obj, add=True)
        row = [getattr(obj, f.attname) for f in fields]
        for index, field in prepared:
            row[index] = field.get_db_prep_save(row[index], connection)
        return row

    copy_rows(model, [f.column for f in fields], (values(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = model._default_manager.db
    return objs
