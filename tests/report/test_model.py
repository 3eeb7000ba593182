"""The package as the site reads it: pages, parents and referrers from datapackage.json."""

from __future__ import annotations

import shutil

import pytest

from koreasec_data.report.model import read_package


@pytest.fixture(scope="module")
def package(built, root):
    return read_package(built, root / "raw" / "sources")


def test_tables_citing_evidence_have_pages_or_parents(package):
    assert set(package.cited) == {row["record_table"] for row in package.rows["evidence"]}
    for table in package.cited:
        if len(package.keys[table]) == 1:
            assert package.has_page(table) and package.parent(table) is None
        else:
            parent = package.parent(table)
            assert parent.column == package.keys[table][0] and package.has_page(parent.target)
    assert not package.has_page("agreement") and package.parent("agreement") is None


def test_a_participant_is_shown_on_its_events_page(package):
    row = package.rows["event_actors"][0]
    url = package.url("event_actors", row)
    assert url.startswith(f"records/events/{row['event_id']}.html#event_actors-")
    assert package.url("sources", package.rows["sources"][0]) == "articles/src-000.html"


def test_referrers_are_every_row_naming_the_record(package):
    event = package.by_id("events", "ev-000-01")
    found = {(link.table, link.column): rows for link, rows in package.referrers("events", event)}
    for table in ("event_actors", "statement_events", "arms_deals"):
        expected = [row for row in package.rows[table] if row["event_id"] == "ev-000-01"]
        if expected:
            assert found[(table, "event_id")] == expected
    assert found[("event_actors", "event_id")], "ev-000-01 has participants"


def test_every_evidence_row_is_found_by_its_record(package):
    numbers = sorted(row["number"] for rows in package.evidence.values() for row in rows)
    assert numbers == list(range(len(package.rows["evidence"])))
    for table, record_id in package.evidence:
        assert package.by_id(table, record_id) is not None, (table, record_id)


def test_texts_are_used_only_if_they_are_the_coded_ones(built, root, tmp_path):
    texts = tmp_path / "sources"
    shutil.copytree(root / "raw" / "sources", texts)
    assert set(read_package(built, texts).texts) == {"src-000", "src-004"}
    changed = sorted(texts.iterdir())[0]
    changed.write_bytes(changed.read_bytes() + b" ")
    with pytest.raises(ValueError, match="not the text src-000 was coded from"):
        read_package(built, texts)
    changed.unlink()
    with pytest.raises(ValueError, match="is missing: give --texts"):
        read_package(built, texts)
    assert read_package(built).texts == {}


def test_a_cited_link_table_without_a_parent_is_refused_with_the_fix(package):
    import dataclasses

    unlinked = dataclasses.replace(package, links=())
    with pytest.raises(ValueError, match="give that column a foreign key in schemas/"):
        unlinked.parent("event_actors")
