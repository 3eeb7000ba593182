"""What every rule shares: findings for the rows a mask selects, columns as Arrow."""

from __future__ import annotations

from koreasec_data.problems import Finding

__all__ = ["arrow", "reject"]


def _rows(mask) -> list[int]:
    return [int(i) for i in mask[mask.fillna(False)].index]


def reject(table: str, mask, column: str, message: str) -> list[Finding]:
    """A finding for every row where ``mask`` holds."""
    return [Finding(table, row, column, message) for row in _rows(mask)]


def arrow(column):
    """A pandas column as an Arrow array (nulls: pandas' missing values)."""
    import pyarrow as pa

    values = pa.array(column)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
