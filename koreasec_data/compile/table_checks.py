"""The checks of one table against its schema: its values (pandera), its columns and
their types, its unique keys."""

from __future__ import annotations

from typing import Any

from koreasec_data.problems import Finding, shown
from koreasec_data.schemas import Table

__all__ = ["column_findings", "keys_unique", "messages", "pandera_findings"]


def messages(check: str, column: str | None, value: Any) -> str:
    if check == "not_nullable":
        return f"{column} is required"
    if check == "field_uniqueness":
        return f"{column} {shown(value)} is used by more than one record"
    if check == "multiple_fields_uniqueness":
        return "the same primary key appears more than once"
    if check == "column_in_dataframe":
        return f"column {value!r} is missing"
    if check == "column_in_schema":
        return f"column {value!r} is not in the schema"
    return f"{column} {shown(value)} {check}"


def pandera_findings(name: str, frame, pandera_schema) -> list[Finding]:
    import pandera.errors

    try:
        pandera_schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        found = []
        for case in errors.failure_cases.itertuples(index=False):
            row = None if case.index is None or case.index != case.index else int(case.index)
            message = messages(str(case.check), case.column, case.failure_case)
            found.append(Finding(name, row, case.column, message))
        return found
    return []


def column_findings(name: str, table, table_schema: Table) -> list[Finding]:
    """The table's columns against the schema's: none missing, none added, each its type."""
    expected = table_schema.arrow_schema()
    found = [
        Finding(name, None, column, messages("column_in_schema", None, column))
        for column in table.schema.names
        if column not in expected.names
    ]
    for field in expected:
        if field.name not in table.schema.names:
            message = messages("column_in_dataframe", None, field.name)
            found.append(Finding(name, None, field.name, message))
            continue
        actual = table.schema.field(field.name).type
        if actual != field.type:
            message = f"column {field.name} has type {actual}, expected {field.type}"
            found.append(Finding(name, None, field.name, message))
    return found


def keys_unique(table, table_schema: Table) -> bool:
    """Whether the table's keys are certainly unique, told at little cost: each unique
    column's values are distinct, and the rows are in strictly increasing primary-key
    order (a build's tables are sorted by it). False when not certain.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from koreasec_data.schemas import load_schemas, repository_schema_dir
    >>> schema = load_schemas(repository_schema_dir())["statement_events"]
    >>> rows = {"statement_id": ["s1", "s1", "s2"], "event_id": ["e1", "e2", "e1"]}
    >>> keys_unique(pa.table(rows), schema)
    True
    >>> rows["event_id"][1] = "e1"
    >>> keys_unique(pa.table(rows), schema)
    False
    """
    import pyarrow.compute as pc

    for field in table_schema.fields:
        if field.constraints.get("unique") and field.name in table.schema.names:
            column = table.column(field.name)
            if column.null_count or pc.count_distinct(column).as_py() != len(column):
                return False
    key = [name for name in table_schema.primary_key if name in table.schema.names]
    if len(key) < 2 or table.num_rows < 2:
        return len(key) == len(table_schema.primary_key)
    later = same = None  # each row's key after its predecessor's, and equal to it so far
    for name in key:
        column = table.column(name)
        if column.null_count:
            return False
        this, before = column.slice(1), column.slice(0, table.num_rows - 1)
        after, equal = pc.greater(this, before), pc.equal(this, before)
        later = after if later is None else pc.or_(later, pc.and_(same, after))
        same = equal if same is None else pc.and_(same, equal)
    return bool(pc.all(later).as_py())
