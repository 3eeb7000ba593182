"""Rules across rows and tables, on small Arrow tables: foreign keys, the parents of
events, the rows of one utterance."""

from __future__ import annotations

import datetime

import pyarrow as pa
from conftest import SMALL_SCHEMAS, small_tables

from koreasec_data.compile.rules import event_parents, foreign_keys, utterances


def test_dangling_keys_are_found_except_nulls_and_records_already_reported():
    built = small_tables(
        [("ev-1", "act-kor"), ("ev-1", None), ("ev-2", "act-prc"), ("ev-3", "act-x")], []
    )
    found = foreign_keys(built, SMALL_SCHEMAS, reported={("actors", "act-x")})
    assert [(f.table, f.row, f.column) for f in found] == [("event_actors", 2, "actor_id")]
    assert found[0].message == (
        "actor_id 'act-prc' is not an actor id; known ids starting 'act-pr': act-prk"
    )


def frame(columns: dict):
    """A pandas frame backed by Arrow, as the checks are given it."""
    import pandas as pd

    return pa.table(columns).to_pandas(types_mapper=pd.ArrowDtype)


def test_events_on_a_cycle_of_parents_of_any_length_are_rejected_but_not_those_leading_in():
    parents = {
        "self": "self",  # a cycle of 1
        "a1": "a2",  # of 2
        "a2": "a1",
        "b1": "b2",  # of 3
        "b2": "b3",
        "b3": "b1",
        "into": "b1",  # leads into a cycle, is not on it
        "chain": "root",
        "root": None,
        "lost": "ev-gone",  # no such event
    }
    found = event_parents(
        frame({"event_id": list(parents), "parent_event_id": list(parents.values())}), "events"
    )
    assert [(f.row, f.column) for f in found] == [
        (0, "parent_event_id"),
        (1, "parent_event_id"),
        (2, "parent_event_id"),
        (3, "parent_event_id"),
        (4, "parent_event_id"),
        (5, "parent_event_id"),
    ]
    assert found[0].message == (
        "parent_event_id leads back to this event: events cannot contain themselves"
    )


def test_the_parent_of_an_event_given_twice_is_that_of_its_last_row():
    rows = [("a", "b"), ("b", "a"), ("c", "c"), ("a", None), ("c", "d")]
    events = frame({"event_id": [r[0] for r in rows], "parent_event_id": [r[1] for r in rows]})
    assert event_parents(events, "events") == []
    rows[3], rows[4] = ("a", "b"), ("c", None)
    events = frame({"event_id": [r[0] for r in rows], "parent_event_id": [r[1] for r in rows]})
    assert [f.row for f in event_parents(events, "events")] == [0, 1, 3]


def statements(rows, index=None):
    day = datetime.date(2024, 5, 1)
    columns = ["utterance_id", "text", "date", "date_end"]
    built = frame(
        {
            name: pa.array(
                [
                    row[n] if n < 2 or row[n] is None else day + datetime.timedelta(row[n])
                    for row in rows
                ],
                pa.string() if n < 2 else pa.date32(),
            )
            for n, name in enumerate(columns)
        }
    )
    if index is not None:
        built.index = index
    return built


def test_the_rows_of_one_utterance_share_its_text_and_dates():
    found = utterances(
        statements(
            [
                ("u1", "Seoul said.", 0, 0),
                ("u1", "Seoul said.", 0, 0),
                ("u2", "Seoul said.", 0, 0),
                ("u2", "Seoul says.", 0, 0),  # another text
                ("u3", "x", 0, 1),
                ("u3", "x", 1, 1),  # another date
                ("u4", "x", 0, 0),
                ("u4", "x", 0, 2),  # another date_end
                ("u5", "x", 0, 0),  # one row
            ]
        ),
        "statements",
    )
    assert [(f.row, f.column) for f in found] == [(r, "utterance_id") for r in (2, 3, 4, 5, 6, 7)]
    assert found[0].message == (
        "statements of one utterance (same utterance_id) must have the same text and date"
    )


def test_missing_values_are_not_compared_within_an_utterance():
    # As pandas 3 compares the columns as text (astype(str) keeps missing values missing).
    rows = [
        ("u1", "x", None, None),
        ("u1", "x", None, None),
        ("u2", "x", 0, None),
        ("u2", "x", None, 3),  # missing beside set: not compared
        (None, "x", 0, 0),  # no utterance
        (None, "y", 1, 1),
        ("u3", "x", None, 0),
        ("u3", "x", 1, 1),  # dates that differ, beside missing ones
        ("<NA>", "x", 0, 0),  # a text, not a missing value
    ]
    found = utterances(statements(rows, index=[10 * n for n in range(len(rows))]), "statements")
    assert [f.row for f in found] == [60, 70]  # the frame's row labels


def test_earliest_and_latest_must_agree_with_the_stored_date():
    from koreasec_data.compile.rules import dated

    day, later = datetime.date(2024, 10, 24), datetime.date(2024, 10, 25)
    rows = [  # date, date_end, precision, earliest, latest
        (day, day, "day", day, day),
        (None, day, "on_or_before", None, day),
        (day, None, "on_or_after", day, later),
        (None, None, "undated", None, None),
        (day, day, "day", None, day),  # earliest missing
        (None, day, "on_or_before", None, later),  # latest not the bound
        (day, None, "on_or_after", day, datetime.date(2024, 10, 1)),  # latest before earliest
        (None, None, "undated", None, day),  # an undated latest
        (day, day, "day", day, None),  # latest missing
    ]
    names = ["date", "date_end", "date_precision", "date_earliest", "date_latest"]
    columns = {name: [row[n] for row in rows] for n, name in enumerate(names)}
    columns["date_origin"] = [
        None if p == "undated" else "stated" for p in columns["date_precision"]
    ]
    columns["date_basis"] = pa.array([None] * len(rows), pa.string())
    found = [(f.row, f.column) for f in dated(frame(columns), "events")]
    assert found == [
        (4, "date_earliest"),
        (5, "date_latest"),
        (7, "date_latest"),
        (8, "date_latest"),
        (6, "date_earliest"),
    ]
