"""The researchers' API: tables, load in three backends, describe, package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import koreasec_data
from koreasec_data.loader import DamagedPackageError
from koreasec_data.schemas import load_schemas


def test_tables_in_package_order(built, root):
    assert koreasec_data.tables(built) == list(load_schemas(root / "schemas"))


def test_installed_data_is_this_version():
    from koreasec_data.loader import read_descriptor

    assert read_descriptor(None)["version"] == koreasec_data.__version__


def test_arrow_types(built):
    events = koreasec_data.load("events", directory=built, types="arrow")
    assert events["date"].dtype == pd.ArrowDtype(pa.date32())
    assert events["event_id"].dtype == pd.ArrowDtype(pa.string())
    deals = koreasec_data.load("arms_deals", directory=built, types="arrow")
    assert deals["quantity"].dtype == pd.ArrowDtype(pa.int64())  # nullable integers
    actors = koreasec_data.load("actors", directory=built, types="arrow")
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


def test_a_mistyped_table_gets_the_closest_name_everywhere(built):
    message = "^unknown table 'evnets'; did you mean 'events'\\?$"
    for call in (koreasec_data.load, koreasec_data.describe, koreasec_data.loader.table_file):
        with pytest.raises(ValueError, match=message):
            call("evnets", directory=built)
    with pytest.raises(ValueError, match=message):
        koreasec_data.evidence_for("ev-000-01", table="evnets", directory=built)


def test_an_unknown_table_with_no_close_name_lists_the_valid_ones(built):
    with pytest.raises(ValueError, match=r"unknown table 'penguins'; choose one of: sources, "):
        koreasec_data.load("penguins", directory=built)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: koreasec_data.load("events", version=2), "version"),
        (lambda: koreasec_data.load(["events"]), "name"),
        (lambda: koreasec_data.load("events", backend=None), "backend"),
        (lambda: koreasec_data.describe("events", directory=3.5), "directory"),
        (lambda: koreasec_data.tables(1), "directory"),
        (lambda: koreasec_data.evidence_for(7), "record"),
        (lambda: koreasec_data.cite(style=1), "style"),
        (lambda: koreasec_data.cite(version=0.2), "version"),
    ],
)
def test_a_wrong_argument_type_is_a_type_error_naming_it(call, argument):
    with pytest.raises(TypeError, match=rf"\({argument}=.*\): {argument} must be a "):
        call()


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


@pytest.fixture
def package(built, tmp_path):
    target = tmp_path / "package"
    shutil.copytree(built, target)
    return target


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: shutil.copy(p / "statements.parquet", p / "events.parquet"), "bytes, not"),
        (lambda p: (p / "events.parquet").unlink(), "missing"),
        (lambda p: (p / "events.parquet").write_bytes(b""), "bytes, not"),
    ],
)
def test_a_damaged_file_is_named_with_how_to_repair_it(package, damage, reason):
    damage(package)
    for backend in ("pandas", "arrow", "polars"):
        with pytest.raises(DamagedPackageError, match=reason) as caught:
            koreasec_data.load("events", backend=backend, directory=package)
        assert str(package / "events.parquet") in str(caught.value)
        assert "reinstall" in str(caught.value)
    with pytest.raises(DamagedPackageError):
        koreasec_data.describe("events", directory=package)


def test_another_tables_file_of_the_same_size_is_caught(package):
    """Sizes differ here; make them equal to test the column check on its own."""
    descriptor = json.loads((package / "datapackage.json").read_text())
    shutil.copy(package / "statements.parquet", package / "events.parquet")
    for resource in descriptor["resources"]:
        if resource["name"] == "events":
            resource["koreasec:bytes"] = (package / "events.parquet").stat().st_size
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(DamagedPackageError, match="its columns are not those of events"):
        koreasec_data.load("events", directory=package)


def test_a_flipped_byte_inside_a_file_is_reported_as_damage(package):
    path = package / "evidence.parquet"
    data = bytearray(path.read_bytes())
    for offset in range(100, len(data) - 2000, 7):  # data pages, not the footer
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedPackageError, match=r"evidence\.parquet is damaged"):
        koreasec_data.load("evidence", backend="arrow", directory=package)


def test_the_default_numpy_types_serve_pandas_time_series_and_grouping_idioms(built):
    events = koreasec_data.load("events", directory=built)
    assert str(events["date"].dtype).startswith("datetime64")
    dated = events.dropna(subset=["date"])
    recent = dated[dated["date"] >= "2024-10-01"]
    assert len(recent) == (dated["date"] >= pd.Timestamp("2024-10-01")).sum() > 0
    assert set(dated["date"].dt.to_period("M").astype(str)) >= {"2024-10"}
    monthly = dated.set_index("date").resample("MS").size()
    assert monthly.sum() == len(dated)
    assert dated.groupby(pd.Grouper(key="date", freq="MS")).size().sum() == len(dated)
    schema = load_schemas(koreasec_data.schemas.repository_schema_dir())["events"]
    certainty = events["certainty"]
    assert list(certainty.cat.categories) == schema.field("certainty").enum
    actors = koreasec_data.load("actors", directory=built, types="numpy")
    assert str(actors["cow_code"].dtype) == "Int64"
    assert actors["cow_code"].dropna().astype(int).min() > 0


def test_arrow_types_keep_dates_as_days_and_compare_with_dates(built):
    import datetime as dt

    events = koreasec_data.load("events", directory=built, types="arrow")
    dated = events.dropna(subset=["date"])
    assert (dated["date"] >= dt.date(2024, 10, 1)).sum() > 0
    assert set(dated["date"].dt.month) >= {10}


def test_types_are_for_the_pandas_backend(built):
    for types in ("numpy", "arrow"):
        with pytest.raises(ValueError, match=f"types='{types}'"):
            koreasec_data.load("events", backend="arrow", directory=built, types=types)
    with pytest.raises(ValueError, match="choose 'numpy' or 'arrow'"):
        koreasec_data.load("events", directory=built, types="python")
