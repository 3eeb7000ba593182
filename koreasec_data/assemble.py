"""Assemble rows into Arrow tables typed by the schemas, in a deterministic order.

Rows arrive one at a time from the raw reader and are turned into Arrow batches every
:data:`BATCH_ROWS` rows, so a large corpus is never held as Python objects all at once.
Each row keeps its origin (file number and line in ``raw/``) beside the table, to
place problems found later.
"""

from __future__ import annotations

from typing import Any

from koreasec_data.schemas import arrow_schema

__all__ = ["BATCH_ROWS", "TableBuilder", "to_batch"]

#: Rows per Arrow batch: large enough that Arrow's per-batch cost is negligible, small
#: enough that the pending Python objects stay a few megabytes.
BATCH_ROWS = 50_000
#: Origin columns: kept beside each table, never written.
ORIGIN = ("origin_file", "origin_line")


def to_batch(columns: dict[str, list[Any]], schema):
    """Convert column lists to an Arrow record batch with ``schema``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> to_batch({"id": ["a", "b"]}, pa.schema([("id", pa.string())])).num_rows
    2
    """
    import pyarrow as pa

    return pa.RecordBatch.from_pydict(columns, schema=schema)


class TableBuilder:
    """Collect one table's rows and return them as an Arrow table sorted by primary key.

    Examples
    --------
    >>> schema = {
    ...     "fields": [{"name": "id", "type": "string", "description": "Id.",
    ...                 "constraints": {"required": True}}],
    ...     "primaryKey": ["id"],
    ... }
    >>> builder = TableBuilder(schema)
    >>> builder.append({"id": "b"}, 0, 7)
    >>> builder.append({"id": "a"}, 1, 3)
    >>> table, origins = builder.finish()
    >>> table.column("id").to_pylist(), origins.to_pylist()
    (['a', 'b'], [{'origin_file': 1, 'origin_line': 3}, {'origin_file': 0, 'origin_line': 7}])
    """

    def __init__(self, table_schema: dict[str, Any], batch_rows: int = BATCH_ROWS):
        import pyarrow as pa

        self.primary_key = table_schema["primaryKey"]
        self.schema = arrow_schema(table_schema)
        self.names = self.schema.names
        origin = [pa.field(name, pa.int32(), nullable=False) for name in ORIGIN]
        self.batch_schema = pa.schema([*self.schema, *origin], metadata=self.schema.metadata)
        self.batch_rows = batch_rows
        self.batches: list = []
        self.columns: dict[str, list[Any]] = {name: [] for name in self.batch_schema.names}
        self.pending = 0

    def append(self, row: dict[str, Any], file: int, line: int) -> None:
        """Add ``row`` (a dict by column name; absent columns are null), read at file:line."""
        for name in self.names:
            self.columns[name].append(row.get(name))
        self.columns[ORIGIN[0]].append(file)
        self.columns[ORIGIN[1]].append(line)
        self.pending += 1
        if self.pending >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        self.batches.append(to_batch(self.columns, self.batch_schema))
        self.columns = {name: [] for name in self.batch_schema.names}
        self.pending = 0

    def finish(self):
        """Return ``(table, origins)``: the rows sorted by primary key, and where each was read."""
        import pyarrow as pa

        self._flush()
        gathered = pa.Table.from_batches(self.batches, schema=self.batch_schema)
        self.batches = []
        order = gathered.sort_by([(name, "ascending") for name in self.primary_key])
        del gathered
        origins = order.select(list(ORIGIN))
        return order.drop_columns(list(ORIGIN)).replace_schema_metadata(
            self.schema.metadata
        ), origins
