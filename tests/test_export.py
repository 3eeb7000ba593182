"""CSV and Stata files for people who do not use Python, read back by real readers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import koreasec_data
from koreasec_data.export import export
from koreasec_data.schemas import load_schemas


def test_csv_reads_back_with_lists_as_json(built, tmp_path):
    files = export("csv", tmp_path, directory=built)
    assert sorted(p.stem for p in files) == sorted(koreasec_data.tables(built))
    actors = pd.read_csv(tmp_path / "actors.csv", encoding="utf-8")
    loaded = koreasec_data.load("actors", directory=built)
    assert len(actors) == len(loaded)
    assert [json.loads(a) for a in actors["aliases"]] == [list(a) for a in loaded["aliases"]]
    events = pd.read_csv(tmp_path / "events.csv", parse_dates=["date"])
    assert events["date"].dropna().min() >= pd.Timestamp("2022-01-01")


def test_stata_carries_variable_and_value_labels(built, tmp_path):
    export("stata", tmp_path, directory=built)
    with pd.io.stata.StataReader(tmp_path / "events.dta") as reader:
        labels, values = reader.variable_labels(), reader.value_labels()
    schema = load_schemas(koreasec_data.schemas.repository_schema_dir())["events"]
    assert labels["certainty"] == schema.field("certainty").description[:80]
    assert set(values["certainty"].values()) <= set(schema.field("certainty").enum)
    events = pd.read_stata(tmp_path / "events.dta")
    loaded = koreasec_data.load("events", directory=built)
    assert list(events["event_id"]) == list(loaded["event_id"])
    assert str(events["date"].dtype).startswith("datetime64")
    evidence = pd.read_stata(tmp_path / "evidence.dta")  # long quotes as strL
    assert list(evidence["quote"]) == list(koreasec_data.load("evidence", directory=built)["quote"])


def test_the_export_command(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "koreasec_data",
            "export",
            "--format",
            "parquet",
            "--dest",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "datapackage.json").is_file() and (tmp_path / "events.parquet").is_file()


def test_r_reads_the_csv_and_joins_two_tables(built, tmp_path):
    if shutil.which("Rscript") is None:  # .ci/run installs R and requires this test
        message = "R is not installed: apt-get install r-base-core"
        if os.environ.get("KOREASEC_TEST_R") == "required":
            pytest.fail(message)
        pytest.skip(message)
    export("csv", tmp_path, directory=built)
    script = (
        f"s <- read.csv('{tmp_path}/statements.csv'); a <- read.csv('{tmp_path}/actors.csv');"
        "m <- merge(s, a, by.x='speaker_id', by.y='actor_id'); cat(nrow(m))"
    )
    result = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    assert result.returncode == 0 and int(result.stdout) > 0


def test_duckdb_shows_every_description_after_the_sql_script(built, tmp_path):
    import duckdb

    (script,) = export("sql", tmp_path, directory=built)
    connection = duckdb.connect()
    connection.execute(script.read_text(encoding="utf-8"))
    comments = dict(
        connection.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'events'"
        ).fetchall()
    )
    schema = load_schemas(koreasec_data.schemas.repository_schema_dir())["events"]
    assert comments == {field.name: field.description for field in schema.fields}
    assert connection.execute("select count(*) from events").fetchone()[0] == len(
        koreasec_data.load("events", directory=built)
    )
