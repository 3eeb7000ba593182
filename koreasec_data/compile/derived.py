"""Columns the build computes from other rows of the tables, once they are read."""

from __future__ import annotations

__all__ = ["with_states"]


def with_states(actors):
    """Fill ``state_id`` and ``state_cow_code``: the actor itself if it is a state, else
    the first state up its ``parent_id`` chain (a cycle or a missing parent ends it).

    Examples
    --------
    >>> import pyarrow as pa
    >>> actors = pa.table({"actor_id": ["act-a", "act-b", "act-c"],
    ...     "actor_type": ["state", "government_body", "person"],
    ...     "parent_id": [None, "act-a", "act-b"], "cow_code": [7, None, None],
    ...     "state_id": pa.array([None] * 3, pa.string()),
    ...     "state_cow_code": pa.array([None] * 3, pa.int64())})
    >>> with_states(actors).column("state_id").to_pylist()
    ['act-a', 'act-a', 'act-a']
    """
    import pyarrow as pa

    rows = actors.select(["actor_id", "actor_type", "parent_id", "cow_code"]).to_pylist()
    by_id = {row["actor_id"]: row for row in rows}
    states, codes = [], []
    for row in rows:
        seen, current = set(), row
        while current is not None and current["actor_type"] != "state":
            seen.add(current["actor_id"])
            parent = current["parent_id"]
            current = by_id.get(parent) if parent not in seen else None
        states.append(current["actor_id"] if current else None)
        codes.append(current["cow_code"] if current else None)
    for name, values in (("state_id", states), ("state_cow_code", codes)):
        index = actors.schema.get_field_index(name)
        field = actors.schema.field(index)
        actors = actors.set_column(index, field, pa.array(values, field.type))
    return actors
