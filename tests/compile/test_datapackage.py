"""datapackage.json and its Parquet files: what is written (read back: test_package_files)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from conftest import states_the_coverage

from koreasec_data.compile.datapackage import BYTES_KEY, DESCRIPTOR
from koreasec_data.coverage import coverage
from koreasec_data.hashes import sha256_of


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


def test_the_description_says_what_the_data_is(built):
    description = json.loads((built / DESCRIPTOR).read_text(encoding="utf-8"))["description"]
    states_the_coverage(description, coverage(built))
