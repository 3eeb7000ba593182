"""evidence_for: a record's quotes are the article's text at their offsets."""

from __future__ import annotations

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
