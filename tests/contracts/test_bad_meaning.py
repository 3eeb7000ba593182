"""Values of the right form that mean nothing are refused: one problem each, naming file,
line and record, all at once, build/ untouched (issue 27)."""

from __future__ import annotations

import pytest
import yaml
from conftest import edit_yaml, line_after
from test_bad_input import ARTICLE, fails

from koreasec_data.compile.build import build

ACTORS = "raw/actors.yaml"


def spoil(project, path: str, table: str, index: int, key: str, value, id_key: str):
    """Set ``key`` of record ``index`` of ``table`` in ``path``; return where it is."""
    text = edit_yaml(project / path, lambda data: data[table][index].update({key: value}))
    record = yaml.safe_load(text)[table][index][id_key]
    return text, record, line_after(text, f"{id_key}: {record}", f"{key}:")


# --- 1. codes that do not exist ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "table", "key", "value", "id_key", "message"),
    [
        (ACTORS, "actors", "country", "AAA", "actor_id", "'AAA' is not an ISO 3166-1 alpha-3"),
        (
            ACTORS,
            "actors",
            "country",
            "KOP",
            "actor_id",
            "'KOP' is not an ISO 3166-1 alpha-3 code; did you mean KOR?",
        ),
        (ARTICLE, "events", "location_country", "UKN", "event_id", "'UKN' is not an ISO 3166"),
        (ARTICLE, "arms_deals", "currency", "ABC", "deal_id", "'ABC' is not an ISO 4217 code"),
        (ARTICLE, "arms_deals", "currency", "EUD", "deal_id", "'EUD' is not an ISO 4217 code"),
    ],
)
def test_a_code_no_standard_has_is_refused(project, path, table, key, value, id_key, message):
    if table == "arms_deals":  # a value that needs its currency
        edit_yaml(project / path, lambda data: data[table][0].update(value=1000))
    _, record, line = spoil(project, path, table, 0, key, value, id_key)
    label = table.removesuffix("s").replace("_", " ")
    fails(project, f"{path}:{line} {label} {record}: {key}: {message}")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (731, "cow_code 731 is North Korea's, not that of country KOR (South Korea: 732)"),
        (365, "cow_code 365 is Russia's, not that of country KOR"),
        (998, "cow_code 998 is no state's number in the Correlates of War state list"),
    ],
)
def test_a_cow_code_not_of_the_states_country_is_refused(project, code, message):
    _, actor, line = spoil(project, ACTORS, "actors", 0, "cow_code", code, "actor_id")
    assert actor == "act-kor"
    fails(project, f"{ACTORS}:{line} actor act-kor: {message}")


@pytest.mark.parametrize(
    ("subtype", "kind"), [("meeting", "CONSULT"), ("war", "ASSAULT"), ("denial", "REJECT")]
)
def test_a_subtype_of_another_event_type_is_refused(project, subtype, kind):
    _, event, line = spoil(project, ARTICLE, "events", 0, "event_subtype", subtype, "event_id")
    fails(
        project,
        f"{ARTICLE}:{line} event {event}: event_subtype: {subtype!r} is a subtype of {kind}, "
        "not of event_type 'MOBILIZE'",
    )


# --- 2. structures that cannot be --------------------------------------------------------


def test_an_actor_that_is_its_own_parent_is_refused(project):
    _, actor, line = spoil(project, ACTORS, "actors", 0, "parent_id", "act-kor", "actor_id")
    fails(
        project,
        f"{ACTORS}:{line} actor {actor}: parent_id leads back to this actor "
        "(act-kor -> act-kor): actors cannot contain themselves",
    )


def test_actors_whose_parents_form_a_cycle_are_refused_each_naming_it(project):
    # act-kor-nis belongs to act-kor; make act-kor belong to act-kor-nis.
    _, _, line = spoil(project, ACTORS, "actors", 0, "parent_id", "act-kor-nis", "actor_id")
    report = fails(
        project,
        f"{ACTORS}:{line} actor act-kor: parent_id leads back to this actor "
        "(act-kor -> act-kor-nis -> act-kor)",
        "actor act-kor-nis: parent_id leads back to this actor (act-kor-nis -> act-kor -> ",
    )
    assert "state_id" not in report


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("date_precision", "day"),  # with another date too: precision and interval differ
        ("date_basis", None),  # missing in one row, set in the other
    ],
)
def test_co_speakers_with_different_dates_are_refused(project, key, value):
    def change(data):
        second = next(s for s in data["statements"] if s["statement_id"] == "st-004-18")
        if key == "date_precision":
            second.update(date="2024-10-23", date_precision="day", date_origin="inferred")
        elif value is None:
            second.pop(key)

    text = edit_yaml(project / ARTICLE, change)
    line = line_after(text, "statement_id: st-004-18", "utterance_id:")
    fails(
        project,
        f"{ARTICLE}:{line} statement st-004-18: utterance st-004-05: its statements differ in ",
    )


def test_a_statement_linked_to_an_event_its_article_never_reports_is_refused(project):
    def change(data):
        links = data["statements"][0]["statement_events"]
        links.append({**links[0], "event_id": "ev-000-05"})

    edit_yaml(project / ARTICLE, change)
    fails(
        project,
        f"{ARTICLE}:",
        "statement event st-004-01/ev-000-05: event_id ev-000-05: no article that reports "
        "statement st-004-01 reports this event",
    )


# --- 3. dates against the article ---------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "precision", "message"),
    [
        ("on or after 2024-10-25", "on_or_after", "begins on 2024-10-25, after the article's"),
        ("2024-10-20/2024-10-30", "range", "ends on 2024-10-30, after the article's"),
        ("2024-11", "month", "begins on 2024-11-01, after the article's"),
        (None, "undated", "a reported past fact is not undated"),
    ],
)
def test_a_confirmed_past_fact_after_or_without_its_article_is_refused(
    project, date, precision, message
):
    def change(data):
        event = data["events"][2]  # confirmed, 004 is published on 2024-10-24
        assert event["certainty"] == "confirmed"
        event.update(date=date, date_precision=precision)
        event.pop("date_origin", None)
        if date is None:
            event.pop("date")

    text = edit_yaml(project / ARTICLE, change)
    event = yaml.safe_load(text)["events"][2]["event_id"]
    line = line_after(text, f"event_id: {event}", "date" if date else "date_precision")
    report = fails(project, f"event {event}: date: {message}")
    assert f"{ARTICLE}:" in report
    if date:
        assert f"{ARTICLE}:{line} event {event}: date: {message}" in report


def test_a_planned_event_may_begin_after_its_article(project):
    def change(data):
        event = data["events"][2]
        event.update(certainty="planned", date="on or after 2024-10-25")
        event.update(date_precision="on_or_after", date_origin="inferred")

    edit_yaml(project / ARTICLE, change)
    build(project, say=lambda *args, **kwargs: None)


# --- 4. text that is not text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "table", "key", "value", "id_key", "message"),
    [
        (ARTICLE, "events", "summary", "Troops\x00 moved.", "event_id", "U+0000 (control"),
        (ARTICLE, "events", "note", "see \x1b[31mred", "event_id", "U+001B (control"),
        (ARTICLE, "arms_deals", "item", "K2\x07 tanks", "deal_id", "U+0007 (control"),
        (ARTICLE, "events", "summary", "Troops\x9b31m", "event_id", "U+009B (control"),
        (ARTICLE, "events", "summary", "two\nlines", "event_id", "U+000A (line break)"),
        (ACTORS, "actors", "name", "South \u202eaeroK", "actor_id", "U+202E (RIGHT-TO-LEFT OV"),
        (ACTORS, "actors", "name", "South\u2066 Korea", "actor_id", "U+2066 (LEFT-TO-RIGHT IS"),
        (ACTORS, "actors", "name", "South\u200b Korea", "actor_id", "U+200B (ZERO WIDTH SPACE)"),
        (ACTORS, "actors", "description", "a\u2028b", "actor_id", "U+2028 (LINE SEPARATOR)"),
    ],
)
def test_control_and_invisible_characters_are_refused(
    project, path, table, key, value, id_key, message
):
    _, record, line = spoil(project, path, table, 0, key, value, id_key)
    label = table.removesuffix("s").replace("_", " ")
    fails(project, f"{path}:{line} {label} {record}: {key}: character {message}")


def test_an_invisible_character_in_an_alias_is_refused(project):
    text = edit_yaml(
        project / ACTORS, lambda data: data["actors"][0].update(aliases=["Seo\u200dul"])
    )
    line = line_after(text, "actor_id: act-kor", "aliases:")
    fails(project, f"{ACTORS}:{line} actor act-kor: aliases: character U+200D (ZERO WIDTH JOINER)")


def test_a_note_may_hold_line_breaks_and_tabs(project):
    edit_yaml(project / ARTICLE, lambda data: data["events"][0].update(note="First.\n\tSecond."))
    build(project, say=lambda *args, **kwargs: None)
