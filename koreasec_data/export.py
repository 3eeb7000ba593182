"""The tables as files for people who do not use Python: CSV, Stata, Parquet, or a DuckDB
script beside the Parquet files. How each format writes the data is said once, in
:data:`koreasec_data.provenance.FORMAT_NOTES` (and the README of every export).

Every export folder also holds what tells a co-author what it is (written by
:mod:`koreasec_data.provenance`): ``CITATION.cff``, ``README.md`` (dataset, version,
coverage, how to cite), ``codebook.md`` and ``datapackage.json``. The folder is written
whole or not at all; an earlier export in ``dest`` is replaced whole, and a ``dest`` that
holds anything else is refused, so no file of the user's is lost.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from koreasec_data.arguments import typed

__all__ = ["FORMATS", "STATA_LABEL_LIMIT", "export", "shortened"]

FORMATS = ("csv", "stata", "parquet", "sql")
#: Stata's limit on variable and data labels, in characters.
STATA_LABEL_LIMIT = 80


@typed
def export(fmt: str, dest: str | Path, directory: str | Path | None = None) -> list[Path]:
    """Write every table of the package (installed, or ``directory``) to the folder
    ``dest`` in ``fmt``, with its citation, README, codebook and descriptor; return the
    files written.

    Raises
    ------
    ValueError
        If ``fmt`` is unknown, ``dest`` holds files that no export wrote, or ``dest``
        holds the current folder (the new folder is swapped in for it).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as dest:
    ...     [path.name for path in export("csv", dest)][:5]
    ['CITATION.cff', 'README.md', 'actors.csv', 'agreement.csv', 'arms_deals.csv']
    """
    from koreasec_data.folders import StagedFolder, holds_other_files
    from koreasec_data.loader import folder, read_descriptor
    from koreasec_data.provenance import CODEBOOK, write_provenance

    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    source, dest = folder(directory), Path(dest)
    read_descriptor(source)  # not a package: said before anything is written
    if (dest.exists() and not dest.is_dir()) or holds_other_files(dest, CODEBOOK):
        raise ValueError(
            f"{dest} holds files that no koreasec-data export wrote; export to a new or "
            "empty folder (an earlier export there is replaced whole)"
        )
    if Path.cwd().is_relative_to(dest.resolve()):  # it is swapped in: it cannot hold you
        raise ValueError(f"{dest} holds the current folder; export to a folder inside it")
    with StagedFolder(dest) as staged:
        _WRITERS[fmt](source, staged.path)
        write_provenance(fmt, source, staged.path)
        staged.commit()
    return sorted(dest.iterdir())


def shortened(text: str, limit: int = STATA_LABEL_LIMIT) -> str:
    """``text``, or as many of its first words as fit in ``limit`` characters with "…".

    Examples
    --------
    >>> shortened("Kind of actor.")
    'Kind of actor.'
    >>> shortened("The first day of the interval the source states", 20)
    'The first day of…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:  # drop the word cut in two
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:(") + "…"


def _frame(name: str, source: Path, schema):
    """The table as pandas (NumPy-style types), list columns as JSON text."""
    from koreasec_data.loader import load

    frame = load(name, directory=source, types="numpy")
    for field in schema.fields:
        if field.type == "array":
            frame[field.name] = frame[field.name].map(
                lambda items: None if items is None else json.dumps(list(items), ensure_ascii=False)
            )
    return frame


def _csv(source: Path, out: Path) -> None:
    from koreasec_data.loader import stored_schema, tables

    for name in tables(source):
        frame = _frame(name, source, stored_schema(name, source))
        # pandas ends lines with os.linesep: CRLF on Windows, unlike every other file here.
        frame.to_csv(
            out / f"{name}.csv",
            index=False,
            encoding="utf-8",
            date_format="%Y-%m-%d",
            lineterminator="\n",
        )


def _stata(source: Path, out: Path) -> None:
    from koreasec_data.loader import read_descriptor, stored_schema, tables

    descriptor = read_descriptor(source)
    version = descriptor["version"]
    created = datetime.fromisoformat(descriptor["created"])
    for name in tables(source):
        schema = stored_schema(name, source)
        frame = _frame(name, source, schema)
        text = [
            c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) == "str"
        ]
        for column in text:  # Stata has no null string: empty
            frame[column] = frame[column].fillna("").astype(object)
        frame.to_stata(
            out / f"{name}.dta",
            write_index=False,
            version=118,
            convert_dates={f.name: "td" for f in schema.fields if f.type == "date"},
            variable_labels={f.name: shortened(f.description) for f in schema.fields},
            data_label=shortened(f"koreasec-data {version}: {name}"),
            time_stamp=created,  # not the clock: a release's archive is reproducible
            convert_strl=[c for c in text if frame[c].str.len().max() > 244],
        )


def _parquet(source: Path, out: Path) -> None:
    from koreasec_data.loader import read_descriptor

    for resource in read_descriptor(source)["resources"]:
        shutil.copy2(source / resource["path"], out)


def _sql(source: Path, out: Path) -> None:
    """The Parquet files, and beside them the DuckDB script that reads them by relative
    path: a table per file, with every description as a comment."""
    from koreasec_data.loader import stored_schema, table_file, tables
    from koreasec_data.provenance import SQL_SCRIPT, sql_header

    _parquet(source, out)
    lines = sql_header(source)
    for name in tables(source):
        path, schema = table_file(name, source).name, stored_schema(name, source)
        lines.append(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet({_quoted(path)});"
        )
        lines.append(f"COMMENT ON TABLE {name} IS {_quoted(schema.description)};")
        lines += [
            f"COMMENT ON COLUMN {name}.{field.name} IS {_quoted(field.description)};"
            for field in schema.fields
        ]
    (out / SQL_SCRIPT).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_WRITERS = {"csv": _csv, "stata": _stata, "parquet": _parquet, "sql": _sql}
