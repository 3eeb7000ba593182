"""What each page of the review site shows, worked out from the package; the templates
only lay it out. :func:`every_page` lists every page with its template and content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from koreasec_data.report.contested import SIDES, contested
from koreasec_data.report.model import Package, anchor
from koreasec_data.report.spans import pieces
from koreasec_data.report.timeline import lanes
from koreasec_data.report.values import columns, label, link, quotes

__all__ = ["every_page"]

#: The colours of the stripes under a marked span, one per table citing it (in package
#: order); each stands out 3:1 against the page and the span's tint.
STRIPES = ("#1f5fa8", "#b34700", "#a3231f", "#2e7d32", "#6a3d9a", "#6b5b00", "#4a4a4a", "#00707a")
#: The timeline's close-up: from eight weeks before the first article to ten weeks after
#: the last, where most of what news reports dates to lies.
CLOSE_UP = (dt.timedelta(weeks=8), dt.timedelta(weeks=10))


def _target(package: Package, base: str, table: str, record_id: str) -> dict[str, Any]:
    row = package.by_id(table, record_id)
    return {
        "table": table,
        "id": record_id,
        "url": base + package.url(table, row),
        "label": label(package, table, row),
    }


def _referring_row(package: Package, base: str, via, row: dict[str, Any]) -> dict[str, Any]:
    """A row naming the record in column ``via.column``: inline (a participant on its
    event's page, with its columns and evidence) or as a link to where it is shown."""
    row_id = package.record_id(via.table, row)
    evidence = package.evidence.get((via.table, row_id), [])
    shown = [c for c in columns(package, base, via.table, row) if c["name"] != via.column]
    return {
        "id": row_id,
        "anchor": anchor(via.table, row_id),
        "url": base + package.url(via.table, row),
        "label": label(package, via.table, row, via.column),
        "columns": shown,
        "quotes": quotes(package, base, evidence),
        "inline": package.parent(via.table) == via,
    }


def _record(package: Package, table: str, row: dict[str, Any], base: str) -> dict[str, Any]:
    record_id = package.record_id(table, row)
    referrers = [
        {
            "link": via,
            "description": package.descriptions[via.table][via.column],
            "rows": [_referring_row(package, base, via, other) for other in rows],
        }
        for via, rows in package.referrers(table, row)
    ]
    return {
        "table": table,
        "row": row,
        "id": record_id,
        "label": label(package, table, row),
        "columns": columns(package, base, table, row),
        "quotes": quotes(package, base, package.evidence.get((table, record_id), [])),
        "referrers": referrers,
    }


def _article(package: Package, source: dict[str, Any], base: str) -> dict[str, Any]:
    rows = sorted(
        package.by_source.get(source["source_id"], []),
        key=lambda row: (row["start_offset"], row["end_offset"], row["number"]),
    )
    text = package.texts.get(source["source_id"])
    by_number = {row["number"]: row for row in rows}
    spans = [
        {"row": row, "target": _target(package, base, row["record_table"], row["record_id"])}
        for row in rows
    ]
    colours = dict(zip(package.cited, STRIPES, strict=False))
    marked = []
    for piece in pieces(text, rows) if text else []:
        covering = [by_number[number] for number in piece.spans]
        tables = [
            table for table in package.cited if any(r["record_table"] == table for r in covering)
        ]
        stripes = [f"inset 0 -{3 * (n + 1)}px 0 {colours[t]}" for n, t in enumerate(tables)]
        marked.append(
            {
                "piece": piece,
                "linked": bool(piece.spans) and not piece.text.isspace(),
                "positions": sorted({row["position"] for row in covering}),
                "style": f"box-shadow: {', '.join(stripes)}; padding-bottom: {3 * len(stripes)}px",
                "title": "; ".join(f"{r['record_table']} {r['record_id']}" for r in covering),
                "tables": ", ".join(tables),
            }
        )
    return {
        "source": source,
        "record": _record(package, "sources", source, base),
        "spans": spans,
        "marked": marked,
        "legend": colours,
    }


def _timeline(package: Package) -> dict[str, Any]:
    events = package.rows["events"]
    dated = [event for event in events if event["date_precision"] != "undated"]
    views = []
    if dated:
        by_type = {event["event_id"]: [event["event_type"]] for event in dated}
        actors = {row["actor_id"]: row["name"] for row in package.rows["actors"]}
        by_actor = {event["event_id"]: [] for event in dated}
        for row in package.rows["event_actors"]:
            names = by_actor.get(row["event_id"])
            if names is not None and actors[row["actor_id"]] not in names:
                names.append(actors[row["actor_id"]])
        published = [source["published"] for source in package.rows["sources"]]
        close = (min(published) - CLOSE_UP[0], max(published) + CLOSE_UP[1])
        for name, group in (("type", by_type), ("actor", by_actor)):
            for span, window in (("all", None), ("close", close)):
                axis, drawn = lanes(dated, group, window)
                views.append({"name": name, "span": span, "axis": axis, "lanes": drawn})
    undated = [event for event in events if event["date_precision"] == "undated"]
    return {"views": views, "undated": undated, "dated": dated}


def every_page(package: Package) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every page: its path in the site, its template, and what it shows."""
    yield "index.html", "index.html", {"coverage": _coverage(package)}
    yield "timeline.html", "timeline.html", _timeline(package)
    yield "contested.html", "contested.html", {"events": contested(package, ""), "sides": SIDES}
    for table in package.rows:
        yield f"tables/{table}.html", "table.html", _table(package, table)
    for source in package.rows["sources"]:
        yield (
            f"articles/{source['source_id']}.html",
            "article.html",
            _article(package, source, "../"),
        )
    for table in package.cited:
        if package.has_page(table) and table != "sources":
            for row in package.rows[table]:
                yield (
                    package.url(table, row),
                    "record.html",
                    {"record": _record(package, table, row, "../../")},
                )


def _table(package: Package, table: str) -> dict[str, Any]:
    """A whole table; each row links to where it is shown, on its own page or its parent's."""
    base, parent = "../", package.parent(table)
    heads = list(package.descriptions[table].items())
    if parent is not None:
        heads.insert(
            0,
            (
                "record",
                f"Where the row is shown with its evidence: on its {parent.target} record's page.",
            ),
        )
    rows = []
    for row in package.rows[table]:
        cells = [column["value"] for column in columns(package, base, table, row)]
        url = base + package.url(table, row)
        if package.has_page(table):
            cells[0] = link(url, cells[0])
        elif parent is not None:
            cells.insert(0, link(url, package.record_id(table, row)))
        rows.append(cells)
    return {
        "table": table,
        "columns": heads,
        "rows": rows,
        "description": package.description(table),
    }


def _coverage(package: Package) -> dict[str, Any]:
    from koreasec_data.citation import cite
    from koreasec_data.coverage import coverage

    return {
        "summary": coverage(package.directory).summary(),
        "counts": {table: len(rows) for table, rows in package.rows.items()},
        "descriptions": {table: package.description(table) for table in package.rows},
        "apa": cite("apa", directory=package.directory),
        "bibtex": cite("bibtex", directory=package.directory),
    }
