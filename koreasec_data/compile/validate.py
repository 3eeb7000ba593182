"""Check built tables: every row (pandera, derived from schemas/), every key and every quote.

The same checks run in ``koreasec-data build`` before anything is written and in
``koreasec-data validate`` on a built package.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from koreasec_data.compile import rules
from koreasec_data.compile.background import in_background
from koreasec_data.compile.evidence import checks
from koreasec_data.compile.records import record_label
from koreasec_data.compile.table_checks import column_findings, keys_unique, pandera_findings
from koreasec_data.problems import Finding, Problem, ProblemReport, say
from koreasec_data.schemas import Table

__all__ = [
    "DamagedPackage",
    "check_across",
    "check_rows",
    "check_tables",
    "identified",
    "not_checked",
    "validate_package",
]


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
    for name, table_schema in _at_hand(tables, schemas).items():
        numbers = None if rows is None else rows[name]
        if numbers is not None and len(numbers) == 0:
            continue  # its columns are checked by check_across
        table = tables[name] if numbers is None else tables[name].take(numbers)
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        part = pandera_findings(name, frame, table_schema.pandera_schema(keys=False))
        for rule in [*rules.ROW_RULES.get(name, []), *checks.ROW_RULES.get(name, [])]:
            part += rule(frame, name)
        if name == "evidence" and text_of is not None and "sources" in tables:
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


def check_across(tables, schemas: dict[str, Table], reported=frozenset()) -> list[Finding]:
    """The checks across rows and tables: columns and types, unique keys, the rules across
    rows, foreign keys, evidence coverage, participants named, captions (``reported``:
    as for :func:`check_tables`). The checks of the evidence, the largest table, run in
    a second thread meanwhile. A check that needs a table not in ``tables`` is not run
    (:func:`not_checked` names them)."""
    import pandas as pd

    evidence = in_background(_evidence_findings, tables, schemas, reported)
    found: list[Finding] = []
    for name, table_schema in _at_hand(tables, schemas).items():
        table = tables[name]
        found += column_findings(name, table, table_schema)
        if not keys_unique(table, table_schema):  # pandera names every duplicate
            keys = table_schema.pandera_schema(rows=False)
            names = [n for n in table.schema.names if n in keys.columns or n in (keys.unique or [])]
            frame = table.select(names).to_pandas(types_mapper=pd.ArrowDtype)
            found += pandera_findings(name, frame, keys)
        if name in rules.TABLE_RULES:
            frame = table.to_pandas(types_mapper=pd.ArrowDtype)
            for rule in rules.TABLE_RULES[name]:
                found += rule(frame, name)
    keyed = {
        name: schemas[name] for name, needs in _key_needs(schemas).items() if needs <= set(tables)
    }
    found += rules.foreign_keys(tables, keyed, reported)
    return found + evidence.result()


def _at_hand(tables, schemas: dict[str, Table]) -> dict[str, Table]:
    """The schemas of the tables in ``tables``."""
    return {name: schema for name, schema in schemas.items() if name in tables}


def _key_needs(schemas: dict[str, Table]) -> dict[str, set[str]]:
    """The tables the foreign keys of each table need: itself and those it refers to."""
    return {
        name: {name, *(key["reference"]["resource"] or name for key in schema.foreign_keys)}
        for name, schema in schemas.items()
    }


def _evidence_needs(schemas: dict[str, Table]) -> dict[str, set[str]]:
    """The tables each check of the evidence across tables needs."""
    citing = set(schemas["evidence"].field("record_table").enum) if "evidence" in schemas else set()
    return {
        "evidence coverage": {"evidence", *citing},
        "participants named": {"actors", "evidence", "event_actors"},
        "captions": {"events", "evidence"},
        "statements linked to events their articles report": {"evidence", "statement_events"},
    }


def not_checked(tables, schemas: dict[str, Table], names: list[str]) -> list[str]:
    """What :func:`check_tables` cannot check of the package of tables ``names`` with only
    ``tables`` at hand, each with the tables it lacks."""
    lacking = set(names) - set(tables)
    needs = {f"foreign keys of {name}": need for name, need in _key_needs(schemas).items()}
    needs |= _evidence_needs(schemas)
    needs["quotes"] = {"evidence", "sources"}
    return [
        f"{check} (needs {', '.join(sorted(need & lacking))})"
        for check, need in needs.items()
        if need & lacking and (check.removeprefix("foreign keys of ") not in lacking)
    ]


def _evidence_findings(tables, schemas: dict[str, Table], reported) -> list[Finding]:
    """Evidence coverage, participants named, captions, and statements linked to events
    their articles report: those whose tables are at hand."""
    run = {
        "evidence coverage": lambda: checks.coverage(tables, schemas, reported),
        "participants named": lambda: checks.participants_named(tables, schemas),
        "captions": lambda: checks.captions(tables),
        "statements linked to events their articles report": lambda: rules.links_reported(tables),
    }
    needs = _evidence_needs(schemas)
    return [found for check, find in run.items() if needs[check] <= set(tables) for found in find()]


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


def validate_package(
    directory: Path, root: Path = Path("."), say=say, texts: Path | None = None
) -> dict[str, Any]:
    """Re-check a built package: files against their hashes, every row, key and quote.

    Quotes are compared with the source texts in ``texts`` when given (each text must be
    there, with the sha256 the sources table records), else with those in
    ``root/raw/sources`` that are there (they are not shipped). Raises
    :class:`ProblemReport` on any problem, every file that is damaged, missing or not
    the package's among them (the checks that need a damaged table are not run, and
    ``say`` tells which); :class:`~koreasec_data.compile.package_files.CannotValidate`
    when there is no package to check.
    """
    from koreasec_data.compile.assemble import returning_memory

    with returning_memory():  # at 20,000 articles: 1,090 MiB peak instead of 1,349
        return _validate_package(Path(directory), Path(root), say, texts)


def _validate_package(directory: Path, root: Path, say, texts: Path | None) -> dict[str, Any]:
    from koreasec_data.compile import package_files

    repair = package_files.repair_advice(directory, root)
    descriptor = package_files.read_descriptor(directory, repair)
    if texts is not None and not Path(texts).is_dir():
        raise package_files.CannotValidate(Path(texts), "no such folder", "give the texts' folder")
    tables, damaged = package_files.read_tables(directory, descriptor)
    problems = [file.problem() for file in damaged]
    try:
        import frictionless
        import pandera  # noqa: F401 (the checks of rows)
    except ImportError:  # the files are checked; the rows cannot be
        message = "validate needs frictionless and pandera: pip install 'koreasec-data[build]'"
        if not damaged:
            raise ImportError(message) from None
        problems.append(Problem(str(directory), None, "", message))
        raise DamagedPackage(problems, repair) from None
    problems += package_files.descriptor_problems(frictionless, descriptor, directory)
    schemas = _schemas(root, tables)
    names = [resource["name"] for resource in descriptor["resources"]]
    problems += [
        Problem(str(directory / package_files.DESCRIPTOR), None, "", f"table {name} {why}")
        for name, why in [
            *((name, "is not in the schemas") for name in tables if name not in schemas),
            *((name, "is missing: not listed") for name in schemas if name not in names),
        ]
    ]
    misshapen = [  # a table without its columns: reported, then left out like a damaged one
        finding
        for name in [name for name in tables if name in schemas]
        for finding in column_findings(name, tables[name], schemas[name])
    ]
    for name in {finding.table for finding in misshapen}:
        del tables[name]
    for skipped in not_checked(tables, schemas, names):
        say(f"not checked, as a table is damaged or missing: {skipped}")
    sources = tables["sources"].to_pylist() if "sources" in tables else []
    held, refused = checks.texts_at_hand(texts or root / "raw" / "sources", sources)
    if texts is not None:
        problems += [text.problem() for text in refused]
    rows = sum(table.num_rows for table in tables.values())
    say(f"checking {rows} rows, {len(held)} source texts ...")
    for finding in misshapen + check_tables(tables, _at_hand(tables, schemas), held.get):
        where = str(directory / f"{finding.table}.parquet")
        row = None if finding.row is None else finding.row + 1
        record = record_label(finding.table, finding.record_id) if finding.record_id else ""
        problems.append(Problem(where, None, record, finding.message, row=row))
    if any(file.reason != package_files.Damage.UNLISTED for file in damaged):
        raise DamagedPackage(problems, repair)
    if problems:
        raise ProblemReport(problems, "validate")
    return descriptor


class DamagedPackage(ProblemReport):
    """A package with files damaged, missing or not its own: the problems, and
    ``repair``, what to do."""

    def __init__(self, problems: list[Problem], repair: str):
        super().__init__(problems, "validate")
        self.repair = repair
        self.args = (f"{self.args[0]}\nTo repair it: {repair}.",)


def _schemas(root: Path, tables: dict[str, Any]) -> dict[str, Table]:
    """The schemas of ``root/schemas`` in a checkout; elsewhere (an installed or downloaded
    package), the ones each table's Parquet file carries, in the package's order."""
    from koreasec_data.schemas import load_schemas, stored_table

    if (root / "schemas" / "package.json").is_file():
        return load_schemas(root / "schemas")
    return {name: stored_table(name, table.schema) for name, table in tables.items()}
