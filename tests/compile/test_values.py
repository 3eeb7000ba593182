"""Values curators write, checked against the column types of schemas/."""

from __future__ import annotations

import datetime as dt

import pytest

from koreasec_data.compile.values import convert, key_text, quote_text

DATE = {"type": "date", "constraints": {"required": True}}
COUNT = {"type": "integer", "constraints": {"required": False}}


def test_defaults_and_types():
    assert convert(None, {"type": "boolean"}) is False
    assert convert(None, {"type": "array"}) == []
    assert convert(None, COUNT) is None
    assert convert("2024-10-24", DATE) == dt.date(2024, 10, 24)
    assert convert(3, {"type": "number"}) == 3.0


@pytest.mark.parametrize(
    ("value", "column", "message"),
    [
        (None, DATE, "is required"),
        (True, COUNT, "expected integer, found True"),
        (2**70, COUNT, "too large for a 64-bit integer"),
        ("2024-02-30", DATE, "is not a date"),
        (["a", 1], {"type": "array"}, "expected a list of text"),
    ],
)
def test_refused(value, column, message):
    with pytest.raises(ValueError, match=message):
        convert(value, column)


def test_texts():
    assert key_text("ev-1") == "ev-1"
    assert quote_text(2024) == "2024"
    with pytest.raises(ValueError, match="quote must be text"):
        quote_text(["a"])
