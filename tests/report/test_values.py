"""Values as the site shows them: links for columns that name a record, dates in words."""

from __future__ import annotations

import pytest

from koreasec_data.report.model import read_package
from koreasec_data.report.values import cell, columns, label, when


@pytest.fixture(scope="module")
def package(built):
    return read_package(built)


def test_a_column_naming_a_record_links_to_its_page(package):
    deal = package.rows["arms_deals"][0]
    linked = cell(package, "../../", "arms_deals", "supplier_id", deal["supplier_id"])
    supplier = package.by_id("actors", deal["supplier_id"])
    assert f'href="../../records/actors/{deal["supplier_id"]}.html"' in linked
    assert supplier["name"] in linked
    assert "<a" not in cell(package, "", "arms_deals", "item", "<b>guns</b>")
    assert "&lt;b&gt;" in cell(package, "", "arms_deals", "item", "<b>guns</b>")


def test_every_column_has_its_description(package):
    event = package.rows["events"][0]
    shown = columns(package, "", "events", event)
    assert [column["name"] for column in shown] == list(package.descriptions["events"])
    assert all(column["description"] for column in shown)


def test_every_dated_record_reads_as_its_interval(package):
    for table in ("events", "statements", "arms_deals"):
        for row in package.rows[table]:
            words = when(row)
            if row["date_precision"] == "undated":
                assert words == "undated"
            elif row["date"] is None:
                assert words == f"on or before {row['date_end'].isoformat()}"
            elif row["date_end"] is None:
                assert words == f"on or after {row['date'].isoformat()}"
            else:
                assert row["date"].isoformat() in words and row["date_end"].isoformat() in words


def test_a_participant_is_named_by_its_event_and_role_beside_its_actor(package):
    row = package.rows["event_actors"][0]
    event = package.by_id("events", row["event_id"])
    words = label(package, "event_actors", row, via="actor_id")
    assert words == f"{row['event_id']} ({event['summary']}); role {row['role']}"
    assert row["actor_id"] not in words


def test_a_statement_is_named_with_its_speaker_and_stance(package):
    for statement in package.rows["statements"]:
        words = label(package, "statements", statement)
        speaker = (
            package.by_id("actors", statement["speaker_id"]) if statement["speaker_id"] else None
        )
        who = speaker["name"] if speaker else statement["speaker_description"]
        assert words == f"{who}, {statement['stance']}: “{statement['text']}”"
