"""A damaged package: `koreasec-data validate` names every damaged, missing, swapped,
edited or unknown file, still checks the other tables, and exits 1 (problems found) or
2 (could not run), never with a traceback; the researchers' commands name the damaged
installed file and the repair."""

from __future__ import annotations

import hashlib
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from koreasec_data.cli import main

TABLES = (
    "sources",
    "actors",
    "events",
    "event_actors",
    "statements",
    "statement_events",
    "arms_deals",
    "evidence",
    "agreement",
    "disagreements",
)
#: A problem planted in a table other than the damaged one, and how validate words it.
PLANTED = {"statements": ("stance", "shrugs"), "events": ("certainty", "sure")}


def truncate(package, name):
    path = package / f"{name}.parquet"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    return path


def flip(package, name):
    path = package / f"{name}.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def delete(package, name):
    path = package / f"{name}.parquet"
    path.unlink()
    return path


def swap(package, name):
    other = TABLES[(TABLES.index(name) + 1) % len(TABLES)]
    path = package / f"{name}.parquet"
    shutil.copy(package / f"{other}.parquet", path)
    return path


def edit_cell(package, name):
    """One cell rewritten with pyarrow, datapackage.json left as it was."""
    path = package / f"{name}.parquet"
    table = pq.read_table(path)
    column = table.column(0).to_pylist()
    column[0] += "x"
    table = table.set_column(0, table.schema.field(0), pa.array(column, table.schema.field(0).type))
    pq.write_table(table, path, compression="zstd")
    return path


def rename_in_descriptor(package, name):
    """datapackage.json names a file that is not there."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            resource["path"] = f"{name}-gone.parquet"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return package / f"{name}-gone.parquet"


def rewrite(package, name, table):
    """Write ``table`` as table ``name`` and record its hash and size: a consistent package."""
    path = package / f"{name}.parquet"
    pq.write_table(table, path, compression="zstd")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            data = path.read_bytes()
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
            resource["koreasec:bytes"] = len(data)
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def plant(package, name):
    """A vocabulary error in table ``name``, its hash and size updated (only its rows wrong)."""
    column, value = PLANTED[name]
    path = package / f"{name}.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0][column] = value
    rewrite(package, name, pa.Table.from_pylist(rows, schema=table.schema))
    return f"{column} '{value}' must be one of"


def validate(package, capsys, tmp_path, *options):
    """Run `koreasec-data validate` outside a checkout; its exit status and output."""
    try:
        status = main(["validate", str(package), "--root", str(tmp_path), *options])
    except SystemExit as exit:  # argparse
        status = exit.code
    out, err = capsys.readouterr()
    return status, out + err


@pytest.fixture
def package(built, tmp_path):
    shutil.copytree(built, tmp_path / "package")
    return tmp_path / "package"


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("damage", [truncate, flip, delete, swap, edit_cell, rename_in_descriptor])
def test_a_damaged_table_is_named_and_the_others_still_checked(
    package, capsys, tmp_path, name, damage
):
    planted_in = "events" if name in ("statements", "sources") else "statements"
    planted = plant(package, planted_in)
    damaged = damage(package, name)
    status, output = validate(package, capsys, tmp_path)
    assert status == 1, output
    assert "Traceback" not in output
    assert str(damaged) in output and planted in output
    assert f"{planted_in}.parquet row 1" in output
    assert "To repair it:" in output and "koreasec-data build" not in output
    if name in ("actors", "events", "evidence"):  # others need them: said, not crashed
        assert "not checked, as a table is damaged or missing:" in output


def test_a_table_without_a_column_is_named_and_left_out(package, capsys, tmp_path):
    """Its hash updated: the file is the one described, its columns are not the schema's."""
    planted = plant(package, "statements")
    path = package / "events.parquet"
    rewrite(package, "events", pq.read_table(path).drop_columns(["date"]))
    status, output = validate(package, capsys, tmp_path)
    assert (status, "Traceback" in output) == (1, False)
    assert f"{path}: column 'date' is missing" in output and planted in output
    assert "captions (needs events)" in output


def test_an_unknown_file_is_named_and_the_tables_still_checked(package, capsys, tmp_path):
    planted = plant(package, "events")
    (package / "notes.bin").write_bytes(b"\0mine")
    status, output = validate(package, capsys, tmp_path)
    assert (status, "Traceback" in output) == (1, False)
    assert f"{package / 'notes.bin'}: not the package's: datapackage.json does not" in output
    assert planted in output


@pytest.mark.parametrize("content", [None, "truncated", b"\xff\xfe{not json"])
def test_a_damaged_descriptor_is_one_clear_message_and_status_2(package, capsys, tmp_path, content):
    path = package / "datapackage.json"
    if content is None:
        path.unlink()
    elif content == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    else:
        path.write_bytes(content)
    status, output = validate(package, capsys, tmp_path)
    assert status == 2 and "Traceback" not in output
    assert output.count("\n") == 1 and str(path) in output
    assert "pip install --force-reinstall koreasec-data" in output


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("schema", {"fields": [1, None]}),  # frictionless itself fails on it
        ("profile", "https://example.invalid/profile.json"),  # never fetched
        ("schema", "https://example.invalid/schema.json"),
        ("hash", 5),
        ("koreasec:bytes", "many"),
    ],
)
def test_an_edited_descriptor_is_reported_not_a_crash(package, capsys, tmp_path, key, value):
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][1][key] = value
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    status, output = validate(package, capsys, tmp_path)
    assert (status, "Traceback" in output) == (1, False), output
    assert str(path) in output or str(package / "actors.parquet") in output


def test_the_installed_data_is_repaired_by_reinstalling(capsys, tmp_path):
    """validate on the installed folder itself, undamaged: valid, status 0."""
    from koreasec_data import data_dir

    status, output = validate(data_dir(), capsys, tmp_path)
    assert status == 0, output


def test_texts_are_checked_against_the_sources_table(package, capsys, tmp_path, root):
    texts = tmp_path / "texts"
    shutil.copytree(root / "raw" / "sources", texts)
    status, output = validate(package, capsys, tmp_path, "--texts", str(texts))
    assert status == 0 and "2 source texts" in output, output
    first, second = sorted(texts.iterdir())
    first.write_bytes(first.read_bytes() + b"\n")  # another text
    second.unlink()
    status, output = validate(package, capsys, tmp_path, "--texts", str(texts))
    assert status == 1 and "Traceback" not in output
    assert f"{first} source src-000: damaged (sha256): another text, sha256 " in output
    assert f"{second} source src-004: missing: the sources table names it" in output
    status, output = validate(package, capsys, tmp_path, "--texts", str(tmp_path / "none"))
    assert status == 2 and "no such folder" in output


def test_a_quote_not_in_the_users_text_is_reported(package, capsys, tmp_path, root):
    texts = tmp_path / "texts"
    shutil.copytree(root / "raw" / "sources", texts)
    path = package / "evidence.parquet"
    table = pq.read_table(path)
    quotes = table.column("quote").to_pylist()
    quotes[0] = quotes[0][::-1]
    column = table.schema.get_field_index("quote")
    rewrite(package, "evidence", table.set_column(column, "quote", pa.array(quotes)))
    assert "quote differs" not in validate(package, capsys, tmp_path)[1]  # no texts: not compared
    status, output = validate(package, capsys, tmp_path, "--texts", str(texts))
    assert status == 1 and "quote differs from src-" in output
