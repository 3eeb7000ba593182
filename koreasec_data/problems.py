"""Problems found in raw annotations or a built package, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "ProblemReport"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as possible.

    Parameters
    ----------
    where : str
        File the problem is in, e.g. ``raw/articles/000.yaml`` or ``build/events.parquet``.
    line : int or None
        Line in ``where`` (1-based) for YAML files, row (1-based) for tables; None for the file.
    record : str
        The record, e.g. ``statement st-004-03``; empty when the problem is about the file.
    message : str
        What is wrong and what is expected.

    Examples
    --------
    >>> str(Problem("raw/actors.yaml", 12, "actor act-kor", "cow_code must be at least 2"))
    'raw/actors.yaml:12 actor act-kor: cow_code must be at least 2'
    >>> str(Problem("build/events.parquet", 3, "", "date is after date_end"))
    'build/events.parquet row 3: date is after date_end'
    """

    where: str
    line: int | None
    record: str
    message: str

    def __str__(self) -> str:
        location = self.where
        if self.line is not None:
            separator = " row " if self.where.endswith(".parquet") else ":"
            location += f"{separator}{self.line}"
        if self.record:
            location += f" {self.record}"
        return f"{location}: {self.message}"


class ProblemReport(Exception):
    """Raised with every problem found, so that all of them can be fixed in one pass."""

    def __init__(self, problems: list[Problem], action: str = "build"):
        self.problems = sorted(set(problems), key=_sort_key)
        self.action = action
        lines = [str(problem) for problem in self.problems]
        count = len(self.problems)
        lines.append(f"{action} failed: {count} problem{'s' if count != 1 else ''} found.")
        super().__init__("\n".join(lines))


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.where, problem.line or 0, problem.record, problem.message)
