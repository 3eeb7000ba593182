"""Rules across rows and tables, on small Arrow tables: foreign keys."""

from __future__ import annotations

from conftest import SMALL_SCHEMAS, small_tables

from koreasec_data.compile.rules import foreign_keys


def test_dangling_keys_are_found_except_nulls_and_records_already_reported():
    built = small_tables(
        [("ev-1", "act-kor"), ("ev-1", None), ("ev-2", "act-prc"), ("ev-3", "act-x")], []
    )
    found = foreign_keys(built, SMALL_SCHEMAS, reported={("actors", "act-x")})
    assert [(f.table, f.row, f.column) for f in found] == [("event_actors", 2, "actor_id")]
    assert found[0].message == (
        "actor_id 'act-prc' is not an actor id; known ids starting 'act-pr': act-prk"
    )
