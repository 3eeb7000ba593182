"""The rules across the rows of one table: utterances, parents, aliases."""

from __future__ import annotations

from koreasec_data.compile.rules.masks import arrow
from koreasec_data.problems import Finding

__all__ = ["actor_parents", "event_parents", "unique_aliases", "utterances"]

ONE_TEXT = (
    "statements of one utterance (same utterance_id) share its text and every date column "
    "(a value missing in one is missing in all)"
)


def utterances(frame, table: str) -> list[Finding]:
    """The rows of one utterance of several speakers share its text and every date
    column (the ``dates`` group's, all named ``date...``): a missing value differs from
    any other. Rows without utterance_id are not compared."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dated = [name for name in frame.columns if name == "date" or name.startswith("date_")]
    columns = ["utterance_id", "text", *dated]
    keys = pa.table({name: arrow(frame[name]) for name in columns})
    every = pc.CountOptions(mode="all")
    counts = keys.group_by("utterance_id").aggregate(
        [(name, "count_distinct", every) for name in columns[1:]]
    )
    varied = {
        group["utterance_id"]: [name for name in columns[1:] if group[f"{name}_count_distinct"] > 1]
        for group in counts.to_pylist()
        if group["utterance_id"] is not None
    }
    found = []
    for row, utterance in zip(frame.index, keys.column("utterance_id").to_pylist(), strict=True):
        if varied.get(utterance):
            differing = ", ".join(varied[utterance])
            message = f"utterance {utterance}: its statements differ in {differing}; {ONE_TEXT}"
            found.append(Finding(table, int(row), "utterance_id", message))
    return found


def _on_cycles(ids, parents) -> list[int]:
    """The rows whose record leads back to itself by following its parents.

    A record's parent is that of its last row (as in a dict of rows). Parents are
    followed for all rows at once, doubling the steps taken each time: after as many
    steps as there are rows, every walk that has not stopped is on a cycle, and the
    events where walks end up are those on cycles: those that lead back to themselves.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    count, backwards = len(ids), ids[::-1]
    # Each row's record as its last row, and the last row of its parent (or count: none).
    last = pc.subtract(count - 1, pc.index_in(ids, value_set=backwards, skip_nulls=True))
    step = pc.subtract(count - 1, pc.index_in(parents, value_set=backwards, skip_nulls=True))
    step = pc.take(pc.fill_null(step, count), last)  # the parent of its record's last row
    step = pa.concat_arrays([step.cast(pa.int64()), pa.array([count], pa.int64())])
    steps = 1
    while steps < count:
        step, steps = pc.take(step, step), 2 * steps
    cycles = pc.unique(step)
    rejected = pc.fill_null(pc.is_in(last, value_set=cycles, skip_nulls=True), False)
    return pc.indices_nonzero(rejected).to_pylist()


def _parent_cycles(frame, table: str, key: str, parent: str, noun: str) -> list[Finding]:
    """A finding, naming the cycle, for each row whose record leads back to itself."""
    ids, parents = arrow(frame[key]), arrow(frame[parent])
    rows = _on_cycles(ids, parents)
    parent_of = dict(zip(ids.to_pylist(), parents.to_pylist(), strict=True))
    found = []
    for row in rows:
        cycle = [ids[row].as_py()]
        while (following := parent_of[cycle[-1]]) != cycle[0]:
            cycle.append(following)
        path = " -> ".join([*cycle, cycle[0]])
        message = f"{parent} leads back to this {noun} ({path}): {noun}s cannot contain themselves"
        found.append(Finding(table, row, parent, message))
    return found


def event_parents(frame, table: str) -> list[Finding]:
    """Following parent_event_id never comes back to the event itself."""
    return _parent_cycles(frame, table, "event_id", "parent_event_id", "event")


def actor_parents(frame, table: str) -> list[Finding]:
    """Following parent_id never comes back to the actor itself (its state would be
    no state: a cycle has none)."""
    return _parent_cycles(frame, table, "actor_id", "parent_id", "actor")


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
