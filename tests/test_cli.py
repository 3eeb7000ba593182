"""The koreasec-data command for researchers: info, tables, describe, cite, --help."""

from __future__ import annotations

import os
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
    assert result.stderr == "koreasec-data: unknown table 'evnets'; did you mean 'events'?\n"


@pytest.mark.parametrize("style", ["bibtex", "apa", "cff"])
def test_cite(style):
    assert run("cite", "--style", style).stdout.strip() == koreasec_data.cite(style).strip()


@pytest.mark.parametrize("style", ["APA", "BibTeX"])
def test_cite_style_in_any_case(style):
    result = run("cite", "--style", style)
    assert result.stdout.strip() == koreasec_data.cite(style.lower()).strip()


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
        assert "bild is not a built package (no datapackage.json) nor a version" in result.stderr
    assert not (tmp_path / "site").exists()


def test_info_into_a_pipe_closed_before_it_writes_ends_quietly():
    """`koreasec-data info | true`: the reader is gone before the output is flushed
    (stdout buffered, as it is into a pipe unless PYTHONUNBUFFERED is set)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    read, write = os.pipe()
    os.close(read)
    try:
        command = [sys.executable, "-m", "koreasec_data", "info"]
        result = subprocess.run(command, stdout=write, stderr=subprocess.PIPE, env=env)
    finally:
        os.close(write)
    assert result.returncode == 0
    assert result.stderr == b""  # no "Exception ignored ... BrokenPipeError"


@pytest.mark.parametrize(
    "command",
    [("build",), ("datasheet",), ("report", "build", "--dest", "site")],
)
def test_curator_commands_outside_a_checkout_say_they_need_one(command, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "checkout of the repository (git clone https://" in result.stderr
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_datasheet_to_stdout(tmp_path):
    from koreasec_data.compile.datasheet import render_datasheet

    directory = koreasec_data.data_dir()
    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "datasheet", str(directory), "--out", "-"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_datasheet(directory)
    assert list(tmp_path.iterdir()) == []
