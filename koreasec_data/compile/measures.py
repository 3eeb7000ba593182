"""Agreement of two annotations as data: the rows of the ``agreement`` and
``disagreements`` tables, from :func:`koreasec_data.compile.agreement.compare`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from koreasec_data.compile.agreement import TableAgreement

__all__ = [
    "NOT_CATEGORICAL",
    "RECORDS",
    "cohen_kappa",
    "disagreements",
    "figures",
    "key",
    "measure_annotation",
    "merge",
    "to_markdown",
]

#: Columns compared as numbers or days, not as categories (no kappa).
NOT_CATEGORICAL = {"date", "date_end", "value"}
#: The column name of measures about whole records.
RECORDS = "(records)"


def cohen_kappa(pairs: list[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa of two raters' labels; None when chance agreement is total.

    Examples
    --------
    >>> cohen_kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
    0.5
    """
    total = len(pairs)
    observed = sum(a == b for a, b in pairs) / total
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / total**2
    return None if expected == 1 else round((observed - expected) / (1 - expected), 3)


def _interval(start, end):
    return (start or end, end or start)


def figures(result: dict[str, TableAgreement], source_id: str) -> list[dict[str, Any]]:
    """The rows of the ``agreement`` table for one article: per table, how many records
    each coder found and matched, precision and recall; per column, observed agreement
    and Cohen's kappa (categories) or exact and within-precision agreement (dates); the
    overlap of the matched records' evidence."""
    rows = []

    def add(table, column, measure, value, pairs):
        rows.append(
            {
                "source_id": source_id,
                "stage": "resolved",
                "table_name": table,
                "column_name": column,
                "measure": measure,
                "value": None if value is None else round(float(value), 3),
                "pairs": pairs,
            }
        )

    for name, found in result.items():
        matched = len(found.pairs)
        add(name, RECORDS, "records_first", found.first, found.first)
        add(name, RECORDS, "records_second", found.second, found.second)
        add(name, RECORDS, "precision", found.precision, found.second)
        add(name, RECORDS, "recall", found.recall, found.first)
        if found.overlap:
            add(name, RECORDS, "span_overlap", sum(found.overlap) / matched, matched)
        for column, pairs in found.values.items():
            if not pairs:
                continue
            if column == "date":
                ends = found.values["date_end"]
                first = [_interval(a, c) for (a, _), (c, _) in zip(pairs, ends, strict=True)]
                second = [_interval(b, d) for (_, b), (_, d) in zip(pairs, ends, strict=True)]
                both = list(zip(first, second, strict=True))
                exact = sum(x == y for x, y in both) / len(both)
                overlap = sum(
                    (x[0] is None and y[0] is None)
                    or (x[0] is not None and y[0] is not None and x[0] <= y[1] and y[0] <= x[1])
                    for x, y in both
                ) / len(both)
                add(name, "date", "date_exact", exact, len(both))
                add(name, "date", "date_within_precision", overlap, len(both))
                continue
            if column == "date_end":
                continue
            add(
                name,
                column,
                "observed_agreement",
                sum(x == y for x, y in pairs) / len(pairs),
                len(pairs),
            )
            if column not in NOT_CATEGORICAL:
                kappa = cohen_kappa([(str(x), str(y)) for x, y in pairs])
                add(name, column, "cohen_kappa", kappa, len(pairs))
    return rows


def disagreements(result: dict[str, TableAgreement], source_id: str) -> list[dict[str, Any]]:
    """Every disagreement of one article: a record only one coder found, or a compared
    column whose values differ on a matched record (the first coder's record id)."""
    rows = []

    def show(value):
        return None if value is None else str(value)

    for name, found in result.items():
        matched_first = {one for one, _ in found.pairs}
        matched_second = {two for _, two in found.pairs}
        for column, pairs in found.values.items():
            for (one, _), (first, second) in zip(found.pairs, pairs, strict=True):
                if first != second:
                    rows.append((name, one, column, show(first), show(second)))
        for one in sorted(set(found.first_ids) - matched_first):
            rows.append((name, one, RECORDS, "found", None))
        for two in sorted(set(found.second_ids) - matched_second):
            rows.append((name, f"(second) {two}", RECORDS, None, "found"))
    keys = ("table_name", "record_id", "column_name", "first_value", "second_value")
    return [{"source_id": source_id, **dict(zip(keys, row, strict=True))} for row in rows]


def to_markdown(rows: list[dict[str, Any]], stage: str) -> str:
    """The figures of one stage as Markdown: records per table and article, then columns.

    Examples
    --------
    >>> row = {"source_id": "src-1", "stage": "blind", "table_name": "events",
    ...        "column_name": "(records)", "measure": "recall", "value": 0.5, "pairs": 4}
    >>> print(to_markdown([row], "blind"))  # doctest: +NORMALIZE_WHITESPACE
    | article | table | first | second | precision | recall | span overlap |
    | --- | --- | ---: | ---: | ---: | ---: | ---: |
    | src-1 | events |  |  |  | 0.50 |  |
    <BLANKLINE>
    | article | table | column | measure | value | pairs |
    | --- | --- | --- | --- | ---: | ---: |
    """
    rows = [row for row in rows if row["stage"] == stage]
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row["column_name"] == RECORDS:
            records.setdefault((row["source_id"], row["table_name"]), {})[row["measure"]] = row

    def cell(found, measure, digits=2):
        value = found.get(measure, {}).get("value")
        return "" if value is None else (f"{value:.{digits}f}" if digits else f"{value:.0f}")

    lines = [
        "| article | table | first | second | precision | recall | span overlap |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (source, table), found in records.items():
        counts = [cell(found, m, 0) for m in ("records_first", "records_second")]
        shares = [cell(found, m) for m in ("precision", "recall", "span_overlap")]
        lines.append(f"| {source} | {table} | {' | '.join(counts + shares)} |")
    lines += [
        "",
        "| article | table | column | measure | value | pairs |",
        "| --- | --- | --- | --- | ---: | ---: |",
    ]
    for row in rows:
        if row["column_name"] != RECORDS:
            value = "n/a" if row["value"] is None else f"{row['value']:.2f}"
            lines.append(
                f"| {row['source_id']} | {row['table_name']} | {row['column_name']} | "
                f"{row['measure']} | {value} | {row['pairs']} |"
            )
    return "\n".join(lines) + "\n"


def measure_annotation(root, built, annotation, scratch):
    """Compare the blind annotation in ``annotation`` with the built package ``built``,
    article by article; return the figures (stage ``resolved``) and the disagreements."""
    from pathlib import Path

    import pyarrow.parquet as pq

    from koreasec_data.compile.agreement import build_annotation, compare
    from koreasec_data.compile.evidence.text import read_source_text, source_file

    second = build_annotation(Path(root), Path(annotation), Path(scratch))
    rows, found = [], []
    for source in pq.read_table(Path(built) / "sources.parquet").to_pylist():
        text, _ = read_source_text(source_file(Path(root) / "raw" / "sources", source["file_name"]))
        result = compare(built, second, source["source_id"], text)
        rows += figures(result, source["source_id"])
        found += disagreements(result, source["source_id"])
    return rows, found


def key(row: dict[str, Any]) -> tuple:
    """What identifies a disagreement."""
    return tuple(row[k] for k in ("source_id", "table_name", "record_id", "column_name"))


def merge(recorded: list[dict], blind: list[dict], figures_now: list[dict], found: list[dict]):
    """The rows to ship: the blind-stage figures as first recorded (or, at the first
    measurement, the figures now) and the figures now; the disagreements as first
    recorded, with their resolutions, plus any new one, ``unresolved``."""
    first = blind or [{**row, "stage": "blind"} for row in figures_now]
    shipped = first + [{**row, "stage": "resolved"} for row in figures_now]
    known = {key(row) for row in recorded}
    new = [
        {**row, "resolution": "unresolved", "note": None} for row in found if key(row) not in known
    ]
    return shipped, recorded + new
