"""The evidence table's checks, on small Arrow tables: coverage of every record, evidence
pointing at records, quotes against the texts at hand."""

from __future__ import annotations

from conftest import SMALL_SCHEMAS, small_table, small_tables

from koreasec_data.compile.evidence.checks import (
    coverage,
    quotes_match,
    span_lengths,
    texts_at_hand,
)
from koreasec_data.problems import Finding


def test_evidence_for_no_record_and_records_without_evidence():
    built = small_tables(
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
    found = coverage(built, SMALL_SCHEMAS, reported=set())
    assert [(f.table, f.row, f.column) for f in found] == [
        ("actors", 2, None),  # act-rus: its evidence names no table
        ("event_actors", 1, None),
        ("evidence", 2, "record_id"),
        ("evidence", 4, "record_id"),
        ("evidence", 5, "record_id"),
    ]
    excused = {("actors", "act-gone"), ("actors", "act-rus"), ("event_actors", "ev-2/act-prk")}
    found = coverage(built, SMALL_SCHEMAS, reported=excused)
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
    evidence = small_table(["source_id", "start_offset", "end_offset", "quote"], rows)
    for chunk_rows in (1, 2, 100):
        found = quotes_match(evidence, {"src-1": text}.get, chunk_rows)  # src-2's is not at hand
        message = "quote differs from src-1 text at 0-5: 'Seoul'"
        assert found == [Finding("evidence", 2, "quote", message)]


def test_a_span_must_be_as_long_as_its_quote():
    import pandas as pd

    frame = pd.DataFrame(
        {"start_offset": [0, 5, 3], "end_offset": [5, 5, 9], "quote": ["Seoul"] * 3}
    )
    assert [f.row for f in span_lengths(frame, "evidence")] == [1, 2]


def test_only_texts_whose_hash_is_recorded_are_at_hand(tmp_path):
    from koreasec_data.hashes import sha256_of

    (tmp_path / "raw" / "sources").mkdir(parents=True)
    (tmp_path / "raw" / "sources" / "a.txt").write_bytes(b"Seoul said.")
    sources = [
        {"source_id": "src-1", "file_name": "a.txt", "sha256": sha256_of(b"Seoul said.")},
        {"source_id": "src-2", "file_name": "a.txt", "sha256": "0" * 64},  # another text
        {"source_id": "src-3", "file_name": "../a.txt", "sha256": "0" * 64},
        {"source_id": "src-4", "file_name": "gone.txt", "sha256": "0" * 64},
    ]
    assert texts_at_hand(tmp_path, sources) == {"src-1": "Seoul said."}
