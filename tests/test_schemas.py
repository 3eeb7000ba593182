"""schemas/: complete, consistent, and the single source of the Arrow schema."""

from __future__ import annotations

import json

import pytest

from koreasec_data.schemas import SchemaError, arrow_schema, load_schemas


def test_every_field_is_described_typed_and_constrained(root):
    for name, schema in load_schemas(root / "schemas").items():
        assert schema["primaryKey"], name
        for field in schema["fields"]:
            assert field["description"].strip(), (name, field["name"])
            assert field["type"] in {"string", "integer", "number", "boolean", "date", "array"}
            assert "required" in field["constraints"], (name, field["name"])
            if field["name"].endswith("_id") and field["type"] == "string":
                assert "pattern" in field["constraints"], (name, field["name"])


def test_every_reference_column_has_a_foreign_key(root):
    schemas = load_schemas(root / "schemas")
    for name, schema in schemas.items():
        keyed = {key["fields"][0] for key in schema.get("foreignKeys", [])}
        for field in schema["fields"]:
            own_key = field["name"] in schema["primaryKey"] and len(schema["primaryKey"]) == 1
            if field["name"].endswith("_id") and not own_key and field["name"] != "record_id":
                assert field["name"] in keyed, (name, field["name"])


def test_shared_date_columns_are_identical(root):
    schemas = load_schemas(root / "schemas")
    dated = [s for s in schemas.values() if any(f["name"] == "date_precision" for f in s["fields"])]
    assert len(dated) == 3
    columns = [[f for f in s["fields"] if f["name"].startswith("date_")] for s in dated]
    for other in columns[1:]:
        assert other == columns[0]


def test_vocabulary_meanings_must_match_enum(tmp_path, root):
    for path in (root / "schemas").glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    events = json.loads((tmp_path / "events.json").read_text())
    certainty = next(f for f in events["fields"] if f["name"] == "certainty")
    certainty["categories"].pop()
    (tmp_path / "events.json").write_text(json.dumps(events))
    with pytest.raises(SchemaError, match="field 'certainty'"):
        load_schemas(tmp_path)


def test_arrow_nullability_follows_required(root):
    schema = load_schemas(root / "schemas")["statements"]
    arrow = arrow_schema(schema)
    for field in schema["fields"]:
        assert arrow.field(field["name"]).nullable == (not field["constraints"]["required"])
