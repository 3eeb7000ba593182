"""A column of a table, as declared in ``schemas/``, and everything derived from it.

A :class:`Field` is read once from its Frictionless field descriptor and owns its
conversions: the Arrow field it is written as, the pandera column that checks it, the
declaration in ``datapackage.json``, and the conversion of a curator's YAML value.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from koreasec_data.problems import shown

__all__ = ["CODE_LIST_KEY", "TEXT_KEY", "WITHIN_KEY", "Field", "refused_character"]

#: In a field: the code list its values must belong to (see koreasec_data.compile.codes).
CODE_LIST_KEY = "koreasec:codeList"
#: In a field: what its text may hold: "name" (a name or an id: no invisible character),
#: "line" (the default: one line of free text) or "multiline" (tabs and line breaks too).
TEXT_KEY = "koreasec:text"
#: In a field: the field whose value each of its categories refines; in each category,
#: the value of that field it belongs to (an event subtype's event type).
WITHIN_KEY = "koreasec:within"
#: Unicode categories refused in all text: control characters (C0, C1, DEL) and the line
#: and paragraph separators U+2028/U+2029 (tabs and line breaks: "multiline" only).
_CONTROLS = {"Cc", "Zl", "Zp"}
#: Refused in names and ids too: invisible format characters (bidirectional controls such
#: as U+202E, zero-width characters, the soft hyphen) and private-use characters.
_INVISIBLE = {"Cf", "Co"}
_LAYOUT = {"\t", "\n"}

_PYTHON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "date": (dt.date, str),
    "array": (list,),
}


@dataclass(frozen=True, eq=False)
class Field:
    """One column: name, type, meaning, constraints, vocabulary.

    Examples
    --------
    >>> field = Field.from_descriptor({"name": "n", "type": "integer", "description": "A count.",
    ...                                "constraints": {"required": True, "minimum": 0}})
    >>> field.required, field.constraints["minimum"], str(field.arrow_field().type)
    (True, 0, 'int64')
    >>> field.convert(3)
    3
    """

    name: str
    type: str
    description: str
    constraints: dict[str, Any]
    #: The vocabulary as (value, meaning) pairs, in the codebook's order; empty if none.
    categories: tuple[tuple[str, str], ...]
    #: Computed by the build, never written by curators.
    derived: bool
    #: The shared group (``schemas/groups/``) the field comes from, if any.
    group: str | None
    #: The descriptor exactly as written (after shared groups are filled in).
    descriptor: dict[str, Any]

    @classmethod
    def from_descriptor(
        cls, descriptor: dict[str, Any], derived: bool = False, group: str | None = None
    ) -> Field:
        return cls(
            name=descriptor["name"],
            type=descriptor["type"],
            description=descriptor.get("description", ""),
            constraints=dict(descriptor.get("constraints", {})),
            categories=tuple((c["value"], c["label"]) for c in descriptor.get("categories", [])),
            derived=derived,
            group=group,
            descriptor=descriptor,
        )

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    @property
    def text_kind(self) -> str:
        """What the column's text may hold (:data:`TEXT_KEY`): a column with a pattern
        (an id) is a name."""
        return self.descriptor.get(TEXT_KEY, "name" if "pattern" in self.constraints else "line")

    @property
    def code_list(self) -> str | None:
        """The code list the column's values belong to (e.g. ISO 4217); None if none."""
        return self.descriptor.get(CODE_LIST_KEY)

    @property
    def within(self) -> tuple[str, dict[str, str]] | None:
        """The field this one refines and, for each value, the value of that field it
        belongs to; None for a field that refines none.

        Examples
        --------
        >>> Field.from_descriptor({"name": "sub", "type": "string", WITHIN_KEY: "kind",
        ...     "categories": [{"value": "visit", "label": "A visit.", WITHIN_KEY: "MEET"}]}
        ... ).within
        ('kind', {'visit': 'MEET'})
        """
        if WITHIN_KEY not in self.descriptor:
            return None
        parents = self.descriptor.get("categories", [])
        return self.descriptor[WITHIN_KEY], {c["value"]: c[WITHIN_KEY] for c in parents}

    @property
    def item_type(self) -> str | None:
        """The type of a list column's items; None for other columns."""
        return self.descriptor["arrayItem"]["type"] if self.type == "array" else None

    def arrow_type(self):
        import pyarrow as pa

        types = {
            "string": pa.string(),
            "integer": pa.int64(),
            "number": pa.float64(),
            "boolean": pa.bool_(),
            "date": pa.date32(),
        }
        if self.type == "array":
            # Parquet names list items "element"; naming them so here makes the schema
            # read back from a file equal to the one it was written with.
            return pa.list_(pa.field("element", types[self.item_type]))
        return types[self.type]

    def arrow_field(self):
        """The Arrow field: nullable unless required, the description in its metadata."""
        import pyarrow as pa

        metadata = {"description": self.description}
        return pa.field(self.name, self.arrow_type(), nullable=not self.required, metadata=metadata)

    def declared(self) -> dict[str, Any]:
        """The field as declared in ``datapackage.json``.

        frictionless-py reads Parquet through pandas, which turns list cells into numpy
        arrays and integer nulls into NaN; so list columns are declared ``any`` (their
        Arrow type is kept in ``koreasec:arrowType``) and nullable numeric columns count
        ``nan`` as missing. Everything else is the field as written in ``schemas/``.
        """
        declared = {key: value for key, value in self.descriptor.items() if key != "arrayItem"}
        if self.type == "array":
            declared["type"] = "any"
            declared["koreasec:arrowType"] = f"list<{self.item_type}>"
        elif self.type in ("integer", "number") and not self.required:
            declared["missingValues"] = ["", "nan"]
        return declared

    def pandera_column(self, rows: bool = True, keys: bool = True):
        """The pandera column checking every constraint but the type (Arrow checks that):
        of each value on its own (``rows``) and that values are unique (``keys``)."""
        import pandera.pandas as pdr

        constraints, checks = self.constraints if rows else {}, []
        if "enum" in constraints:
            allowed = ", ".join(constraints["enum"])
            checks.append(pdr.Check.isin(constraints["enum"], error=f"must be one of: {allowed}"))
        if "pattern" in constraints:
            pattern = constraints["pattern"]
            error = f"must match the pattern {pattern}"
            checks.append(pdr.Check.str_matches(f"^(?:{pattern})$", error=error))
        if "minimum" in constraints:
            minimum = constraints["minimum"]
            checks.append(pdr.Check.ge(minimum, error=f"must be at least {minimum}"))
        if "maximum" in constraints:
            maximum = constraints["maximum"]
            checks.append(pdr.Check.le(maximum, error=f"must be at most {maximum}"))
        if "maxLength" in constraints:
            length = constraints["maxLength"]
            error = f"must be at most {length} characters"
            checks.append(pdr.Check.str_length(max_value=length, error=error))
        return pdr.Column(
            name=self.name,
            nullable=not (rows and self.required),
            unique=keys and self.constraints.get("unique", False),
            checks=checks,
            report_duplicates="all",
        )

    def convert(self, value: Any) -> Any:
        """Check a curator's YAML value against this column's type; return it in table form.

        Raises
        ------
        ValueError
            Saying what was expected and what was found.
        """
        kind = self.type
        if value is None:
            if kind == "boolean":
                return False
            if kind == "array":
                return []
            if self.required:
                raise ValueError("is required")
            return None
        if (isinstance(value, bool) and kind != "boolean") or not isinstance(
            value, _PYTHON_TYPES[kind]
        ):
            raise ValueError(
                f"expected {kind}, found {shown(value)}; "
                "quote text values that look like numbers or dates"
            )
        if kind == "date" and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if kind == "integer" and not -(2**63) <= value < 2**63:
            raise ValueError(f"{shown(value)} is too large for a 64-bit integer")
        if kind == "number":
            try:
                return float(value)
            except OverflowError:
                raise ValueError(f"{shown(value)} is too large for a number") from None
        if kind == "array" and not all(isinstance(item, str) for item in value):
            raise ValueError(f"expected a list of text, found {shown(value)}")
        for text in value if kind == "array" else [value] if kind == "string" else []:
            refused = refused_character(text, self.text_kind)
            if refused:
                raise ValueError(refused)
        return value


def refused_character(text: str, kind: str = "line") -> str | None:
    r"""Why ``text`` cannot be stored as text of this ``kind`` (see :data:`TEXT_KEY`), or
    None if it can.

    Refused in every text: control characters (tabs and line breaks allowed in
    "multiline" text only); in names and ids also invisible format characters such as
    the right-to-left override U+202E, which makes every viewer show a name reversed.
    Verbatim evidence quotes are not checked here: they must match their source text.

    Examples
    --------
    >>> refused_character("Kim Jong Un", "name") is None
    True
    >>> refused_character("Kim\u202eJong Un", "name")
    'character U+202E (RIGHT-TO-LEFT OVERRIDE) at position 4 is not allowed in a name: remove it'
    >>> refused_character("a\u200db"), refused_character("a\x1bb")
    (None, 'character U+001B (control character) at position 2 is not allowed: remove it')
    >>> refused_character("one\ntwo"), refused_character("one\ntwo", "multiline")
    ('character U+000A (line break) at position 4 is not allowed here: write one line', None)
    """
    if text.isprintable():  # the common case: no refused category is printable
        return None
    for position, character in enumerate(text, start=1):
        if character.isprintable():
            continue
        category = unicodedata.category(character)
        where = f"character U+{ord(character):04X}"
        if category in _CONTROLS and not (kind == "multiline" and character in _LAYOUT):
            if character in _LAYOUT:
                what = "tab" if character == "\t" else "line break"
                return (
                    f"{where} ({what}) at position {position} is not allowed here: write one line"
                )
            name = unicodedata.name(character, "control character")
            return f"{where} ({name}) at position {position} is not allowed: remove it"
        if category in _INVISIBLE and kind == "name":
            name = unicodedata.name(character, "private use")
            return f"{where} ({name}) at position {position} is not allowed in a name: remove it"
    return None
