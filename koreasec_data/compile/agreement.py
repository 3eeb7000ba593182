"""Inter-annotator agreement: compare two independent annotations of the same article.

Both annotations are built as usual; records are matched by the overlap of their
evidence spans in the article (actors by name and aliases), then the matched records
are compared column by column. The first annotation is the reference: recall is the
share of its records the second one found, precision the share of the second's records
that match one of the first's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "COMPARED",
    "TableAgreement",
    "build_annotation",
    "compare",
]

#: Columns compared on matched records, per table.
COMPARED = {
    "actors": ["actor_type", "country", "parent_id"],
    "events": [
        "date",
        "date_end",
        "date_precision",
        "event_type",
        "event_subtype",
        "certainty",
        "story_role",
        "location_precision",
    ],
    "statements": ["speaker_id", "kind", "stance", "date", "date_end", "date_precision"],
    "arms_deals": ["supplier_id", "recipient_id", "weapon_category", "status", "value"],
}
ID_COLUMNS = {"parent_id", "speaker_id", "event_id", "supplier_id", "recipient_id"}


@dataclass
class TableAgreement:
    """How two annotations of one table agree."""

    #: The record ids each coder has (the second's in its own ids).
    first_ids: list[str]
    second_ids: list[str]
    pairs: list[tuple[str, str]] = field(default_factory=list)
    #: column -> list of (first value, second value) over matched records
    values: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)
    #: Jaccard overlap of the evidence of each matched pair, in the same order.
    overlap: list[float] = field(default_factory=list)

    @property
    def first(self) -> int:
        return len(self.first_ids)

    @property
    def second(self) -> int:
        return len(self.second_ids)

    @property
    def precision(self) -> float:
        return len(self.pairs) / self.second if self.second else 1.0

    @property
    def recall(self) -> float:
        return len(self.pairs) / self.first if self.first else 1.0


def build_annotation(root: Path, annotation: Path, target: Path) -> Path:
    """Build a second annotation (``actors.yaml`` + ``articles/``) in a scratch project.

    The scratch project takes ``schemas/``, ``CITATION.cff`` and the source texts from
    ``root``; returns the built package folder.
    """
    import shutil

    from koreasec_data.compile.build import build

    target = Path(target)
    shutil.copytree(Path(root) / "schemas", target / "schemas")
    shutil.copy2(Path(root) / "CITATION.cff", target / "CITATION.cff")
    shutil.copytree(Path(root) / "raw" / "sources", target / "raw" / "sources")
    shutil.copytree(Path(annotation) / "articles", target / "raw" / "articles")
    shutil.copy2(Path(annotation) / "actors.yaml", target / "raw" / "actors.yaml")
    build(target, target / "build", say=lambda message: None)
    return target / "build"


def _spans(tables, source_id: str) -> dict[tuple[str, str], set[int]]:
    """(table, record id) -> the character positions its evidence covers in the source."""
    covered: dict[tuple[str, str], set[int]] = {}
    for row in tables["evidence"].to_pylist():
        if row["source_id"] == source_id:
            key = (row["record_table"], row["record_id"])
            covered.setdefault(key, set()).update(range(row["start_offset"], row["end_offset"]))
    return covered


def _match(first: dict[str, set], second: dict[str, set]) -> list[tuple[str, str]]:
    """Pair records one to one, greedily by the Jaccard overlap of what identifies them."""
    scored = sorted(
        (
            (_jaccard(a, b), one, two)
            for one, a in first.items()
            for two, b in second.items()
            if a & b
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs, used_first, used_second = [], set(), set()
    for _, one, two in scored:
        if one not in used_first and two not in used_second:
            pairs.append((one, two))
            used_first.add(one)
            used_second.add(two)
    return sorted(pairs)


def _names(actors) -> dict[str, set[str]]:
    return {
        row["actor_id"]: {name.casefold() for name in [row["name"], *row["aliases"]]}
        for row in actors.to_pylist()
    }


def _in_article(actors, spans, text: str) -> set[str]:
    """Actors with evidence in the article, or whose name or an alias occurs in it.

    Case matters: the alias "UN" must not match the "Un" of "Kim Jong Un".
    """
    named = {
        row["actor_id"]
        for row in actors.to_pylist()
        if any(re.search(rf"\b{re.escape(n)}\b", text) for n in [row["name"], *row["aliases"]])
    }
    return named | {record for table, record in spans if table == "actors"}


def compare(first: Path, second: Path, source_id: str, text: str) -> dict[str, TableAgreement]:
    """Compare two built packages on the records they code from ``source_id``."""
    import pyarrow.parquet as pq

    from koreasec_data.diff import rows_by_id

    load = {
        name: (
            pq.read_table(Path(first) / f"{name}.parquet"),
            pq.read_table(Path(second) / f"{name}.parquet"),
        )
        for name in ["actors", "evidence", "event_actors", "statement_events", *COMPARED]
    }
    result: dict[str, TableAgreement] = {}
    spans = [_spans({"evidence": load["evidence"][i]}, source_id) for i in (0, 1)]
    actors = [_names(load["actors"][i]) for i in (0, 1)]
    keep = [_in_article(load["actors"][i], spans[i], text) for i in (0, 1)]
    pairs = _match(
        {a: n for a, n in actors[0].items() if a in keep[0]},
        {a: n for a, n in actors[1].items() if a in keep[1]},
    )
    mapping = {"actors": dict((two, one) for one, two in pairs)}
    result["actors"] = TableAgreement(sorted(keep[0]), sorted(keep[1]), pairs)
    for name in ["events", "statements", "arms_deals"]:
        sides = [
            {rid: cover for (table, rid), cover in spans[i].items() if table == name}
            for i in (0, 1)
        ]
        pairs = _match(*sides)
        mapping[name] = dict((two, one) for one, two in pairs)
        result[name] = TableAgreement(sorted(sides[0]), sorted(sides[1]), pairs)
        result[name].overlap = [_jaccard(sides[0][one], sides[1][two]) for one, two in pairs]
    result["event_actors"] = _links(
        load["event_actors"], ("event_id", "actor_id", "role"), result["events"], mapping
    )
    result["statement_events"] = _links(
        load["statement_events"],
        ("statement_id", "event_id", "relation"),
        result["statements"],
        mapping,
    )
    for name, agreement in result.items():
        if name not in COMPARED:
            continue
        rows = [rows_by_id(load[name][i]) for i in (0, 1)]
        for column in COMPARED[name]:
            agreement.values[column] = [
                (rows[0][one][column], _translate(rows[1][two][column], column, mapping))
                for one, two in agreement.pairs
            ]
    return result


def _jaccard(first: set[int], second: set[int]) -> float:
    return len(first & second) / len(first | second) if first | second else 1.0


def _links(tables, keys: tuple[str, str, str], parents: TableAgreement, mapping):
    """Links of the matched parent records (participants of events, events of statements),
    the second's ids mapped onto the first's."""
    parent, other, kind = keys
    table = "events" if parent == "event_id" else "statements"
    matched = dict(parents.pairs)
    first = {
        (row[parent], row[other], row[kind])
        for row in tables[0].to_pylist()
        if row[parent] in matched
    }
    column = "actor" if other == "actor_id" else other
    second = {
        (mapping[table][row[parent]], _translate(row[other], column, mapping), row[kind])
        for row in tables[1].to_pylist()
        if row[parent] in mapping[table]
    }
    both = sorted("/".join(key) for key in first & second)
    ids = [sorted("/".join(key) for key in side) for side in (first, second)]
    return TableAgreement(*ids, [(key, key) for key in both])


def _translate(value: Any, column: str, mapping: dict[str, dict[str, str]]) -> Any:
    """Map the second annotation's ids onto the first's, so that they can be compared."""
    if (column not in ID_COLUMNS and column != "actor") or value is None:
        return value
    table = "events" if column == "event_id" else "actors"
    return mapping[table].get(value, f"(unmatched {value})")
