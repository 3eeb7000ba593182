"""Date expressions: every form, relative resolution, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest

from koreasec_data.compile.dates import DateError, resolve_date

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
        ("this week", "week", FRIDAY, "2024-10-21", "2024-10-27"),
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
