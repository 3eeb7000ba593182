"""The texts PyPI, Zenodo and readers of the code see say what the data is: each committed
one is what ``python -m koreasec_data.release.travelling`` writes from the real build."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from conftest import states_the_coverage

import koreasec_data
from koreasec_data.coverage import coverage
from koreasec_data.release.travelling import FILES, main, travelling_texts

REGENERATE = "run 'koreasec-data build && python -m koreasec_data.release.travelling'"


@pytest.mark.parametrize("name", FILES)
def test_committed_text_is_the_one_generated_from_the_build(root, built, name):
    committed = (root / name).read_text(encoding="utf-8")
    assert committed == travelling_texts(root, built)[name], f"{name} has drifted: {REGENERATE}"


def test_each_says_it_is_a_pilot_and_its_coverage(root, built):
    found = coverage(built)
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    for text in (citation["abstract"], zenodo["description"], koreasec_data.__doc__):
        states_the_coverage(text, found)
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    summary = json.loads(re.search(r'^description = (".*")$', pyproject, re.MULTILINE)[1])
    assert summary == found.one_line() and len(summary) <= 200
    assert summary.startswith(f"Pilot dataset hand-coded from {found.articles} news articles")
    assert found.dates in summary and "supports no counts" in summary


def test_the_command_rewrites_a_drifted_text_and_nothing_else(
    root, built, tmp_path, monkeypatch, capsys
):
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, tmp_path / name)
    stale = (tmp_path / "pyproject.toml").read_text().replace("Pilot dataset", "Dataset", 1)
    (tmp_path / "pyproject.toml").write_text(stale)
    monkeypatch.chdir(tmp_path)
    main([str(built)])
    said = capsys.readouterr().out.splitlines()
    assert said == [f"rewrote pyproject.toml from the coverage of {built}"]
    assert all((tmp_path / n).read_bytes() == (root / n).read_bytes() for n in FILES)
