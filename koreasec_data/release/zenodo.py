"""``.zenodo.json``, generated from ``CITATION.cff``: Zenodo reads it instead of
CITATION.cff when both exist, so the two must say the same (a test holds them equal).

``python -m koreasec_data.release.zenodo > .zenodo.json`` regenerates it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["zenodo_metadata"]


def zenodo_metadata(citation: dict[str, Any]) -> dict[str, Any]:
    """Zenodo's deposit metadata for the version CITATION.cff describes.

    Examples
    --------
    >>> meta = zenodo_metadata({"title": "T", "version": "1.0.0", "date-released": "2026-01-01",
    ...     "authors": [{"name": "Group"}], "license": "CC-BY-4.0", "abstract": "A."})
    >>> meta["creators"], meta["upload_type"], meta["license"]
    ([{'name': 'Group'}], 'dataset', 'cc-by-4.0')
    """
    creators = [
        {"name": author.get("name") or f"{author['family-names']}, {author['given-names']}"}
        for author in citation["authors"]
    ]
    related = [
        {"identifier": item["value"], "relation": "isIdenticalTo", "scheme": "url"}
        for item in citation.get("identifiers", [])
        if item["type"] == "url"
    ]
    return {
        "title": citation["title"],
        "version": str(citation["version"]),
        "publication_date": str(citation["date-released"]),
        "upload_type": "dataset",
        "description": " ".join(str(citation.get("abstract", "")).split()),
        "creators": creators,
        "license": str(citation["license"]).lower(),
        "keywords": list(citation.get("keywords", [])),
        "related_identifiers": related,
    }


def main() -> None:
    import yaml

    citation = yaml.safe_load(Path("CITATION.cff").read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps(zenodo_metadata(citation), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
