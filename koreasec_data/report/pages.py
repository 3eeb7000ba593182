"""What each page of the review site shows, worked out from the package; the templates
only lay it out. :func:`every_page` lists every page with its template and content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from koreasec_data.report.model import Package, anchor
from koreasec_data.report.spans import context, pieces
from koreasec_data.report.timeline import lanes
from koreasec_data.report.values import columns, label

__all__ = ["every_page"]

#: Events whose facts the sources dispute, and the stances that dispute them.
DISPUTED = ("contested", "denied")
DENYING = ("denies", "rejects")
NEITHER = ("declines_to_confirm",)
#: The timeline's close-up: from eight weeks before the first article to ten weeks after
#: the last, where most of what news reports dates to lies.
CLOSE_UP = (dt.timedelta(weeks=8), dt.timedelta(weeks=10))


def _quotes(package: Package, base: str, rows: list[dict[str, Any]]) -> list[dict]:
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


def _target(package: Package, base: str, table: str, record_id: str) -> dict[str, Any]:
    row = package.by_id(table, record_id)
    return {
        "table": table,
        "id": record_id,
        "url": base + package.url(table, row),
        "label": label(package, table, row),
    }


def _record(package: Package, table: str, row: dict[str, Any], base: str) -> dict[str, Any]:
    record_id = package.record_id(table, row)
    referrers = []
    for link, rows in package.referrers(table, row):
        shown_rows = []
        for other in rows:
            other_id = package.record_id(link.table, other)
            shown_rows.append(
                {
                    "id": other_id,
                    "anchor": anchor(link.table, other_id),
                    "url": base + package.url(link.table, other),
                    "label": label(package, link.table, other),
                    "columns": [
                        c
                        for c in columns(package, base, link.table, other)
                        if c["name"] != link.column
                    ],
                    "quotes": _quotes(
                        package, base, package.evidence.get((link.table, other_id), [])
                    ),
                    "inline": package.parent(link.table) == link,
                }
            )
        referrers.append(
            {
                "link": link,
                "description": package.descriptions[link.table][link.column],
                "rows": shown_rows,
            }
        )
    return {
        "table": table,
        "row": row,
        "id": record_id,
        "label": label(package, table, row),
        "columns": columns(package, base, table, row),
        "quotes": _quotes(package, base, package.evidence.get((table, record_id), [])),
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
    marked = []
    for piece in pieces(text, rows) if text else []:
        tables = sorted({by_number[number]["record_table"] for number in piece.spans})
        positions = sorted({by_number[number]["position"] for number in piece.spans})
        titles = [
            f"{by_number[n]['record_table']} {by_number[n]['record_id']}" for n in piece.spans
        ]
        marked.append(
            {"piece": piece, "tables": tables, "positions": positions, "title": "; ".join(titles)}
        )
    return {
        "source": source,
        "record": _record(package, "sources", source, base),
        "spans": spans,
        "marked": marked,
    }


def _contested(package: Package, base: str) -> list[dict[str, Any]]:
    found = []
    for event in package.rows["events"]:
        if event["certainty"] not in DISPUTED:
            continue
        sides = {"asserting": [], "denying": [], "neither": []}
        for link in package.referring.get(("statement_events", "event_id", event["event_id"]), []):
            statement = package.by_id("statements", link["statement_id"])
            side = (
                "denying"
                if statement["stance"] in DENYING
                else "neither"
                if statement["stance"] in NEITHER
                else "asserting"
            )
            speaker = (
                package.by_id("actors", statement["speaker_id"])
                if statement["speaker_id"]
                else None
            )
            sides[side].append(
                {
                    "statement": statement,
                    "relation": link["relation"],
                    "url": base + package.url("statements", statement),
                    "speaker": speaker["name"]
                    if speaker
                    else statement["speaker_description"] or "unnamed",
                    "speaker_url": base + package.url("actors", speaker) if speaker else None,
                    "quotes": _quotes(
                        package,
                        base,
                        package.evidence.get(("statements", statement["statement_id"]), []),
                    ),
                }
            )
        found.append({"event": event, "url": base + package.url("events", event), "sides": sides})
    return found


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
    yield "contested.html", "contested.html", {"events": _contested(package, "")}
    for table, rows in package.rows.items():
        base = "../"
        shown_rows = [
            {
                "id": package.record_id(table, row),
                "url": package.url(table, row) if table in package.cited else None,
                "cells": [c["value"] for c in columns(package, base, table, row)],
            }
            for row in rows
        ]
        yield (
            f"tables/{table}.html",
            "table.html",
            {
                "table": table,
                "columns": list(package.descriptions[table].items()),
                "rows": shown_rows,
                "description": _description(package, table),
            },
        )
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


def _description(package: Package, table: str) -> str:
    return next(item for item in package.descriptor["resources"] if item["name"] == table).get(
        "description", ""
    )


def _coverage(package: Package) -> dict[str, Any]:
    from koreasec_data.citation import cite
    from koreasec_data.coverage import coverage

    return {
        "summary": coverage(package.directory).summary(),
        "counts": {table: len(rows) for table, rows in package.rows.items()},
        "descriptions": {table: _description(package, table) for table in package.rows},
        "apa": cite("apa", directory=package.directory),
        "bibtex": cite("bibtex", directory=package.directory),
    }
