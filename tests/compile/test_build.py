"""The build on the real raw/: every table, determinism, atomicity."""

from __future__ import annotations

import json

import pytest
from conftest import quiet, tree_digest

from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport
from koreasec_data.schemas import load_schemas


def test_every_table_is_built_and_non_empty(tables, root):
    assert list(load_schemas(root / "schemas")) == [
        name for name in json.loads((root / "schemas" / "package.json").read_text())["resources"]
    ]
    for name in load_schemas(root / "schemas"):
        assert tables[name].num_rows > 0, f"{name} is empty"


def test_two_builds_are_byte_identical(root, built, tmp_path):
    again = tmp_path / "again"
    build(root, again, say=quiet)
    assert tree_digest(again) == tree_digest(built)


def test_created_comes_from_source_date_epoch(root, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root, tmp_path / "b", say=quiet)
    descriptor = json.loads((tmp_path / "b" / "datapackage.json").read_text())
    assert descriptor["created"] == "2023-11-14T22:13:20Z"


def test_created_defaults_to_release_date(built, root):
    import yaml

    released = yaml.safe_load((root / "CITATION.cff").read_text())["date-released"]
    descriptor = json.loads((built / "datapackage.json").read_text())
    assert descriptor["created"] == f"{released.isoformat()}T00:00:00Z"


def test_the_build_never_replaces_a_folder_of_other_files(root, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter.tex").write_text("mine")
    with pytest.raises(ProblemReport, match=r"not a built package.*choose a new or empty folder"):
        build(root, out, say=quiet)
    assert [path.name for path in out.iterdir()] == ["chapter.tex"]
    build(root, tmp_path / "empty", say=quiet)
    build(root, tmp_path / "empty", say=quiet)  # a built package is replaced


def _slow_parquet(monkeypatch, written: list[str]):
    """Make every Parquet file take 0.1 s more to write, recording each one written."""
    import time

    import pyarrow.parquet as pq

    real = pq.write_table

    def write_table(table, where, **options):
        time.sleep(0.1)
        real(table, where, **options)
        written.append(where.name)

    monkeypatch.setattr(pq, "write_table", write_table)


def test_the_parquet_written_while_checking_is_kept_only_if_every_check_passes(
    project, monkeypatch
):
    """The tables are written beside the checks: a build with a problem has finished
    writing when it raises, and leaves the previous build and no other folder."""
    written: list[str] = []
    _slow_parquet(monkeypatch, written)
    before, around = tree_digest(project / "build"), sorted(p.name for p in project.iterdir())
    events = project / "raw" / "articles" / "000.yaml"
    events.write_text(events.read_text().replace("type: ", "type: no-such-type-", 1))
    with pytest.raises(ProblemReport, match="no-such-type-"):
        build(project, say=quiet)
    assert len(written) == len(load_schemas(project / "schemas"))  # none still writing
    assert tree_digest(project / "build") == before
    assert sorted(p.name for p in project.iterdir()) == around
    written.clear()
    events.write_text(events.read_text().replace("no-such-type-", "", 1))
    build(project, say=quiet)
    assert tree_digest(project / "build") == before  # the same raw/: the same bytes


def test_the_actors_get_their_states_whichever_table_is_sorted_beside(root, tables):
    """The largest table is sorted by a second thread: were it the actors' (a corpus of
    actors alone), their states are derived as when another table is the largest."""
    from koreasec_data.compile.build import _sorting
    from koreasec_data.compile.raw import read_raw

    schemas = load_schemas(root / "schemas")
    builders = read_raw(root, schemas, None, 1).builders
    alone = _sorting({"actors": builders["actors"]}, ["actors"])["actors"].result(60)[0]
    states = alone.column("state_id")
    assert states.null_count < len(states)
    assert states.equals(tables["actors"].column("state_id"))
