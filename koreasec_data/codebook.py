"""The codebook: every table and column of a package in Markdown, with its type, whether it
may be empty, its constraints and the meaning of every vocabulary value.

Rendered from :class:`~koreasec_data.schemas.Table` objects, so one renderer serves both
places they come from: ``schemas/`` (``docs/codebook.md``, written by
``koreasec-data codebook`` through ``compile/codebook.py``) and the Table Schemas stored in a
package's Parquet files (:func:`package_codebook`: the codebook of an export, which a wheel
user writes without ``schemas/`` or the build tools).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from koreasec_data.fields import Field
from koreasec_data.schemas import Table

__all__ = ["CONVENTIONS", "package_codebook", "render_codebook"]

#: What every codebook says after its introduction, before the tables.
CONVENTIONS = """\
Conventions:

- Evidence offsets (`evidence.start_offset`, `evidence.end_offset`) count Unicode code
  points of the decoded UTF-8 source text (Python string indices), not bytes:
  `text[start_offset:end_offset] == quote`.
- Dates are intervals: `date` is the first day, `date_end` the last, `date_precision`
  the unit the source states; relative dates are resolved against the source's
  publication date and the resolution is recorded in `date_basis`.
- Ids are stable across versions; a removed id is a major version change.
"""


def _constraints(field: Field, schema: Table) -> str:
    constraints = field.constraints
    parts = []
    if field.name in schema.primary_key:
        parts.append("primary key" if len(schema.primary_key) == 1 else "part of primary key")
    for key in schema.foreign_keys:
        if key["fields"][0] == field.name:
            target = key["reference"]["resource"] or "this table"
            parts.append(f"→ `{target}.{key['reference']['fields'][0]}`")
    if constraints.get("unique"):
        parts.append("unique")
    if "pattern" in constraints:
        parts.append(f"pattern `{constraints['pattern']}`")
    for name, word in (("minimum", "≥"), ("maximum", "≤")):
        if name in constraints:
            parts.append(f"{word} {constraints[name]}")
    if "maxLength" in constraints:
        parts.append(f"at most {constraints['maxLength']} characters")
    if "enum" in constraints:
        parts.append("vocabulary below")
    return "; ".join(parts)


def _type(field: Field) -> str:
    return f"list of {field.item_type}" if field.type == "array" else field.type


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_codebook(schemas: Iterable[Table], licence: str, intro: str) -> str:
    """Return the codebook of the tables ``schemas`` as Markdown: ``intro`` (which ends
    with a blank line), the :data:`CONVENTIONS`, every table, then the data's ``licence``.

    Examples
    --------
    >>> from koreasec_data.schemas import load_schemas, repository_schema_dir
    >>> schemas = load_schemas(repository_schema_dir()).values()
    >>> text = render_codebook(schemas, "CC-BY-4.0", "# Codebook\\n\\n")
    >>> "| `certainty` | string | required |" in text, text.endswith("CC-BY-4.0.\\n")
    (True, True)
    """
    lines = [intro + CONVENTIONS]
    for schema in schemas:
        name = schema.name
        lines += [f"## `{name}`", "", schema.description, ""]
        lines += [
            "| column | type | empty? | constraints | description |",
            "| --- | --- | --- | --- | --- |",
        ]
        for field in schema.fields:
            required = "required" if field.required else "may be null"
            lines.append(
                f"| `{field.name}` | {_type(field)} | {required} | "
                f"{_cell(_constraints(field, schema))} | {_cell(field.description)} |"
            )
        lines.append("")
        for field in schema.fields:
            if field.categories:
                lines += [
                    f"### `{name}.{field.name}`",
                    "",
                    "| value | meaning |",
                    "| --- | --- |",
                ]
                lines += [f"| `{value}` | {_cell(label)} |" for value, label in field.categories]
                lines.append("")
    lines.append(f"Licence of the data: {licence}.")
    return "\n".join(lines) + "\n"


def package_codebook(directory: str | Path | None, intro: str) -> str:
    """Return the codebook of the built package in ``directory`` (default: the installed
    data), from the Table Schemas stored in its Parquet files.

    Examples
    --------
    >>> text = package_codebook(None, "# Codebook\\n\\n")
    >>> "## `events`" in text and "### `events.certainty`" in text
    True
    """
    from koreasec_data.loader import read_descriptor, stored_schema, tables

    schemas = [stored_schema(name, directory) for name in tables(directory)]
    licence = read_descriptor(directory)["licenses"][0]["title"]
    return render_codebook(schemas, licence, intro)
