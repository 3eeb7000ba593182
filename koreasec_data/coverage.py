"""What a built package covers, and what it can support: read from its own tables.

Every place that states the coverage (``koreasec-data info``, :func:`describe`, the
datasheet, the README's first paragraph, checked by a test) takes it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["LIMITS", "Coverage", "coverage"]

#: What the data cannot support, whatever its size: said wherever coverage is stated.
LIMITS = (
    "a pilot coded from a handful of news articles: it illustrates the coding and lets "
    "methods be tried, but supports no counts, trends or comparisons of events"
)


@dataclass(frozen=True)
class Coverage:
    """The sources a package is coded from and how many records it holds."""

    articles: int
    publishers: tuple[str, ...]
    first_published: str
    last_published: str
    rows: dict[str, int]
    #: Events by ``story_role`` (reported, background, caption_only).
    events_by_role: dict[str, int]

    def summary(self) -> str:
        """One sentence for users: the sources, their dates, and the limits.

        Examples
        --------
        >>> from koreasec_data import data_dir
        >>> print(coverage(data_dir()).summary())  # doctest: +ELLIPSIS
        Coverage: 2 news articles (AFP and one of unknown publisher) published 2024-10-24 to 2024-10-25; ...
        """  # noqa: E501
        known = [name for name in self.publishers if name]
        unknown = len(self.publishers) - len(known)
        who = ", ".join(sorted(set(known)))
        if unknown:
            who += (
                f"{' and ' if who else ''}{'one' if unknown == 1 else unknown} of unknown publisher"
            )
        dates = (
            self.first_published
            if self.first_published == self.last_published
            else f"{self.first_published} to {self.last_published}"
        )
        return f"Coverage: {self.articles} news articles ({who}) published {dates}; {LIMITS}."


def coverage(directory: str | Path) -> Coverage:
    """Return the coverage of the built package in ``directory``.

    Examples
    --------
    >>> from koreasec_data import data_dir
    >>> found = coverage(data_dir())
    >>> found.articles, found.first_published
    (2, '2024-10-24')
    """
    import json

    import pyarrow.compute as pc

    from koreasec_data.damage import read_metadata, read_table

    root = Path(directory)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    rows = {
        resource["name"]: read_metadata(root / resource["path"]).num_rows
        for resource in descriptor["resources"]
    }
    sources = read_table(root / "sources.parquet", columns=["publisher", "published"])
    published = sorted(day.isoformat() for day in sources.column("published").to_pylist())
    roles: dict[str, int] = {}
    if "story_role" in read_metadata(root / "events.parquet").schema.names:
        counted = pc.value_counts(read_table(root / "events.parquet").column("story_role"))
        roles = {item["values"]: item["counts"] for item in counted.to_pylist()}
    return Coverage(
        articles=sources.num_rows,
        publishers=tuple(sources.column("publisher").to_pylist()),
        first_published=published[0] if published else "",
        last_published=published[-1] if published else "",
        rows=rows,
        events_by_role=dict(sorted(roles.items())),
    )
