"""evidence_for: a record's quotes are the article's text at their offsets."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

import koreasec_data


def test_evidence_for_a_record_and_for_a_participant_by_its_key_parts(built, root):
    quotes = koreasec_data.evidence_for("ev-000-01", directory=built)
    texts = {
        path.name: path.read_text(encoding="utf-8") for path in (root / "raw" / "sources").iterdir()
    }
    sources = pq.read_table(built / "sources.parquet").to_pylist()
    text_of = {s["source_id"]: texts[s["file_name"]] for s in sources}
    for row in quotes.itertuples():
        assert text_of[row.source_id][row.start_offset : row.end_offset] == row.quote
    assert set(quotes["source_id"]) == {"src-000", "src-004"} and quotes["headline"].all()
    participant = koreasec_data.evidence_for(("ev-000-01", "act-rus", "initiator"), directory=built)
    assert set(participant["record_table"]) == {"event_actors"}
    with pytest.raises(ValueError, match="No evidence for record 'ev-9'"):
        koreasec_data.evidence_for("ev-9", directory=built)


def test_a_retired_id_says_when_why_and_what_replaces_it(built):
    retired = json.loads((built / "retired_ids.json").read_text(encoding="utf-8"))
    entry = next(e for e in retired if e["record_id"] == "ev-000-12")
    with pytest.raises(koreasec_data.evidence.RetiredIdError) as raised:
        koreasec_data.evidence_for("ev-000-12", directory=built)
    message = str(raised.value)
    assert message.startswith(f"events 'ev-000-12' was retired in {entry['retired_in']}: ")
    assert entry["reason"] in message and entry["replaced_by"] == ["ev-000-07"]
    assert message.endswith(" Replaced by ev-000-07.")
    assert isinstance(raised.value, ValueError)  # what the command line reports in one line
    participant = ("ev-000-12", "act-kcna", "initiator")
    with pytest.raises(ValueError, match=r"^event_actors 'ev-000-12/act-kcna/initiator' was "):
        koreasec_data.evidence_for(participant, directory=built)
    with pytest.raises(ValueError, match=r"^No evidence for record 'ev-000-12' in statements"):
        koreasec_data.evidence_for("ev-000-12", table="statements", directory=built)
