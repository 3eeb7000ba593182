"""Columns the build derives: every actor's state, by its parent chain."""

from __future__ import annotations


def test_every_actor_has_the_state_its_parent_chain_reaches(tables):
    actors = {row["actor_id"]: row for row in tables["actors"].to_pylist()}
    for actor in actors.values():
        chain, current = [], actor
        while current is not None and current["actor_type"] != "state":
            chain.append(current["actor_id"])
            current = (
                actors.get(current["parent_id"]) if current["parent_id"] not in chain else None
            )
        expected = current["actor_id"] if current else None
        assert actor["state_id"] == expected, actor["actor_id"]
        assert actor["state_cow_code"] == (current["cow_code"] if current else None)
    assert actors["act-yoon-suk-yeol"]["state_id"] == "act-kor"
    assert actors["act-un"]["state_id"] is None
