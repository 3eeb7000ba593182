"""The benchmarks: the generator (same seed, same bytes; the build accepts it) and a tiny run."""

from __future__ import annotations

import json
import os
import sys

import pyarrow.parquet as pq
import pytest
from conftest import quiet, tree_digest

from benchmarks.generate import generate
from koreasec_data.compile.build import build
from koreasec_data.compile.validate import validate_package

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
    # every table of records is generated; a corpus has no second annotation to compare
    empty = {name for name, count in rows.items() if count == 0}
    assert empty == {"agreement", "disagreements"}, rows


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


def test_a_tiny_benchmark_run_measures_every_stage_and_reports_every_goal(tmp_path, capsys):
    from benchmarks.report import STAGES
    from benchmarks.run import main

    results = tmp_path / "results.json"
    main(["--sizes", "2", "--repeat", "1", "--workdir", str(tmp_path), "--json", str(results)])
    report = capsys.readouterr().out
    (size,) = json.loads(results.read_text())["sizes"]
    built = pq.read_metadata(tmp_path / "n2" / "build" / "evidence.parquet").num_rows
    assert size["articles"] == 2 and size["rows"] > built > 0
    assert set(STAGES) <= set(size["cpu"]) and all(value >= 0 for value in size["cpu"].values())
    assert size["arrow_bytes"] > 0 and size["rss_peak"] >= size["rss_base"] > 0
    assert size["frictionless"]["valid"] and size["validate"]["total_cpu"] > 0
    assert set(size["load"]) >= {
        "load_arrow",
        "read_table",
        "load_pandas",
        "read_parquet",
        "read_parquet_arrow",
    }
    for heading in (
        "Build, CPU seconds by stage",
        "Builds with a process per core, and with the build cache",
        "Validation of the built package",
        "Loading",
        "Import time",
    ):
        assert heading in report
    assert "is set at 20,000 articles: --full)" in report  # not MISSED at 2
    reuse = size["reuse"]
    assert reuse["same"] == {"parallel": True, "cold": True, "incremental": True}
    assert all(run["tree_peak"] >= run["rss_peak"] > 0 for run in reuse["parallel"])
    for run in reuse["parallel"]:  # the processes summed at the tree's peak, each once
        pids = [pid for pid, _ in run["tree_at_peak"]]
        assert len(set(pids)) == len(pids) >= 1
        assert sum(rss for _, rss in run["tree_at_peak"]) <= run["tree_peak"]
        assert 0 <= run["tree_peak_after"] <= run["total"] + 1


@pytest.mark.skipif(sys.platform == "win32", reason="os.fork: POSIX only")
def test_the_tree_memory_counts_a_page_shared_with_a_forked_child_once():
    from benchmarks.measure import _tree_memory

    held = b"x" * (256 << 20)  # written, so resident: shared with the child until it exits
    before = sum(size for _, size in _tree_memory(os.getpid()))
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # as a process between fork and exec: the parent's pages, nothing else
        os.read(read_end, 1)
        os._exit(0)
    try:
        processes = dict(_tree_memory(os.getpid()))
    finally:
        os.write(write_end, b"x")
        os.waitpid(child, 0)
    assert child in processes and len(held) == 256 << 20
    assert sum(processes.values()) < before + (64 << 20)  # a sum of RSS: before + 256 MiB


def test_evidence_quotes_later_and_earlier_articles_as_the_real_data_does(tmp_path):
    import yaml

    root = generate(tmp_path / "corpus", 30, seed=7)
    directions = set()
    for path in sorted((root / "raw" / "articles").glob("*.yaml")):
        article = yaml.safe_load(path.read_text(encoding="utf-8"))
        own = article["source"]["source_id"]
        for table in ("events", "statements", "arms_deals"):
            for record in article.get(table) or []:
                for item in record.get("evidence") or []:
                    other = item.get("source_id", own)
                    if other != own:
                        directions.add("later" if other > own else "earlier")
    assert directions == {"later", "earlier"}  # the build must place evidence read later
    build(root, root / "build", say=quiet)


def test_the_error_path_benchmark_counts_every_problem():
    from benchmarks.errors import measure

    found = measure(20)
    assert found["problems"] == 20 and found["cpu"] > 0
