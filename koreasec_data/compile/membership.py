"""Set membership on Arrow arrays: which values are not among the known ones.

Vectorised and hashed, so that checking millions of keys costs one pass.
"""

from __future__ import annotations

__all__ = ["absent", "union"]


def absent(values, known) -> list[int]:
    """Rows of ``values`` that are set but not among ``known`` (vectorised, hashed)."""
    import pyarrow.compute as pc

    missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
    return pc.indices_nonzero(missing).to_pylist()


def union(known, extra: list[str]):
    """``known`` (an array or chunked array) and ``extra`` as one array, for :func:`absent`."""
    import pyarrow as pa

    known = known.cast("string")
    chunks = known.chunks if isinstance(known, pa.ChunkedArray) else [known]
    return pa.concat_arrays([*chunks, pa.array(extra, pa.string())])
