"""What an export folder says of itself, so that a co-author who gets only the folder knows
which version it is, what it covers and how to cite it: ``CITATION.cff`` (the package's),
``README.md``, ``codebook.md`` (from the schemas stored in the Parquet files) and
``datapackage.json`` (a Frictionless descriptor of the files it holds).

The coverage sentence, which says the data is a pilot, is :mod:`koreasec_data.coverage`'s;
the citations are :func:`koreasec_data.cite`'s, from the package's ``CITATION.cff``.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CODEBOOK",
    "FORMAT_NOTES",
    "README",
    "SQL_SCRIPT",
    "sql_header",
    "write_provenance",
]

#: The codebook of every export: also how an earlier export is recognised in ``dest``.
CODEBOOK = "codebook.md"
README = "README.md"
CITATION = "CITATION.cff"
DESCRIPTOR = "datapackage.json"
#: The DuckDB script of ``--format sql``, beside its Parquet files.
SQL_SCRIPT = "koreasec-data.sql"
#: How each format holds the tables: in every export's README.
FORMAT_NOTES = {
    "csv": "one CSV file per table: UTF-8, a header row, dates ISO 8601 (YYYY-MM-DD), "
    'empty cells null, list columns (an actor\'s aliases) as JSON arrays (["Seoul", '
    '"South Korean"]). datapackage.json makes the folder a Frictionless data package: '
    "the tables' schemas (types, vocabularies, keys) and each file's sha256, so that "
    "`frictionless validate datapackage.json` checks every file.",
    "stata": "one Stata file (format 118, Unicode) per table: variable labels from the "
    "column descriptions (shortened at a word to Stata's 80 characters; codebook.md has "
    "them whole), value labels from the vocabularies (codes in the codebook's order), "
    'dates as %td, long text as strL, list columns as JSON text, empty text as "". '
    "Each file's data label is its version and table. datapackage.json lists every file "
    "with its sha256.",
    "parquet": "the package's own Parquet files, one per table, each with its Table "
    "Schema in its metadata; datapackage.json describes them with their sha256.",
    "sql": "the package's own Parquet files, one per table, and koreasec-data.sql, a "
    "DuckDB script that creates a table from each (read by its path relative to the "
    "folder) with every table's and column's description as a comment, so that DESCRIBE "
    "and duckdb_columns() show the codebook. datapackage.json describes the Parquet "
    "files with their sha256, and the script's (koreasec:script).",
}
#: How to run the SQL script: with the DuckDB command-line program, or from Python.
RUN_SQL = """\
The script reads the Parquet files by paths relative to this folder, so the folder can be
moved or zipped whole. With the DuckDB command-line program (https://duckdb.org, not part
of koreasec-data), in this folder:

    duckdb -init koreasec-data.sql

From Python (`pip install duckdb`), FOLDER being this folder:

    import duckdb
    connection = duckdb.connect()
    connection.execute("SET file_search_path = 'FOLDER'")  # where the Parquet files are
    connection.execute(open("FOLDER/koreasec-data.sql", encoding="utf-8").read())
    connection.sql("SELECT column_name, comment FROM duckdb_columns() "
                   "WHERE table_name = 'events'").show()
"""


@dataclass(frozen=True)
class _About:
    """What every file of an export says: the data's title, version, coverage, citation."""

    title: str
    version: str
    coverage: str
    apa: str
    bibtex: str
    licence: str


def _about(source: Path) -> _About:
    from koreasec_data.citation import cite
    from koreasec_data.coverage import coverage
    from koreasec_data.loader import read_descriptor

    package = read_descriptor(source)
    licence = package["licenses"][0]
    return _About(
        title=package["title"],
        version=package["version"],
        coverage=coverage(source).summary(),
        apa=cite("apa", directory=source),
        bibtex=cite("bibtex", directory=source).rstrip("\n"),
        licence=f"{licence['title']} ({licence['path']})",
    )


def write_provenance(fmt: str, source: Path, out: Path) -> None:
    """Write ``CITATION.cff``, ``README.md``, ``codebook.md`` and ``datapackage.json`` of
    the ``fmt`` export of the package ``source`` into ``out``, which holds its tables."""
    from koreasec_data.codebook import package_codebook

    about = _about(source)
    shutil.copy2(source / CITATION, out / CITATION)
    codebook = package_codebook(source, _codebook_intro(about))
    (out / CODEBOOK).write_text(codebook, encoding="utf-8", newline="\n")
    (out / README).write_text(_readme(fmt, about), encoding="utf-8", newline="\n")
    if fmt == "parquet":
        shutil.copy2(source / DESCRIPTOR, out / DESCRIPTOR)
    else:
        text = json.dumps(_descriptor(fmt, source, out), indent=2, ensure_ascii=False)
        (out / DESCRIPTOR).write_text(text + "\n", encoding="utf-8", newline="\n")


def _wrapped(text: str, prefix: str = "", then: str | None = None) -> list[str]:
    """``text`` in lines of 88 characters, the first after ``prefix``, the others after
    ``then`` (default: ``prefix``)."""
    then = prefix if then is None else then
    return textwrap.wrap(text, width=88, initial_indent=prefix, subsequent_indent=then)


def _codebook_intro(about: _About) -> str:
    lines = [
        f"<!-- Written by `koreasec-data export` from the Table Schemas stored in the "
        f"Parquet files of koreasec-data {about.version}. -->",
        f"# Codebook of koreasec-data {about.version}",
        "",
        *_wrapped(
            "Every table and column of the data set, with its type, whether it may be empty, "
            "its constraints, and the meaning of every vocabulary value, as stored with the "
            f"data of version {about.version}."
        ),
        "",
        *_wrapped(about.coverage),
        "",
        *_wrapped(f"Cite it as: {about.apa} (see {CITATION} and {README})."),
        "",
        "",
    ]
    return "\n".join(lines)


def _readme(fmt: str, about: _About) -> str:
    from koreasec_data import __version__

    lines = [
        f"# {about.title}",
        "",
        *_wrapped(
            f"Version {about.version} of the data set koreasec-data, written by "
            f"`koreasec-data export --format {fmt}` (koreasec-data {__version__})."
        ),
        "",
        *_wrapped(about.coverage),
        "",
        "## How to cite",
        "",
        "Cite the exact version:",
        "",
        *_wrapped(about.apa, "    "),
        "",
        "BibTeX:",
        "",
        "```bibtex",
        about.bibtex,
        "```",
        "",
        *_wrapped(
            f"{CITATION} holds the citation; with koreasec-data installed, "
            "`koreasec-data cite --directory FOLDER --style apa` prints it in any style "
            "(bibtex, apa, cff)."
        ),
        "",
        "## What is here",
        "",
        *_wrapped(FORMAT_NOTES[fmt], "- ", "  "),
        f"- {CODEBOOK}: every table and column: its type, whether it may be empty, its",
        "  constraints and the meaning of every vocabulary value.",
        f"- {DESCRIPTOR}: the Frictionless descriptor of the files.",
        f"- {CITATION}: the citation (Citation File Format).",
        "",
    ]
    if fmt == "sql":
        lines += ["## Running the SQL script", "", RUN_SQL]
    lines += [f"Licence of the data: {about.licence}.", ""]
    return "\n".join(lines)


def sql_header(source: Path) -> list[str]:
    """The comment lines that open the SQL script: version, coverage, citation, how to run."""
    about = _about(source)
    return [
        f"-- koreasec-data {about.version}: every table, with its descriptions as comments.",
        *_wrapped(about.coverage, "-- "),
        *_wrapped(f"Cite it as: {about.apa} (see {CITATION} and {README}).", "-- "),
        "-- Reads the Parquet files beside it by relative path. In this folder, with the",
        "-- DuckDB command-line program: duckdb -init koreasec-data.sql; from Python: README.md.",
    ]


def _file(out: Path, name: str) -> dict[str, object]:
    from koreasec_data.hashes import file_sha256

    path = out / name
    return {"path": name, "hash": f"sha256:{file_sha256(path)}", "bytes": path.stat().st_size}


def _descriptor(fmt: str, source: Path, out: Path) -> dict[str, object]:
    """The Frictionless descriptor of an export's data files: for CSV a tabular data
    package with the package's Table Schemas as written (list columns are ``array``: JSON
    text, as the CSV holds them); for Stata the files and their sha256; for SQL the
    package's own, with the script's sha256."""
    from koreasec_data.loader import read_descriptor, stored_schema

    package = read_descriptor(source)
    if fmt == "sql":
        return {**package, "koreasec:script": _file(out, SQL_SCRIPT)}
    resources = []
    for resource in package["resources"]:
        name = resource["name"]
        entry = {"name": name, **_file(out, f"{name}.{'csv' if fmt == 'csv' else 'dta'}")}
        if fmt == "csv":
            entry |= {"profile": "tabular-data-resource", "format": "csv"}
            entry |= {"mediatype": "text/csv", "encoding": "utf-8"}
            entry |= {"description": resource["description"]}
            entry["schema"] = stored_schema(name, source).descriptor
        else:
            entry |= {"format": "dta", "mediatype": "application/x-stata-dta"}
            entry["description"] = resource["description"]
        resources.append(entry)
    profile = "tabular-data-package" if fmt == "csv" else "data-package"
    return {**package, "profile": profile, "resources": resources}
