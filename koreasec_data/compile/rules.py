"""Checks that a Table Schema cannot express: rules across columns, rows and tables.

Evidence has its own checks (:mod:`koreasec_data.compile.evidence.checks`).

Each rule returns a :class:`~koreasec_data.problems.Finding` for each row it rejects;
:mod:`koreasec_data.compile.validate` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from koreasec_data.compile.membership import absent, union
from koreasec_data.problems import Finding, shown, similar_ids

__all__ = ["ROW_RULES", "TABLE_RULES", "foreign_keys", "reject"]


DATE_SET = "date must be set exactly when date_precision is neither 'undated' nor 'on_or_before'"
END_SET = "date_end must be set exactly when date_precision is neither 'undated' nor 'on_or_after'"
ONE_DAY = "a day-precision date must end on the day it starts"
EARLIEST = "date_earliest must be date (null for 'on_or_before' and undated)"
LATEST = "date_latest must be date_end where that is set, and null when undated"
POSSIBLE_ORDER = "date_earliest must not be after date_latest"
ORIGIN_SET = "date_origin must be set exactly when the record is dated"
INFERRED_BASIS = "an inferred date or location needs its basis (date_basis, location_basis)"
SIZE_ORDER = "sizes must be in order: size_low <= size_best <= size_high"
SIZE_STATED = "size_as_stated must be set exactly when a size (low, best or high) is coded"
LOCATION_ORIGIN = "location_origin must be set exactly when the location is known"
ONE_TEXT = "statements of one utterance (same utterance_id) must have the same text and date"
STATES_ONLY = "cow_code is for actors of type 'state' only"
NO_SPEAKER = "give speaker_id, or speaker_description (and speaker_affiliation_id if known)"
NAMED_AND_DESCRIBED = "a named speaker takes no speaker_description or speaker_affiliation_id"


def _rows(mask) -> list[int]:
    return [int(i) for i in mask[mask.fillna(False)].index]


def reject(table: str, mask, column: str, message: str) -> list[Finding]:
    """A finding for every row where ``mask`` holds."""
    return [Finding(table, row, column, message) for row in _rows(mask)]


def dated(frame, table: str) -> list[Finding]:
    """date and date_end are set as the precision says (a bound has one side only), in
    order; a dated record says where its date comes from, and an inferred one why."""
    precision = frame["date_precision"]
    has_date, has_end = frame["date"].notna(), frame["date_end"].notna()
    wants_date = ~precision.isin(["undated", "on_or_before"])
    wants_end = ~precision.isin(["undated", "on_or_after"])
    late = has_date & has_end & (frame["date"] > frame["date_end"])
    one_day = (precision == "day") & (frame["date"] != frame["date_end"])
    origin = frame["date_origin"]
    inferred = (origin == "inferred") & frame["date_basis"].isna()
    return [
        *_possible(frame, table),
        *reject(table, has_date != wants_date, "date", DATE_SET),
        *reject(table, has_end != wants_end, "date_end", END_SET),
        *reject(table, late, "date", "date is after date_end"),
        *reject(table, one_day, "date_end", ONE_DAY),
        *reject(table, origin.notna() != (precision != "undated"), "date_origin", ORIGIN_SET),
        *reject(table, inferred, "date_basis", INFERRED_BASIS),
    ]


def _possible(frame, table: str) -> list[Finding]:
    """date_earliest and date_latest agree with the stored interval or bound."""
    earliest, latest = frame["date_earliest"], frame["date_latest"]
    date, end = frame["date"], frame["date_end"]
    wrong_earliest = (earliest.isna() != date.isna()) | (earliest != date)
    undated = frame["date_precision"] == "undated"
    wrong_latest = (end.notna() & (latest.isna() | (latest != end))) | (undated & latest.notna())
    return [
        *reject(table, wrong_earliest, "date_earliest", EARLIEST),
        *reject(table, wrong_latest, "date_latest", LATEST),
        *reject(table, earliest > latest, "date_earliest", POSSIBLE_ORDER),
    ]


def sized(frame, table: str) -> list[Finding]:
    """Sizes are ordered and come with the words they were read from."""
    low, best, high = frame["size_low"], frame["size_best"], frame["size_high"]
    disordered = (low > best) | (best > high) | (low > high)
    coded = low.notna() | best.notna() | high.notna()
    return [
        *reject(table, disordered, "size_low", SIZE_ORDER),
        *reject(table, coded != frame["size_as_stated"].notna(), "size_as_stated", SIZE_STATED),
    ]


def located(frame, table: str) -> list[Finding]:
    """A known location says whether it is stated or inferred, and an inferred one why."""
    known = frame["location_precision"] != "unknown"
    origin = frame["location_origin"]
    inferred = (origin == "inferred") & frame["location_basis"].isna()
    return [
        *reject(table, origin.notna() != known, "location_origin", LOCATION_ORIGIN),
        *reject(table, inferred, "location_basis", INFERRED_BASIS),
    ]


def _arrow(column):
    """A pandas column as an Arrow array (nulls: pandas' missing values)."""
    import pyarrow as pa

    values = pa.array(column)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def utterances(frame, table: str) -> list[Finding]:
    """The rows of one utterance of several speakers share its text and date.

    Missing values are not compared (nor is a row without utterance_id), as when the
    columns are compared as text with pandas: ``astype(str)`` keeps them missing.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = ["utterance_id", "text", "date", "date_end"]
    keys = pa.table({name: _arrow(frame[name]) for name in columns})
    counts = keys.group_by("utterance_id").aggregate(
        [(name, "count_distinct") for name in columns[1:]]
    )
    distinct = [counts.column(f"{name}_count_distinct") for name in columns[1:]]
    varied = pc.greater(pc.max_element_wise(*distinct), 1)
    varied = pc.drop_null(pc.filter(counts.column("utterance_id"), varied))
    mask = pc.fill_null(
        pc.is_in(keys.column("utterance_id"), value_set=varied, skip_nulls=True), False
    )
    return reject(
        table,
        pd.Series(mask.to_numpy(zero_copy_only=False), index=frame.index),
        "utterance_id",
        ONE_TEXT,
    )


def event_parents(frame, table: str) -> list[Finding]:
    """Following parent_event_id never comes back to the event itself.

    An event's parent is that of its last row (as in a dict of rows). Parents are
    followed for all rows at once, doubling the steps taken each time: after as many
    steps as there are rows, every walk that has not stopped is on a cycle, and the
    events where walks end up are those on cycles: those that lead back to themselves.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    events, parents = _arrow(frame["event_id"]), _arrow(frame["parent_event_id"])
    count, backwards = len(events), events[::-1]
    # Each row's event as its last row, and the last row of its parent (or count: none).
    last = pc.subtract(count - 1, pc.index_in(events, value_set=backwards, skip_nulls=True))
    step = pc.subtract(count - 1, pc.index_in(parents, value_set=backwards, skip_nulls=True))
    step = pc.take(pc.fill_null(step, count), last)  # the parent of its event's last row
    step = pa.concat_arrays([step.cast(pa.int64()), pa.array([count], pa.int64())])
    steps = 1
    while steps < count:
        step, steps = pc.take(step, step), 2 * steps
    cycles = pc.unique(step)
    rejected = pc.fill_null(pc.is_in(last, value_set=cycles, skip_nulls=True), False)
    message = "parent_event_id leads back to this event: events cannot contain themselves"
    return [
        Finding(table, row, "parent_event_id", message)
        for row in pc.indices_nonzero(rejected).to_pylist()
    ]


def state_codes(frame, table: str) -> list[Finding]:
    """Correlates of War codes are given for states, and only for states."""
    is_state = frame["actor_type"] == "state"
    has_code = frame["cow_code"].notna()
    return [
        *reject(table, is_state & ~has_code, "cow_code", "a state needs its cow_code"),
        *reject(table, ~is_state & has_code, "cow_code", STATES_ONLY),
    ]


def unique_aliases(frame, table: str) -> list[Finding]:
    """An alias names one actor only, and is not another actor's name (case-insensitive)."""
    owner: dict[str, str] = {
        name.casefold(): actor for name, actor in zip(frame["name"], frame["actor_id"], strict=True)
    }
    rejected = []
    for row, (actor, aliases) in enumerate(zip(frame["actor_id"], frame["aliases"], strict=True)):
        for alias in aliases if aliases is not None else []:
            key = alias.casefold()
            if owner.setdefault(key, actor) != actor:
                message = (
                    f"alias {alias!r} already names {owner[key]}; an alias names one actor only"
                )
                rejected.append(Finding(table, row, "aliases", message))
    return rejected


def speakers(frame, table: str) -> list[Finding]:
    """A statement names its speaker, or describes an unnamed one (affiliation if known)."""
    named = frame["speaker_id"].notna()
    described = frame["speaker_description"].notna()
    partly = described | frame["speaker_affiliation_id"].notna()
    return [
        *reject(table, ~named & ~described, "speaker_id", NO_SPEAKER),
        *reject(table, named & partly, "speaker_id", NAMED_AND_DESCRIBED),
    ]


def stated_values(frame, table: str) -> list[Finding]:
    """A numeric value comes with its currency and the wording it was read from."""
    has_value = frame["value"].notna()
    return [
        finding
        for column in ("currency", "value_as_stated")
        for finding in reject(
            table, has_value & frame[column].isna(), column, f"a value needs its {column}"
        )
    ]


Rule = Callable[[Any, str], list[Finding]]
#: Rules of each row on its own: a row that passed once passes while it is unchanged.
ROW_RULES: dict[str, list[Rule]] = {
    "actors": [state_codes],
    "events": [dated, sized, located],
    "statements": [dated, speakers],
    "arms_deals": [dated, stated_values],
}
#: Rules across the rows of a table.
TABLE_RULES: dict[str, list[Rule]] = {
    "actors": [unique_aliases],
    "events": [event_parents],
    "statements": [utterances],
}


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
