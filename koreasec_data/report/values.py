"""How the site shows a value: dates, lists and empties in words; a column that refers to
a record, as a link to it; a record by what it is (its name, summary or text); a
record's evidence, each quote in its context."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from koreasec_data.report.model import Package
from koreasec_data.report.spans import context

__all__ = ["cell", "columns", "label", "link", "quotes", "shown", "visible", "when"]

#: The column that says in words what a record is, the first a table has.
LABELS = ("name", "summary", "text", "item", "headline")


def shown(value: Any) -> str:
    """A value as a reader should see it: dates in ISO 8601, lists joined, empty as —.

    Examples
    --------
    >>> shown(None), shown(["Seoul", "ROK"]), shown(False)
    ('—', 'Seoul; ROK', 'false')
    """
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "; ".join(shown(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


#: Characters a page shows by their code point: controls but tab and line breaks, and
#: invisible format characters (a right-to-left override would show the text after it
#: reversed) but the joiners that scripts and emoji need. Only a verbatim source text can
#: still hold them (the build refuses them elsewhere).
@cache
def _hidden():
    """The pattern of the characters :func:`visible` shows (made at first use: it reads
    the whole Unicode table)."""
    hidden = "".join(
        re.escape(chr(code))
        for code in range(0x110000)
        if (unicodedata.category(chr(code)) in ("Cc", "Cf") or chr(code) in "\u2028\u2029")
        and chr(code) not in "\t\n\r\u200c\u200d"
    )
    return re.compile(f"[{hidden}]")


def visible(value: Any) -> Any:
    r"""Text with every hidden character shown as its code point, ``[U+202E]``: plain text
    that is safe in an element and in an attribute alike, markup kept markup.

    Examples
    --------
    >>> visible("South \u202eaeroK"), visible(Markup("<b>a\u2066b</b>")), visible(3)
    ('South [U+202E]aeroK', Markup('<b>a[U+2066]b</b>'), 3)
    """
    if not isinstance(value, str):
        return value
    shown_text = _hidden().sub(lambda match: f"[U+{ord(match[0]):04X}]", value)
    return Markup(shown_text) if isinstance(value, Markup) else shown_text


def when(row: dict[str, Any]) -> str:
    """A record's date in words, from its interval and precision.

    Examples
    --------
    >>> day = dt.date(2024, 10, 24)
    >>> when({"date": None, "date_end": day, "date_precision": "on_or_before"})
    'on or before 2024-10-24'
    >>> when({"date": dt.date(2024, 10, 1), "date_end": day, "date_precision": "range"})
    '2024-10-01 to 2024-10-24 (range)'
    """
    start, end, precision = row["date"], row["date_end"], row["date_precision"]
    if precision == "undated":
        return "undated"
    if start is None:
        return f"on or before {shown(end)}"
    if end is None:
        return f"on or after {shown(start)}"
    if start == end:
        return shown(start)
    return f"{shown(start)} to {shown(end)} ({precision})"


def label(package: Package, table: str, row: dict[str, Any], via: str | None = None) -> str:
    """What a record is, in words: its name, summary or text; a statement with its speaker
    and stance; a row linking records (a participant) by the records it links, leaving
    out the one it is shown beside (column ``via``)."""
    words = next((str(row[column]) for column in LABELS if row.get(column)), None)
    speaker = package.link_of.get((table, "speaker_id"))
    if words is not None and speaker is not None and "stance" in row:
        who = package.by_id(speaker.target, row["speaker_id"]) if row["speaker_id"] else None
        name = who["name"] if who else row.get("speaker_description") or "unnamed speaker"
        return f"{name}, {row['stance']}: “{words}”"
    if words is not None or len(package.keys[table]) == 1:
        return words or package.record_id(table, row)
    parts = []
    for column in package.keys[table]:
        if column == via:
            continue
        named = package.link_of.get((table, column))
        if named is None:
            parts.append(f"{column} {row[column]}")
        else:
            target = package.by_id(named.target, str(row[column]))
            parts.append(f"{row[column]} ({label(package, named.target, target)})")
    return "; ".join(parts)


def cell(package: Package, base: str, table: str, column: str, value: Any) -> Markup:
    """A value, linked to the record it names when the column refers to one."""
    named = package.link_of.get((table, column))
    target = None if named is None or value is None else package.by_id(named.target, str(value))
    if target is None:
        return escape(shown(value))
    url = base + package.url(named.target, target)
    return link(url, value, title=label(package, named.target, target))


def link(url: str, text: Any, title: str | None = None) -> Markup:
    """A link to ``url`` showing ``text`` (escaped unless it is markup already), with a
    ``title`` shown on hover if given.

    Examples
    --------
    >>> link("records/events/ev-1.html", "ev <1>")
    Markup('<a href="records/events/ev-1.html">ev &lt;1&gt;</a>')
    >>> link("a.html", "x", title='"y"')
    Markup('<a href="a.html" title="&#34;y&#34;">x</a>')
    """
    hover = f' title="{escape(title)}"' if title is not None else ""
    return Markup(f'<a href="{escape(url)}"{hover}>{escape(text)}</a>')


def columns(package: Package, base: str, table: str, row: dict[str, Any]) -> list[dict]:
    descriptions = package.descriptions[table]
    return [
        {
            "name": name,
            "description": descriptions[name],
            "value": cell(package, base, table, name, value),
        }
        for name, value in row.items()
        if name != "number"
    ]


def quotes(package: Package, base: str, rows: list[dict[str, Any]]) -> list[dict]:
    """Evidence rows with their context (when the texts are in) and their article."""
    found = []
    for row in sorted(rows, key=lambda item: (item["source_id"], item["start_offset"])):
        text = package.texts.get(row["source_id"])
        before, quote, after = context(text, row) if text else ("", row["quote"], "")
        source = package.by_id("sources", row["source_id"])
        found.append(
            {
                "row": row,
                "before": before,
                "quote": quote,
                "after": after,
                "url": f"{base}{package.url('sources', source)}#e-{row['number']}",
            }
        )
    return found
