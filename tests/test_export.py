"""Every export read back by real readers (pandas, Stata's reader, R, DuckDB, frictionless),
and every export folder saying which version it is, what it covers and how to cite it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import koreasec_data
from koreasec_data.coverage import coverage
from koreasec_data.export import FORMATS, export
from koreasec_data.hashes import file_sha256
from koreasec_data.provenance import SQL_SCRIPT

EXTENSIONS = {"csv": "csv", "stata": "dta", "parquet": "parquet", "sql": "parquet"}


def words(text: str) -> str:
    return " ".join(text.split())


def test_csv_reads_back_with_lists_as_json(built, exports):
    actors = pd.read_csv(exports / "csv" / "actors.csv", encoding="utf-8")
    loaded = koreasec_data.load("actors", directory=built)
    assert len(actors) == len(loaded)
    assert [json.loads(a) for a in actors["aliases"]] == [list(a) for a in loaded["aliases"]]
    events = pd.read_csv(exports / "csv" / "events.csv", parse_dates=["date"])
    assert events["date"].dropna().min() >= pd.Timestamp("2022-01-01")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_folder_says_its_version_coverage_and_citation(fmt, built, exports):
    folder, version = exports / fmt, koreasec_data.__version__
    tables = koreasec_data.tables(built)
    data = {f"{name}.{EXTENSIONS[fmt]}" for name in tables}
    provenance = {"CITATION.cff", "README.md", "codebook.md", "datapackage.json"}
    extra = {SQL_SCRIPT} if fmt == "sql" else set()
    assert {path.name for path in folder.iterdir()} == data | provenance | extra
    assert (folder / "CITATION.cff").read_bytes() == (built / "CITATION.cff").read_bytes()
    summary = coverage(built).summary()
    assert "pilot" in summary
    apa = koreasec_data.cite("apa", directory=built)
    for name in ("README.md", "codebook.md", *extra):
        text = words((folder / name).read_text(encoding="utf-8").replace("-- ", ""))
        assert f"koreasec-data {version}" in text or f"Version {version}" in text, name
        assert words(summary) in text and words(apa) in text, name
    codebook = (folder / "codebook.md").read_text(encoding="utf-8")
    for name in tables:
        assert f"## `{name}`" in codebook
        columns = koreasec_data.describe(name, directory=built).index
        assert all(f"| `{column}` |" in codebook for column in columns)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == version
    assert [resource["name"] for resource in descriptor["resources"]] == tables
    listed = [*descriptor["resources"], *([descriptor["koreasec:script"]] if extra else [])]
    assert {item["path"] for item in listed} == data | extra
    for item in listed:
        assert item["hash"] == f"sha256:{file_sha256(folder / item['path'])}"


def test_the_csv_export_is_a_valid_frictionless_package_with_the_schemas(built, exports):
    import frictionless

    folder = exports / "csv"
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(folder / "datapackage.json"))
    for name in koreasec_data.tables(built):
        stored = koreasec_data.loader.stored_schema(name, built)
        schema = package.get_resource(name).schema
        assert schema.primary_key == list(stored.primary_key)
        assert len(schema.foreign_keys) == len(stored.foreign_keys)
        for field in stored.fields:
            declared = schema.get_field(field.name)
            assert declared.type == field.type
            assert declared.constraints.get("enum") == field.enum


def test_frictionless_finds_a_changed_csv_export(exports, tmp_path):
    import frictionless

    folder = shutil.copytree(exports / "csv", tmp_path / "csv")
    events = folder / "events.csv"
    frame = pd.read_csv(events, dtype=str, keep_default_na=False)
    frame.loc[0, "certainty"] = "rumoured"  # in no vocabulary
    frame.to_csv(events, index=False)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid  # the hash no longer matches
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "events":
            resource["hash"] = f"sha256:{file_sha256(events)}"
            resource["bytes"] = events.stat().st_size
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    errors = report.flatten(["fieldName", "type"])
    assert errors == [["certainty", "constraint-error"]]


def test_stata_carries_the_version_and_labels_cut_at_a_word(built, exports):
    for name in koreasec_data.tables(built):
        path = exports / "stata" / f"{name}.dta"
        with pd.io.stata.StataReader(path) as reader:
            label, labels = reader.data_label, reader.variable_labels()
        assert label == f"koreasec-data {koreasec_data.__version__}: {name}"
        for field in koreasec_data.loader.stored_schema(name, built).fields:
            text, description = labels[field.name], field.description
            assert len(text) <= 80
            if text != description:
                stem = text.removesuffix("…")
                assert text.endswith("…") and description.startswith(stem), text
                assert not description[len(stem)].isalnum(), f"{text!r} cuts a word"
    with pd.io.stata.StataReader(exports / "stata" / "events.dta") as reader:
        values = reader.value_labels()
    enum = koreasec_data.loader.stored_schema("events", built).field("certainty").enum
    assert set(values["certainty"].values()) <= set(enum)
    events = pd.read_stata(exports / "stata" / "events.dta")
    loaded = koreasec_data.load("events", directory=built)
    assert list(events["event_id"]) == list(loaded["event_id"])
    assert str(events["date"].dtype).startswith("datetime64")
    evidence = pd.read_stata(exports / "stata" / "evidence.dta")  # long quotes as strL
    assert list(evidence["quote"]) == list(koreasec_data.load("evidence", directory=built)["quote"])


def test_the_sql_export_moved_and_zipped_still_runs_in_duckdb(built, exports, tmp_path):
    import duckdb

    moved = shutil.copytree(exports / "sql", tmp_path / "moved" / "sql")
    archive = shutil.make_archive(str(tmp_path / "sql"), "zip", moved)
    shutil.rmtree(moved)
    unpacked = tmp_path / "elsewhere"
    shutil.unpack_archive(archive, unpacked)
    script = (unpacked / SQL_SCRIPT).read_text(encoding="utf-8")
    assert str(built) not in script and str(exports) not in script
    connection = duckdb.connect()  # as README.md says, from another working directory
    connection.execute(f"SET file_search_path = '{unpacked}'")
    connection.execute(script)
    for name in koreasec_data.tables(built):
        rows = connection.sql(f"select * from {name}").to_arrow_table().to_pylist()
        assert rows == koreasec_data.load(name, backend="arrow", directory=built).to_pylist()
    comments = dict(
        connection.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'events'"
        ).fetchall()
    )
    schema = koreasec_data.loader.stored_schema("events", built)
    assert comments == {field.name: field.description for field in schema.fields}


def test_an_export_replaces_an_earlier_one_and_refuses_other_files(built, tmp_path, monkeypatch):
    dest = tmp_path / "out"
    export("csv", dest, directory=built)
    export("stata", dest, directory=built)
    assert not list(dest.glob("*.csv")) and (dest / "events.dta").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    with pytest.raises(ValueError, match="no koreasec-data export wrote"):
        export("csv", mine, directory=built)
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    with pytest.raises(ValueError, match="holds the current folder"):
        export("csv", ".", directory=built)
    assert here.is_dir() and not list(here.iterdir())


def test_csv_lines_end_in_lf_where_the_platform_ends_them_in_crlf(built, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "linesep", "\r\n")
    export("csv", tmp_path / "out", directory=built)
    for path in (tmp_path / "out").glob("*.csv"):
        assert b"\r\n" not in path.read_bytes(), path.name


def test_a_failed_export_leaves_the_earlier_one_whole(built, tmp_path):
    damaged = shutil.copytree(built, tmp_path / "damaged")
    (damaged / "events.parquet").write_bytes(b"not parquet")
    dest = tmp_path / "out"
    export("csv", dest, directory=built)
    before = {path.name: path.read_bytes() for path in dest.iterdir()}
    with pytest.raises(koreasec_data.loader.DamagedPackageError):
        export("csv", dest, directory=damaged)
    assert {path.name: path.read_bytes() for path in dest.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir()] == ["damaged", "out"]


def test_the_export_command(tmp_path):
    command = [sys.executable, "-m", "koreasec_data", "export", "--format", "parquet"]
    result = subprocess.run([*command, "--dest", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "datapackage.json").is_file() and (tmp_path / "events.parquet").is_file()
    assert str(tmp_path / "README.md") in result.stdout
    (tmp_path / "notes.txt").touch()  # now a folder with a file no export wrote
    (tmp_path / "codebook.md").unlink()
    result = subprocess.run([*command, "--dest", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "export to a new or empty folder" in result.stderr


def test_r_reads_the_csv_and_joins_two_tables(exports):
    if shutil.which("Rscript") is None:  # .ci/run installs R and requires this test
        message = "R is not installed: apt-get install r-base-core"
        if os.environ.get("KOREASEC_TEST_R") == "required":
            pytest.fail(message)
        pytest.skip(message)
    folder = exports / "csv"
    script = (
        f"s <- read.csv('{folder}/statements.csv'); a <- read.csv('{folder}/actors.csv');"
        "m <- merge(s, a, by.x='speaker_id', by.y='actor_id'); cat(nrow(m))"
    )
    result = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    assert result.returncode == 0 and int(result.stdout) > 0


def test_a_wrong_argument_type_is_a_type_error_naming_it(tmp_path):
    with pytest.raises(TypeError, match=r"\(dest=.*\): dest must be a "):
        export("csv", 3)
    with pytest.raises(TypeError, match=r"\(fmt=.*\): fmt must be a "):
        export(["csv"], tmp_path)
    assert not any(tmp_path.iterdir())
