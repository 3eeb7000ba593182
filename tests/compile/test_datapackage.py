"""datapackage.json and its Parquet files: what is written, and what reading back checks."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import states_the_coverage

from koreasec_data.compile.datapackage import BYTES_KEY, DESCRIPTOR, read_tables
from koreasec_data.coverage import coverage
from koreasec_data.hashes import sha256_of


@pytest.fixture
def package(built, tmp_path):
    shutil.copytree(built, tmp_path / "build")
    return tmp_path / "build"


def test_each_resource_records_the_hash_and_size_of_its_file(built):
    descriptor = json.loads((built / DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (built / resource["path"]).read_bytes()
        assert resource["hash"] == f"sha256:{sha256_of(data)}"
        assert resource[BYTES_KEY] == len(data) and "bytes" not in resource
        assert pq.read_schema(built / resource["path"]).names == [
            field["name"] for field in resource["schema"]["fields"]
        ]
    titles = [source["title"] for source in descriptor["sources"]]
    assert len(titles) == len(pq.read_table(built / "sources.parquet"))


def test_a_file_that_differs_from_its_description_is_not_read(package):
    path = package / "actors.parquet"
    path.write_bytes(path.read_bytes()[:-1])
    descriptor, tables, problems = read_tables(package)
    assert "actors" not in tables and "events" in tables and descriptor["resources"]
    messages = sorted(problem.message for problem in problems)
    assert messages[0].startswith("hash is ") and messages[1].startswith(f"{BYTES_KEY} is ")


def test_a_missing_file_or_descriptor_says_what_to_do(package):
    (package / "events.parquet").unlink()
    _, tables, problems = read_tables(package)
    assert "events" not in tables
    assert [problem.message for problem in problems] == [
        "file listed in datapackage.json is missing"
    ]
    (package / DESCRIPTOR).unlink()
    assert read_tables(package)[2][0].message.endswith("run 'koreasec-data build' first")


def test_the_description_says_what_the_data_is(built):
    description = json.loads((built / DESCRIPTOR).read_text(encoding="utf-8"))["description"]
    states_the_coverage(description, coverage(built))
