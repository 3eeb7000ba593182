"""The registry of published releases, shipped in the package: what downloads verify against.

``releases.json`` records each version's archive, sha256, size and date, and the sha256
and size of every asset published beside it (each table's Parquet file,
``datapackage.json``, ``croissant.json``, ...), so every installed version can verify
the downloads of all earlier releases;
``manifests/<version>.json`` the record ids of each release. Only
:mod:`koreasec_data.release` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_DIR", "REGISTRY_PATH", "archive_name", "read_registry"]

REGISTRY_PATH = Path(__file__).resolve().parent / "releases.json"
MANIFEST_DIR = Path(__file__).resolve().parent / "manifests"


def archive_name(version: str) -> str:
    """Return the file name of a version's archive.

    Examples
    --------
    >>> archive_name("0.1.0")
    'koreasec-data-0.1.0.zip'
    """
    return f"koreasec-data-{version}.zip"


def read_registry(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Return the registry: version -> {archive, sha256, size, released, assets}, where
    ``assets`` maps each published file's name to its {sha256, size}."""
    return json.loads(Path(path or REGISTRY_PATH).read_text(encoding="utf-8"))
