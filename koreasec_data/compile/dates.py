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
``this week``             range        Monday of the publication week to publication
``June``                  month        latest June on or before the publication month
``on or before X``        on_or_before no start; ends on the last day of X
``on or after X``         on_or_after  starts on the first day of X; no end
(absent)                  undated      no interval
========================  ===========  =============================================

``X`` in a bound is any form above, or ``publication`` (the publication day). Relative
forms are resolved against the publication date of the article the record is coded
from, and the resolution is recorded in ``date_basis``; ``date_origin`` says whether the
date is stated, resolved or (as the curator writes) inferred.

``date_earliest`` and ``date_latest`` are the earliest and latest possible day whatever
the precision: the interval's two days; for ``on_or_before`` no earliest day and the
bound as the latest; for ``on_or_after`` the bound as the earliest and, for a reported
past fact, the publication day as the latest (it had begun by then); none when undated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from koreasec_data.problems import shown

__all__ = ["GROUP", "ORIGINS", "RESOLVED", "DateError", "ResolvedDate", "resolve_date"]

#: The shared field group (``schemas/groups/dates.json``) that :func:`resolve_date` fills.
GROUP = "dates"
#: The columns of the group a curator writes only as input to the resolution.
RESOLVED = ("date", "date_precision", "date_origin")
#: What a curator may write as ``date_origin``; ``resolved`` is set by the build.
ORIGINS = ("stated", "inferred")
_BOUNDS = {"on or before ": "on_or_before", "on or after ": "on_or_after"}

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
    date_origin: str | None
    date_earliest: dt.date | None
    date_latest: dt.date | None


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
    if word == "this week":  # reported: the part of the week up to publication
        iso = published.isocalendar()
        return _week_interval(iso.year, iso.week)[0], published, "range"
    if word == "publication":
        return published, published, "day"
    if word in _MONTHS[1:]:
        month = _MONTHS.index(word)
        year = published.year if month <= published.month else published.year - 1
        return (*_month_interval(year, month), "month")
    return None


def _interval(text: str, published: dt.date | None) -> tuple[dt.date, dt.date, str, bool]:
    """Resolve one form: (first day, last day, precision, whether it was relative)."""
    try:
        found = _absolute(text)
        if found is not None:
            return (*found, False)
        found = _relative(text, published) if published is not None else None
    except DateError:
        raise
    except (ValueError, OverflowError):  # year 0, or days before year 1 or after 9999
        raise DateError(f"{text!r} falls outside the years 1 to 9999") from None
    if found is None:
        raise DateError(
            f"cannot read date {text!r}; write YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY, "
            "START/END, a weekday, 'today', 'yesterday', 'this week', a month name, or "
            "'on or before X' / 'on or after X' (X one of these, or 'publication')"
        )
    return (*found, True)


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (str, int, float)):  # YAML reads 2024 as an int
        try:
            return str(value).strip()
        except ValueError:  # an integer of thousands of digits
            raise DateError(f"cannot read date {shown(value)}") from None
    raise DateError(f"cannot read date {shown(value)}: write it as text, e.g. 2024-10-24")


def resolve_date(
    value: object,
    precision: str | None,
    published: dt.date | None,
    note: str | None = None,
    origin: str | None = None,
    past: bool = False,
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
    origin : {"stated", "inferred"} or None
        The curator's ``date_origin``; by default ``stated`` for a date written out and
        ``resolved`` for a relative one.
    past : bool
        Whether the record is a reported past fact: then an ``on_or_after`` date's
        latest possible day is ``published``.

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
                 date_basis="'Thursday' resolved against publication date 2024-10-25 (Friday)",
                 date_origin='resolved', date_earliest=datetime.date(2024, 10, 24),
                 date_latest=datetime.date(2024, 10, 24))
    >>> resolve_date("2024-06", "month", friday).date_end
    datetime.date(2024, 6, 30)
    >>> found = resolve_date("on or before publication", "on_or_before", friday)
    >>> found.date, found.date_end, found.date_earliest, found.date_latest
    (None, datetime.date(2024, 10, 25), None, datetime.date(2024, 10, 25))
    >>> since = resolve_date("on or after 2022", "on_or_after", friday, past=True)
    >>> since.date_end, since.date_earliest, since.date_latest
    (None, datetime.date(2022, 1, 1), datetime.date(2024, 10, 25))
    >>> resolve_date("2024-06", "day", friday)
    Traceback (most recent call last):
    ...
    koreasec_data.compile.dates.DateError: '2024-06' is a month date but date_precision is 'day'
    """
    if origin is not None and origin not in ORIGINS:
        raise DateError(f"date_origin {shown(origin)} must be one of {list(ORIGINS)} (or absent)")
    if value is None:
        if precision not in (None, "undated"):
            raise DateError(f"no date is given but date_precision is {shown(precision)}")
        if origin is not None:
            raise DateError("an undated record takes no date_origin")
        return ResolvedDate(None, None, "undated", note, None, None, None)
    text = _text(value)
    bound = next((kind for prefix, kind in _BOUNDS.items() if text.startswith(prefix)), None)
    inner = text.removeprefix("on or before ").removeprefix("on or after ") if bound else text
    start, end, form, relative = _interval(inner, published)
    if bound == "on_or_before":
        start, form = None, bound
    elif bound == "on_or_after":
        end, form = None, bound
    if precision != form:
        article = "an" if form[0] in "aeiou" else "a"
        raise DateError(
            f"{text!r} is {article} {form} date but date_precision is {shown(precision)}"
        )
    basis = None
    if relative:
        basis = (
            f"{inner!r} resolved against publication date {published.isoformat()} "
            f"({calendar.day_name[published.weekday()]})"
        )
    basis = "; ".join(part for part in (basis, note) if part) or None
    origin = origin or ("resolved" if relative else "stated")
    latest = published if end is None and past else end
    return ResolvedDate(start, end, form, basis, origin, start, latest)
