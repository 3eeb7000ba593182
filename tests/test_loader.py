"""The researchers' API: tables, load in three backends, describe, package."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import koreasec_data
from koreasec_data.schemas import load_schemas


def test_tables_in_package_order(built, root):
    assert koreasec_data.tables(built) == list(load_schemas(root / "schemas"))


def test_installed_data_is_this_version():
    from koreasec_data.loader import read_descriptor

    assert read_descriptor(None)["version"] == koreasec_data.__version__


def test_pandas_dtypes(built):
    events = koreasec_data.load("events", directory=built)
    assert events["date"].dtype == pd.ArrowDtype(pa.date32())
    assert events["event_id"].dtype == pd.ArrowDtype(pa.string())
    deals = koreasec_data.load("arms_deals", directory=built)
    assert deals["quantity"].dtype == pd.ArrowDtype(pa.int64())  # nullable integers
    actors = koreasec_data.load("actors", directory=built)
    assert all(isinstance(aliases, list) for aliases in actors["aliases"])
    assert actors.index.equals(pd.RangeIndex(len(actors)))


def test_arrow_and_polars_read_the_same_rows(built):
    arrow = koreasec_data.load("statements", backend="arrow", directory=built)
    assert arrow.equals(pq.read_table(built / "statements.parquet"))
    frame = koreasec_data.load("statements", backend="polars", directory=built)
    assert frame.height == arrow.num_rows
    assert frame["statement_id"].to_list() == arrow.column("statement_id").to_pylist()


def test_directory_may_be_a_string(built):
    assert koreasec_data.tables(str(built)) == koreasec_data.tables(built)
    assert len(koreasec_data.load("events", directory=str(built))) > 0


def test_unknown_table_lists_the_valid_ones(built):
    with pytest.raises(
        ValueError, match=r"Unknown table 'evnets'\. The tables are: sources, actors"
    ):
        koreasec_data.load("evnets", directory=built)


def test_unknown_backend(built):
    with pytest.raises(ValueError, match="choose one of pandas, arrow, polars"):
        koreasec_data.load("events", backend="spark", directory=built)


def test_polars_missing_gives_the_install_command(built, monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match=r"pip install 'koreasec-data\[polars\]'"):
        koreasec_data.load("events", backend="polars", directory=built)


def test_describe_comes_from_the_schema(built, root):
    schema = load_schemas(root / "schemas")["statements"]
    described = koreasec_data.describe("statements", directory=built)
    assert list(described.index) == schema.names
    assert list(described.loc["stance", "values"]) == schema.field("stance").enum


def test_package_is_a_frictionless_package(built):
    package = koreasec_data.package(built)
    assert package.resource_names == koreasec_data.tables(built)


def test_import_is_light():
    code = (
        "import sys, koreasec_data; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'frictionless', 'pandera', 'yaml') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_missing_data_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a built koreasec-data package"):
        koreasec_data.tables(tmp_path)
