"""Contested claims: every statement about a disputed event, or about the event it is part
of, on the side its stance and relation give."""

from __future__ import annotations

import pytest

from koreasec_data.report.contested import DISPUTED, SIDES, contested, side_of
from koreasec_data.report.model import read_package


@pytest.fixture(scope="module")
def package(built):
    return read_package(built)


def test_every_stance_takes_a_side(package):
    stances = next(
        field["constraints"]["enum"]
        for resource in package.descriptor["resources"]
        if resource["name"] == "statements"
        for field in resource["schema"]["fields"]
        if field["name"] == "stance"
    )
    for stance in stances:
        assert side_of(stance, "about") in SIDES
        assert side_of(stance, "presupposes") in ("asserting", "denying", "neither")
    assert side_of("condemns", "about") == "other" != side_of("asserts", "about")


def test_each_statement_about_a_disputed_event_or_its_parent_is_on_its_side(package, tables):
    events = {e["event_id"]: e for e in tables["events"].to_pylist()}
    links = tables["statement_events"].to_pylist()
    disputed = [e for e in events.values() if e["certainty"] in DISPUTED]
    found = contested(package, "")
    assert [item["event"]["event_id"] for item in found] == [e["event_id"] for e in disputed]
    for item in found:
        chain, event = [], item["event"]
        while event is not None:
            chain.append(event["event_id"])
            event = events.get(event["parent_event_id"])
        expected = {
            (link["statement_id"], link["event_id"]) for link in links if link["event_id"] in chain
        }
        placed = {}
        for side, said in item["sides"].items():
            for one in said:
                about = one["via"] or item["event"]["event_id"]
                placed[(one["statement"]["statement_id"], about)] = side
                assert side == side_of(one["statement"]["stance"], one["relation"])
        assert set(placed) == expected
    children = [item for item in found if item["event"]["parent_event_id"]]
    assert any(one["via"] for item in children for said in item["sides"].values() for one in said)
