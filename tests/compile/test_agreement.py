"""The blind second annotation: the figures and disagreements shipped as tables are the
ones the comparison really gives, and the comparison itself is right."""

from __future__ import annotations

import datetime as dt

import yaml

from koreasec_data.compile.agreement import compare
from koreasec_data.compile.measures import (
    RECORDS,
    cohen_kappa,
    disagreements,
    figures,
    key,
    measure_annotation,
    to_markdown,
)

FOLDER = ("raw", "agreement")


def committed(root, name):
    text = (root.joinpath(*FOLDER) / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or []


def test_shipped_figures_and_disagreements_are_current(root, built, tmp_path):
    now, found = measure_annotation(
        root, built, root.joinpath(*FOLDER, "blind"), tmp_path / "blind"
    )
    shipped = committed(root, "agreement")
    assert [row for row in shipped if row["stage"] == "resolved"] == [
        {**row, "stage": "resolved"} for row in now
    ], "run 'koreasec-data agreement'"
    assert {row["stage"] for row in shipped} == {"blind", "resolved"}
    listed = {key(row): row for row in committed(root, "disagreements")}
    current = {key(row) for row in found}
    assert current <= set(listed), "run 'koreasec-data agreement' and resolve what is new"
    for identifier, row in listed.items():
        assert row["resolution"] != "unresolved", identifier
        # a correction made the disagreement go away; any other resolution keeps it
        assert (identifier in current) == (row["resolution"] != "corrected"), identifier


def test_docs_report_the_blind_figures(root):
    text = (root / "docs" / "agreement.md").read_text(encoding="utf-8")
    assert to_markdown(committed(root, "agreement"), "blind") in text


def test_the_tables_ship_what_the_files_say(root, tables):
    assert tables["agreement"].num_rows == len(committed(root, "agreement")) > 0
    assert tables["disagreements"].num_rows == len(committed(root, "disagreements"))


def test_an_annotation_agrees_with_itself(root, built):
    text = (root / "raw" / "sources" / "004_10bd444617be5644.txt").read_text(encoding="utf-8")
    result = compare(built, built, "src-004", text)
    assert result["events"].pairs and result["statement_events"].pairs
    assert disagreements(result, "src-004") == []
    for row in figures(result, "src-004"):
        if row["measure"] in ("precision", "recall", "span_overlap", "observed_agreement"):
            assert row["value"] == 1.0, row
        if row["measure"] in ("date_exact", "date_within_precision"):
            assert row["value"] == 1.0, row
    assert {row["column_name"] for row in figures(result, "src-004")} >= {RECORDS, "stance"}


def test_dates_agree_within_precision_when_their_intervals_overlap():
    from koreasec_data.compile.agreement import TableAgreement

    day, week_start, week_end = dt.date(2024, 10, 24), dt.date(2024, 10, 21), dt.date(2024, 10, 27)
    found = TableAgreement(["a", "b"], ["x", "y"], [("a", "x"), ("b", "y")])
    found.values["date"] = [(day, week_start), (None, None)]
    found.values["date_end"] = [(day, week_end), (None, None)]
    rows = {row["measure"]: row["value"] for row in figures({"events": found}, "src-1")}
    assert rows["date_exact"] == 0.5 and rows["date_within_precision"] == 1.0


def test_kappa():
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == -1.0
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
