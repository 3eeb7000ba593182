"""The timeline's marks: each dated event once per lane, over its true extent."""

from __future__ import annotations

import datetime as dt

from koreasec_data.report.timeline import LEFT, WIDTH, lanes

DAY = dt.timedelta(days=1)


def dated(tables):
    return [e for e in tables["events"].to_pylist() if e["date_precision"] != "undated"]


def test_every_dated_event_has_one_mark_of_its_kind(tables):
    events = dated(tables)
    _, drawn = lanes(events, {e["event_id"]: [e["event_type"]] for e in events})
    marks = [mark for lane in drawn for mark in lane.marks]
    assert sorted(m.event["event_id"] for m in marks) == sorted(e["event_id"] for e in events)
    kinds = {m.event["event_id"]: m.kind for m in marks}
    for event in events:
        expected = {"day": "point", "on_or_before": "open-start", "on_or_after": "open-end"}
        assert kinds[event["event_id"]] == expected.get(event["date_precision"], "bar")
    assert [lane.label for lane in drawn] == sorted({e["event_type"] for e in events})


def test_marks_span_their_true_extent(tables):
    events = dated(tables)
    axis, drawn = lanes(events, {e["event_id"]: ["all"] for e in events})
    for mark in drawn[0].marks:
        event = mark.event
        assert mark.x >= LEFT and mark.x + mark.width <= WIDTH
        if mark.kind == "point":  # the middle of its day
            assert mark.x == (axis.x(event["date"]) + axis.x(event["date"] + DAY)) / 2
        if mark.kind in ("bar", "open-end"):
            assert mark.x == axis.x(event["date"])
        if mark.kind in ("bar", "open-start"):
            end = axis.x(event["date_end"] + DAY)
            assert abs(mark.x + mark.width - end) < 1e-9 or mark.width == 3.0
        if mark.kind == "open-start":
            assert mark.x == axis.x(axis.start)
        if mark.kind == "open-end":
            assert mark.x + mark.width == axis.x(axis.end)
    rows = [mark.y for mark in drawn[0].marks]
    assert len(set(rows)) == len(rows), "each mark has a row of its own"


def test_an_event_is_drawn_in_each_of_its_lanes(tables):
    events = dated(tables)
    groups = {e["event_id"]: ["a", "b"] if n % 2 else ["a"] for n, e in enumerate(events)}
    _, drawn = lanes(events, groups)
    assert [len(lane.marks) for lane in drawn] == [len(events), len(events) // 2]


def test_ticks_fall_inside_the_axis(tables):
    events = dated(tables)
    for chosen in (events, [e for e in events if e["date_precision"] == "day"][:2]):
        axis, _ = lanes(chosen, {e["event_id"]: ["x"] for e in chosen})
        assert axis.ticks, "an axis has ticks"
        assert all(LEFT < x < WIDTH for x, _ in axis.ticks)


def test_a_window_draws_only_what_may_fall_in_it_clipped_to_it(tables):
    events = dated(tables)
    window = (dt.date(2024, 9, 1), dt.date(2024, 11, 1))
    axis, drawn = lanes(events, {e["event_id"]: ["all"] for e in events}, window)
    marks = {mark.event["event_id"]: mark for mark in drawn[0].marks}
    for event in events:
        start, end = event["date"], event["date_end"]
        inside = (start is None or start < window[1]) and (end is None or end >= window[0])
        assert (event["event_id"] in marks) == inside, event["event_id"]
    for mark in marks.values():
        start, end = mark.event["date"], mark.event["date_end"]
        runs_on = (start is not None and start < window[0]) or (
            end is not None and end >= window[1]
        )
        assert mark.clipped == runs_on
        assert axis.x(window[0]) <= mark.x and mark.x + mark.width <= axis.x(window[1]) + 3
    assert any(mark.clipped for mark in marks.values()) and len(marks) < len(events)
