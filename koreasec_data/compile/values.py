"""Check the values curators write in YAML against the types of schemas/ columns."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from koreasec_data.compile.evidence import QuoteError
from koreasec_data.problems import shown

__all__ = ["convert", "key_text", "quote_text"]


def key_text(value: Any) -> str:
    """A primary-key value as it appears in a record's label."""
    return value if isinstance(value, str) else shown(value)


def quote_text(value: Any) -> str:
    """A quote as written; a number is taken as its digits, a list or mapping refused."""
    if not isinstance(value, (list, dict)):
        with contextlib.suppress(ValueError):  # an integer of thousands of digits
            return str(value)
    raise QuoteError(f"quote must be text, found {shown(value)}")


def convert(value: Any, column: dict[str, Any]) -> Any:
    """Check a YAML value against the column's type; return it in table form."""
    kind = column["type"]
    required = column.get("constraints", {}).get("required", False)
    if value is None:
        if kind == "boolean":
            return False
        if kind == "array":
            return []
        if required:
            raise ValueError("is required")
        return None
    expected = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "date": (dt.date, str),
        "array": (list,),
    }[kind]
    if (isinstance(value, bool) and kind != "boolean") or not isinstance(value, expected):
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
    return value
