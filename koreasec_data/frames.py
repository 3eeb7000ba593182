"""The pandas DataFrame :func:`~koreasec_data.load` returns: its date columns compare
with days written as text, ``datetime.date`` or Timestamps and give the right rows, or
raise; never silently none.

pandas alone does not: a ``datetime64`` column's ``isin(["2024-10-24"])`` and
``== datetime.date(2024, 10, 24)`` match nothing, ``== "2024-10"`` matches only the
first of the month; an Arrow ``date32`` column's ``== "2024-10-24"`` matches nothing.
:class:`DatedFrame` keeps every pandas behaviour and changes only these: its columns are
:class:`DatedSeries`, which turn the day into the column's own type first. A missing
date compares as pandas says: false, but ``!=`` true on ``datetime64`` and missing on
Arrow dates.

Likewise a vocabulary column (a Categorical, with ``types="numpy"``) compared with, or
``isin``, a string that is none of its values raises, naming the closest: pandas would
match nothing.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["DatedFrame", "DatedSeries", "day_of"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
_HOW = (
    "compare a date column with a day: 'YYYY-MM-DD' text, a datetime.date or a "
    "pandas Timestamp (for a month or a year use .dt.to_period('M') == '2024-10', "
    ".dt.year == 2024)"
)


def _kind(dtype) -> str | None:
    """``numpy`` for datetime64, ``arrow`` for Arrow dates, else None."""
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_date(dtype.pyarrow_dtype):
        return "arrow"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "numpy"
    return None


def day_of(value, kind: str):
    """``value`` as a day of a column of ``kind``; other values unchanged.

    Examples
    --------
    >>> day_of("2024-10-24", "arrow")
    datetime.date(2024, 10, 24)
    >>> day_of(dt.date(2024, 10, 24), "numpy")
    Timestamp('2024-10-24 00:00:00')
    >>> day_of("2024-10", "numpy")
    Traceback (most recent call last):
    ...
    ValueError: '2024-10' is not a day: compare a date column with a day: 'YYYY-MM-DD' text, a datetime.date or a pandas Timestamp (for a month or a year use .dt.to_period('M') == '2024-10', .dt.year == 2024)
    """  # noqa: E501
    if isinstance(value, str):
        try:
            if not _DAY.fullmatch(value):
                raise ValueError
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a day: {_HOW}") from None
    elif isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is pd.NaT:
        return value
    if isinstance(value, dt.datetime):  # a Timestamp too
        if kind == "numpy":
            return value
        if value != value.replace(hour=0, minute=0, second=0, microsecond=0):
            raise ValueError(f"{value!r} has a time of day; dates have none: {_HOW}")
        return value.date()
    if isinstance(value, dt.date):
        return pd.Timestamp(value) if kind == "numpy" else value
    if isinstance(value, (bool, int, float, np.number)) and not pd.isna(value):
        raise TypeError(f"{value!r} is not a day: {_HOW}")
    return value


class DatedSeries(pd.Series):
    """A Series whose comparisons and ``isin`` read days as its date type, or raise."""

    @property
    def _constructor(self):
        return DatedSeries

    @property
    def _constructor_expanddim(self):
        return DatedFrame

    def isin(self, values) -> pd.Series:
        """``Series.isin``, a date column's days read as by the comparisons, a vocabulary
        column's values checked against its vocabulary."""
        kind = _kind(self.dtype)
        if pd.api.types.is_list_like(values) and not hasattr(values, "dtype"):
            if kind:
                values = [day_of(value, kind) for value in values]
            else:
                values = [in_vocabulary(self, value) for value in values]
        return super().isin(values)


def in_vocabulary(series: pd.Series, value):
    """``value``, after checking that a string compared with a vocabulary column (a
    Categorical) is one of its values: a misspelt one would match nothing, silently.

    Examples
    --------
    >>> certainty = pd.Series(pd.Categorical(["confirmed"], ["confirmed", "contested"]))
    >>> in_vocabulary(certainty, "contested")
    'contested'
    >>> in_vocabulary(certainty, "contestd")
    Traceback (most recent call last):
    ...
    ValueError: unknown value 'contestd'; did you mean 'contested'?
    """
    if isinstance(value, str) and isinstance(series.dtype, pd.CategoricalDtype):
        from koreasec_data.arguments import choose

        known = [str(category) for category in series.dtype.categories]
        return choose(str(series.name or "value"), value, known)
    return value


def _comparison(name: str):
    compare = getattr(pd.Series, name)

    def method(self, other, *args, **kwargs):
        kind = _kind(self.dtype)
        other = day_of(other, kind) if kind else in_vocabulary(self, other)
        return compare(self, other, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"``Series.{name}``, a date column's day read as its type, or raise."
    return method


for _name in _COMPARISONS:
    setattr(DatedSeries, _name, _comparison(_name))
    setattr(DatedSeries, f"__{_name}__", _comparison(f"__{_name}__"))


class DatedFrame(pd.DataFrame):
    """A DataFrame whose columns are :class:`DatedSeries`.

    Examples
    --------
    >>> frame = DatedFrame({"date": pd.to_datetime(["2024-10-24", "2024-10-25"])})
    >>> int(frame["date"].isin(["2024-10-24"]).sum()), int((frame.date >= "2024-10-25").sum())
    (1, 1)
    """

    @property
    def _constructor(self):
        return DatedFrame

    @property
    def _constructor_sliced(self):
        return DatedSeries
