"""The rules of docs/annotation-guide.md that a machine can check, on the real annotations."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict

import pytest

from koreasec_data.compile.evidence.text import locate, read_source_text
from koreasec_data.compile.rawyaml import load_yaml

ASSERTING = {"asserts", "condemns", "expresses_concern", "warns", "urges"}
DENYING = {"denies", "declines_to_confirm"}


@pytest.fixture(scope="module")
def rows(tables):
    return {name: table.to_pylist() for name, table in tables.items()}


@pytest.fixture(scope="module")
def texts(root, rows):
    return {
        source["source_id"]: read_source_text(root / "raw" / "sources" / source["file_name"])[0]
        for source in rows["sources"]
    }


def evidence_of(rows, table):
    found = defaultdict(list)
    for row in rows["evidence"]:
        if row["record_table"] == table:
            found[row["record_id"]].append(row)
    return found


def day_names(day):
    return {
        calendar.day_name[day.weekday()].lower(),
        f"{calendar.month_name[day.month]} {day.day}".lower(),
        f"{day.day} {calendar.month_name[day.month]}".lower(),
        day.isoformat(),
    }


def test_no_event_dated_to_publication_day_without_evidence_naming_it(rows):
    published = {source["source_id"]: source["published"] for source in rows["sources"]}
    evidence = evidence_of(rows, "events")
    checked, unnamed = 0, []
    for event in rows["events"]:
        quotes = evidence[event["event_id"]]
        if event["date"] is None or event["date"] != event["date_end"]:
            continue
        if event["date_origin"] == "inferred":  # date_basis says from what (a build rule)
            continue
        if event["date"] in {published[quote["source_id"]] for quote in quotes}:
            checked += 1
            named = day_names(event["date"])
            said = " ".join(quote["quote"].lower() for quote in quotes)
            if not any(name in said for name in named):
                unnamed.append(event["event_id"])
    assert checked > 0
    assert unnamed == []


def inside_quotation_marks(text, start, end):
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    opened = text.count('"', line_start, start) % 2 == 1
    return opened and '"' in text[end:line_end]


def test_direct_quotes_are_inside_quotation_marks(rows, texts):
    evidence = evidence_of(rows, "statements")
    direct = [s for s in rows["statements"] if s["kind"] == "direct"]
    assert direct
    for statement in direct:
        sources = {row["source_id"] for row in evidence[statement["statement_id"]]}
        found = [
            match.start()
            for source in sources
            for match in re.finditer(re.escape(statement["text"]), texts[source])
            if not inside_quotation_marks(texts[source], match.start(), match.end())
        ]
        occurs = [s for s in sources if statement["text"] in texts[s]]
        assert occurs, statement["statement_id"]
        assert found == [], statement["statement_id"]


def test_no_evidence_in_related_story_links_or_credits(root, rows, texts):
    excluded = defaultdict(list)
    for path in sorted((root / "raw" / "articles").glob("*.yaml")):
        article = load_yaml(path)
        source = article["source"]["source_id"]
        for region in article["layout"]:
            if region["position"] in ("related", "credit"):
                span = locate(texts[source], region["quote"], region.get("occurrence"))
                excluded[source].append((span.start, span.end))
    assert excluded
    for row in rows["evidence"]:
        for start, end in excluded[row["source_id"]]:
            assert row["end_offset"] <= start or end <= row["start_offset"], row


def family(event_id, parent):
    """The event, the events it is part of, and the events that are part of it."""
    up, current = {event_id}, parent.get(event_id)
    while current and current not in up:
        up.add(current)
        current = parent.get(current)
    down, grew = {event_id}, True
    while grew:
        more = {child for child, p in parent.items() if p in down} - down
        down |= more
        grew = bool(more)
    return up | down


def test_contested_events_have_both_sides(rows):
    parent = {e["event_id"]: e["parent_event_id"] for e in rows["events"]}
    stance = {s["statement_id"]: s["stance"] for s in rows["statements"]}
    stances = defaultdict(set)
    for link in rows["statement_events"]:
        if link["relation"] == "about":
            stances[link["event_id"]].add(stance[link["statement_id"]])
    contested = [e["event_id"] for e in rows["events"] if e["certainty"] == "contested"]
    assert contested
    for event in contested:
        said = set().union(*(stances[e] for e in family(event, parent)))
        assert said & ASSERTING, (event, said)
        assert said & DENYING, (event, said)


def test_every_actor_is_referenced(rows):
    used = {row["actor_id"] for row in rows["event_actors"]}
    for statement in rows["statements"]:
        used |= {statement[c] for c in ("speaker_id", "speaker_affiliation_id", "target_actor_id")}
    for deal in rows["arms_deals"]:
        used |= {deal["supplier_id"], deal["recipient_id"]}
    used |= {actor["parent_id"] for actor in rows["actors"]}
    orphans = sorted({actor["actor_id"] for actor in rows["actors"]} - used)
    assert orphans == []


def test_every_alias_names_one_actor(rows):
    owners = defaultdict(set)
    for actor in rows["actors"]:
        for name in [actor["name"], *actor["aliases"]]:
            owners[name.casefold()].add(actor["actor_id"])
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_one_fact_in_both_articles_is_one_record(rows):
    """Facts both articles report carry evidence from both; no two records share all of it."""
    for table in ("events", "statements", "arms_deals"):
        spans = defaultdict(set)
        for row in rows["evidence"]:
            if row["record_table"] == table:
                spans[row["record_id"]].add((row["source_id"], row["start_offset"]))
        by_evidence = defaultdict(list)
        for record, covered in spans.items():
            by_evidence[frozenset(covered)].append(record)
        shared = [ids for ids in by_evidence.values() if len(ids) > 1]
        if table != "statements":  # multi-speaker statements share one span by design
            assert shared == [], (table, shared)
        if table != "arms_deals":
            both = [r for r, covered in spans.items() if len({s for s, _ in covered}) > 1]
            assert both, table


def test_what_is_known_of_each_source_is_written_and_its_dateline_found(root, rows, texts):
    provenance = ("publisher", "wire_service", "url", "dateline")
    datelines = {
        row["record_id"]: row
        for row in rows["evidence"]
        if row["record_table"] == "sources" and row["position"] != "headline"
    }
    for source in rows["sources"]:
        written = load_yaml(root / "raw" / "articles" / f"{source['source_id'][4:]}.yaml")
        # "not recorded" is said by writing null, never by leaving the key out
        assert set(provenance) <= set(written["source"]), source["source_id"]
        assert source["url"] is None or re.fullmatch(r"https?://\S+", source["url"])
        if source["dateline"] is None:
            assert source["source_id"] not in datelines
            continue
        span = datelines[source["source_id"]]
        text = texts[source["source_id"]]
        assert span["quote"] == source["dateline"]
        assert text[span["start_offset"] : span["end_offset"]] == source["dateline"]
        assert locate(text, source["dateline"]).start == span["start_offset"]
    assert any(source["dateline"] for source in rows["sources"])
