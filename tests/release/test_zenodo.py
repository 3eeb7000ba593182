""".zenodo.json says what CITATION.cff says (Zenodo reads it instead, when both exist)."""

from __future__ import annotations

import json

import yaml

from koreasec_data.release.zenodo import zenodo_metadata


def test_zenodo_json_is_generated_from_citation_cff(root):
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    committed = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    assert committed == zenodo_metadata(citation), (
        "run 'python -m koreasec_data.release.zenodo > .zenodo.json'"
    )
    assert committed["version"] == str(citation["version"])
    assert committed["creators"][0]["name"] == citation["authors"][0]["name"]
