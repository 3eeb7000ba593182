"""One article read on its own: what it gives, and its bytes between processes."""

from __future__ import annotations

import dataclasses

from koreasec_data.compile.article import ArticleReader, ArticleResult
from koreasec_data.schemas import load_schemas


def read(root, name="000"):
    reader = ArticleReader(root, load_schemas(root / "schemas"))
    return reader, reader.read(root / "raw" / "articles" / f"{name}.yaml")


def test_an_article_gives_its_rows_and_waits_for_the_other_articles(root, tables):
    _, result = read(root)
    assert result.file == "raw/articles/000.yaml" and result.problems == []
    assert list(result.sources) == ["src-000"] and result.cacheable
    (row,) = result.batches["sources"].to_pylist()
    built = [r for r in tables["sources"].to_pylist() if r["source_id"] == "src-000"]
    assert [{key: row[key] for key in built[0]}] == built
    waiting = {item.source_id for item, _, _ in result.waiting}
    assert waiting == {"src-004"}  # its quotes of 004 wait; its own are placed
    assert set(result.batches["events"].column("origin_file").to_pylist()) == {0}


def test_a_result_survives_its_bytes(root):
    reader, result = read(root, "004")
    again = ArticleResult.decode(result.encode(), reader.builders)
    assert {name: batch.to_pylist() for name, batch in again.batches.items()} == {
        name: batch.to_pylist() for name, batch in result.batches.items()
    }
    assert (again.file, again.problems, again.reported) == (
        result.file,
        result.problems,
        result.reported,
    )
    assert [(i.source_id, i.item, t, r) for i, t, r in again.waiting] == [
        (i.source_id, i.item, t, r) for i, t, r in result.waiting
    ]
    assert again.sources["src-004"].text is None  # texts stay in raw/sources
    source = result.sources["src-004"]
    assert again.sources["src-004"] == dataclasses.replace(source, text=None)


def test_an_article_whose_text_is_missing_is_not_cacheable(project):
    (project / "raw" / "sources" / "004_10bd444617be5644.txt").unlink()
    _, result = read(project, "004")
    assert not result.cacheable and "does not exist" in result.problems[0].message
