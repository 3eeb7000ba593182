"""Articles read by a pool of processes: the same results, in the order of the files."""

from __future__ import annotations

from conftest import quiet, tree_digest

from koreasec_data.compile.build import build
from koreasec_data.compile.cache import BuildCache, inputs_digest
from koreasec_data.compile.parallel import (
    MIN_ARTICLES_PER_PROCESS,
    CachedRun,
    article_results,
    processes_for,
)
from koreasec_data.schemas import load_schemas


def test_a_pool_builds_the_bytes_of_one_process(root, built, tmp_path):
    build(root, tmp_path / "pool", say=quiet, workers=2)
    assert tree_digest(tmp_path / "pool") == tree_digest(built)


def test_a_pool_filling_the_cache_builds_the_same_bytes(root, built, tmp_path):
    for run in ("filled", "reused"):
        build(root, tmp_path / run, say=quiet, workers=2, cache=tmp_path / "cache")
        assert tree_digest(tmp_path / run) == tree_digest(built)


def test_results_come_in_file_order_whoever_read_them(root, tmp_path):
    schemas = load_schemas(root / "schemas")
    paths = sorted((root / "raw" / "articles").glob("*.yaml"))
    files = [path.relative_to(root).as_posix() for path in paths]
    cache = BuildCache(tmp_path / "cache", inputs_digest(root / "schemas"))
    for workers in (2, 1):
        results = list(article_results(root, schemas, paths, cache, workers))
        assert [result.file for _, result in results] == files
        assert all(key and result.sources and result.batches for key, result in results)
    build(root, tmp_path / "out", say=quiet, cache=cache.directory)  # writes the pack
    (run,) = article_results(root, schemas, paths, cache, 2)
    assert isinstance(run, CachedRun) and [p.result.file for p in run.articles] == files


def test_small_corpora_are_read_in_this_process_unless_told():
    assert processes_for(MIN_ARTICLES_PER_PROCESS - 1, None) == 1
    assert 1 <= processes_for(100 * MIN_ARTICLES_PER_PROCESS, None) <= 100
    assert processes_for(2, 8) == 2 and processes_for(5, 0) == 1
