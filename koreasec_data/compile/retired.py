"""``raw/retired.yaml``: the ids withdrawn from earlier releases, each with its reason
(and the records that replace it, if any).

The build ships them as ``retired_ids.json``; :mod:`koreasec_data.release.stability`
lets a release drop exactly these ids of an earlier release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from koreasec_data.compile.rawyaml import Mapping, YamlError, load_yaml
from koreasec_data.problems import Problem

__all__ = ["read_retired", "retired_problems"]


def read_retired(path: Path) -> tuple[list[dict[str, Any]], list]:
    """Read the retired-ids file: a list of {record_table, record_id, retired_in, reason}.

    Returns the entries that are mappings, and a problem for anything else.
    """
    where = "raw/retired.yaml"
    if not Path(path).is_file():
        return [], []
    try:
        content = load_yaml(Path(path))
    except YamlError as error:
        return [], [Problem(where, error.line, "", str(error))]
    if content is None:
        return [], []
    if not isinstance(content, list):
        return [], [Problem(where, 1, "", "must be a list of retired ids (or [])")]
    entries = [entry for entry in content if isinstance(entry, Mapping)]
    problems = [
        Problem(where, getattr(content, "line", None), "", f"entry {entry!r} is not a mapping")
        for entry in content
        if not isinstance(entry, Mapping)
    ]
    return entries, problems


def retired_problems(retired, tables, schemas) -> list[Problem]:
    """Each retired id names its table, version and reason, and is really gone; what
    replaces it (``replaced_by``, optional) is a list of records of that table now."""
    problems, ids = [], {}
    for entry in retired:
        label = f"retired id {entry.get('record_id')!r}"
        line = getattr(entry, "line", None)
        missing = sorted({"record_table", "record_id", "retired_in", "reason"} - set(entry))
        table = entry.get("record_table")
        if missing or not isinstance(table, str) or table not in schemas:
            message = f"needs record_table (a table name), record_id, retired_in, reason: {missing}"
            problems.append(Problem("raw/retired.yaml", line, label, message))
            continue
        if table not in ids:  # each table's ids once, however many entries name it
            ids[table] = set(schemas[table].record_ids(tables[table]).to_pylist())
        if str(entry["record_id"]) in ids[table]:
            message = f"is still a record of {table}; remove it from the data or from this list"
            problems.append(Problem("raw/retired.yaml", line, label, message))
        replaced = entry.get("replaced_by", [])
        if not isinstance(replaced, list) or not {str(r) for r in replaced} <= ids[table]:
            message = f"replaced_by {replaced!r} must be a list of record ids of {table} now"
            problems.append(Problem("raw/retired.yaml", line, label, message))
    return problems
