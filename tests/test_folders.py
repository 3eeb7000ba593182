"""A folder written whole or not at all."""

from __future__ import annotations

import os

import pytest
from conftest import tree_digest

from koreasec_data.folders import write_atomically


def test_failed_write_leaves_previous_build_and_no_temporary(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "keep.txt").write_text("previous")

    def half_write(directory):
        (directory / "events.parquet").write_bytes(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(out, half_write)
    assert tree_digest(out) == {"keep.txt": tree_digest(out)["keep.txt"]}
    assert sorted(os.listdir(tmp_path)) == ["build"]


def test_successful_write_replaces_whole_directory(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "stale.parquet").write_text("old")
    write_atomically(out, lambda directory: (directory / "new.txt").write_text("new"))
    assert sorted(os.listdir(out)) == ["new.txt"]
    assert sorted(os.listdir(tmp_path)) == ["build"]
