"""The Parquet files as other readers see them: pyarrow types and metadata, DuckDB joins."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from koreasec_data.schemas import SCHEMA_METADATA_KEY, load_schemas


def test_parquet_schema_is_derived_from_schemas(built, root):
    for name, schema in load_schemas(root / "schemas").items():
        written = pq.read_schema(built / f"{name}.parquet")
        assert written.equals(schema.arrow_schema(), check_metadata=True), name
        assert b"pandas" not in (written.metadata or {})
        for field in schema.fields:
            assert written.field(field.name).metadata[b"description"].decode() == field.description


def test_dates_and_lists_are_typed(built):
    actors = pq.read_schema(built / "actors.parquet")
    events = pq.read_schema(built / "events.parquet")
    assert pa.types.is_list(actors.field("aliases").type)
    assert actors.field("aliases").type.value_type == pa.string()
    assert events.field("date").type == pa.date32()


def test_file_level_metadata_carries_descriptions_for_duckdb(built):
    rows = duckdb.sql(
        f"select value from parquet_kv_metadata('{built / 'events.parquet'}') "
        f"where key = '{SCHEMA_METADATA_KEY}'"
    ).fetchall()
    schema = json.loads(rows[0][0])
    assert {field["name"] for field in schema["fields"]} >= {"event_id", "certainty"}


def test_duckdb_joins_statements_to_actors_and_events(built):
    query = f"""
        select s.statement_id, a.name, e.event_type
        from '{built / "statements.parquet"}' s
        join '{built / "actors.parquet"}' a on s.speaker_id = a.actor_id
        join '{built / "statement_events.parquet"}' l on l.statement_id = s.statement_id
        join '{built / "events.parquet"}' e on l.event_id = e.event_id
    """
    rows = duckdb.sql(query).fetchall()
    assert rows
    assert all(name and event_type for _, name, event_type in rows)


def test_compressed_with_zstd(built):
    metadata = pq.ParquetFile(built / "evidence.parquet").metadata
    assert metadata.row_group(0).column(0).compression == "ZSTD"
