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
    "measure_annotation",
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


def to_markdown(result: dict[str, TableAgreement]) -> str:
    """Render the figures table and the per-column agreement."""
    lines = [
        "| table | first | second | matched | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, a in result.items():
        figures = f"{a.first} | {a.second} | {len(a.pairs)} | {a.precision:.2f} | {a.recall:.2f}"
        lines.append(f"| {name} | {figures} |")
    lines += [
        "",
        "| table | column | agreement on matched | Cohen's kappa |",
        "| --- | --- | ---: | ---: |",
    ]
    for name, a in result.items():
        for column, pairs in a.values.items():
            if pairs:
                share = sum(x == y for x, y in pairs) / len(pairs)
                kappa = cohen_kappa([(str(x), str(y)) for x, y in pairs])
                shown = "n/a" if kappa is None else f"{kappa:.2f}"
                lines.append(f"| {name} | {column} | {share:.2f} ({len(pairs)}) | {shown} |")
    return "\n".join(lines) + "\n"


def measure_annotation(root, built, annotation, scratch, resolved: list[dict[str, Any]]):
    """Compare the blind annotation in ``annotation`` with the built package ``built``,
    article by article; return the rows of ``agreement`` and ``disagreements``.

    ``resolved`` holds the disagreements resolved so far: their resolution and note are
    kept; a new disagreement is ``unresolved``.
    """
    from pathlib import Path

    import pyarrow.parquet as pq

    from koreasec_data.compile.agreement import build_annotation, compare

    second = build_annotation(Path(root), Path(annotation), Path(scratch))
    key = ("source_id", "table_name", "record_id", "column_name")
    known = {tuple(row[k] for k in key): row for row in resolved}
    rows, found = [], []
    for source in pq.read_table(Path(built) / "sources.parquet").to_pylist():
        text = (Path(root) / "raw" / "sources" / source["file_name"]).read_text(encoding="utf-8")
        result = compare(built, second, source["source_id"], text)
        rows += figures(result, source["source_id"])
        for row in disagreements(result, source["source_id"]):
            earlier = known.get(tuple(row[k] for k in key), {})
            resolution = earlier.get("resolution", "unresolved")
            found.append({**row, "resolution": resolution, "note": earlier.get("note")})
    return rows, found
