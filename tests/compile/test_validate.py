"""koreasec-data validate on the real build, and on packages spoiled after the build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import quiet

from koreasec_data.compile.evidence.text import read_source_text
from koreasec_data.compile.validate import DamagedPackage, validate_package
from koreasec_data.problems import ProblemReport


def test_real_build_validates(built, root):
    descriptor = validate_package(built, root, say=quiet)
    assert descriptor["version"]


def test_frictionless_validates_the_shipped_descriptor(built):
    frictionless = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [frictionless, "validate", "--json", str(built / "datapackage.json")],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert result.returncode == 0


def test_every_foreign_key_resolves(tables, root):
    from koreasec_data.schemas import load_schemas

    checked = 0
    for name, schema in load_schemas(root / "schemas").items():
        for key in schema.foreign_keys:
            target = key["reference"]["resource"] or name
            known = set(tables[target].column(key["reference"]["fields"][0]).to_pylist())
            values = [v for v in tables[name].column(key["fields"][0]).to_pylist() if v is not None]
            assert set(values) <= known, (name, key)
            checked += len(values)
    assert checked > 0


def test_every_quote_is_the_source_text_at_its_offsets(tables, root):
    texts = {
        row["source_id"]: read_source_text(root / "raw" / "sources" / row["file_name"])[0]
        for row in tables["sources"].to_pylist()
    }
    rows = tables["evidence"].to_pylist()
    for row in rows:
        text = texts[row["source_id"]]
        assert text[row["start_offset"] : row["end_offset"]] == row["quote"], row


def test_every_record_has_evidence(tables, root):
    from koreasec_data.schemas import load_schemas

    schemas = load_schemas(root / "schemas")
    cited = {(r["record_table"], r["record_id"]) for r in tables["evidence"].to_pylist()}
    for name in schemas["evidence"].field("record_table").enum:  # the tables that cite
        for identifier in schemas[name].record_ids(tables[name]).to_pylist():
            assert (name, identifier) in cited, (name, identifier)


def read_back(directory):
    """The tables of a package, read back as validate reads them."""
    from koreasec_data.compile.package_files import read_descriptor, read_tables

    tables, damaged = read_tables(directory, read_descriptor(directory, ""))
    assert damaged == []
    return tables


@pytest.fixture
def copy(built, tmp_path):
    target = tmp_path / "build"
    shutil.copytree(built, target)
    return target


def test_tampered_file_is_caught_by_hash(copy, root):
    path = copy / "events.parquet"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(DamagedPackage, match=r"events.parquet: damaged \(unreadable\): \d+ bytes"):
        validate_package(copy, root, say=quiet)


def spoiled(copy, root, name, change) -> str:
    """Let ``change`` edit the rows of a built table, update its hash and size in the
    descriptor (so only the rows are wrong), validate, and return the report."""
    import hashlib

    path = copy / f"{name}.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path, compression="zstd")
    descriptor = json.loads((copy / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            data = path.read_bytes()
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            resource["koreasec:bytes"] = len(data)
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(ProblemReport) as caught:
        validate_package(copy, root, say=quiet)
    return str(caught.value)


def test_quote_not_matching_text_is_caught(copy, root):
    report = spoiled(
        copy,
        root,
        "evidence",
        lambda rows: rows[0].update(start_offset=rows[0]["start_offset"] + 1),
    )
    assert "evidence.parquet row 1" in report
    assert "end_offset - start_offset must equal the length of quote" in report
    assert "quote differs from" in report


def test_dangling_key_and_vocabulary_are_caught(copy, root):
    def spoil(rows):
        rows[0]["speaker_id"] = "act-nobody"
        rows[0]["stance"] = "shrugs"

    report = spoiled(copy, root, "statements", spoil)
    assert "statements.parquet row 1 statement" in report
    assert "speaker_id 'act-nobody' is not an actor id" in report
    assert "stance 'shrugs' must be one of" in report


def test_missing_package_says_what_to_do(tmp_path, root):
    from koreasec_data.compile.package_files import CannotValidate

    with pytest.raises(CannotValidate, match=r"datapackage.json: missing.*koreasec-data download"):
        validate_package(tmp_path, root, say=quiet)


def test_evidence_without_record_and_record_without_evidence_are_caught(copy, root):
    events = pq.read_table(copy / "events.parquet")
    last_event = events.column("event_id")[-1].as_py()

    def repoint(rows):
        for row in rows:  # the event's evidence now cites an event that does not exist
            if row["record_id"] == last_event:
                row["record_id"] = "ev-999-99"
        rows[0]["record_table"] = "rumours"

    report = spoiled(copy, root, "evidence", repoint)
    assert f"event {last_event}: has no evidence row" in report
    assert "record_id 'ev-999-99' is not a record of table 'events'" in report
    assert "evidence.parquet row 1 evidence" in report and "of table 'rumours'" in report
    assert f"events.parquet row {events.num_rows} event {last_event}" in report


def test_long_values_are_cut_short_in_messages(copy, root):
    def spoil(rows):
        rows[0]["stance"] = "x" * 5000
        rows[0]["speaker_id"] = "act-" + "y" * 5000

    report = spoiled(copy, root, "statements", spoil)
    lines = [line for line in report.splitlines() if "xxx" in line or "yyy" in line]
    assert len(lines) == 2 and all(len(line) < 400 for line in lines), lines
    # each still names the column it is about
    columns = sorted(line.split(": ", 1)[1].split(" ", 1)[0] for line in lines)
    assert columns == ["speaker_id", "stance"], lines


def test_a_package_validates_outside_a_checkout_from_the_schemas_it_carries(built, tmp_path):
    """Installed or downloaded packages carry no schemas/ folder and no texts."""
    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "validate", str(built)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "0 source texts" in result.stderr  # no quote check without the texts


def test_a_duplicate_key_is_found_in_any_row_order(built, root):
    """Keys are proved unique cheaply on sorted tables; otherwise pandera finds every
    duplicate, wherever it stands."""
    from koreasec_data.compile.validate import check_across
    from koreasec_data.schemas import load_schemas

    schemas = load_schemas(root / "schemas")
    real = read_back(built)
    assert check_across(real, schemas) == []
    for name, unique in (("events", "event_id"), ("event_actors", None)):
        table = real[name]
        doubled = pa.concat_tables([table, table.slice(0, 1)])  # the first row again, last
        shuffled = doubled.take(list(range(doubled.num_rows))[::-1])
        for spoiled in (doubled, shuffled, doubled.sort_by(schemas[name].primary_key[0])):
            found = check_across({**real, name: spoiled}, schemas)
            rows = sorted({finding.row for finding in found if finding.table == name})
            assert len(rows) == 2 and all(finding.table == name for finding in found)
            expected = "is used by more than one record" if unique else "appears more than once"
            assert all(expected in finding.message for finding in found)


def test_row_checks_of_some_rows_find_what_a_check_of_every_row_finds_there(copy, root):
    from koreasec_data.compile.validate import check_rows
    from koreasec_data.schemas import load_schemas

    schemas = load_schemas(root / "schemas")
    tables = read_back(copy)
    events = tables["events"].to_pylist()
    events[3]["certainty"] = "sure"
    events[5]["size_low"], events[5]["size_best"] = 9, 1
    tables["events"] = pa.Table.from_pylist(events, schema=tables["events"].schema)
    every = {(f.table, f.row, f.message) for f in check_rows(tables, schemas)}
    some = {
        name: pa.array([n for n in (3, 4) if n < table.num_rows], pa.int64())
        for name, table in tables.items()
    }
    assert (
        {(f.table, f.row, f.message) for f in check_rows(tables, schemas, rows=some)}
        == {found for found in every if found[1] in (3, 4)}
        != set()
    )
