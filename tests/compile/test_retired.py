"""raw/retired.yaml: read, shipped as retired_ids.json, and each id must really be gone."""

from __future__ import annotations

import json

import pytest
from conftest import quiet

from koreasec_data.compile.build import build
from koreasec_data.compile.retired import read_retired
from koreasec_data.problems import ProblemReport
from koreasec_data.release.stability import manifest


def test_the_real_list_reads_without_problems(root):
    entries, problems = read_retired(root / "raw" / "retired.yaml")
    assert problems == []
    assert all({"record_table", "record_id", "retired_in", "reason"} <= set(e) for e in entries)


def test_an_entry_that_is_not_a_mapping_is_reported(tmp_path):
    path = tmp_path / "retired.yaml"
    path.write_text("- just text\n")
    entries, problems = read_retired(path)
    assert entries == [] and [p.where for p in problems] == ["raw/retired.yaml"]


def test_retired_ids_ship_with_the_data_and_must_be_gone(project):
    build(project, say=quiet)
    entries, _ = read_retired(project / "raw" / "retired.yaml")
    shipped = json.loads((project / "build" / "retired_ids.json").read_text())
    assert shipped == json.loads(json.dumps(entries, default=str)) and shipped
    identifier = manifest(project / "build")["arms_deals"][0]
    (project / "raw" / "retired.yaml").write_text(
        f"- record_table: arms_deals\n  record_id: {identifier}\n  retired_in: 0.2.0\n"
        "  reason: test\n"
    )
    with pytest.raises(ProblemReport, match=rf"retired id '{identifier}': is still a record"):
        build(project, say=quiet)


def test_what_replaces_a_retired_id_must_be_a_record_of_its_table(project):
    path = project / "raw" / "retired.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "replaced_by: [ev-000-07]", "replaced_by: [ev-000-99]"
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ProblemReport, match=r"retired id 'ev-000-12': replaced_by \['ev-000-99'\] must be"
    ):
        build(project, say=quiet)
