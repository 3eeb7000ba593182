"""The tables of ``schemas/`` as objects that own every description derived from them.

``schemas/`` holds one Frictionless Table Schema per table, ``package.json`` (package
metadata, table order, the columns the build derives) and ``groups/`` (fields shared by
several tables, written once). :func:`load_schemas` returns one frozen :class:`Table`
per table; the Arrow schema, the pandera checks, the ``datapackage.json`` declaration,
record ids and the codebook all come from these objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from koreasec_data.fields import WITHIN_KEY, Field

__all__ = [
    "ID_SEPARATOR",
    "NAME_LIMIT",
    "SCHEMA_METADATA_KEY",
    "SchemaError",
    "Table",
    "load_package_metadata",
    "load_schemas",
    "repository_schema_dir",
    "stored_table",
]

#: File-level Parquet key holding the table's schema (JSON), for readers such as
#: DuckDB and polars that do not show Arrow field metadata.
SCHEMA_METADATA_KEY = "koreasec_data.schema"
#: Joins the primary-key values of a record into its id (e.g. ``ev-1/act-kor/target``).
ID_SEPARATOR = "/"
#: In ``package.json``: table -> the columns the build computes.
DERIVED_KEY = "koreasec:derived"
#: In a table's ``fields``: ``{"group": NAME, ...}`` stands for the fields of
#: ``groups/NAME.json``, whose descriptions are filled in from the entry's other keys.
GROUP_KEY = "group"
#: Longest column name: Stata's limit on variable names, checked when schemas load.
NAME_LIMIT = 32


class SchemaError(Exception):
    """A file in ``schemas/`` is inconsistent; the message names the file and field."""


@dataclass(frozen=True, eq=False)
class Table:
    """One table: its columns, keys and description.

    Examples
    --------
    >>> events = load_schemas(repository_schema_dir())["events"]
    >>> events.primary_key, events.field("certainty").required
    (('event_id',), True)
    >>> events.record_id({"event_id": "ev-000-01"})
    'ev-000-01'
    """

    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    #: The Table Schema as written, shared groups filled in.
    descriptor: dict[str, Any]

    @classmethod
    def from_descriptor(
        cls,
        name: str,
        descriptor: dict[str, Any],
        derived: frozenset[str] = frozenset(),
        groups: dict[str, str] | None = None,
    ) -> Table:
        """Make a table from a Table Schema (from ``schemas/`` or stored in a Parquet file).

        ``derived`` names the columns the build computes, ``groups`` maps a column to the
        shared group it was written in.
        """
        groups = groups or {}
        fields = tuple(
            Field.from_descriptor(field, field["name"] in derived, groups.get(field["name"]))
            for field in descriptor["fields"]
        )
        return cls(
            name=name,
            description=descriptor.get("description", ""),
            fields=fields,
            primary_key=tuple(descriptor["primaryKey"]),
            foreign_keys=tuple(descriptor.get("foreignKeys", [])),
            descriptor=descriptor,
        )

    @property
    def names(self) -> list[str]:
        return [field.name for field in self.fields]

    @property
    def written(self) -> tuple[Field, ...]:
        """The fields curators write (all but the derived ones)."""
        return tuple(field for field in self.fields if not field.derived)

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def has(self, name: str) -> bool:
        return name in self.names

    def record_id(self, row: dict[str, Any]) -> str:
        """Return the id that evidence rows use for ``row``: its primary key joined by '/'."""
        return ID_SEPARATOR.join(str(row[key]) for key in self.primary_key)

    def record_ids(self, table):
        """Every row's :meth:`record_id`, from an Arrow table, as an Arrow array."""
        import pyarrow.compute as pc

        columns = [table.column(name).cast("string") for name in self.primary_key]
        if len(columns) == 1:
            return columns[0]
        return pc.binary_join_element_wise(*columns, ID_SEPARATOR)

    def arrow_schema(self):
        """The Arrow schema the table's Parquet file is written with.

        Each field carries its description; the whole Table Schema is stored under
        :data:`SCHEMA_METADATA_KEY`.

        Examples
        --------
        >>> arrow = load_schemas(repository_schema_dir())["actors"].arrow_schema()
        >>> str(arrow.field("aliases").type), arrow.field("actor_id").nullable
        ('list<element: string>', False)
        """
        import pyarrow as pa

        text = json.dumps(self.descriptor, ensure_ascii=False, sort_keys=True)
        return pa.schema(
            [field.arrow_field() for field in self.fields], metadata={SCHEMA_METADATA_KEY: text}
        )

    def pandera_schema(self, rows: bool = True, keys: bool = True):
        """The pandera schema checking every row (types are checked on the Arrow schema):
        each row on its own (``rows``: values, and that the columns are the schema's),
        and that keys are unique (``keys``: across rows).

        Examples
        --------
        >>> schema = load_schemas(repository_schema_dir())["actors"].pandera_schema()
        >>> schema.columns["actor_id"].unique, schema.columns["parent_id"].nullable
        (True, True)
        >>> actors = load_schemas(repository_schema_dir())["event_actors"]
        >>> actors.pandera_schema(rows=False).unique, actors.pandera_schema(keys=False).unique
        (['event_id', 'actor_id', 'role'], None)
        """
        import pandera.pandas as pdr

        fields = [f for f in self.fields if rows or f.constraints.get("unique", False)]
        return pdr.DataFrameSchema(
            {field.name: field.pandera_column(rows, keys) for field in fields},
            strict=rows,
            unique=list(self.primary_key) if keys and len(self.primary_key) > 1 else None,
            report_duplicates="all",
        )

    def declared(self) -> dict[str, Any]:
        """The Table Schema as declared in ``datapackage.json`` (see :meth:`Field.declared`).

        Examples
        --------
        >>> actors = load_schemas(repository_schema_dir())["actors"].declared()
        >>> [f["type"] for f in actors["fields"] if f["name"] in ("aliases", "cow_code")]
        ['integer', 'any']
        """
        return {**self.descriptor, "fields": [field.declared() for field in self.fields]}


def stored_table(name: str, arrow_schema) -> Table:
    """The table a Parquet file describes: the Table Schema stored in its metadata."""
    descriptor = json.loads(arrow_schema.metadata[SCHEMA_METADATA_KEY.encode()])
    return Table.from_descriptor(name, descriptor)


def repository_schema_dir() -> Path:
    """Return ``schemas/`` of the source tree this package was imported from."""
    return Path(__file__).resolve().parent.parent / "schemas"


def load_package_metadata(schema_dir: Path) -> dict[str, Any]:
    """Read ``package.json``: package-level metadata and the table order."""
    return json.loads((Path(schema_dir) / "package.json").read_text(encoding="utf-8"))


def load_schemas(schema_dir: Path) -> dict[str, Table]:
    """Read every table schema, in the table order of ``package.json``.

    Raises
    ------
    SchemaError
        If a field's ``categories`` (the meaning of each vocabulary value) do not
        list exactly the values of its ``enum`` constraint, in the same order, or a
        group or derived column names nothing.

    Examples
    --------
    >>> schemas = load_schemas(repository_schema_dir())
    >>> list(schemas)[:3]
    ['sources', 'actors', 'events']
    >>> schemas["sources"].field("headline").derived
    True
    """
    return _load_schemas(Path(schema_dir).resolve())


@cache
def _load_schemas(schema_dir: Path) -> dict[str, Table]:
    metadata = load_package_metadata(schema_dir)
    derived = metadata.get(DERIVED_KEY, {})
    tables = {}
    for name in metadata["resources"]:
        path = schema_dir / f"{name}.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor["fields"], groups = _fill_groups(schema_dir, path, descriptor["fields"])
        _check_vocabularies(path, descriptor)
        _check_refinements(path, descriptor)
        _check_names(path, descriptor)
        table = Table.from_descriptor(name, descriptor, frozenset(derived.get(name, [])), groups)
        unknown = set(derived.get(name, [])) - set(table.names)
        if unknown:
            message = f"{schema_dir / 'package.json'}: {DERIVED_KEY} names no column {unknown}"
            raise SchemaError(message)
        tables[name] = table
    return tables


def _fill_groups(schema_dir: Path, path: Path, fields: list[dict[str, Any]]):
    """Return the fields with every group entry filled in, and column -> group."""
    filled, groups = [], {}
    for entry in fields:
        if GROUP_KEY not in entry:
            filled.append(entry)
            continue
        group = schema_dir / "groups" / f"{entry[GROUP_KEY]}.json"
        try:
            shared = json.loads(group.read_text(encoding="utf-8"))
        except OSError as error:
            raise SchemaError(f"{path}: group {entry[GROUP_KEY]!r}: {error}") from None
        words = {key: value for key, value in entry.items() if key != GROUP_KEY}
        for field in shared:
            groups[field["name"]] = entry[GROUP_KEY]
            try:
                filled.append({**field, "description": field["description"].format(**words)})
            except KeyError as error:
                message = f"{path}: group {entry[GROUP_KEY]!r} needs {error} for {field['name']!r}"
                raise SchemaError(message) from None
    return filled, groups


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


def _check_refinements(path: Path, schema: dict[str, Any]) -> None:
    """A field that refines another (an event's subtype its type) gives, for each of its
    categories, a value of the other field's vocabulary."""
    vocabularies = {f["name"]: f.get("constraints", {}).get("enum") for f in schema["fields"]}
    for field in schema["fields"]:
        if WITHIN_KEY not in field:
            continue
        allowed = vocabularies.get(field[WITHIN_KEY]) or []
        wrong = [
            category["value"]
            for category in field.get("categories", [])
            if category.get(WITHIN_KEY) not in allowed
        ]
        if not allowed or wrong:
            message = (
                f"{path}: field {field['name']!r} refines {field[WITHIN_KEY]!r}: each of its "
                f"categories needs {WITHIN_KEY!r}, one of {allowed}; wrong or missing for {wrong}"
            )
            raise SchemaError(message)


def _check_names(path: Path, schema: dict[str, Any]) -> None:
    """Column names must survive every export: Stata allows 32 characters."""
    long = [f["name"] for f in schema["fields"] if len(f["name"]) > NAME_LIMIT]
    if long:
        message = (
            f"{path}: column names longer than {NAME_LIMIT} characters (Stata's limit): "
            f"{long}; shorten them"
        )
        raise SchemaError(message)
