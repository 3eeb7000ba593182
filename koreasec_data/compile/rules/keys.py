"""Foreign keys: every reference names a row of the table it refers to."""

from __future__ import annotations

from koreasec_data.compile.membership import absent, union
from koreasec_data.problems import Finding, shown, similar_ids

__all__ = ["foreign_keys"]


def _singular(table: str) -> str:
    return table.removesuffix("s").replace("_", " ")


def foreign_keys(tables, schemas, reported) -> list[Finding]:
    """Every foreign key in the schemas resolves to a row of the referenced table.

    Returns a finding for each dangling reference. References to
    ``reported`` records (already reported, so missing) are not dangling.
    """
    found = []
    for name, table_schema in schemas.items():
        for key in table_schema.foreign_keys:
            column = key["fields"][0]
            target = key["reference"]["resource"] or name
            excused = [identifier for table, identifier in reported if table == target]
            known = union(tables[target].column(key["reference"]["fields"][0]), excused)
            values = tables[name].column(column).cast("string")
            rows = absent(values, known)
            ordered = sorted(set(known.to_pylist())) if rows else []
            for row in rows:
                value = values[row].as_py()
                article = "an" if _singular(target)[0] in "aeiou" else "a"
                message = (
                    f"{column} {shown(value)} is not {article} {_singular(target)} id; "
                    f"{similar_ids(value, ordered)}"
                )
                found.append(Finding(name, row, column, message))
    return found
