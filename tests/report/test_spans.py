"""An article's text cut at evidence boundaries: nothing lost, every span covered exactly."""

from __future__ import annotations

import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from koreasec_data.report.model import read_texts
from koreasec_data.report.spans import context, pieces


def check(text, rows):
    cut = pieces(text, rows)
    assert "".join(piece.text for piece in cut) == text
    offset = 0
    for piece in cut:
        for row in rows:
            inside = row["start_offset"] <= offset and offset + len(piece.text) <= row["end_offset"]
            assert (row["number"] in piece.spans) == inside
        offset += len(piece.text)
    for row in rows:  # a span is exactly the pieces that carry it
        covered = "".join(piece.text for piece in cut if row["number"] in piece.spans)
        assert covered == text[row["start_offset"] : row["end_offset"]]


def test_real_articles_are_cut_exactly_at_their_spans(root, tables):
    texts = read_texts(root / "raw" / "sources", tables["sources"].to_pylist())
    evidence = tables["evidence"]
    for source_id, text in texts.items():
        rows = evidence.filter(pc.equal(evidence["source_id"], source_id)).to_pylist()
        for number, row in enumerate(rows):
            row["number"] = number
            assert text[row["start_offset"] : row["end_offset"]] == row["quote"]
        check(text, rows)


@given(
    st.text(min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
def test_any_overlapping_spans_are_cut_exactly(text, bounds):
    rows = [
        {"number": n, "start_offset": min(a, b, len(text)), "end_offset": min(max(a, b), len(text))}
        for n, (a, b) in enumerate(bounds)
    ]
    check(text, [row for row in rows if row["start_offset"] < row["end_offset"]])


def test_context_stays_within_the_quotes_line():
    text = "Headline\nFirst words of a long line, the quote, and the rest of it.\nNext"
    start = text.index("the quote")
    before, quote, after = context(text, {"start_offset": start, "end_offset": start + 9}, 10)
    assert quote == "the quote"
    assert before == "… line, " and after == ", and the …", "cut at the edges of words"
    assert "\n" not in before + after
    whole = context(text, {"start_offset": start, "end_offset": start + 9}, 500)
    assert whole[0] == "First words of a long line, " and whole[2].endswith("rest of it.")
