"""Bulk row writes the engine needs faster than the ORM gives them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from intacct_bridge.sync.models import Link

_LINK_COLUMNS = (
    "workspace_id",
    "family",
    "local_id",
    "recordno",
    "business_id",
    "last_seen_hash",
    "remote_modified",
    "last_synced_at",
    "state",
    "origin",
    "unlinked_reason",
    "options",
    "created_at",
    "entity",
)


def column_of(model: type[Model], name: str) -> Field[Any, Any]:
    """A concrete field (a column of the model's table) by name."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):  # a reverse relation has no column
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def update_rows(model: type[Model], objs: Sequence[Model], fields: Sequence[str]) -> None:
    """Write these fields of these objects with one executemany of ``UPDATE ... WHERE pk = %s``.

    Django's bulk_update builds a CASE WHEN per field over the whole batch, which costs more Python
    than the database work (half of a 1,000-bill push went there); values are prepared by each
    field's own get_db_prep_save, as the ORM does.
    """
    if not objs:
        return
    meta = model._meta
    targets = [column_of(model, name) for name in fields]
    pk = column_of(model, meta.pk.name if meta.pk is not None else "id")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in targets)
    # identifiers from the model's own metadata, values as parameters
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(pk.column))} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in targets]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def insert_links(rows: Sequence[tuple[Any, ...]]) -> None:
    """Many new links in one executemany: an import of 100,000 records should not pay the ORM's
    per-object cost for rows nobody needs back (bulk_create spends most of an import's time there)."""
    if not rows:
        return
    table = connection.ops.quote_name(Link._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LINK_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_LINK_COLUMNS))
    # each column's value as the backend wants it (JSON, timestamps): same code path as the ORM
    fields = [column_of(Link, c.removesuffix("_id") if c == "workspace_id" else c) for c in _LINK_COLUMNS]
    cache: dict[tuple[int, str], Any] = {}
    prepared = []
    for row in rows:
        values = []
        for i, (field, value) in enumerate(zip(fields, row, strict=True)):
            if isinstance(value, int | str) and field.name not in ("options",):
                values.append(value)
                continue
            key = (i, repr(value))
            if key not in cache:
                cache[key] = field.get_db_prep_save(value, connection)
            values.append(cache[key])
        prepared.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608
