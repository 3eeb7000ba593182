"""Compare two built packages table by table: rows added, removed and changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from koreasec_data.problems import shown

__all__ = ["TableDiff", "diff_packages", "rows_by_id", "to_markdown"]


@dataclass
class TableDiff:
    """Changes to one table between two versions, by primary key."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: record id -> column -> (old value, new value), for the changed columns
    values: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def changed(self) -> dict[str, list[str]]:
        """Record id -> the columns whose values differ."""
        return {identifier: list(columns) for identifier, columns in self.values.items()}


def rows_by_id(table) -> dict[str, dict[str, Any]]:
    """Map each row of a built table to its record id, from the schema stored in the file."""
    from koreasec_data.schemas import stored_table

    schema = stored_table("", table.schema)
    return {schema.record_id(row): row for row in table.to_pylist()}


def _rows(directory: Path, name: str) -> dict[str, dict[str, Any]]:
    from koreasec_data.damage import read_table

    return rows_by_id(read_table(Path(directory) / f"{name}.parquet"))


def diff_packages(old: Path, new: Path) -> dict[str, TableDiff]:
    """Diff every table present in either package.

    Examples
    --------
    >>> from koreasec_data.loader import data_dir
    >>> diff = diff_packages(data_dir(), data_dir())
    >>> sum(len(d.added) + len(d.removed) + len(d.changed) for d in diff.values())
    0
    """
    from koreasec_data.loader import tables

    old_tables, new_tables = tables(Path(old)), tables(Path(new))
    result = {}
    for name in dict.fromkeys(old_tables + new_tables):
        before = _rows(old, name) if name in old_tables else {}
        after = _rows(new, name) if name in new_tables else {}
        diff = TableDiff(
            added=sorted(after.keys() - before.keys()),
            removed=sorted(before.keys() - after.keys()),
        )
        for identifier in sorted(before.keys() & after.keys()):
            columns = sorted(set(before[identifier]) | set(after[identifier]))
            changed = [c for c in columns if before[identifier].get(c) != after[identifier].get(c)]
            if changed:
                diff.values[identifier] = {
                    c: (before[identifier].get(c), after[identifier].get(c)) for c in changed
                }
        result[name] = diff
    return result


def to_markdown(diffs: dict[str, TableDiff], old: str, new: str) -> str:
    """Render a diff as Markdown for the CHANGELOG's data section."""
    lines = [f"### Data changes from {old} to {new}", ""]
    lines += ["| table | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
    for name, diff in diffs.items():
        lines.append(
            f"| `{name}` | {len(diff.added)} | {len(diff.removed)} | {len(diff.changed)} |"
        )
    for name, diff in diffs.items():
        entries = [f"- added `{i}`" for i in diff.added]
        entries += [f"- removed `{i}`" for i in diff.removed]
        for identifier, values in diff.values.items():
            changes = [f"{c} {shown(old)} → {shown(new)}" for c, (old, new) in values.items()]
            entries.append(f"- changed `{identifier}`: {'; '.join(changes)}")
        if entries:
            lines += ["", f"#### `{name}`", "", *entries]
    return "\n".join(lines) + "\n"
