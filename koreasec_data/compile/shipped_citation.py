"""The ``CITATION.cff`` a build ships: the repository's, with its abstract stated from the
built tables (what the data is, and its coverage), every other line as written."""

from __future__ import annotations

import re
import textwrap

__all__ = ["with_abstract"]

#: The abstract's block: its key, and every line after it that is indented or empty.
_ABSTRACT = re.compile(r"^abstract:.*\n(?:(?:[ \t].*)?\n)*", re.MULTILINE)


def with_abstract(text: str, abstract: str) -> str:
    """Return the CITATION.cff ``text`` with ``abstract`` as its abstract (a folded block).

    Raises
    ------
    ValueError
        If ``text`` has no top-level ``abstract:`` to replace.

    Examples
    --------
    >>> print(with_abstract("title: T\\nabstract: >-\\n  Old.\\nversion: 1\\n", "New."), end="")
    title: T
    abstract: >-
      New.
    version: 1
    """
    lines = textwrap.wrap(" ".join(abstract.split()), width=86, break_on_hyphens=False)
    block = "abstract: >-\n" + "".join(f"  {line}\n" for line in lines)
    replaced, count = _ABSTRACT.subn(lambda _: block, text, count=1)
    if not count:
        raise ValueError("CITATION.cff has no 'abstract:' to state the coverage in: add one")
    return replaced
