"""schemas/: complete, consistent, the single source of every column, shared fields
written once; tables as objects that own their derivations."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pytest

from koreasec_data.schemas import SchemaError, Table, load_schemas


@pytest.fixture
def schema_copy(tmp_path, root):
    shutil.copytree(root / "schemas", tmp_path / "schemas")
    return tmp_path / "schemas"


def test_every_field_is_described_typed_and_constrained(root):
    for name, schema in load_schemas(root / "schemas").items():
        assert schema.primary_key, name
        for field in schema.fields:
            assert field.description.strip(), (name, field.name)
            assert field.type in {"string", "integer", "number", "boolean", "date", "array"}
            assert "required" in field.constraints, (name, field.name)
            if field.name.endswith("_id") and field.type == "string":
                assert "pattern" in field.constraints, (name, field.name)


def test_every_reference_column_has_a_foreign_key(root):
    for name, schema in load_schemas(root / "schemas").items():
        keyed = {key["fields"][0] for key in schema.foreign_keys}
        for field in schema.fields:
            own_key = field.name in schema.primary_key and len(schema.primary_key) == 1
            if field.name.endswith("_id") and not own_key and field.name != "record_id":
                assert field.name in keyed, (name, field.name)


def test_the_date_group_is_written_once_and_filled_in_per_table(root):
    schemas = load_schemas(root / "schemas")
    dated = [s for s in schemas.values() if s.has("date_precision")]
    assert [s.name for s in dated] == ["events", "statements", "arms_deals"]
    shared = json.loads((root / "schemas" / "groups" / "dates.json").read_text())
    for schema in dated:
        group = [f for f in schema.fields if f.group == "dates"]
        assert [f.name for f in group] == [f["name"] for f in shared]
        assert "{" not in group[0].description and group[0].description.startswith("First day")
        assert schema.field("date_end").derived
    assert len({s.field("date").description for s in dated}) == 3
    assert len({s.field("date_basis").description for s in dated}) == 1
    for name in schemas:
        assert '"date_end"' not in (root / "schemas" / f"{name}.json").read_text(), name


def test_derived_columns_are_not_written(root):
    sources = load_schemas(root / "schemas")["sources"]
    assert {f.name for f in sources.fields if f.derived} == {"headline", "text_length"}
    assert "headline" not in {f.name for f in sources.written}


def test_vocabulary_meanings_must_match_enum(schema_copy):
    events = json.loads((schema_copy / "events.json").read_text())
    certainty = next(f for f in events["fields"] if f.get("name") == "certainty")
    certainty["categories"].pop()
    (schema_copy / "events.json").write_text(json.dumps(events))
    with pytest.raises(SchemaError, match="field 'certainty'"):
        load_schemas(schema_copy)


def test_a_column_name_too_long_for_stata_is_refused(schema_copy):
    events = json.loads((schema_copy / "events.json").read_text())
    field = next(f for f in events["fields"] if f.get("name") == "certainty")
    field["name"] = "certainty_as_the_article_states_it"
    (schema_copy / "events.json").write_text(json.dumps(events))
    with pytest.raises(SchemaError, match=r"Stata's limit.*certainty_as_the_article_states_it"):
        load_schemas(schema_copy)


def test_a_missing_group_or_word_is_named(schema_copy):
    events = json.loads((schema_copy / "events.json").read_text())
    entry = next(f for f in events["fields"] if "group" in f)
    entry.pop("subject")
    (schema_copy / "events.json").write_text(json.dumps(events))
    with pytest.raises(SchemaError, match="group 'dates' needs 'subject'"):
        load_schemas(schema_copy)
    entry["group"] = "nowhere"
    (schema_copy / "events.json").write_text(json.dumps(events))
    with pytest.raises(SchemaError, match="group 'nowhere'"):
        load_schemas(schema_copy)


def test_a_table_knows_its_fields_keys_and_ids(root):
    schema = load_schemas(root / "schemas")["event_actors"]
    assert schema.primary_key == ("event_id", "actor_id", "role")
    assert schema.record_id({"event_id": "ev-1", "actor_id": "act-kor", "role": "target"}) == (
        "ev-1/act-kor/target"
    )
    table = pa.table({"event_id": ["ev-1"], "actor_id": ["act-kor"], "role": ["target"]})
    assert schema.record_ids(table).to_pylist() == ["ev-1/act-kor/target"]
    with pytest.raises(KeyError, match="no column 'nope'"):
        schema.field("nope")


def test_arrow_nullability_follows_required(root):
    schema = load_schemas(root / "schemas")["statements"]
    arrow = schema.arrow_schema()
    for field in schema.fields:
        assert arrow.field(field.name).nullable == (not field.required)


def test_a_stored_schema_makes_the_same_table(root):
    schema = load_schemas(root / "schemas")["events"]
    again = Table.from_descriptor("events", schema.descriptor)
    assert again.names == schema.names and again.primary_key == schema.primary_key
    assert again.arrow_schema().equals(schema.arrow_schema(), check_metadata=True)


def test_sources_say_what_is_known_of_where_a_text_came_from(root):
    sources = load_schemas(root / "schemas")["sources"]
    for name in ("wire_service", "url", "dateline"):
        field = sources.field(name)
        assert field.type == "string" and field.constraints["required"] is False
    for name in ("wire_service", "url"):
        assert "null means not recorded" in sources.field(name).description
        assert "none is guessed" in sources.field(name).description
    assert "verbatim" in sources.field("dateline").description
    assert sources.field("url").constraints["pattern"].startswith("https?://")
    assert "raw/sources/ at that version's tag" in sources.description
