"""Locating evidence items: at once when the source is known, at the end when it is not."""

from __future__ import annotations

from koreasec_data.compile.evidence.items import Source, SpanFinder, Waiting
from koreasec_data.compile.evidence.text import Region, Span
from koreasec_data.compile.rawyaml import Mapping

TEXT = "Seoul says. Pyongyang denies. Moscow is silent."


def item(line: int, **values) -> Mapping:
    return Mapping(values, line=line, key_lines={key: line + n for n, key in enumerate(values)})


def finder():
    spans = SpanFinder()
    return spans, spans.problems


def test_an_item_in_a_known_source_is_placed_with_its_position():
    spans, problems = finder()
    spans.sources["src-1"] = Source(TEXT, None, [Region("headline", Span(0, 11, "Seoul says."))])
    located = spans.spans("a.yaml", [item(3, quote="Seoul"), item(5, quote="denies")], "x", "src-1")
    assert [(p[0], p[1].start, p[2]) for p in located] == [
        ("src-1", 0, "headline"),
        ("src-1", 22, "body"),
    ]
    assert problems == []


def test_an_item_waits_for_its_source_and_is_placed_once_for_every_record():
    spans, problems = finder()
    good, bad = (
        item(3, quote="Moscow", source_id="src-2"),
        item(5, quote="Paris", source_id="src-2"),
    )
    located = spans.spans("a.yaml", [good, bad], "event ev-1", None)
    assert all(isinstance(waiting, Waiting) for waiting in located)
    for record in ("ev-1", "ev-1/act-rus/participant"):  # a participant inherits the items
        spans.waiting += [(waiting, "events", record) for waiting in located]
    spans.sources["src-2"] = Source(None, None)  # read later, its text not held
    placed = list(spans.place_waiting({"src-2": TEXT}.get))
    assert [(p[0][1].start if p[0] else None, p[2]) for p in placed] == [
        (30, "ev-1"),
        (None, "ev-1"),
        (30, "ev-1/act-rus/participant"),
        (None, "ev-1/act-rus/participant"),
    ]
    assert [(p.where, p.line, p.record) for p in problems] == [("a.yaml", 5, "event ev-1")]
    assert "'Paris' does not occur" in problems[0].message


def test_a_source_no_article_has_is_reported_at_source_id_with_similar_ids():
    spans, problems = finder()
    spans.sources["src-004"] = Source(TEXT, None)
    (waiting,) = spans.spans(
        "a.yaml", [item(7, quote="x", source_id="src-005")], "event ev-1", None
    )
    spans.waiting.append((waiting, "events", "ev-1"))
    assert list(spans.place_waiting({}.get)) == [(None, "events", "ev-1", "a.yaml")]
    assert spans.waiting is None  # from now on, an unknown source is reported at once
    spans.spans("a.yaml", [item(9, quote="x", source_id="src-006")], "actor act-1", None)
    spans.spans("a.yaml", [item(11, quote="x", source_id=["src-004"])], "actor act-1", None)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (8, "evidence source_id 'src-005' is not a source"),
        (10, "evidence source_id 'src-006' is not a source"),
        (12, "evidence source_id ['src-004'] is not a source"),
    ]
    assert "known ids starting 'src-00': src-004" in problems[0].message


def test_a_text_that_changed_before_its_quotes_were_placed_is_reported():
    spans, problems = finder()
    (waiting,) = spans.spans("a.yaml", [item(3, quote="Moscow", source_id="src-2")], "ev", None)
    spans.waiting.append((waiting, "events", "ev-1"))
    spans.sources["src-2"] = Source(None, None)
    assert list(spans.place_waiting({}.get)) == [(None, "events", "ev-1", "a.yaml")]
    assert [(p.line, p.message) for p in problems] == [
        (3, "the text of src-2 changed during the build: build again")
    ]
