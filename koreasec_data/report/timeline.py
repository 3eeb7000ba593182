"""The timeline of dated events: marks of their true extent on one time axis, in lanes.

A day is a point; a week, month, year or range a bar from its first to its last day; a
bounded date (``on_or_before``, ``on_or_after``) a bar that runs open to the edge of the
axis on its unknown side. Undated events are listed apart, not drawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["Axis", "Lane", "Mark", "lanes"]

#: Drawing area, in SVG units.
WIDTH, LEFT, ROW = 960, 230, 22
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Mark:
    """One event drawn in one lane."""

    event: dict[str, Any]
    kind: str  # "point", "bar", "open-start" or "open-end"
    x: float
    width: float
    y: float


@dataclass(frozen=True)
class Lane:
    label: str
    y: float
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Axis:
    start: dt.date
    end: dt.date  # exclusive
    ticks: tuple[tuple[float, str], ...]
    height: float

    def x(self, day: dt.date) -> float:
        span = (self.end - self.start).days
        return LEFT + (WIDTH - LEFT - 10) * (day - self.start).days / span


def extent(event: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The first and the day after the last day of an event; None on an open side."""
    start, end = event["date"], event["date_end"]
    return start, (end + DAY if end is not None else None)


def _axis(events: list[dict[str, Any]], rows: int) -> Axis:
    days = [day for event in events for day in extent(event) if day is not None]
    first, last = min(days), max(days)
    margin = max(DAY, (last - first) / 20)  # room for the open ends
    start, end = first - margin, last + margin
    ticks = []
    if (end - start).days > 3 * 365:
        marks = [dt.date(year, 1, 1) for year in range(start.year + 1, end.year + 1)]
        label = "%Y"
    elif (end - start).days > 90:
        marks = [
            dt.date(year, month, 1)
            for year in range(start.year, end.year + 1)
            for month in range(1, 13)
        ]
        label = "%b %Y"
    else:
        marks = [
            start + DAY * n for n in range((end - start).days) if (start + DAY * n).day % 7 == 1
        ]
        label = "%d %b"
    axis = Axis(start, end, (), rows * ROW + 40)
    ticks = tuple((axis.x(day), day.strftime(label)) for day in marks if start < day < end)
    return Axis(start, end, ticks, axis.height)


def _mark(event: dict[str, Any], axis: Axis, y: float) -> Mark:
    start, end = extent(event)
    if event["date_precision"] == "day":
        return Mark(event, "point", axis.x(start), 0, y)
    if start is None:
        return Mark(event, "open-start", axis.x(axis.start), axis.x(end) - axis.x(axis.start), y)
    if end is None:
        return Mark(event, "open-end", axis.x(start), axis.x(axis.end) - axis.x(start), y)
    return Mark(event, "bar", axis.x(start), max(3.0, axis.x(end) - axis.x(start)), y)


def lanes(events: list[dict[str, Any]], group: dict[str, list[str]]) -> tuple[Axis, list[Lane]]:
    """Lay out ``events`` (the dated ones) in one lane per group, one row per mark.

    ``group`` maps an event id to the labels of the lanes it is drawn in (its event type,
    or each of its participants), so an event appears once in each of its lanes.
    """
    by_label: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        for label in group[event["event_id"]]:
            by_label.setdefault(label, []).append(event)
    ordered = sorted(by_label)
    axis = _axis(events, sum(len(by_label[label]) for label in ordered))
    found, row = [], 0
    for label in ordered:
        members = sorted(by_label[label], key=lambda event: (_sort_day(event), event["event_id"]))
        y = 30 + row * ROW
        marks = tuple(_mark(event, axis, 30 + (row + n) * ROW) for n, event in enumerate(members))
        found.append(Lane(label, y, marks))
        row += len(members)
    return axis, found


def _sort_day(event: dict[str, Any]) -> dt.date:
    start, end = extent(event)
    return start if start is not None else end - DAY
