"""Check built tables: every row (pandera, derived from schemas/), every key and every quote.

The same checks run in ``koreasec-data build`` before anything is written and in
``koreasec-data validate`` on a built package.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from koreasec_data.compile import rules
from koreasec_data.compile.background import in_background
from koreasec_data.compile.evidence import checks
from koreasec_data.compile.records import record_label
from koreasec_data.problems import Finding, Problem, ProblemReport, say, shown
from koreasec_data.schemas import Table

__all__ = ["check_across", "check_rows", "check_tables", "identified", "validate_package"]


def _messages(check: str, column: str | None, value: Any) -> str:
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


def _pandera_findings(name: str, frame, pandera_schema) -> list[Finding]:
    import pandera.errors

    try:
        pandera_schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        found = []
        for case in errors.failure_cases.itertuples(index=False):
            row = None if case.index is None or case.index != case.index else int(case.index)
            message = _messages(str(case.check), case.column, case.failure_case)
            found.append(Finding(name, row, case.column, message))
        return found
    return []


def _column_findings(name: str, table, table_schema: Table) -> list[Finding]:
    """The table's columns against the schema's: none missing, none added, each its type."""
    expected = table_schema.arrow_schema()
    found = [
        Finding(name, None, column, _messages("column_in_schema", None, column))
        for column in table.schema.names
        if column not in expected.names
    ]
    for field in expected:
        if field.name not in table.schema.names:
            message = _messages("column_in_dataframe", None, field.name)
            found.append(Finding(name, None, field.name, message))
            continue
        actual = table.schema.field(field.name).type
        if actual != field.type:
            message = f"column {field.name} has type {actual}, expected {field.type}"
            found.append(Finding(name, None, field.name, message))
    return found


def check_tables(
    tables: dict[str, Any],
    schemas: dict[str, Table],
    text_of=None,
    reported: set[tuple[str, str]] = frozenset(),
) -> list[Finding]:
    """Run every check on a set of Arrow tables and return what fails, each failing row
    named by its record (:func:`check_rows` and :func:`check_across`).

    Checks run on Arrow data (pandas frames backed by Arrow, Arrow compute for keys), so
    they need little memory beyond the tables; record ids are made for failing rows only.

    Parameters
    ----------
    tables : dict of str to pyarrow.Table
        Every table of the package.
    schemas : dict of str to Table
        The tables' schemas, as from :func:`koreasec_data.schemas.load_schemas`.
    text_of : callable, optional
        A source's text by source_id, or None when not at hand (see
        :func:`~koreasec_data.compile.evidence.checks.source_texts`); when given, every
        quote is compared with its text.
    reported : set of (table, id)
        Records with problems already reported (by the raw reader); references to
        them and their missing evidence are not reported again.
    """
    found = check_rows(tables, schemas, text_of) + check_across(tables, schemas, reported)
    return identified(found, tables, schemas)


def check_rows(tables, schemas: dict[str, Table], text_of=None, rows=None) -> list[Finding]:
    """The checks of each row on its own: its values (pandera), the rules within a row
    and its quote against the text (``text_of``, as for :func:`check_tables`).

    ``rows``: table name -> the numbers of the rows to check (an Arrow array), for a
    build that knows the others passed before, unchanged; None: every row.
    """
    import pandas as pd

    found: list[Finding] = []
    for name, table_schema in schemas.items():
        numbers = None if rows is None else rows[name]
        if numbers is not None and len(numbers) == 0:
            continue  # its columns are checked by check_across
        table = tables[name] if numbers is None else tables[name].take(numbers)
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        part = _pandera_findings(name, frame, table_schema.pandera_schema(keys=False))
        for rule in [*rules.ROW_RULES.get(name, []), *checks.ROW_RULES.get(name, [])]:
            part += rule(frame, name)
        if name == "evidence" and text_of is not None:
            part += checks.quotes_match(table, text_of)
        if numbers is not None:
            row_of = numbers.to_pylist()
            part = [
                dataclasses.replace(finding, row=row_of[finding.row])
                if finding.row is not None
                else finding
                for finding in part
            ]
        found += part
    return found


def _keys_unique(table, table_schema: Table) -> bool:
    """Whether the table's keys are certainly unique, told at little cost: each unique
    column's values are distinct, and the rows are in strictly increasing primary-key
    order (a build's tables are sorted by it). False when not certain.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from koreasec_data.schemas import load_schemas, repository_schema_dir
    >>> schema = load_schemas(repository_schema_dir())["statement_events"]
    >>> rows = {"statement_id": ["s1", "s1", "s2"], "event_id": ["e1", "e2", "e1"]}
    >>> _keys_unique(pa.table(rows), schema)
    True
    >>> rows["event_id"][1] = "e1"
    >>> _keys_unique(pa.table(rows), schema)
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


def check_across(tables, schemas: dict[str, Table], reported=frozenset()) -> list[Finding]:
    """The checks across rows and tables: columns and types, unique keys, the rules across
    rows, foreign keys, evidence coverage, participants named, captions (``reported``:
    as for :func:`check_tables`). The checks of the evidence, the largest table, run in
    a second thread meanwhile."""
    import pandas as pd

    evidence = in_background(_evidence_findings, tables, schemas, reported)
    found: list[Finding] = []
    for name, table_schema in schemas.items():
        table = tables[name]
        found += _column_findings(name, table, table_schema)
        if not _keys_unique(table, table_schema):  # pandera names every duplicate
            keys = table_schema.pandera_schema(rows=False)
            names = [n for n in table.schema.names if n in keys.columns or n in (keys.unique or [])]
            frame = table.select(names).to_pandas(types_mapper=pd.ArrowDtype)
            found += _pandera_findings(name, frame, keys)
        if name in rules.TABLE_RULES:
            frame = table.to_pandas(types_mapper=pd.ArrowDtype)
            for rule in rules.TABLE_RULES[name]:
                found += rule(frame, name)
    found += rules.foreign_keys(tables, schemas, reported)
    return found + evidence.result()


def _evidence_findings(tables, schemas: dict[str, Table], reported) -> list[Finding]:
    """Evidence coverage, participants named, captions, and statements linked to events
    their articles report."""
    return (
        checks.coverage(tables, schemas, reported)
        + checks.participants_named(tables, schemas)
        + checks.captions(tables)
        + rules.links_reported(tables)
    )


def identified(found: list[Finding], tables, schemas) -> list[Finding]:
    """Name the record of each failing row."""
    rows: dict[str, list[int]] = {}
    for finding in found:
        if finding.row is not None:
            rows.setdefault(finding.table, []).append(finding.row)
    ids = {}
    for name, numbers in rows.items():
        named = schemas[name].record_ids(tables[name].take(numbers)).to_pylist()
        ids[name] = dict(zip(numbers, named, strict=True))
    return [
        dataclasses.replace(finding, record_id=ids[finding.table][finding.row])
        if finding.row is not None
        else finding
        for finding in found
    ]


def validate_package(directory: Path, root: Path = Path("."), say=say) -> dict[str, Any]:
    """Re-check a built package: files against their hashes, every row, key and quote.

    Quotes are compared with the source texts in ``root/raw/sources`` when those are
    present (they are not shipped). Raises :class:`ProblemReport` on any problem.
    """
    from koreasec_data.compile.assemble import returning_memory

    with returning_memory():  # at 20,000 articles: 1,090 MiB peak instead of 1,349
        return _validate_package(Path(directory), Path(root), say)


def _validate_package(directory: Path, root: Path, say) -> dict[str, Any]:
    from koreasec_data.compile.datapackage import DESCRIPTOR, read_tables

    descriptor, tables, problems = read_tables(directory)
    schemas = _schemas(root, tables)
    problems += _descriptor_problems(directory / DESCRIPTOR) if descriptor else []
    missing = [name for name in schemas if name not in tables]
    if descriptor and not missing:
        texts = checks.texts_at_hand(root, tables["sources"].to_pylist())
        rows = sum(table.num_rows for table in tables.values())
        say(f"checking {rows} rows, {len(texts)} source texts ...")
        for finding in check_tables(tables, schemas, texts.get):
            where = str(directory / f"{finding.table}.parquet")
            row = None if finding.row is None else finding.row + 1
            record = record_label(finding.table, finding.record_id) if finding.record_id else ""
            problems.append(Problem(where, None, record, finding.message, row=row))
    elif descriptor:
        problems.append(Problem(str(directory), None, "", f"tables missing: {', '.join(missing)}"))
    if problems:
        raise ProblemReport(problems, "validate")
    return descriptor


def _schemas(root: Path, tables: dict[str, Any]) -> dict[str, Table]:
    """The schemas of ``root/schemas`` in a checkout; elsewhere (an installed or downloaded
    package), the ones each table's Parquet file carries, in the package's order."""
    from koreasec_data.schemas import load_schemas, stored_table

    if (root / "schemas" / "package.json").is_file():
        return load_schemas(root / "schemas")
    return {name: stored_table(name, table.schema) for name, table in tables.items()}


def _descriptor_problems(path: Path) -> list[Problem]:
    """Validate datapackage.json against the Frictionless Data Package profile."""
    try:
        import frictionless
    except ImportError:
        message = "validate needs frictionless and pandera: pip install 'koreasec-data[build]'"
        raise ImportError(message) from None

    descriptor = json.loads(path.read_text(encoding="utf-8"))
    errors = frictionless.Package.metadata_validate(descriptor)
    return [Problem(str(path), None, "", error.message) for error in errors]
