"""A package's files read back against datapackage.json: each damage a typed problem."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from koreasec_data.compile.package_files import (
    CannotValidate,
    Damage,
    read_descriptor,
    read_tables,
)


@pytest.fixture
def package(built, tmp_path):
    shutil.copytree(built, tmp_path / "build")
    return tmp_path / "build"


def truncate(path):
    path.write_bytes(path.read_bytes()[:-100])


def flip(path):
    """One byte of the first column's first page flipped: the footer still reads."""
    data = bytearray(path.read_bytes())
    data[pq.ParquetFile(path).metadata.row_group(0).column(0).data_page_offset + 1] ^= 0xFF
    path.write_bytes(bytes(data))


def edit_cell(path):
    table = pq.read_table(path)
    column = table.column(0).to_pylist()
    column[0] += "x"
    table = table.set_column(0, table.schema.field(0), pa.array(column, table.schema.field(0).type))
    pq.write_table(table, path, compression="zstd")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (truncate, Damage.UNREADABLE),
        (flip, Damage.SHA256),
        (lambda path: path.unlink(), Damage.MISSING),
        (lambda path: shutil.copy(path.with_name("actors.parquet"), path), Damage.WRONG_TABLE),
        (edit_cell, Damage.SIZE),
    ],
)
def test_each_damaged_file_is_named_with_its_reason_and_not_read(package, damage, reason):
    damage(package / "events.parquet")
    tables, damaged = read_tables(package, read_descriptor(package, "repair"))
    assert [(file.path, file.reason) for file in damaged] == [(package / "events.parquet", reason)]
    assert "events" not in tables and "actors" in tables and len(tables) == 9
    assert str(package / "events.parquet") in str(damaged[0].problem())


def test_a_file_the_descriptor_does_not_list_is_named(package):
    (package / "notes.txt").write_text("mine")
    tables, damaged = read_tables(package, read_descriptor(package, "repair"))
    assert [(file.path.name, file.reason) for file in damaged] == [("notes.txt", Damage.UNLISTED)]
    assert len(tables) == 10


@pytest.mark.parametrize(
    "content",
    [None, b'{"resources": [', b"\xff\xfe not text", b"[1, 2]", b'{"resources": [{"name": 1}]}'],
)
def test_a_descriptor_that_cannot_be_read_says_so_and_what_to_do(package, content):
    path = package / "datapackage.json"
    path.unlink() if content is None else path.write_bytes(content)
    with pytest.raises(CannotValidate, match="do this") as caught:
        read_descriptor(package, "do this")
    assert caught.value.path == path


def test_a_resource_path_must_be_a_file_of_the_folder(package):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["path"] = "../elsewhere.parquet"
    path.write_text(json.dumps(descriptor))
    with pytest.raises(CannotValidate, match="each with a name and a path"):
        read_descriptor(package, "")
