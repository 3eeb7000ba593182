"""Checks that a Table Schema cannot express: rules across columns, rows and tables.

Each rule returns a :class:`~koreasec_data.problems.Finding` for each row it rejects;
:mod:`koreasec_data.compile.validate` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from koreasec_data.problems import Finding, shown

__all__ = [
    "RULES",
    "evidence_coverage",
    "foreign_keys",
    "quotes_match",
    "similar_ids",
]


DATE_END_WITH_DATE = "date_end must be set exactly when date is set"
UNDATED_WITHOUT_DATE = "date_precision is 'undated' exactly when date is null"
ONE_DAY = "a day-precision date must end on the day it starts"
STATES_ONLY = "cow_code is for actors of type 'state' only"
NO_SPEAKER = "give speaker_id, or speaker_description (and speaker_affiliation_id if known)"
NAMED_AND_DESCRIBED = "a named speaker takes no speaker_description or speaker_affiliation_id"
SPAN_LENGTH = "end_offset - start_offset must equal the length of quote"


def _rows(mask) -> list[int]:
    return [int(i) for i in mask[mask.fillna(False)].index]


def _reject(table: str, mask, column: str, message: str) -> list[Finding]:
    """A finding for every row where ``mask`` holds."""
    return [Finding(table, row, column, message) for row in _rows(mask)]


def dated(frame, table: str) -> list[Finding]:
    """date and date_end are both set or both null, in order, and agree with the precision."""
    has_date, has_end = frame["date"].notna(), frame["date_end"].notna()
    undated = frame["date_precision"] == "undated"
    one_day = frame["date_precision"] == "day"
    late = has_date & has_end & (frame["date"] > frame["date_end"])
    return [
        *_reject(table, has_date != has_end, "date_end", DATE_END_WITH_DATE),
        *_reject(table, late, "date", "date is after date_end"),
        *_reject(table, undated == has_date, "date_precision", UNDATED_WITHOUT_DATE),
        *_reject(table, one_day & (frame["date"] != frame["date_end"]), "date_end", ONE_DAY),
    ]


def event_parents(frame, table: str) -> list[Finding]:
    """Following parent_event_id never comes back to the event itself."""
    parents = [value if isinstance(value, str) else None for value in frame["parent_event_id"]]
    parent = dict(zip(frame["event_id"], parents, strict=True))
    message = "parent_event_id leads back to this event: events cannot contain themselves"
    rejected = []
    for row, event in enumerate(frame["event_id"]):
        seen, current = set(), parent.get(event)
        while current is not None and current not in seen:
            if current == event:
                rejected.append(Finding(table, row, "parent_event_id", message))
                break
            seen.add(current)
            current = parent.get(current)
    return rejected


def state_codes(frame, table: str) -> list[Finding]:
    """Correlates of War codes are given for states, and only for states."""
    is_state = frame["actor_type"] == "state"
    has_code = frame["cow_code"].notna()
    return [
        *_reject(table, is_state & ~has_code, "cow_code", "a state needs its cow_code"),
        *_reject(table, ~is_state & has_code, "cow_code", STATES_ONLY),
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
        *_reject(table, ~named & ~described, "speaker_id", NO_SPEAKER),
        *_reject(table, named & partly, "speaker_id", NAMED_AND_DESCRIBED),
    ]


def stated_values(frame, table: str) -> list[Finding]:
    """A numeric value comes with its currency and the wording it was read from."""
    has_value = frame["value"].notna()
    return [
        finding
        for column in ("currency", "value_as_stated")
        for finding in _reject(
            table, has_value & frame[column].isna(), column, f"a value needs its {column}"
        )
    ]


def spans(frame, table: str) -> list[Finding]:
    """An evidence span is non-empty and as long as its quote."""
    width = frame["end_offset"] - frame["start_offset"]
    bad = (width <= 0) | (width != frame["quote"].str.len())
    return _reject(table, bad, "end_offset", SPAN_LENGTH)


RULES: dict[str, list[Callable[[Any, str], list[Finding]]]] = {
    "actors": [state_codes, unique_aliases],
    "events": [dated, event_parents],
    "statements": [dated, speakers],
    "arms_deals": [dated, stated_values],
    "evidence": [spans],
}


def similar_ids(value: str, known: list[str]) -> str:
    """Name the known ids sharing the longest prefix with ``value`` (``known`` sorted)."""
    import bisect

    value = value[:64]  # a longer shared prefix tells a curator nothing more
    for length in range(len(value), 0, -1):
        prefix = value[:length]
        start = bisect.bisect_left(known, prefix)
        matches = []
        for candidate in known[start : start + 6]:
            if candidate.startswith(prefix):
                matches.append(candidate)
        if matches:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            return f"known ids starting {prefix!r}: {shown}"
    return "no known id is similar"


def _singular(table: str) -> str:
    return table.removesuffix("s").replace("_", " ")


def _absent(values, known) -> list[int]:
    """Rows of ``values`` that are set but not among ``known`` (vectorised, hashed)."""
    import pyarrow.compute as pc

    missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
    return pc.indices_nonzero(missing).to_pylist()


def _with(known, extra: list[str]):
    """``known`` (an array or chunked array) and ``extra`` as one array, for :func:`_absent`."""
    import pyarrow as pa

    known = known.cast("string")
    chunks = known.chunks if isinstance(known, pa.ChunkedArray) else [known]
    return pa.concat_arrays([*chunks, pa.array(extra, pa.string())])


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
            known = _with(tables[target].column(key["reference"]["fields"][0]), excused)
            values = tables[name].column(column).cast("string")
            rows = _absent(values, known)
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


def evidence_coverage(tables, schemas, reported) -> list[Finding]:
    """Every evidence row points at an existing record, and every record has evidence.

    Returns a finding for each failing row; ``reported`` records
    (already reported) are neither missing nor required to have evidence. One table at
    a time, so that only that table's ids and evidence are in memory at once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    evidence = tables["evidence"]
    pointed_tables, pointed_ids = evidence.column("record_table"), evidence.column("record_id")
    names = [name for name in schemas if name != "evidence"]
    orphans = pc.invert(pc.fill_null(pc.is_in(pointed_tables, value_set=pa.array(names)), False))
    orphans = pc.indices_nonzero(orphans).to_pylist()
    found = []
    message = "has no evidence row: every record cites at least one source span"
    for name in names:
        ids = schemas[name].record_ids(tables[name])
        excused = [identifier for table, identifier in reported if table == name]
        rows = pc.indices_nonzero(pc.fill_null(pc.equal(pointed_tables, name), False))
        pointed = pc.take(pointed_ids, rows)
        orphans += [rows[row].as_py() for row in _absent(pointed, _with(ids, excused))]
        covered = _with(pc.unique(pointed), excused)
        found += [Finding(name, row, None, message) for row in _absent(ids, covered)]
    for row in sorted(orphans):
        table, identifier = pointed_tables[row].as_py(), pointed_ids[row].as_py()
        message = f"record_id {shown(identifier)} is not a record of table {shown(table)}"
        found.append(Finding("evidence", row, "record_id", message))
    return found


def quotes_match(evidence, texts: dict[str, str], chunk_rows: int = 100_000) -> list[Finding]:
    """Each quote is exactly the source text between its offsets (read in chunks of rows)."""
    found = []
    names = ("source_id", "start_offset", "end_offset", "quote")
    for offset in range(0, evidence.num_rows, chunk_rows):
        chunk = evidence.select(names).slice(offset, chunk_rows)
        columns = [column.to_pylist() for column in chunk.columns]
        for row, (source_id, start, end, quote) in enumerate(zip(*columns, strict=True), offset):
            text = texts.get(source_id)
            if text is not None and text[start:end] != quote:
                found_text = shown(text[start:end])
                message = f"quote differs from {source_id} text at {start}-{end}: {found_text}"
                found.append(Finding("evidence", row, "quote", message))
    return found
