"""An article's text and layout: the source text read and checked against its recorded
sha256, the regions (headlines, captions, credits, related links) marked in it, and its
dateline found in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from koreasec_data.compile.evidence import text as evidence
from koreasec_data.compile.rawyaml import Mapping
from koreasec_data.compile.records import unknown_keys
from koreasec_data.problems import Problem, shown

__all__ = ["LAYOUT_KEYS", "dateline_span", "read_layout", "source_text"]

LAYOUT_KEYS = {"position", "quote", "occurrence"}


def source_text(
    root: Path, file: str, block: Mapping, row: dict[str, Any], label: str
) -> tuple[str | None, list[Problem]]:
    """Read the text the source row names; return it (None if it cannot be used) and
    the problems: a name outside raw/sources, an unreadable file, a changed text."""
    try:
        path = evidence.source_file(Path(root) / "raw" / "sources", row["file_name"])
    except ValueError as error:
        return None, [Problem(file, block.line_of("file_name"), label, str(error))]
    try:
        text, sha256 = evidence.read_source_text(path)
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read raw/sources/{row['file_name']} as UTF-8 text: {error}"
        return None, [Problem(file, block.line_of("file_name"), label, message)]
    if sha256 != row["sha256"]:
        message = (
            f"raw/sources/{row['file_name']} has sha256 {sha256}, but this file records "
            f"{row['sha256']}; the text changed: restore it, or re-check every quote "
            "and offset coded from it before updating sha256"
        )
        return None, [Problem(file, block.line_of("sha256"), label, message)]
    return text, []


def read_layout(
    file: str, article: Mapping, text: str, label: str, kinds: list[str]
) -> tuple[list[tuple[evidence.Region, Mapping]], list[Problem]]:
    """Read the article's layout; return [(region, its layout entry)] and the problems."""
    items = article.get("layout")
    if not isinstance(items, list):
        return [], [Problem(file, article.line_of("layout"), label, "needs a 'layout' list")]
    marked: list[tuple[evidence.Region, Mapping]] = []
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item, Mapping):
            message = f"layout entry must be a mapping: {shown(item)}"
            problems.append(Problem(file, article.line_of("layout"), label, message))
            continue
        problems += unknown_keys(file, item, LAYOUT_KEYS, label)
        kind = item.get("position")
        if kind not in kinds:
            message = f"layout position {shown(kind)} is not one of {kinds}"
            problems.append(Problem(file, item.line_of("position"), label, message))
            continue
        try:
            quote = evidence.quote_text(item.get("quote", ""))
            span = evidence.locate(text, quote, item.get("occurrence"))
        except evidence.QuoteError as error:
            problems.append(Problem(file, item.line_of("quote"), label, f"layout: {error}"))
            continue
        marked.append((evidence.Region(kind, span), item))
    return marked, problems


def dateline_span(
    file: str, block: Mapping, row: dict[str, Any], text: str, regions, label: str
) -> tuple[list[tuple[str, evidence.Span, str, Mapping]], list[Problem]]:
    """The source's dateline located in its text, as evidence of the source row (none
    when it records no dateline), and the problem if its words are not found once in
    the body or a headline."""
    if row.get("dateline") is None:
        return [], []
    try:
        span = evidence.locate(text, row["dateline"])
        position = evidence.position_of(span, regions)
    except evidence.QuoteError as error:
        message = f"dateline: {error}; write the dateline's words exactly as the text has them"
        return [], [Problem(file, block.line_of("dateline"), label, message)]
    return [(row["source_id"], span, position, block)], []
