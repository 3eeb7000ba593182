"""Assemble rows into Arrow tables typed by the schemas, in a deterministic order.

Rows arrive one at a time from the raw reader and are turned into Arrow batches every
:data:`BATCH_ROWS` rows, so a large corpus is never held as Python objects all at once.
Each row keeps its origin (file number and line in ``raw/``) beside the table, to
place problems found later.
"""

from __future__ import annotations

import contextlib
from typing import Any

from koreasec_data.schemas import Table

__all__ = [
    "BATCH_ROWS",
    "CACHED",
    "JEMALLOC_OPTIONS",
    "JOIN_BATCHES",
    "ORIGIN",
    "PLACED",
    "READ",
    "TableBuilder",
    "returning_memory",
    "to_batch",
]

#: Rows per Arrow batch: large enough that Arrow's per-batch cost is negligible, small
#: enough that the rows waiting as Python objects stay a few megabytes (benchmarks/).
BATCH_ROWS = 10_000
#: Drained batches (one article's rows) joined at a time, at most: each costs kilobytes
#: of bookkeeping beside its rows, and a table with a row or two per article would
#: otherwise keep thousands of them until :data:`BATCH_ROWS` rows have arrived.
JOIN_BATCHES = 1_000
#: Origin columns: kept beside each table, never written. The kind says how the row came:
#: read from an article in this build (``READ``), an article's row taken from the build
#: cache, its own checks known (``CACHED``), or read once the articles were (``PLACED``:
#: actors, agreement figures, evidence that waited for another article's text).
ORIGIN = ("origin_file", "origin_line", "origin_kind")
READ, CACHED, PLACED = 0, 1, 2


#: jemalloc's options for pyarrow's copy of it, read once, when pyarrow is loaded: return
#: freed pages at once. pyarrow's own (a second's decay, by a background thread) kept what
#: sorting a large column had just freed, and ``jemalloc_set_decay_ms`` reaches only the
#: arenas made after it is called, not the one the build allocates from (benchmarks/).
JEMALLOC_OPTIONS = ("JE_ARROW_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")


@contextlib.contextmanager
def returning_memory():
    """Within this block, Arrow allocates from a pool that gives freed memory back at once.

    Arrow's default pool (mimalloc), like the C library's allocator, keeps much of what
    the build frees while sorting and checking; jemalloc told to return freed pages
    immediately keeps the build's peak memory near its data (figures in
    benchmarks/README.md). Fully so when this block loads pyarrow, or the process
    was started with :data:`JEMALLOC_OPTIONS` set (a value set by the user is kept);
    worker processes started within the block inherit them. Where pyarrow has no
    jemalloc (its Windows wheels), the C library's allocator is used. The previous
    default pool and environment are restored after; jemalloc keeps returning freed
    pages at once (it has one setting for the whole process).
    """
    import os

    name, options = JEMALLOC_OPTIONS
    ours = name not in os.environ
    if ours:
        os.environ[name] = options
    try:
        import pyarrow as pa

        previous = pa.default_memory_pool()
        try:
            pool = pa.jemalloc_memory_pool()
            pa.jemalloc_set_decay_ms(0)  # for arenas made from now on, if loaded before
        except NotImplementedError:
            pool = pa.system_memory_pool()
        pa.set_memory_pool(pool)
        try:
            yield pool
        finally:
            pa.set_memory_pool(previous)
    finally:
        if ours:
            del os.environ[name]


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
    >>> from koreasec_data.schemas import Table
    >>> schema = Table.from_descriptor("t", {
    ...     "fields": [{"name": "id", "type": "string", "description": "Id.",
    ...                 "constraints": {"required": True}}],
    ...     "primaryKey": ["id"],
    ... })
    >>> builder = TableBuilder(schema)
    >>> builder.append({"id": "b"}, 0, 7)
    >>> builder.append({"id": "a"}, 1, 3)
    >>> table, origins = builder.finish()
    >>> table.column("id").to_pylist(), origins.column("origin_file").to_pylist()
    (['a', 'b'], [1, 0])
    """

    def __init__(self, table_schema: Table, batch_rows: int = BATCH_ROWS):
        import pyarrow as pa

        self.primary_key = table_schema.primary_key
        self.schema = table_schema.arrow_schema()
        self.names = self.schema.names
        origin = [pa.field(name, pa.int32(), nullable=False) for name in ORIGIN[:2]]
        origin.append(pa.field(ORIGIN[2], pa.int8(), nullable=False))
        self.batch_schema = pa.schema([*self.schema, *origin], metadata=self.schema.metadata)
        #: The same columns without descriptions: one article's rows, as cached and sent
        #: between processes, do not carry the Table Schema each time.
        self.row_schema = pa.schema([field.remove_metadata() for field in self.batch_schema])
        self.batch_rows = batch_rows
        self.batches: list = []
        self.columns: dict[str, list[Any]] = {name: [] for name in self.batch_schema.names}
        self.pending = 0
        #: Drained batches added by :meth:`extend`, not yet joined, and their rows' files.
        self.arrived: list = []
        self.arrived_files: list[int] = []

    def append(self, row: dict[str, Any], file: int, line: int) -> None:
        """Add ``row`` (a dict by column name; absent columns are null), read at file:line."""
        for name in self.names:
            self.columns[name].append(row.get(name))
        self.columns[ORIGIN[0]].append(file)
        self.columns[ORIGIN[1]].append(line)
        self.columns[ORIGIN[2]].append(PLACED)
        self.pending += 1
        if self.pending >= self.batch_rows:
            self._flush()

    def drain(self):
        """Return the rows appended since the last drain as one record batch (in
        :attr:`row_schema`, unsorted), and forget them."""
        batch = to_batch(self.columns, self.row_schema)
        self.columns = {name: [] for name in self.batch_schema.names}
        self.pending = 0
        return batch

    def extend(self, batch, file: int) -> None:
        """Add the rows of a drained ``batch``, all read from file number ``file``."""
        if self.pending:  # keep the rows in the order they were added
            self._flush()
        self.arrived.append(batch)
        self.arrived_files += [file] * batch.num_rows
        if len(self.arrived_files) >= self.batch_rows or len(self.arrived) >= JOIN_BATCHES:
            self._join_arrived()

    def extend_rows(self, rows, shift: int, kind: int) -> None:
        """Add ``rows`` (a table of :attr:`row_schema`, as :meth:`rows_so_far` gave them),
        their file numbers moved by ``shift``, as rows of ``kind``."""
        import pyarrow as pa
        import pyarrow.compute as pc

        self._flush()
        files = rows.column(ORIGIN[0])
        files = pc.add(files, pa.scalar(shift, pa.int32())) if shift else files
        rows = self._with_origin(rows, files, kind)
        self.batches += rows.to_batches()

    def num_rows(self) -> int:
        """How many rows have been added."""
        return (
            sum(batch.num_rows for batch in self.batches) + self.pending + len(self.arrived_files)
        )

    def rows_so_far(self):
        """Every row added so far, as one table (without copying them)."""
        import pyarrow as pa

        self._flush()
        return pa.Table.from_batches(self.batches, schema=self.batch_schema)

    def _with_origin(self, rows, files, kind: int):
        """``rows`` (a table of :attr:`row_schema`) with the file numbers ``files``, all
        of ``kind``, in :attr:`batch_schema`'s origin fields."""
        import pyarrow as pa

        kinds = pa.repeat(pa.scalar(kind, pa.int8()), rows.num_rows)
        for name, column in ((ORIGIN[0], files), (ORIGIN[2], kinds)):
            number = rows.schema.get_field_index(name)
            rows = rows.set_column(number, self.batch_schema.field(name), column)
        return rows

    def _join_arrived(self) -> None:
        """Join the batches that arrived into one, with their file numbers: one article's
        rows are a few, and Arrow's cost per batch would outweigh them."""
        import pyarrow as pa

        if not self.arrived:
            return
        joined = pa.Table.from_batches(self.arrived, self.row_schema).combine_chunks()
        joined = self._with_origin(joined, pa.array(self.arrived_files, pa.int32()), READ)
        self.batches += joined.to_batches()
        self.arrived, self.arrived_files = [], []

    def _flush(self) -> None:
        self._join_arrived()
        if self.pending:
            self.batches.append(to_batch(self.columns, self.batch_schema))
            self.columns = {name: [] for name in self.batch_schema.names}
            self.pending = 0

    def finish(self):
        """Return ``(table, origins)``: the rows sorted by primary key, and where each was read."""
        import pyarrow as pa
        import pyarrow.compute as pc

        self._flush()
        gathered = pa.Table.from_batches(self.batches, schema=self.batch_schema)
        self.batches = []
        order = pc.sort_indices(gathered, [(name, "ascending") for name in self.primary_key])
        columns = gathered.columns
        del gathered
        # Sort a column at a time, dropping each unsorted column once sorted: the sort
        # then needs memory for one more column, not for a second copy of the table. The
        # column is joined into one array first: Arrow's take joins a chunked column
        # itself, keeping the chunks too (three copies of the largest column at once).
        for number in range(len(columns)):
            joined = columns[number].combine_chunks()
            columns[number] = None
            columns[number] = joined.take(order)
            del joined
        names = self.batch_schema.names
        table = pa.Table.from_arrays(columns[: len(self.names)], schema=self.schema)
        origins = pa.Table.from_arrays(columns[len(self.names) :], names=names[len(self.names) :])
        return table, origins
