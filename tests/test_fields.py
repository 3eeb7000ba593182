"""A field owns its conversions: YAML values checked against its type, its Arrow field,
its datapackage.json declaration and its pandera column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from koreasec_data.fields import Field


def field(kind, required=False, **more):
    return Field.from_descriptor(
        {"name": "x", "type": kind, "description": "X.", "constraints": {"required": required}}
        | more
    )


DATE = field("date", required=True)
COUNT = field("integer")


def test_defaults_and_types():
    assert field("boolean").convert(None) is False
    assert field("array", arrayItem={"type": "string"}).convert(None) == []
    assert COUNT.convert(None) is None
    assert DATE.convert("2024-10-24") == dt.date(2024, 10, 24)
    assert field("number").convert(3) == 3.0


@pytest.mark.parametrize(
    ("value", "column", "message"),
    [
        (None, DATE, "is required"),
        (True, COUNT, "expected integer, found True"),
        (2**70, COUNT, "too large for a 64-bit integer"),
        ("2024-02-30", DATE, "is not a date"),
        (["a", 1], field("array", arrayItem={"type": "string"}), "expected a list of text"),
    ],
)
def test_refused(value, column, message):
    with pytest.raises(ValueError, match=message):
        column.convert(value)


def test_arrow_field_follows_type_and_required():
    aliases = field("array", arrayItem={"type": "string"})
    assert aliases.arrow_field().type == pa.list_(pa.field("element", pa.string()))
    assert DATE.arrow_field().nullable is False and COUNT.arrow_field().nullable is True
    assert COUNT.arrow_field().metadata == {b"description": b"X."}


def test_declared_for_frictionless():
    aliases = field("array", arrayItem={"type": "string"}).declared()
    assert aliases["type"] == "any" and aliases["koreasec:arrowType"] == "list<string>"
    assert "arrayItem" not in aliases
    assert COUNT.declared()["missingValues"] == ["", "nan"]
    assert "missingValues" not in field("integer", required=True).declared()


def test_pandera_column_checks_the_constraints():
    kind = field("string", required=True, constraints={"required": True, "enum": ["a", "b"]})
    column = kind.pandera_column()
    column.validate(pd.DataFrame({"x": ["a", "b"]}))
    with pytest.raises(Exception, match="must be one of: a, b"):
        column.validate(pd.DataFrame({"x": ["a", "c"]}))
