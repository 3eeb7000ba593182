"""What long work tells its user: problems, collected and reported together, and progress.

Values in messages are shown with :func:`shown`, so that no message grows without bound.
"""

from __future__ import annotations

import bisect
import reprlib
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["Finding", "Problem", "ProblemReport", "key_text", "say", "shown", "similar_ids"]


def say(message: str) -> None:
    """Print a progress line to stderr: the default for every ``say=`` parameter."""
    print(message, file=sys.stderr, flush=True)


class _Shown(reprlib.Repr):
    def __init__(self):
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = 6
        self.maxstring = self.maxother = 100
        self.maxlong = 40

    def repr_int(self, value, level):
        try:
            return super().repr_int(value, level)
        except ValueError:  # more digits than int -> str converts
            return f"<a {value.bit_length()}-bit integer>"


def shown(value: Any) -> str:
    """``repr(value)`` for a problem message, cut short.

    A YAML alias can make a ten-line file hold a list of a billion items: a full
    ``repr`` would never finish.

    Examples
    --------
    >>> shown("Seoul")
    "'Seoul'"
    >>> shown([[["x"] * 10] * 10] * 10)
    "[[['x', 'x', 'x', 'x', 'x', 'x', ...], ['x', 'x', 'x', 'x', 'x', 'x', ...], ...], ...]"
    """
    return _Shown().repr(value)


def key_text(value: Any) -> str:
    """A primary-key value as it appears in a record's label: text as is, else :func:`shown`.

    Examples
    --------
    >>> key_text("ev-1"), key_text(7)
    ('ev-1', '7')
    """
    return value if isinstance(value, str) else shown(value)


def similar_ids(value: str, known: list[str]) -> str:
    """Name the known ids sharing the longest prefix with ``value`` (``known`` sorted)."""
    value = value[:64]  # a longer shared prefix tells a curator nothing more
    for length in range(len(value), 0, -1):
        prefix = value[:length]
        start = bisect.bisect_left(known, prefix)
        matches = []
        for candidate in known[start : start + 6]:
            if candidate.startswith(prefix):
                matches.append(candidate)
        if matches:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            return f"known ids starting {prefix!r}: {shown}"
    return "no known id is similar"


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as possible.

    Parameters
    ----------
    where : str
        File the problem is in, e.g. ``raw/articles/000.yaml`` or ``build/events.parquet``.
    line : int or None
        Line in ``where`` (1-based), for text files; None for the whole file or a table.
    record : str
        The record, e.g. ``statement st-004-03``; empty when the problem is about the file.
    message : str
        What is wrong and what is expected.
    row : int or None
        Row (1-based) of a table file (Parquet), where the problem is in one row.

    Examples
    --------
    >>> str(Problem("raw/actors.yaml", 12, "actor act-kor", "cow_code must be at least 2"))
    'raw/actors.yaml:12 actor act-kor: cow_code must be at least 2'
    >>> str(Problem("build/events.parquet", None, "", "date is after date_end", row=3))
    'build/events.parquet row 3: date is after date_end'
    """

    where: str
    line: int | None
    record: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        location = self.where
        if self.line is not None:
            location += f":{self.line}"
        if self.row is not None:
            location += f" row {self.row}"
        if self.record:
            location += f" {self.record}"
        return f"{location}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """A problem in one row of a table, found by a check, before it is placed in a file.

    Parameters
    ----------
    table : str
        The table checked.
    row : int or None
        The row (0-based); None when the problem is with the table itself.
    column : str or None
        The column at fault, when there is one.
    message : str
        What is wrong and what is expected.
    record_id : str
        The failing row's record id, once named (ids are made for failing rows only).
    """

    table: str
    row: int | None
    column: str | None
    message: str
    record_id: str = ""


class ProblemReport(Exception):
    """Raised with every problem found, so that all of them can be fixed in one pass."""

    def __init__(self, problems: list[Problem], action: str = "build"):
        self.problems = sorted(set(problems), key=_sort_key)
        self.action = action
        lines = [str(problem) for problem in self.problems]
        count = len(self.problems)
        lines.append(f"{action} failed: {count} problem{'s' if count != 1 else ''} found.")
        super().__init__("\n".join(lines))


def _sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.where, problem.line or 0, problem.row or 0, problem.record, problem.message)
