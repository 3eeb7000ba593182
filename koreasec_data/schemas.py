"""The table schemas in ``schemas/``, and the Arrow schemas derived from them.

``schemas/`` holds one Frictionless Table Schema per table and ``package.json``
(package metadata and table order). Every other description of a column, the
Arrow schema, the pandera checks, ``datapackage.json`` and the codebook, is
derived from these files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA_METADATA_KEY",
    "SchemaError",
    "arrow_schema",
    "load_package_metadata",
    "load_schemas",
    "record_id",
    "record_ids",
    "repository_schema_dir",
]

#: File-level Parquet key holding the table's schema (JSON), for readers such as
#: DuckDB and polars that do not show Arrow field metadata.
SCHEMA_METADATA_KEY = "koreasec_data.schema"
#: Joins the primary-key values of a record into its id (e.g. ``ev-1/act-kor/target``).
ID_SEPARATOR = "/"


class SchemaError(Exception):
    """A file in ``schemas/`` is inconsistent; the message names the file and field."""


def repository_schema_dir() -> Path:
    """Return ``schemas/`` of the source tree this package was imported from."""
    return Path(__file__).resolve().parent.parent / "schemas"


def load_package_metadata(schema_dir: Path) -> dict[str, Any]:
    """Read ``package.json``: package-level metadata and the table order."""
    return json.loads((schema_dir / "package.json").read_text(encoding="utf-8"))


@cache
def _load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    schemas = {}
    for name in load_package_metadata(schema_dir)["resources"]:
        path = schema_dir / f"{name}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        _check_vocabularies(path, schema)
        schemas[name] = schema
    return schemas


def load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Read every table schema, in the table order of ``package.json``.

    Raises
    ------
    SchemaError
        If a field's ``categories`` (the meaning of each vocabulary value) do not
        list exactly the values of its ``enum`` constraint, in the same order.

    Examples
    --------
    >>> schemas = load_schemas(repository_schema_dir())
    >>> list(schemas)[:3]
    ['sources', 'actors', 'events']
    >>> schemas["actors"]["primaryKey"]
    ['actor_id']
    """
    return _load_schemas(Path(schema_dir).resolve())


def _check_vocabularies(path: Path, schema: dict[str, Any]) -> None:
    for field in schema["fields"]:
        enum = field.get("constraints", {}).get("enum")
        labelled = [category["value"] for category in field.get("categories", [])]
        if enum is not None and enum != labelled:
            message = (
                f"{path}: field {field['name']!r}: 'categories' must give a meaning for each "
                f"value of constraints.enum, in the same order; enum is {enum}, "
                f"categories are {labelled}"
            )
            raise SchemaError(message)


def record_id(table_schema: dict[str, Any], row: dict[str, Any]) -> str:
    """Return the id that evidence rows use for ``row``: its primary key joined by '/'.

    Examples
    --------
    >>> schema = {"primaryKey": ["event_id", "actor_id", "role"]}
    >>> record_id(schema, {"event_id": "ev-1", "actor_id": "act-kor", "role": "initiator"})
    'ev-1/act-kor/initiator'
    """
    return ID_SEPARATOR.join(str(row[key]) for key in table_schema["primaryKey"])


def record_ids(table, table_schema: dict[str, Any]):
    """Return every row's record id, as :func:`record_id` makes it, as an Arrow array.

    Examples
    --------
    >>> import pyarrow as pa
    >>> table = pa.table({"event_id": ["ev-1"], "actor_id": ["act-kor"], "role": ["target"]})
    >>> record_ids(table, {"primaryKey": ["event_id", "actor_id", "role"]}).to_pylist()
    ['ev-1/act-kor/target']
    """
    import pyarrow.compute as pc

    columns = [table.column(name).cast("string") for name in table_schema["primaryKey"]]
    if len(columns) == 1:
        return columns[0]
    return pc.binary_join_element_wise(*columns, ID_SEPARATOR)


def _arrow_type(field: dict[str, Any]):
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    if field["type"] == "array":
        # Parquet names list items "element"; naming them so here makes the schema
        # read back from a file equal to the one it was written with.
        return pa.list_(pa.field("element", types[field["arrayItem"]["type"]]))
    return types[field["type"]]


def arrow_schema(table_schema: dict[str, Any]):
    """Derive the Arrow schema used to write a table's Parquet file.

    Each field carries its description in its metadata and is nullable unless
    required; the table's whole Table Schema is stored under
    :data:`SCHEMA_METADATA_KEY`.

    Examples
    --------
    >>> schema = load_schemas(repository_schema_dir())["actors"]
    >>> arrow = arrow_schema(schema)
    >>> str(arrow.field("aliases").type), arrow.field("actor_id").nullable
    ('list<element: string>', False)
    """
    import pyarrow as pa

    fields = [
        pa.field(
            field["name"],
            _arrow_type(field),
            nullable=not field.get("constraints", {}).get("required", False),
            metadata={"description": field["description"]},
        )
        for field in table_schema["fields"]
    ]
    metadata = {SCHEMA_METADATA_KEY: json.dumps(table_schema, ensure_ascii=False, sort_keys=True)}
    return pa.schema(fields, metadata=metadata)
