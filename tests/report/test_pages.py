"""What the pages show, from the real build: contested claims split by stance, the
timeline's views, and an article's spans."""

from __future__ import annotations

import pytest

from koreasec_data.report.model import read_package
from koreasec_data.report.pages import DENYING, DISPUTED, every_page


@pytest.fixture(scope="module")
def pages(built, root):
    package = read_package(built, root / "raw" / "sources")
    return package, {path: context for path, _, context in every_page(package)}


def test_contested_events_put_each_statement_on_its_side(pages, tables):
    package, shown = pages
    disputed = [e["event_id"] for e in tables["events"].to_pylist() if e["certainty"] in DISPUTED]
    events = shown["contested.html"]["events"]
    assert [item["event"]["event_id"] for item in events] == disputed and disputed
    for item in events:
        about = {
            row["statement_id"]
            for row in tables["statement_events"].to_pylist()
            if row["event_id"] == item["event"]["event_id"]
        }
        placed = {
            said["statement"]["statement_id"]: side
            for side, said_list in item["sides"].items()
            for said in said_list
        }
        assert set(placed) == about
        for statement_id, side in placed.items():
            stance = package.by_id("statements", statement_id)["stance"]
            assert (side == "denying") == (stance in DENYING)
    assert any(item["sides"]["denying"] and item["sides"]["asserting"] for item in events)


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
