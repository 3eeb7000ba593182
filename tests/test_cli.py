"""The koreasec-data command for researchers: info, tables, describe, cite, --help."""

from __future__ import annotations

import subprocess
import sys

import pytest

import koreasec_data
from koreasec_data.commands import COMMANDS


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "koreasec_data", *args], capture_output=True, text=True
    )


def test_version():
    assert run("--version").stdout.strip() == f"koreasec-data {koreasec_data.__version__}"


def test_info_counts_rows_and_columns():
    output = run("info").stdout
    assert f"koreasec-data {koreasec_data.__version__}" in output
    assert "licence: CC-BY-4.0" in output
    events = koreasec_data.load("events")
    assert f"events{len(events):>19} rows {len(events.columns):>3} columns" in output


def test_tables():
    assert run("tables").stdout.split() == koreasec_data.tables()


def test_describe_and_unknown_table():
    assert "contested: Asserted by some actors" in run("describe", "events").stdout
    result = run("describe", "evnets")
    assert result.returncode == 2
    assert "The tables are: sources" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("style", ["bibtex", "apa", "cff"])
def test_cite(style):
    assert run("cite", "--style", style).stdout.strip() == koreasec_data.cite(style).strip()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "example:\n  koreasec-data " in result.stdout


def test_info_into_a_closed_pipe_ends_quietly():
    """`koreasec-data info | head -3`: the reader stops early; no error is printed."""
    command = f"{sys.executable} -m koreasec_data info | head -3"
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == ""


def test_download_of_the_installed_version_copies_it_with_either_spelling(tmp_path):
    for spelling in (koreasec_data.__version__, f"v{koreasec_data.__version__}"):
        dest = tmp_path / spelling
        result = run("download", "--version", spelling, "--dest", str(dest))
        assert result.returncode == 0, result.stderr
        assert (dest / "events.parquet").read_bytes() == (
            koreasec_data.data_dir() / "events.parquet"
        ).read_bytes()


def test_download_error_is_a_public_name():
    from koreasec_data import DownloadError

    assert issubclass(DownloadError, Exception) and "DownloadError" in dir(koreasec_data)


def test_describe_help_lists_the_tables_and_defaults_are_stated():
    assert ", ".join(koreasec_data.tables()) in " ".join(run("describe", "--help").stdout.split())
    assert "default: build" in run("validate", "--help").stdout
    assert "default: releases" in run("release", "--help").stdout


def test_a_package_that_is_neither_a_folder_nor_a_version_is_named(tmp_path):
    for command in (
        ("report", "bild", "--dest", str(tmp_path / "site")),
        ("diff", "bild", "build"),
    ):
        result = run(*command)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert "neither a folder here nor a version (X.Y.Z)" in result.stderr
    assert not (tmp_path / "site").exists()
