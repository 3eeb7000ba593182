"""Date expressions: every form, relative resolution, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest

from koreasec_data.compile.dates import DateError, resolve_date
from koreasec_data.compile.records import MAY_BE_FUTURE

FRIDAY = dt.date(2024, 10, 25)
THURSDAY = dt.date(2024, 10, 24)


@pytest.mark.parametrize(
    ("value", "precision", "published", "start", "end"),
    [
        (dt.date(2024, 10, 24), "day", FRIDAY, "2024-10-24", "2024-10-24"),
        ("2024-10-24", "day", FRIDAY, "2024-10-24", "2024-10-24"),
        ("2024-W43", "week", FRIDAY, "2024-10-21", "2024-10-27"),
        ("2024-06", "month", FRIDAY, "2024-06-01", "2024-06-30"),
        ("2024-02", "month", FRIDAY, "2024-02-01", "2024-02-29"),
        (2022, "year", FRIDAY, "2022-01-01", "2022-12-31"),
        ("2024-10-24/2024-12-31", "range", FRIDAY, "2024-10-24", "2024-12-31"),
        ("Thursday", "day", FRIDAY, "2024-10-24", "2024-10-24"),
        ("Friday", "day", FRIDAY, "2024-10-25", "2024-10-25"),
        ("Tuesday", "day", THURSDAY, "2024-10-22", "2024-10-22"),
        ("wednesday", "day", THURSDAY, "2024-10-23", "2024-10-23"),
        ("Saturday", "day", FRIDAY, "2024-10-19", "2024-10-19"),
        ("yesterday", "day", FRIDAY, "2024-10-24", "2024-10-24"),
        ("this week", "range", FRIDAY, "2024-10-21", "2024-10-25"),
        ("June", "month", FRIDAY, "2024-06-01", "2024-06-30"),
        ("December", "month", FRIDAY, "2023-12-01", "2023-12-31"),
    ],
)
def test_forms(value, precision, published, start, end):
    resolved = resolve_date(value, precision, published)
    assert (resolved.date.isoformat(), resolved.date_end.isoformat()) == (start, end)
    assert resolved.date_precision == precision


def test_relative_dates_record_their_basis_and_the_curators_note():
    resolved = resolve_date("Thursday", "day", FRIDAY, "the vote")
    assert resolved.date_basis == (
        "'Thursday' resolved against publication date 2024-10-25 (Friday); the vote"
    )
    assert resolve_date("2024-10-24", "day", FRIDAY).date_basis is None


@pytest.mark.parametrize(
    ("value", "precision", "start", "end", "origin"),
    [
        ("on or before 2024-10-24", "on_or_before", None, "2024-10-24", "stated"),
        ("on or before Thursday", "on_or_before", None, "2024-10-24", "resolved"),
        ("on or before publication", "on_or_before", None, "2024-10-25", "resolved"),
        ("on or before 2024-06", "on_or_before", None, "2024-06-30", "stated"),
        ("on or after 2022", "on_or_after", "2022-01-01", None, "stated"),
        ("on or after yesterday", "on_or_after", "2024-10-24", None, "resolved"),
    ],
)
def test_bounds_keep_one_side_open(value, precision, start, end, origin):
    resolved = resolve_date(value, precision, FRIDAY)
    shown = [day.isoformat() if day else None for day in (resolved.date, resolved.date_end)]
    assert shown == [start, end]
    assert (resolved.date_precision, resolved.date_origin) == (precision, origin)


def test_origin_is_the_curators_when_inferred_and_none_when_undated():
    assert resolve_date("Thursday", "day", FRIDAY, "x", "inferred").date_origin == "inferred"
    assert resolve_date("2024-10-24", "day", FRIDAY).date_origin == "stated"
    assert resolve_date(None, "undated", FRIDAY).date_origin is None
    with pytest.raises(DateError, match="takes no date_origin"):
        resolve_date(None, "undated", FRIDAY, None, "inferred")
    with pytest.raises(DateError, match="date_origin 'resolved' must be one of"):
        resolve_date("2024-10-24", "day", FRIDAY, None, "resolved")


def test_undated_stays_undated():
    resolved = resolve_date(None, "undated", FRIDAY)
    assert (resolved.date, resolved.date_end, resolved.date_precision) == (None, None, "undated")


@pytest.mark.parametrize(
    ("value", "precision", "message"),
    [
        ("2024-02-30", "day", "not a real calendar day"),
        ("2024-13", "month", "has no month 13"),
        ("2024-W54", "week", "not an ISO week"),
        ("2024-06", "day", "is a month date but date_precision is 'day'"),
        ("Thursday", "week", "is a day date but date_precision is 'week'"),
        (None, "day", "no date is given but date_precision is 'day'"),
        ("soon", "day", "cannot read date 'soon'"),
    ],
)
def test_errors(value, precision, message):
    with pytest.raises(DateError, match=message):
        resolve_date(value, precision, FRIDAY)


def test_relative_forms_need_a_publication_date():
    with pytest.raises(DateError, match="cannot read date 'Thursday'"):
        resolve_date("Thursday", "day", None)


@pytest.mark.parametrize(
    ("value", "precision", "past", "earliest", "latest"),
    [
        ("2024-10-24", "day", True, "2024-10-24", "2024-10-24"),
        ("2024-W43", "week", True, "2024-10-21", "2024-10-27"),
        ("2024-10-24/2024-12-31", "range", False, "2024-10-24", "2024-12-31"),
        ("on or before Tuesday", "on_or_before", True, None, "2024-10-22"),
        ("on or after 2022", "on_or_after", True, "2022-01-01", "2024-10-25"),
        ("on or after 2024-11-01", "on_or_after", False, "2024-11-01", None),
        (None, "undated", True, None, None),
    ],
)
def test_earliest_and_latest_possible_day(value, precision, past, earliest, latest):
    resolved = resolve_date(value, precision, FRIDAY, past=past)
    shown = [
        day.isoformat() if day else None for day in (resolved.date_earliest, resolved.date_latest)
    ]
    assert shown == [earliest, latest]


def test_the_built_earliest_and_latest_cover_every_dated_row_and_agree_with_its_date(tables):
    published = {row["source_id"]: row["published"] for row in tables["sources"].to_pylist()}
    for name in ("events", "statements", "arms_deals"):
        key = tables[name].column_names[0]
        for row in tables[name].to_pylist():
            precision, earliest, latest = (
                row["date_precision"],
                row["date_earliest"],
                row["date_latest"],
            )
            assert earliest == row["date"], (name, row)
            if precision == "undated":
                assert latest is None
                continue
            assert earliest is not None or latest is not None, (name, row)
            if precision == "on_or_after":  # open-ended unless a reported past fact
                column, future = MAY_BE_FUTURE.get(name, (None, set()))
                assert row["date_end"] is None
                assert (latest is None) == (row.get(column) in future), (name, row)
                article = "src-" + row[key].split("-")[1]  # the article it is written in
                assert latest in (None, published[article])
            else:
                assert latest == row["date_end"] and (earliest is None) == (
                    precision == "on_or_before"
                )
            if earliest is not None and latest is not None:
                assert earliest <= latest


def test_may_have_and_certainly_happened_after_a_day(built, tables):
    import koreasec_data

    events = koreasec_data.load("events", directory=built)
    day = "2024-10-01"
    dated = events["date_precision"] != "undated"
    may = events[dated & ~(events["date_latest"] < day)]
    certainly = events[events["date_earliest"] >= day]
    troops = "ev-000-03"  # contested deployment: on or before 2024-10-23
    assert troops in set(may["event_id"]) and troops not in set(certainly["event_id"])
    assert set(certainly["event_id"]) < set(may["event_id"])
    after = dt.date(2024, 10, 1)
    for row in tables["events"].to_pylist():
        if row["date_precision"] == "undated":
            continue
        assert (row["event_id"] in set(may["event_id"])) == (
            row["date_latest"] is None or row["date_latest"] >= after
        )
        assert (row["event_id"] in set(certainly["event_id"])) == (
            row["date_earliest"] is not None and row["date_earliest"] >= after
        )
