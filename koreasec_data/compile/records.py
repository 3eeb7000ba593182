"""Turn one record a curator wrote (a YAML mapping) into a table row.

The mapping's keys are checked against the columns of ``schemas/``, each value is
converted to its column's type and the date is resolved; every problem is reported,
and a record with any problem gives no row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from koreasec_data.compile import codes, dates
from koreasec_data.compile.rawyaml import Mapping
from koreasec_data.problems import Problem, key_text, shown
from koreasec_data.schemas import Table

__all__ = ["RowReader", "record_label", "unknown_keys"]

#: The records that may end after their article's publication day: table -> (column,
#: values that say the thing had not happened yet). Any other dated record is a reported
#: past fact (a statement always is), and never ends after publication.
MAY_BE_FUTURE = {
    "events": ("certainty", {"planned", "expected", "hypothetical", "conditional"}),
    "arms_deals": ("status", {"under_consideration", "conditional", "planned", "agreed"}),
}


def record_label(table: str, identifier: str) -> str:
    """Name a record in messages, e.g. ``arms deal deal-004-01``.

    Examples
    --------
    >>> record_label("arms_deals", "deal-004-01")
    'arms deal deal-004-01'
    """
    singular = table if table == "evidence" else table.removesuffix("s")
    return f"{singular.replace('_', ' ')} {identifier}"


def _past(mapping: Mapping, table: str) -> bool:
    """Whether the record is a reported past fact (see :data:`MAY_BE_FUTURE`)."""
    column, future = MAY_BE_FUTURE.get(table, (None, set()))
    value = mapping.get(column)
    return not (isinstance(value, str) and value in future)  # a list is no value of it


def unknown_keys(file: str, mapping: Mapping, allowed: set[str], label: str) -> list[Problem]:
    """A problem for each key of ``mapping`` not in ``allowed``, with the closest allowed one.

    Examples
    --------
    >>> [p.message for p in unknown_keys("a.yaml", Mapping(staus=1), {"status"}, "")]
    ["unknown field 'staus'; did you mean 'status'?"]
    """
    problems = []
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(key_text(key), sorted(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {sorted(allowed)}"
            message = f"unknown field {shown(key)}; {hint}"
            problems.append(Problem(file, mapping.line_of(key), label, message))
    return problems


class RowReader:
    """Convert records to rows, collecting every problem in :attr:`problems`."""

    def __init__(self, schemas: dict[str, Table]):
        self.schemas = schemas
        self.problems: list[Problem] = []

    def report(self, file: str, line: int | None, record: str, message: str) -> None:
        self.problems.append(Problem(file, line, record, message))

    def _past_fact(self, file, mapping, table, label, resolved, published) -> None:
        """A reported past fact neither begins nor ends after the article's publication
        day, and is bounded by it rather than left undated."""
        if published is None or not _past(mapping, table):
            return
        day = published.isoformat()
        late = [
            (what, value)
            for what, value in (("begins", resolved.date), ("ends", resolved.date_end))
            if value is not None and value > published
        ]
        if late:
            what, value = late[0]
            message = (
                f"date: {what} on {value.isoformat()}, after the article's publication day "
                f"{day}; a reported past fact neither begins nor ends after it: bound it "
                "('on or before publication') or end the range at publication"
            )
        elif resolved.date_precision == "undated":
            message = (
                f"date: a reported past fact is not undated: it happened by the article's "
                f"publication day {day}; write 'on or before publication' (or a date the "
                "text gives)"
            )
        else:
            return
        self.report(file, mapping.line_of("date"), label, message)

    def _meaning(self, file, mapping, schema, label, row) -> None:
        """Values of the right form that mean nothing: a code no list holds, a subtype of
        another type."""
        for field in schema.written:
            value = row.get(field.name)
            if value is None:
                continue
            if (
                field.code_list  # not ill-formed: then the pattern's problem is reported
                and re.fullmatch(field.constraints.get("pattern", ".*"), value)
                and (unknown := codes.unknown_code(field.code_list, value))
            ):
                self.report(file, mapping.line_of(field.name), label, f"{field.name}: {unknown}")
            if field.within:
                parent, types = field.within
                kind = types.get(value)
                if kind is not None and row.get(parent) is not None and kind != row[parent]:
                    message = (
                        f"{field.name}: {value!r} is a subtype of {kind}, not of "
                        f"{parent} {row[parent]!r}; change {parent} or choose a subtype of it"
                    )
                    self.report(file, mapping.line_of(field.name), label, message)

    def row(
        self,
        file: str,
        mapping: Any,
        table: str,
        extra: set[str],
        *,
        known: dict[str, Any] | None = None,
        published: dt.date | None = None,
        list_line: int | None = None,
    ):
        """Convert one record mapping to a row; return (row or None, label).

        ``known`` holds the values the record inherits from where it is written (the
        event_id of a participant), ``published`` the article's publication date (for
        relative dates) and ``list_line`` the line of the list the record is in.
        """
        if not isinstance(mapping, Mapping):
            message = f"each entry of {table!r} must be a mapping, found {shown(mapping)}"
            self.report(file, list_line, "", message)
            return None, ""
        known = known or {}
        keys = {**known, **mapping}
        schema = self.schemas[table]
        shown_keys = {key: key_text(keys.get(key, "?")) for key in schema.primary_key}
        label = record_label(table, schema.record_id(shown_keys))
        fields = [field for field in schema.written if field.name not in known]
        self.problems += unknown_keys(file, mapping, {f.name for f in fields} | extra, label)
        count = len(self.problems)  # an unknown key does not stop the row's checks
        row: dict[str, Any] = dict(known)
        for field in fields:
            if field.group == dates.GROUP and field.name in dates.RESOLVED:
                continue
            try:
                row[field.name] = field.convert(mapping.get(field.name))
            except ValueError as error:
                self.report(file, mapping.line_of(field.name), label, f"{field.name}: {error}")
        if any(field.group == dates.GROUP for field in fields):
            try:
                resolved = dates.resolve_date(
                    mapping.get("date"),
                    mapping.get("date_precision"),
                    published,
                    row.get("date_basis"),
                    mapping.get("date_origin"),
                    _past(mapping, table),
                )
                row.update(vars(resolved))
            except dates.DateError as error:
                self.report(file, mapping.line_of("date"), label, f"date: {error}")
            else:
                self._past_fact(file, mapping, table, label, resolved, published)
        self._meaning(file, mapping, schema, label, row)
        if len(self.problems) > count:
            return None, label
        return row, label
