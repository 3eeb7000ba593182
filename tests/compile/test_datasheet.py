"""docs/datasheet.md is what the generator writes from the real build."""

from __future__ import annotations

import json

import pyarrow.compute as pc
import pyarrow.parquet as pq

from koreasec_data.compile.datasheet import render_datasheet
from koreasec_data.coverage import coverage


def test_committed_datasheet_is_generated_from_the_build(root, built):
    committed = (root / "docs" / "datasheet.md").read_text(encoding="utf-8")
    assert committed == render_datasheet(built), (
        "docs/datasheet.md is out of date: run 'koreasec-data build && "
        "koreasec-data datasheet build'"
    )


def test_every_section_of_gebru_et_al_is_there_with_the_numbers(built):
    text = render_datasheet(built)
    for section in ("Motivation", "Composition", "Collection process", "Uses", "Maintenance"):
        assert f"## {section}" in text
    found = coverage(built)
    assert f"{sum(found.rows.values())} rows in {len(found.rows)} tables" in text


def test_it_says_where_the_texts_of_this_version_are(built):
    words = " ".join(render_datasheet(built).split())
    version = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert (
        f"the repository's `raw/sources/` at that version's tag (`git checkout v{version}`)"
        in words
    )
    sources = pq.read_table(built / "sources.parquet")
    assert f"wire service ({pc.count(sources.column('wire_service')).as_py()})" in words
