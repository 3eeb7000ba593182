"""Rules across rows and tables, on small Arrow tables: keys, evidence coverage, quotes."""

from __future__ import annotations

import pyarrow as pa

from koreasec_data.compile.rules import evidence_coverage, foreign_keys, quotes_match, similar_ids
from koreasec_data.problems import Finding
from koreasec_data.schemas import Table

KEY = {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}}
SCHEMAS = {
    name: Table.from_descriptor(name, {"fields": [], **descriptor})
    for name, descriptor in {
        "actors": {"primaryKey": ["actor_id"]},
        "event_actors": {"primaryKey": ["event_id", "actor_id"], "foreignKeys": [KEY]},
        "evidence": {"primaryKey": ["record_table", "record_id"]},
    }.items()
}


def table(names, rows):
    return pa.table({name: [row[n] for row in rows] for n, name in enumerate(names)})


def tables(event_actors, evidence):
    return {
        "actors": pa.table({"actor_id": ["act-kor", "act-prk", "act-rus"]}),
        "event_actors": table(["event_id", "actor_id"], event_actors),
        "evidence": table(["record_table", "record_id"], evidence),
    }


def test_dangling_keys_are_found_except_nulls_and_records_already_reported():
    built = tables(
        [("ev-1", "act-kor"), ("ev-1", None), ("ev-2", "act-prc"), ("ev-3", "act-x")], []
    )
    found = foreign_keys(built, SCHEMAS, reported={("actors", "act-x")})
    assert [(f.table, f.row, f.column) for f in found] == [("event_actors", 2, "actor_id")]
    assert found[0].message == (
        "actor_id 'act-prc' is not an actor id; known ids starting 'act-pr': act-prk"
    )


def test_evidence_for_no_record_and_records_without_evidence():
    built = tables(
        [("ev-1", "act-kor"), ("ev-2", "act-prk")],
        [
            ("actors", "act-kor"),
            ("actors", "act-prk"),
            ("actors", "act-gone"),  # no such actor
            ("event_actors", "ev-1/act-kor"),
            ("rumours", "x"),  # no such table
            (None, "act-rus"),
        ],
    )
    found = evidence_coverage(built, SCHEMAS, reported=set())
    assert [(f.table, f.row, f.column) for f in found] == [
        ("actors", 2, None),  # act-rus: its evidence names no table
        ("event_actors", 1, None),
        ("evidence", 2, "record_id"),
        ("evidence", 4, "record_id"),
        ("evidence", 5, "record_id"),
    ]
    excused = {("actors", "act-gone"), ("actors", "act-rus"), ("event_actors", "ev-2/act-prk")}
    found = evidence_coverage(built, SCHEMAS, reported=excused)
    assert [(f.table, f.row) for f in found] == [("evidence", 4), ("evidence", 5)]


def test_quotes_are_compared_with_the_text_chunk_by_chunk():
    text = "Seoul said. Pyongyang denied."
    rows = [
        ("src-1", 0, 5, "Seoul"),
        ("src-1", 12, 21, "Pyongyang"),
        ("src-1", 0, 5, "Tokyo"),
        ("src-2", 0, 5, "Paris"),
        ("src-1", 22, 28, "denied"),
    ]
    evidence = table(["source_id", "start_offset", "end_offset", "quote"], rows)
    for chunk_rows in (1, 2, 100):
        found = quotes_match(evidence, {"src-1": text}, chunk_rows)  # src-2's text is not at hand
        message = "quote differs from src-1 text at 0-5: 'Seoul'"
        assert found == [Finding("evidence", 2, "quote", message)]


def test_similar_ids_name_the_longest_shared_prefix():
    known = sorted(["ev-000-01", "ev-000-02", "ev-004-01", "st-000-01"])
    assert similar_ids("ev-000-9", known) == "known ids starting 'ev-000-': ev-000-01, ev-000-02"
    assert similar_ids("zz", known) == "no known id is similar"
