"""The evidence of one record: its verbatim quotes, where they sit, and their articles."""

from __future__ import annotations

from pathlib import Path

from koreasec_data.arguments import choose, typed
from koreasec_data.loader import folder, table_file, tables

__all__ = ["RetiredIdError", "evidence_for", "retired"]


class RetiredIdError(LookupError, ValueError):
    """The record id was in an earlier version and was retired: when, why, what replaces it."""


@typed
def evidence_for(
    record: str | tuple[str, ...], table: str | None = None, directory: str | Path | None = None
):
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
    >>> evidence_for("ev-000-12")
    Traceback (most recent call last):
    ...
    koreasec_data.evidence.RetiredIdError: events 'ev-000-12' was retired in 0.2.0: KCNA's release of a photograph is not an event (the guide: photo releases are not coded); the reception it shows is ev-000-07. Replaced by ev-000-07.

    Raises
    ------
    RetiredIdError
        For an id an earlier version had and this one retired (a ``ValueError``).
    ValueError
        For an unknown table, or an id of no record.
    """  # noqa: E501
    import pyarrow.compute as pc

    from koreasec_data.damage import read_table
    from koreasec_data.schemas import ID_SEPARATOR

    if table is not None:
        choose("table", table, tables(directory))
    identifier = record if isinstance(record, str) else ID_SEPARATOR.join(record)
    evidence = read_table(table_file("evidence", directory))
    rows = evidence.filter(pc.equal(evidence.column("record_id"), identifier))
    if table is not None:
        rows = rows.filter(pc.equal(rows.column("record_table"), table))
    found = sorted(set(rows.column("record_table").to_pylist()))
    if not found:
        retired(identifier, table, directory)
        where = f" in {table}" if table else ""
        raise ValueError(f"No evidence for record {identifier!r}{where}: is the id right?")
    if len(found) > 1:
        raise ValueError(f"{identifier!r} names records of {found}: give table=")
    sources = read_table(table_file("sources", directory), columns=["source_id", "headline"])
    frame = rows.join(sources, "source_id").to_pandas()
    return frame.sort_values(["source_id", "start_offset"]).reset_index(drop=True)


def retired(identifier: str, table: str | None, directory: str | Path | None) -> None:
    """Raise :class:`RetiredIdError` if ``identifier`` (of ``table``, when given) is among
    the ids the package's ``retired_ids.json`` lists."""
    import json

    path = folder(directory) / "retired_ids.json"
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    for entry in entries:
        if entry["record_id"] == identifier and table in (None, entry["record_table"]):
            replaced = entry.get("replaced_by") or []
            instead = f" Replaced by {', '.join(replaced)}." if replaced else ""
            raise RetiredIdError(
                f"{entry['record_table']} {identifier!r} was retired in {entry['retired_in']}: "
                f"{entry['reason']}{instead}"
            )
