"""The tables as files for people who do not use Python: CSV and Stata, and Parquet.

- **CSV**: UTF-8, one file per table, a header row; dates ISO 8601; list columns (an
  actor's aliases) as a JSON array (``["Seoul", "South Korean"]``); empty cells are null.
- **Stata** (format 118, Unicode): variable labels from the column descriptions (cut to
  Stata's 80 characters), value labels from the vocabularies (codes in the codebook's
  order), dates as ``%td``, long text as strL, list columns as JSON text.
- **Parquet**: the package's own files, with ``datapackage.json``.
- **SQL** (for DuckDB): ``koreasec-data.sql``, which creates one table per Parquet file of
  the package folder it names, with ``COMMENT ON`` every table and column, so that
  ``DESCRIBE`` and ``duckdb_columns()`` show the codebook's descriptions.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

__all__ = ["FORMATS", "export"]

FORMATS = ("csv", "stata", "parquet", "sql")
#: Stata's limit on variable labels.
STATA_LABEL_LIMIT = 80


def _frame(name: str, directory, schema):
    """The table as pandas (NumPy-style types), list columns as JSON text."""
    from koreasec_data.loader import load

    frame = load(name, directory=directory, types="numpy")
    for field in schema.fields:
        if field.type == "array":
            frame[field.name] = frame[field.name].map(
                lambda items: None if items is None else json.dumps(list(items), ensure_ascii=False)
            )
    return frame


def export(fmt: str, dest: str | Path, directory: str | Path | None = None) -> list[Path]:
    """Write every table of the package (installed, or ``directory``) to ``dest`` in
    ``fmt``; return the files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as dest:
    ...     sorted(path.name for path in export("csv", dest))[:2]
    ['actors.csv', 'agreement.csv']
    """
    from koreasec_data.loader import folder, read_descriptor, stored_schema, tables

    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    source, dest = folder(directory), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    if fmt == "sql":
        path = dest / "koreasec-data.sql"
        path.write_text(_sql(source), encoding="utf-8", newline="\n")
        return [path]
    if fmt == "parquet":
        for resource in read_descriptor(source)["resources"]:
            written.append(Path(shutil.copy2(source / resource["path"], dest)))
        written.append(Path(shutil.copy2(source / "datapackage.json", dest)))
        return written
    created = datetime.fromisoformat(read_descriptor(source)["created"])
    for name in tables(directory):
        schema = stored_schema(name, directory)
        frame = _frame(name, directory, schema)
        if fmt == "csv":
            path = dest / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d")
        else:
            labels = {f.name: f.description[:STATA_LABEL_LIMIT] for f in schema.fields}
            dates = {f.name: "td" for f in schema.fields if f.type == "date"}
            text = [
                c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) == "str"
            ]
            for column in text:  # Stata has no null string: empty
                frame[column] = frame[column].fillna("").astype(object)
            path = dest / f"{name}.dta"
            frame.to_stata(
                path,
                write_index=False,
                version=118,
                convert_dates=dates,
                variable_labels=labels,
                data_label=schema.description[:STATA_LABEL_LIMIT],
                time_stamp=created,  # not the clock: a release's archive is reproducible
                convert_strl=[c for c in text if frame[c].str.len().max() > 244],
            )
        written.append(path)
    return written


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql(source: Path) -> str:
    """The DuckDB script: a table per Parquet file, with every description as a comment."""
    from koreasec_data.loader import stored_schema, table_file, tables

    lines = ["-- koreasec-data: run in DuckDB (duckdb -init koreasec-data.sql, or .read)."]
    for name in tables(source):
        path, schema = table_file(name, source).resolve(), stored_schema(name, source)
        lines.append(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet({_quoted(str(path))});"
        )
        lines.append(f"COMMENT ON TABLE {name} IS {_quoted(schema.description)};")
        lines += [
            f"COMMENT ON COLUMN {name}.{field.name} IS {_quoted(field.description)};"
            for field in schema.fields
        ]
    return "\n".join(lines) + "\n"
