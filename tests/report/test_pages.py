"""What the pages show, from the real build: the timeline's views and an article's spans
(contested claims: test_contested.py)."""

from __future__ import annotations

import pytest

from koreasec_data.report.model import read_package
from koreasec_data.report.pages import every_page


@pytest.fixture(scope="module")
def pages(built, root):
    package = read_package(built, root / "raw" / "sources")
    return package, {path: context for path, _, context in every_page(package)}


def test_the_timeline_lists_every_event_once_dated_or_not(pages, tables):
    _, shown = pages
    timeline = shown["timeline.html"]
    dated = {e["event_id"] for e in timeline["dated"]}
    undated = {e["event_id"] for e in timeline["undated"]}
    assert dated | undated == set(tables["events"]["event_id"].to_pylist())
    assert not dated & undated
    views = [(view["name"], view["span"]) for view in timeline["views"]]
    assert views == [("type", "all"), ("type", "close"), ("actor", "all"), ("actor", "close")]
    published = tables["sources"]["published"].to_pylist()
    close = timeline["views"][1]["axis"]
    assert close.start < min(published) and max(published) < close.last


def test_an_article_lists_every_span_quoting_it(pages, tables, root):
    _, shown = pages
    for source in tables["sources"].to_pylist():
        article = shown[f"articles/{source['source_id']}.html"]
        text = (root / "raw" / "sources" / source["file_name"]).read_bytes().decode("utf-8")
        quotes = [span["row"]["quote"] for span in article["spans"]]
        expected = [
            r["quote"]
            for r in tables["evidence"].to_pylist()
            if r["source_id"] == source["source_id"]
        ]
        assert sorted(quotes) == sorted(expected)
        assert "".join(item["piece"].text for item in article["marked"]) == text
