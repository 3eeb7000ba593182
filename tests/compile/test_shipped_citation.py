"""The CITATION.cff a build ships: the repository's, its abstract the package's description."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import quiet, states_the_coverage

from koreasec_data.compile.build import build
from koreasec_data.compile.shipped_citation import with_abstract
from koreasec_data.coverage import coverage


def test_the_build_states_the_abstract_whatever_the_repository_says(project):
    written = (project / "CITATION.cff").read_text(encoding="utf-8")
    stale = with_abstract(written, "Evidence-backed records, coded from many articles.")
    (project / "CITATION.cff").write_text(stale, encoding="utf-8")
    build(project, say=quiet)
    shipped = yaml.safe_load((project / "build" / "CITATION.cff").read_text(encoding="utf-8"))
    description = json.loads((project / "build" / "datapackage.json").read_text(encoding="utf-8"))
    assert shipped["abstract"] == description["description"]
    states_the_coverage(shipped["abstract"], coverage(project / "build"))
    assert shipped == {**yaml.safe_load(stale), "abstract": shipped["abstract"]}


def test_a_long_abstract_stays_one_folded_value_and_a_file_without_one_is_refused():
    text = "title: T\nabstract: >-\n  Old\n\n  text.\nauthors:\n  - name: G\n"
    abstract = "Word: " * 40 + "end; (a) - b."
    replaced = with_abstract(text, abstract)
    assert yaml.safe_load(replaced) == {
        "title": "T",
        "abstract": " ".join(abstract.split()),
        "authors": [{"name": "G"}],
    }
    assert max(len(line) for line in replaced.splitlines()) <= 88
    with pytest.raises(ValueError, match="no 'abstract:'"):
        with_abstract("title: T\n", abstract)
