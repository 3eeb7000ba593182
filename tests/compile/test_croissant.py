"""croissant.json, read by mlcroissant: valid Croissant 1.1 that says what the schemas say
and leads a Croissant reader to the same rows as ``load``."""

from __future__ import annotations

import json

import pytest
from conftest import states_the_coverage

import koreasec_data
from koreasec_data.coverage import coverage
from koreasec_data.hashes import file_sha256
from koreasec_data.schemas import load_schemas

mlc = pytest.importorskip("mlcroissant")


@pytest.fixture(scope="module")
def metadata(built):
    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    return dataset.metadata


def test_mlcroissant_finds_no_error_or_warning(metadata):
    assert metadata.ctx.issues.errors == set()
    assert metadata.ctx.issues.warnings == set()


def test_one_record_set_per_table_with_every_column_described(metadata, root):
    schemas = load_schemas(root / "schemas")
    assert [r.name for r in metadata.record_sets] == list(koreasec_data.tables())
    for record_set in metadata.record_sets:
        schema = schemas[record_set.name]
        assert record_set.description == schema.description
        described = {f.name: f.description for f in record_set.fields}
        assert described == {f.name: f.description for f in schema.fields}


def test_foreign_keys_to_other_tables_are_references(metadata, built):
    descriptor = json.loads((built / "datapackage.json").read_text())
    for resource, record_set in zip(descriptor["resources"], metadata.record_sets, strict=True):
        fields = {f.name: f for f in record_set.fields}
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"]
            for column, referenced in zip(key["fields"], key["reference"]["fields"], strict=True):
                expected = None if target in ("", resource["name"]) else f"{target}/{referenced}"
                assert fields[column].references.uuid == expected, (resource["name"], column)


def test_every_file_is_listed_with_its_sha256(metadata, built):
    listed = {d.content_url: d.sha256 for d in metadata.distribution}
    assert listed == {p.name: file_sha256(p) for p in built.glob("*.parquet")}


def test_version_licence_and_citation_are_the_packages(metadata, built):
    assert metadata.version == koreasec_data.__version__
    assert metadata.license == ["https://creativecommons.org/licenses/by/4.0/"]
    assert metadata.cite_as == koreasec_data.cite("bibtex", directory=built)


@pytest.mark.parametrize("table", koreasec_data.tables())
def test_a_croissant_reader_gets_the_rows_load_gives(built, table):
    # A fresh Dataset per table: mlcroissant 1.1 trips over a second join on one object.
    records = list(mlc.Dataset(jsonld=str(built / "croissant.json")).records(table))
    loaded = koreasec_data.load(table, directory=built)
    key = loaded.columns[0]
    assert sorted(r[f"{table}/{key}"].decode() for r in records) == sorted(loaded[key])


def test_the_description_search_engines_show_says_what_the_data_is(metadata, built):
    described = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    assert metadata.description == described["description"]  # what a reader is given
    states_the_coverage(described["description"], coverage(built))
