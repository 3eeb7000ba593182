"""A loaded table's date columns, on the real build: comparisons and ``isin`` with days
give the rows the Arrow table's own values give, or raise; never silently none."""

from __future__ import annotations

import datetime as dt
import operator

import pandas as pd
import pyarrow.parquet as pq
import pytest

import koreasec_data

DATED_TABLES = ("events", "statements", "arms_deals")
DATE_COLUMNS = ("date", "date_end", "date_earliest", "date_latest")
ORDERS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def expected_rows(values: list[dt.date | None], compare, day: dt.date, null=False) -> list[int]:
    """Rows whose day compares true with ``day``, in Python; a null compares ``null``."""
    return [
        row for row, value in enumerate(values) if (null if value is None else compare(value, day))
    ]


def days_to_try(values) -> list[dt.date]:
    """Every day in the column, and one before and after all of them."""
    days = sorted({value for value in values if value is not None})
    return [days[0] - dt.timedelta(days=1), *days, days[-1] + dt.timedelta(days=1)]


@pytest.mark.parametrize("types", [None, "numpy", "arrow"])
@pytest.mark.parametrize("table", DATED_TABLES)
def test_comparisons_with_days_give_the_rows_of_the_stored_values(built, table, types):
    stored = pq.read_table(built / f"{table}.parquet")
    frame = koreasec_data.load(table, directory=built, types=types)
    numpy = types != "arrow"
    for column in DATE_COLUMNS:
        values = stored.column(column).to_pylist()
        for day in days_to_try(values):
            for written in (day.isoformat(), day, pd.Timestamp(day)):
                for symbol, compare in ORDERS.items():
                    got = compare(frame[column], written)
                    rows = list(got[got.fillna(False).astype(bool)].index)
                    # NumPy-style: NaT != a day is true, as pandas says of missing values
                    null = symbol == "!=" and numpy
                    wanted = expected_rows(values, compare, day, null)
                    assert rows == wanted, (table, column, symbol, written)
                isin = frame[column].isin([written])
                assert list(isin[isin].index) == expected_rows(values, operator.eq, day)


def test_the_readme_idioms_find_the_four_events_of_24_october(built):
    events = koreasec_data.load("events", directory=built)
    stored = pq.read_table(built / "events.parquet").column("date").to_pylist()
    on_the_day = stored.count(dt.date(2024, 10, 24))
    assert on_the_day == 4  # the figure issue 24 found missing
    assert len(events[events.date == "2024-10-24"]) == on_the_day
    assert len(events[events["date"].isin(["2024-10-24"])]) == on_the_day
    assert len(events[events.date.between("2024-10-24", "2024-10-24")]) == on_the_day
    statements = koreasec_data.load("statements", directory=built)
    said = pq.read_table(built / "statements.parquet").column("date").to_pylist()
    assert len(statements[statements.date == "2024-10-25"]) == said.count(dt.date(2024, 10, 25)) > 0


def test_the_previous_default_cannot_silently_return_no_rows(built):
    events = koreasec_data.load("events", directory=built, types="arrow")
    assert str(events["date"].dtype) == "date32[day][pyarrow]"
    assert (events.date == "2024-10-24").sum() == 4
    assert (events.date >= "2024-10-01").sum() == (events.date >= dt.date(2024, 10, 1)).sum() > 0
    with pytest.raises(ValueError, match="has a time of day"):
        events.date == pd.Timestamp("2024-10-24 12:00")  # noqa: B015
    for idiom in (lambda d: d.dt.to_period("M"), lambda d: d.to_frame().resample("MS", on="date")):
        with pytest.raises((AttributeError, TypeError)):
            idiom(events["date"])


@pytest.mark.parametrize("types", ["numpy", "arrow"])
@pytest.mark.parametrize("text", ["2024-10", "2024", "yesterday", "24/10/2024", "2024-02-30"])
def test_what_is_not_a_day_raises_and_says_what_to_write(built, types, text):
    events = koreasec_data.load("events", directory=built, types=types)
    for idiom in (
        lambda d: d == text,
        lambda d: d >= text,
        lambda d: d.isin([text]),
        lambda d: d.between(text, "2024-12-31"),
    ):
        with pytest.raises(ValueError, match=r"is not a day.*YYYY-MM-DD.*to_period"):
            idiom(events["date"])
    with pytest.raises(TypeError, match="is not a day"):
        events["date"] == 2024  # noqa: B015


def test_time_series_and_grouping_idioms_work_on_the_default(built):
    events = koreasec_data.load("events", directory=built)
    stored = pq.read_table(built / "events.parquet").column("date").to_pylist()
    dated = events.dropna(subset=["date"])
    months = dated["date"].dt.to_period("M").astype(str)
    assert sorted(months) == sorted(f"{d.year}-{d.month:02d}" for d in stored if d is not None)
    monthly = dated.set_index("date").resample("MS").size()
    assert monthly[pd.Timestamp("2024-10-01")] == sum(
        1 for d in stored if d is not None and (d.year, d.month) == (2024, 10)
    )
    by_type = events.groupby(["event_type", pd.Grouper(key="date", freq="YS")], observed=True)
    assert by_type.size().sum() == len(dated)


def test_other_columns_and_operations_keep_pandas_behaviour(built):
    events = koreasec_data.load("events", directory=built)
    assert isinstance(events, pd.DataFrame)
    assert (events["event_id"] == "ev-000-01").sum() == 1
    joined = events.merge(events[["event_id"]], on="event_id")
    assert type(joined) is type(events) and (joined.date == "2024-10-24").sum() == 4


def test_a_value_outside_a_vocabulary_raises_instead_of_matching_nothing(built):
    """Every vocabulary value of every column matches the rows that hold it; a misspelt
    one raises, naming the closest, where pandas alone would match no row."""
    for name in ("events", "statements", "arms_deals"):
        frame = koreasec_data.load(name, directory=built)
        stored = pq.read_table(built / f"{name}.parquet")
        vocabularies = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
        assert vocabularies
        for column in vocabularies:
            values = stored.column(column).to_pylist()
            for value in frame[column].dtype.categories:
                expected = sum(stored_value == value for stored_value in values)
                assert int((frame[column] == value).sum()) == expected
                assert int(frame[column].isin([value]).sum()) == expected
            misspelt = str(frame[column].dtype.categories[0]) + "x"
            with pytest.raises(ValueError, match=f"unknown {column} '{misspelt}'"):
                frame[column] == misspelt  # noqa: B015
            with pytest.raises(ValueError, match=f"unknown {column} '{misspelt}'"):
                frame[column].isin([misspelt])
