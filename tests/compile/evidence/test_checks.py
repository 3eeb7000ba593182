"""The evidence table's checks, on small Arrow tables: coverage of every record, evidence
pointing at records, quotes against the texts at hand, participants named by their
evidence, caption-only events."""

from __future__ import annotations

from conftest import SMALL_SCHEMAS, small_table, small_tables

from koreasec_data.compile.evidence.checks import (
    captions,
    coverage,
    participants_named,
    quotes_match,
    span_lengths,
    texts_at_hand,
)
from koreasec_data.problems import Finding


def test_evidence_for_no_record_and_records_without_evidence():
    built = small_tables(
        [("ev-1", "act-kor"), ("ev-2", "act-prk")],
        [
            ("actors", "act-kor"),
            ("actors", "act-prk"),
            ("actors", "act-gone"),  # no such actor
            ("event_actors", "ev-1/act-kor"),
            ("rumours", "x"),  # no such table
            (None, "act-rus"),
        ],
    )
    found = coverage(built, SMALL_SCHEMAS, reported=set())
    assert [(f.table, f.row, f.column) for f in found] == [
        ("actors", 2, None),  # act-rus: its evidence names no table
        ("event_actors", 1, None),
        ("evidence", 2, "record_id"),
        ("evidence", 4, "record_id"),
        ("evidence", 5, "record_id"),
    ]
    excused = {("actors", "act-gone"), ("actors", "act-rus"), ("event_actors", "ev-2/act-prk")}
    found = coverage(built, SMALL_SCHEMAS, reported=excused)
    assert [(f.table, f.row) for f in found] == [("evidence", 4), ("evidence", 5)]


def test_quotes_are_compared_with_the_text_chunk_by_chunk():
    text = "Seoul said. Pyongyang denied."
    rows = [
        ("src-1", 0, 5, "Seoul"),
        ("src-1", 12, 21, "Pyongyang"),
        ("src-1", 0, 5, "Tokyo"),
        ("src-2", 0, 5, "Paris"),
        ("src-1", 22, 28, "denied"),
    ]
    evidence = small_table(["source_id", "start_offset", "end_offset", "quote"], rows)
    for chunk_rows in (1, 2, 100):
        found = quotes_match(evidence, {"src-1": text}.get, chunk_rows)  # src-2's is not at hand
        message = "quote differs from src-1 text at 0-5: 'Seoul'"
        assert found == [Finding("evidence", 2, "quote", message)]


def test_a_span_must_be_as_long_as_its_quote():
    import pandas as pd

    frame = pd.DataFrame(
        {"start_offset": [0, 5, 3], "end_offset": [5, 5, 9], "quote": ["Seoul"] * 3}
    )
    assert [f.row for f in span_lengths(frame, "evidence")] == [1, 2]


def test_only_texts_whose_hash_is_recorded_are_at_hand(tmp_path):
    from koreasec_data.compile.package_files import Damage
    from koreasec_data.hashes import sha256_of

    (tmp_path / "raw" / "sources").mkdir(parents=True)
    (tmp_path / "raw" / "sources" / "a.txt").write_bytes(b"Seoul said.")
    sources = [
        {"source_id": "src-1", "file_name": "a.txt", "sha256": sha256_of(b"Seoul said.")},
        {"source_id": "src-2", "file_name": "a.txt", "sha256": "0" * 64},  # another text
        {"source_id": "src-3", "file_name": "../a.txt", "sha256": "0" * 64},
        {"source_id": "src-4", "file_name": "gone.txt", "sha256": "0" * 64},
    ]
    texts, refused = texts_at_hand(tmp_path / "raw" / "sources", sources)
    assert texts == {"src-1": "Seoul said."}
    assert {(text.record, text.reason) for text in refused} == {
        ("source src-2", Damage.SHA256),
        ("source src-3", Damage.UNREADABLE),
        ("source src-4", Damage.MISSING),
    }


NOT_NAMED = (
    "no evidence span names this participant (its name or an alias): quote words that "
    "name it, or add the words the text uses as an alias in raw/actors.yaml"
)


def named_tables(actors, participants, evidence):
    """Actors (id, name, aliases), participants (event, actor) and their evidence
    (record_id, quote), for :func:`participants_named` with SMALL_SCHEMAS."""
    import pyarrow as pa

    return {
        "actors": small_table(["actor_id", "name", "aliases"], actors),
        "event_actors": small_table(["event_id", "actor_id"], participants),
        "evidence": pa.table(
            {
                "record_table": ["event_actors"] * len(evidence),
                "record_id": [row[0] for row in evidence],
                "quote": [row[1] for row in evidence],
            }
        ),
    }


def test_a_participant_is_named_by_its_name_or_an_alias_in_any_case():
    built = named_tables(
        [("act-kor", "South Korea", ["ROK", "Seoul"]), ("act-prk", "North Korea", [])],
        [("ev-1", "act-kor"), ("ev-2", "act-kor"), ("ev-3", "act-prk"), ("ev-4", "act-prk")],
        [
            ("ev-1/act-kor", "officials in SEOUL said"),  # an alias, in another case
            ("ev-2/act-kor", "the rok navy"),
            ("ev-3/act-prk", "Pyongyang denied it"),  # neither name nor alias
            ("ev-4/act-prk", "Pyongyang denied it"),
            ("ev-4/act-prk", "north korea's statement"),  # one span naming it is enough
        ],
    )
    assert participants_named(built, SMALL_SCHEMAS) == [Finding("event_actors", 2, None, NOT_NAMED)]


def test_participants_without_evidence_or_of_unknown_actors_are_not_asked_a_name():
    built = named_tables(
        [("act-kor", "South Korea", [])],
        [("ev-1", "act-kor"), ("ev-2", "act-gone"), ("ev-3", "act-kor"), ("ev-1", "act-kor")],
        [("ev-1/act-kor", "nobody"), ("ev-2/act-gone", "nobody")],  # ev-3: no evidence
    )
    found = participants_named(built, SMALL_SCHEMAS)
    assert [f.row for f in found] == [0, 3]  # a participant given twice fails twice


def test_names_and_quotes_are_compared_casefolded_beyond_ascii():
    built = named_tables(
        [
            ("act-a", "Straße Front", []),
            ("act-b", "Fischer", ["\u03a3\u039f\u03a6\u039f\u03a3"]),  # Greek capitals
            ("act-c", "Ǆemal", []),
            ("act-d", "Dürer", []),
        ],
        [("ev-1", "act-a"), ("ev-1", "act-b"), ("ev-1", "act-c"), ("ev-1", "act-d")],
        [
            ("ev-1/act-a", "the STRASSE FRONT said"),  # 'ß' casefolds to 'ss'
            (
                "ev-1/act-b",
                "\u03c3\u03bf\u03c6\u03bf\u03c2 said",
            ),  # a final sigma
            ("ev-1/act-c", "ǆemal spoke"),
            ("ev-1/act-d", "DURER"),  # an accent is not a case
        ],
    )
    assert [f.row for f in participants_named(built, SMALL_SCHEMAS)] == [3]


def test_caption_only_events_are_those_with_every_span_in_a_caption():
    import pyarrow as pa

    built = {
        "events": small_table(
            ["event_id", "story_role"],
            [
                ("ev-1", "caption_only"),
                ("ev-2", "reported"),  # only in captions
                ("ev-3", "caption_only"),  # also in the body
                ("ev-4", "reported"),
                ("ev-5", "caption_only"),  # no evidence: not only in captions
                ("ev-6", "caption_only"),  # a span with no position counts as outside
            ],
        ),
        "evidence": pa.table(
            {
                "record_table": ["events"] * 7 + ["actors"],
                "record_id": ["ev-1", "ev-2", "ev-2", "ev-3", "ev-3", "ev-4", "ev-6", "ev-4"],
                "position": [
                    "caption",
                    "caption",
                    "caption",
                    "caption",
                    "body",
                    "headline",
                    None,
                    "caption",
                ],
            }
        ),
    }
    captioned = "every evidence span stands in a photo caption: story_role must be caption_only"
    outside = "story_role is caption_only, but evidence stands outside captions"
    assert captions(built) == [
        Finding("events", 1, "story_role", captioned),
        Finding("events", 2, "story_role", outside),
        Finding("events", 4, "story_role", outside),
        Finding("events", 5, "story_role", outside),
    ]
