"""Turn curators' date expressions into an interval, a precision and a stated basis.

Curators write a date in one of these forms, next to ``date_precision``:

========================  ===========  =============================================
form                      precision    interval
========================  ===========  =============================================
``2024-10-24``            day          that day
``2024-W43``              week         Monday to Sunday of ISO week 43
``2024-06``               month        the month
``2024``                  year         the year
``2024-10-24/2024-12-31`` range        the two days, inclusive
``Thursday``              day          latest Thursday on or before publication
``today``, ``yesterday``  day          relative to the publication date
``this week``             week         the ISO week of the publication date
``June``                  month        latest June on or before the publication month
(absent)                  undated      no interval
========================  ===========  =============================================

Relative forms are resolved against the publication date of the article the
record is coded from, and the resolution is recorded in ``date_basis``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from koreasec_data.problems import shown

__all__ = ["GROUP", "RESOLVED", "DateError", "ResolvedDate", "resolve_date"]

#: The shared field group (``schemas/groups/dates.json``) that :func:`resolve_date` fills.
GROUP = "dates"
#: The columns of the group a curator writes only as input to the resolution.
RESOLVED = ("date", "date_precision")

_WEEKDAYS = [day.lower() for day in calendar.day_name]
_MONTHS = [month.lower() for month in calendar.month_name]
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


class DateError(ValueError):
    """A date expression that cannot be read or does not match its stated precision."""


@dataclass(frozen=True)
class ResolvedDate:
    """A date as stored in the tables: an inclusive interval, its precision and its basis."""

    date: dt.date | None
    date_end: dt.date | None
    date_precision: str
    date_basis: str | None


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(f"{text!r} is not a real calendar day (YYYY-MM-DD)") from None


def _month_interval(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def _week_interval(year: int, week: int) -> tuple[dt.date, dt.date]:
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise DateError(f"{year}-W{week:02d} is not an ISO week") from None
    return monday, monday + dt.timedelta(days=6)


def _absolute(text: str) -> tuple[dt.date, dt.date, str] | None:
    if "/" in text:
        first, _, last = text.partition("/")
        start, end = _parse_day(first.strip()), _parse_day(last.strip())
        if end < start:
            raise DateError(f"range {text!r} ends before it starts")
        return start, end, "range"
    if match := _WEEK.fullmatch(text):
        return (*_week_interval(int(match[1]), int(match[2])), "week")
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise DateError(f"{text!r} has no month {month}")
        return (*_month_interval(year, month), "month")
    if _YEAR.fullmatch(text):
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = _parse_day(text)
        return day, day, "day"
    return None


def _relative(text: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    word = text.lower()
    if word in ("today", "yesterday"):
        day = published - dt.timedelta(days=word == "yesterday")
        return day, day, "day"
    if word in _WEEKDAYS:
        day = published - dt.timedelta(days=(published.weekday() - _WEEKDAYS.index(word)) % 7)
        return day, day, "day"
    if word == "this week":
        iso = published.isocalendar()
        return (*_week_interval(iso.year, iso.week), "week")
    if word in _MONTHS[1:]:
        month = _MONTHS.index(word)
        year = published.year if month <= published.month else published.year - 1
        return (*_month_interval(year, month), "month")
    return None


def resolve_date(
    value: object, precision: str | None, published: dt.date | None, note: str | None = None
) -> ResolvedDate:
    """Resolve a curator's date expression.

    Parameters
    ----------
    value : str, int, datetime.date or None
        The ``date`` as written in YAML (YAML turns ``2024-10-24`` into a date and
        ``2024`` into an int; both are accepted).
    precision : str or None
        The ``date_precision`` the curator wrote; it must match the form of ``value``.
    published : datetime.date or None
        Publication date of the article, for relative forms.
    note : str or None
        The curator's own ``date_basis``, kept after the automatic one.

    Raises
    ------
    DateError
        For unreadable or impossible dates and a precision that does not match the form.

    Examples
    --------
    >>> friday = dt.date(2024, 10, 25)
    >>> resolve_date("Thursday", "day", friday)
    ... # doctest: +NORMALIZE_WHITESPACE
    ResolvedDate(date=datetime.date(2024, 10, 24), date_end=datetime.date(2024, 10, 24),
                 date_precision='day',
                 date_basis="'Thursday' resolved against publication date 2024-10-25 (Friday)")
    >>> resolve_date("2024-06", "month", friday).date_end
    datetime.date(2024, 6, 30)
    >>> resolve_date("2024-06", "day", friday)
    Traceback (most recent call last):
    ...
    koreasec_data.compile.dates.DateError: '2024-06' is a month date but date_precision is 'day'
    """
    if value is None:
        if precision not in (None, "undated"):
            raise DateError(f"no date is given but date_precision is {shown(precision)}")
        return ResolvedDate(None, None, "undated", note)
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, (str, int, float)):  # YAML reads 2024 as an int
        try:
            text = str(value).strip()
        except ValueError:  # an integer of thousands of digits
            raise DateError(f"cannot read date {shown(value)}") from None
    else:
        raise DateError(f"cannot read date {shown(value)}: write it as text, e.g. 2024-10-24")
    basis = None
    try:
        found = _absolute(text)
        relative = found is None and published is not None
        if relative:
            found = _relative(text, published)
    except DateError:
        raise
    except (ValueError, OverflowError):  # year 0, or days before year 1 or after 9999
        raise DateError(f"{text!r} falls outside the years 1 to 9999") from None
    if relative and found is not None:
        basis = (
            f"{text!r} resolved against publication date {published.isoformat()} "
            f"({calendar.day_name[published.weekday()]})"
        )
    if found is None:
        raise DateError(
            f"cannot read date {text!r}; write YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY, "
            "START/END, a weekday, 'today', 'yesterday', 'this week' or a month name"
        )
    start, end, form = found
    if precision != form:
        article = "an" if form[0] in "aeiou" else "a"
        raise DateError(
            f"{text!r} is {article} {form} date but date_precision is {shown(precision)}"
        )
    basis = "; ".join(part for part in (basis, note) if part) or None
    return ResolvedDate(start, end, form, basis)
