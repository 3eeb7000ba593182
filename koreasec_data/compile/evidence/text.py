"""Find curators' quotes in source texts and say where in the article they stand.

Offsets are Unicode code points of the decoded UTF-8 text, i.e. Python string
indices: ``text[start:end] == quote``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koreasec_data.hashes import sha256_of
from koreasec_data.problems import shown

__all__ = [
    "NOT_CODABLE",
    "QuoteError",
    "Region",
    "Span",
    "locate",
    "position_of",
    "quote_text",
    "read_source_text",
    "source_file",
]

#: Layout regions that are not the article's reporting: nothing may be coded from them.
NOT_CODABLE = {
    "credit": "a photo credit",
    "related": "a related-story link, not part of the article",
}


class QuoteError(ValueError):
    """A quote that is not in its source, is ambiguous, or stands where nothing may be coded."""


@dataclass(frozen=True)
class Span:
    """A located quote."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Region:
    """A part of an article that is not body text: headline, caption, credit or related link."""

    kind: str
    span: Span


def source_file(sources: Path, file_name: str) -> Path:
    """Return the path of ``file_name`` in the folder ``sources``, refusing any other place.

    Raises
    ------
    ValueError
        When the name has a folder in it, the file is missing, or a link leads outside.

    Examples
    --------
    >>> source_file(Path("raw/sources"), "../../etc/passwd")
    Traceback (most recent call last):
    ...
    ValueError: file_name '../../etc/passwd' must be the name of a file in raw/sources, without any folder
    """  # noqa: E501
    path = Path(sources) / file_name
    if path.name != file_name or file_name in ("", ".", ".."):
        message = (
            f"file_name {file_name!r} must be the name of a file in raw/sources, without any folder"
        )
        raise ValueError(message)
    try:
        exists = path.is_file()
    except OSError:  # e.g. a name too long for the file system
        exists = False
    if not exists:
        raise ValueError(f"file_name: raw/sources/{file_name} does not exist")
    # The name has no folder in it: only a link can lead elsewhere (and resolving every
    # path cost a third of reading the texts of a large corpus).
    if path.is_symlink() and not path.resolve().is_relative_to(Path(sources).resolve()):
        raise ValueError(f"file_name: raw/sources/{file_name} links outside raw/sources")
    return path


def read_source_text(path: Path) -> tuple[str, str]:
    """Read a source text exactly as stored: returns (text, sha256 of its bytes).

    No newline translation is done, so offsets match the bytes on disk.
    """
    data = Path(path).read_bytes()
    return data.decode("utf-8"), sha256_of(data)


def quote_text(value: Any) -> str:
    """A quote as written; a number is taken as its digits, a list or mapping refused.

    Examples
    --------
    >>> quote_text(2024)
    '2024'
    """
    if not isinstance(value, (list, dict)):
        with contextlib.suppress(ValueError):  # an integer of thousands of digits
            return str(value)
    raise QuoteError(f"quote must be text, found {shown(value)}")


def locate(text: str, quote: str, occurrence: int | None = None) -> Span:
    """Find ``quote`` in ``text``.

    Parameters
    ----------
    occurrence : int, optional
        Which occurrence (1-based) to take when the quote occurs more than once.

    Raises
    ------
    QuoteError
        When the quote is empty, absent, or found more than once without ``occurrence``,
        or ``occurrence`` is not a whole number.

    Examples
    --------
    >>> locate("Seoul said Seoul would act.", "would act")
    Span(start=17, end=26, quote='would act')
    >>> locate("Seoul said Seoul would act.", "Seoul", occurrence=2).start
    11
    >>> locate("Seoul said Seoul would act.", "Seoul")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    koreasec_data.compile.evidence.text.QuoteError: quote 'Seoul' occurs 2 times ...
    """
    if not quote:
        raise QuoteError("quote is empty")
    if occurrence is not None and (isinstance(occurrence, bool) or not isinstance(occurrence, int)):
        raise QuoteError(
            f"occurrence must be a whole number (1, 2, ...), found {shown(occurrence)}"
        )
    starts = []
    position = text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    cut = quote if len(quote) <= 60 else quote[:57] + "..."
    if not starts:
        raise QuoteError(f"quote {cut!r} does not occur in the source text (check every character)")
    if occurrence is None:
        if len(starts) > 1:
            raise QuoteError(
                f"quote {cut!r} occurs {len(starts)} times in the source; "
                f"add 'occurrence: N' (1 to {len(starts)}) to say which"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise QuoteError(
            f"occurrence {shown(occurrence)} asked for, but quote {cut!r} occurs "
            f"{len(starts)} time(s)"
        )
    start = starts[occurrence - 1]
    return Span(start, start + len(quote), quote)


def position_of(span: Span, regions: list[Region]) -> str:
    """Return where ``span`` stands: 'headline', 'caption' or 'body'.

    Raises
    ------
    QuoteError
        When the span lies in a credit or related-story link, or straddles a region's edge.

    Examples
    --------
    >>> regions = [Region("caption", Span(10, 20, "x" * 10))]
    >>> position_of(Span(12, 15, "xxx"), regions), position_of(Span(25, 30, "yyyyy"), regions)
    ('caption', 'body')
    """
    for region in regions:
        inside = region.span.start <= span.start and span.end <= region.span.end
        overlaps = span.start < region.span.end and region.span.start < span.end
        if inside and region.kind in NOT_CODABLE:
            raise QuoteError(f"quote lies in {NOT_CODABLE[region.kind]}: code nothing from it")
        if inside:
            return region.kind
        if overlaps:
            raise QuoteError(
                f"quote runs across the edge of the {region.kind} at offsets "
                f"{region.span.start}-{region.span.end}; quote the parts separately"
            )
    return "body"
