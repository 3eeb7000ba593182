"""The benchmark corpus generator: same seed, same bytes; and the real build accepts it."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from conftest import quiet, tree_digest

from benchmarks.generate import generate
from koreasec_data.build import build
from koreasec_data.validate import validate_package

ARTICLES = 3


def test_generated_corpus_builds_and_validates(tmp_path):
    root = generate(tmp_path / "corpus", ARTICLES, seed=7)
    descriptor = build(root, root / "build", say=quiet)
    validate_package(root / "build", root, say=quiet)
    rows = {
        resource["name"]: pq.read_metadata(root / "build" / resource["path"]).num_rows
        for resource in descriptor["resources"]
    }
    assert rows["sources"] == ARTICLES
    assert all(count > 0 for count in rows.values()), rows


def test_generator_is_deterministic(tmp_path):
    first = tree_digest(generate(tmp_path / "a", ARTICLES, seed=7) / "raw")
    again = tree_digest(generate(tmp_path / "b", ARTICLES, seed=7) / "raw")
    other = tree_digest(generate(tmp_path / "c", ARTICLES, seed=8) / "raw")
    assert first == again
    assert first != other
    assert len(first) == 2 * ARTICLES + 1  # texts, article files, actors.yaml


def test_generator_never_writes_over_a_raw_tree(tmp_path):
    generate(tmp_path, 1, seed=7)
    with pytest.raises(FileExistsError):
        generate(tmp_path, 1, seed=7)
