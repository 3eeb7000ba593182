"""Assemble rows into Arrow tables typed by the schemas, in a deterministic order."""

from __future__ import annotations

from typing import Any

from koreasec_data.schemas import arrow_schema

__all__ = ["to_arrow"]


def _sort_key(primary_key: list[str]):
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[name] for name in primary_key)

    return key


def to_arrow(rows: list[dict[str, Any]], table_schema: dict[str, Any]):
    """Build the Arrow table for ``rows``, sorted by primary key.

    Examples
    --------
    >>> schema = {
    ...     "fields": [{"name": "id", "type": "string", "description": "Id.",
    ...                 "constraints": {"required": True}}],
    ...     "primaryKey": ["id"],
    ... }
    >>> to_arrow([{"id": "b"}, {"id": "a"}], schema).column("id").to_pylist()
    ['a', 'b']
    """
    import pyarrow as pa

    ordered = sorted(rows, key=_sort_key(table_schema["primaryKey"]))
    schema = arrow_schema(table_schema)
    columns = {field.name: [row.get(field.name) for row in ordered] for field in schema}
    return pa.Table.from_pydict(columns, schema=schema)
