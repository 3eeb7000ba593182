"""The evidence of one record: its verbatim quotes, where they sit, and their articles."""

from __future__ import annotations

from pathlib import Path

from koreasec_data.loader import table_file

__all__ = ["evidence_for"]


def evidence_for(record, table: str | None = None, directory: str | Path | None = None):
    """The evidence of one record: each quote, its offsets, source and place in the article.

    Parameters
    ----------
    record : str or tuple of str
        A record id (``"ev-000-01"``), or the values of a composite key in key order
        (``("ev-000-01", "act-rus", "initiator")`` for a participant).
    table : str, optional
        The record's table, when the id alone does not say (it is found otherwise).

    Examples
    --------
    >>> quotes = evidence_for("ev-000-01")
    >>> quotes["record_table"].unique().tolist(), len(quotes) > 1
    (['events'], True)
    >>> len(evidence_for(("ev-000-01", "act-rus", "initiator"))) > 0
    True
    """
    import pyarrow.compute as pc

    from koreasec_data.damage import read_table
    from koreasec_data.schemas import ID_SEPARATOR

    identifier = record if isinstance(record, str) else ID_SEPARATOR.join(record)
    evidence = read_table(table_file("evidence", directory))
    rows = evidence.filter(pc.equal(evidence.column("record_id"), identifier))
    if table is not None:
        rows = rows.filter(pc.equal(rows.column("record_table"), table))
    found = sorted(set(rows.column("record_table").to_pylist()))
    if not found:
        where = f" in {table}" if table else ""
        raise ValueError(f"No evidence for record {identifier!r}{where}: is the id right?")
    if len(found) > 1:
        raise ValueError(f"{identifier!r} names records of {found}: give table=")
    sources = read_table(table_file("sources", directory), columns=["source_id", "headline"])
    frame = rows.join(sources, "source_id").to_pandas()
    return frame.sort_values(["source_id", "start_offset"]).reset_index(drop=True)
