"""Locating quotes and placing them in an article's layout."""

from __future__ import annotations

import pytest

from koreasec_data.compile.evidence.text import (
    QuoteError,
    Region,
    Span,
    locate,
    position_of,
    read_source_text,
)


def test_offsets_are_code_points_not_bytes(root):
    path = next((root / "raw" / "sources").glob("000_*.txt"))
    text, _ = read_source_text(path)
    assert text.startswith(" date")  # the file's leading space is kept
    span = locate(text, "the country \u2013 a major arms exporter \u2013")
    assert text[span.start : span.end] == span.quote
    assert len(text.encode("utf-8")) > len(text)  # the copyright sign and en dashes


def test_occurrence_picks_one_of_several():
    text = "Seoul said Seoul would act."
    assert locate(text, "Seoul", occurrence=1).start == 0
    assert locate(text, "Seoul", occurrence=2).start == 11
    with pytest.raises(QuoteError, match="occurrence 3 asked for"):
        locate(text, "Seoul", occurrence=3)


@pytest.mark.parametrize("quote", ["", "Pyongyang"])
def test_absent_or_empty_quote(quote):
    with pytest.raises(QuoteError):
        locate("Seoul said.", quote)


def test_positions():
    regions = [
        Region("headline", Span(0, 10, "h" * 10)),
        Region("caption", Span(20, 30, "c" * 10)),
        Region("related", Span(40, 50, "r" * 10)),
        Region("credit", Span(60, 70, "x" * 10)),
    ]
    assert position_of(Span(0, 5, "h"), regions) == "headline"
    assert position_of(Span(21, 29, "c"), regions) == "caption"
    assert position_of(Span(11, 19, "b"), regions) == "body"
    with pytest.raises(QuoteError, match="related-story link"):
        position_of(Span(41, 45, "r"), regions)
    with pytest.raises(QuoteError, match="photo credit"):
        position_of(Span(60, 70, "x"), regions)
    with pytest.raises(QuoteError, match="runs across the edge of the caption"):
        position_of(Span(15, 25, "b"), regions)
