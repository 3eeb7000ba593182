"""An article's text cut where evidence spans begin and end, so overlaps stay readable.

Spans may nest or cross (a participant's quote inside its event's, two records citing
one sentence). The text is cut at every span boundary; each piece knows every span that
covers it, so the page marks it once, however many records it supports.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

__all__ = ["Piece", "context", "pieces"]


@dataclass(frozen=True)
class Piece:
    """A stretch of text and the evidence rows (their ``number``) that cover it."""

    text: str
    spans: tuple[int, ...]


def pieces(text: str, evidence: list[dict[str, Any]]) -> list[Piece]:
    """Cut ``text`` at the start and end of every evidence row.

    Examples
    --------
    >>> rows = [{"number": 0, "start_offset": 0, "end_offset": 5},
    ...         {"number": 1, "start_offset": 3, "end_offset": 8}]
    >>> [(piece.text, piece.spans) for piece in pieces("North Korea", rows)]
    [('Nor', (0,)), ('th', (0, 1)), (' Ko', (1,)), ('rea', ())]
    """
    cuts = {0, len(text)}
    for row in evidence:
        cuts |= {row["start_offset"], row["end_offset"]}
    bounds = sorted(cuts)
    found = []
    for start, end in itertools.pairwise(bounds):
        covering = tuple(
            row["number"]
            for row in evidence
            if row["start_offset"] <= start and end <= row["end_offset"]
        )
        found.append(Piece(text[start:end], covering))
    return found


def context(text: str, row: dict[str, Any], width: int = 90) -> tuple[str, str, str]:
    """The words before a quote, the quote, and the words after, within its line; cut
    context stops at a word's edge.

    Examples
    --------
    >>> context("One. Two three. Four.", {"start_offset": 5, "end_offset": 14}, width=3)
    ('… ', 'Two three', '. …')
    """
    start, end = row["start_offset"], row["end_offset"]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before_from, after_to = max(line_start, start - width), min(line_end, end + width)
    if before_from > line_start:
        space = text.find(" ", before_from, start)
        before_from = space if space >= 0 else start
    if after_to < line_end:
        space = text.rfind(" ", end, after_to)
        after_to = space + 1 if space >= 0 else end
    before = ("…" if before_from > line_start else "") + text[before_from:start]
    after = text[end:after_to] + ("…" if after_to < line_end else "")
    return before, text[start:end], after
