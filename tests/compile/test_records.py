"""One record to one row: typed values, resolved dates, every problem at its line."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple

from koreasec_data.compile.rawyaml import Mapping
from koreasec_data.compile.records import RowReader
from koreasec_data.schemas import load_schemas, repository_schema_dir

SCHEMAS = load_schemas(repository_schema_dir())
PUBLISHED = dt.date(2024, 10, 24)  # a Thursday


def record(**values) -> Mapping:
    return Mapping(values, line=10, key_lines={key: 11 + n for n, key in enumerate(values)})


def read(mapping, table="events", **where):
    reader = RowReader(SCHEMAS)
    row, label = reader.row("a.yaml", mapping, table, {"evidence"}, **where)
    return row, label, [astuple(problem)[:4] for problem in reader.problems]


#: An event's columns, but for its date and certainty.
EVENT = {
    "event_id": "ev-1",
    "event_type": "CONSULT",
    "event_subtype": "meeting",
    "summary": "They met.",
    "story_role": "reported",
    "location_precision": "unknown",
}


def test_a_record_becomes_a_typed_row_with_its_date_resolved():
    row, label, problems = read(
        record(**EVENT, date="Tuesday", date_precision="day", certainty="confirmed"),
        published=PUBLISHED,
    )
    assert problems == [] and label == "event ev-1"
    assert (row["date"], row["date_end"], row["date_precision"]) == (
        dt.date(2024, 10, 22),
        dt.date(2024, 10, 22),
        "day",
    )
    assert row["parent_event_id"] is None and "Tuesday" in row["date_basis"]
    assert row["date_origin"] == "resolved"


def test_a_past_fact_may_not_end_after_publication_but_a_plan_may():
    fields = {**EVENT, "date": "2024-10-21/2024-10-30", "date_precision": "range"}
    row, _, problems = read(record(**fields, certainty="confirmed"), published=PUBLISHED)
    assert row is None and "after the article's publication day 2024-10-24" in problems[0][3]
    row, _, problems = read(record(**fields, certainty="planned"), published=PUBLISHED)
    assert problems == [] and row["date_end"] == dt.date(2024, 10, 30)


def test_an_unknown_key_is_reported_but_the_row_is_still_made():
    mapping = record(
        statement_id="st-1",
        utterance_id="st-1",
        speaker_id="act-kor",
        kind="direct",
        text="We act.",
        stance="asserts",
        date_precision="undated",
        venu="Seoul",
    )
    row, label, problems = read(mapping, "statements")
    assert row is not None and row["statement_id"] == "st-1"
    assert problems == [("a.yaml", 18, label, "unknown field 'venu'; did you mean 'venue'?")]


def test_a_value_of_the_wrong_type_gives_no_row_and_names_its_line():
    row, label, problems = read(
        record(actor_id="act-x", name="X", actor_type="state", cow_code="seven"), "actors"
    )
    assert row is None and label == "actor act-x"
    assert [(line, message.split(";")[0]) for _, line, _, message in problems] == [
        (14, "cow_code: expected integer, found 'seven'")
    ]


def test_inherited_values_fill_the_row_and_are_not_expected_in_the_mapping():
    row, label, problems = read(
        record(actor_id="act-kor", role="initiator"), "event_actors", known={"event_id": "ev-1"}
    )
    assert problems == [] and label == "event actor ev-1/act-kor/initiator"
    assert row == {"event_id": "ev-1", "actor_id": "act-kor", "role": "initiator"}


def test_an_entry_that_is_not_a_mapping_is_reported_at_its_list():
    row, label, problems = read(["not", "a", "record"], list_line=4)
    assert (row, label) == (None, "")
    assert problems[0][1] == 4 and "must be a mapping" in problems[0][3]
