"""The timeline of dated events: marks of their true extent on one time axis, in lanes.

A day is a point at its middle; a week, month, year or range a bar from its first to its
last day; a bounded date (``on_or_before``, ``on_or_after``) a dotted line that runs open
to the edge of the axis on its unknown side, ending in a short bar at its bound. Undated
events are listed apart, not drawn.
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
    """One event drawn in one lane; ``clipped`` when it runs on past the axis's window."""

    event: dict[str, Any]
    kind: str  # "point", "bar", "open-start" or "open-end"
    x: float
    width: float
    y: float
    clipped: bool = False


@dataclass(frozen=True)
class Lane:
    label: str
    y: float
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Axis:
    start: dt.date
    end: dt.date  # exclusive
    ticks: tuple[tuple[float, str], ...] = ()
    height: float = 0

    @property
    def last(self) -> dt.date:
        """The axis's last day."""
        return self.end - DAY

    def x(self, day: dt.date) -> float:
        """Where ``day`` falls, held to the drawing area when it lies outside the axis."""
        day = min(max(day, self.start), self.end)
        return LEFT + (WIDTH - LEFT - 10) * (day - self.start).days / (self.end - self.start).days

    def covers(self, event: dict[str, Any]) -> bool:
        """Whether any day the event may fall on lies inside the axis."""
        start, end = extent(event)
        return (start is None or start < self.end) and (end is None or end > self.start)


def extent(event: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """The first and the day after the last day of an event; None on an open side."""
    start, end = event["date"], event["date_end"]
    return start, (end + DAY if end is not None else None)


def whole(events: list[dict[str, Any]]) -> tuple[dt.date, dt.date]:
    """An axis's dates showing every event, with room at each end for the open sides."""
    days = [day for event in events for day in extent(event) if day is not None]
    first, last = min(days), max(days)
    margin = max(DAY, (last - first) / 20)
    return first - margin, last + margin


def _ticks(axis: Axis) -> tuple[tuple[float, str], ...]:
    start, end = axis.start, axis.end
    if (end - start).days > 3 * 365:
        days, label = [dt.date(year, 1, 1) for year in range(start.year + 1, end.year + 1)], "%Y"
    elif (end - start).days > 90:
        years = range(start.year, end.year + 1)
        days = [dt.date(year, month, 1) for year in years for month in range(1, 13)]
        label = "%b %Y"
    else:
        days = [start + DAY * n for n in range((end - start).days)]
        days, label = [day for day in days if day.day % 7 == 1], "%d %b"
    room = LEFT, WIDTH - 30  # a label needs room on both sides of its tick
    ticks = ((axis.x(day), day.strftime(label)) for day in days if start < day < end)
    return tuple((x, text) for x, text in ticks if room[0] < x < room[1])


def _mark(event: dict[str, Any], axis: Axis, y: float) -> Mark:
    start, end = extent(event)
    clipped = (start is not None and start < axis.start) or (end is not None and end > axis.end)
    if event["date_precision"] == "day":  # at the middle of its day
        return Mark(event, "point", (axis.x(start) + axis.x(end)) / 2, 0, y)
    if start is None:
        kind, left, right = "open-start", axis.start, end
    elif end is None:
        kind, left, right = "open-end", start, axis.end
    else:
        kind, left, right = "bar", start, end
    width = max(3.0, axis.x(right) - axis.x(left))
    return Mark(event, kind, axis.x(left), width, y, clipped)


def lanes(
    events: list[dict[str, Any]],
    group: dict[str, list[str]],
    window: tuple[dt.date, dt.date] | None = None,
) -> tuple[Axis, list[Lane]]:
    """Lay out ``events`` (the dated ones) in one lane per group, one row per mark.

    ``group`` maps an event id to the labels of the lanes it is drawn in (its event type,
    or each of its participants), so an event appears once in each of its lanes.
    ``window`` (first day, day after the last) draws only the events that may fall in it,
    clipped to it; by default the axis shows every event whole.
    """
    axis = Axis(*(window or whole(events)))
    by_label: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        if axis.covers(event):
            for label in group[event["event_id"]]:
                by_label.setdefault(label, []).append(event)
    found, row = [], 0
    for label in sorted(by_label):
        members = sorted(by_label[label], key=lambda event: (_sort_day(event), event["event_id"]))
        marks = tuple(_mark(event, axis, 30 + (row + n) * ROW) for n, event in enumerate(members))
        found.append(Lane(label, 30 + row * ROW, marks))
        row += len(members)
    return Axis(axis.start, axis.end, _ticks(axis), row * ROW + 40), found


def _sort_day(event: dict[str, Any]) -> dt.date:
    start, end = extent(event)
    return start if start is not None else end - DAY
