"""Id stability: a released record id never silently disappears.

Each release records the primary keys of its tables (a manifest, shipped in the
package). A later build of the same major version must keep every one of them,
unless it is listed in ``raw/retired.yaml`` with the version that retired it and why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from koreasec_data.registry import MANIFEST_DIR

__all__ = ["lost_ids", "lost_since_releases", "manifest", "write_manifest"]


def manifest(directory: Path) -> dict[str, list[str]]:
    """Return the record ids of every table that cites evidence, from a built package."""
    import pyarrow.parquet as pq

    from koreasec_data.loader import read_descriptor
    from koreasec_data.schemas import Table

    resources = read_descriptor(Path(directory))["resources"]
    evidence = next(r for r in resources if r["name"] == "evidence")["schema"]
    record_table = next(f for f in evidence["fields"] if f["name"] == "record_table")
    cited = set(record_table["constraints"]["enum"])  # figures about the data have no ids
    ids = {}
    for resource in resources:
        if resource["name"] not in cited:
            continue
        table = pq.read_table(Path(directory) / resource["path"])
        schema = Table.from_descriptor(resource["name"], resource["schema"])
        ids[resource["name"]] = sorted(schema.record_ids(table).to_pylist())
    return ids


def _major(version: str) -> int:
    return int(version.split(".")[0])


def lost_ids(
    released: dict[str, list[str]],
    released_version: str,
    current: dict[str, list[str]],
    current_version: str,
    retired: list[dict[str, Any]],
) -> list[str]:
    """Return a message for each released id missing now without being retired.

    Examples
    --------
    >>> old = {"events": ["ev-1", "ev-2"]}
    >>> lost_ids(old, "0.1.0", {"events": ["ev-1"]}, "0.2.0", [])
    ["events 'ev-2' (released in 0.1.0) is gone: list it in raw/retired.yaml with a reason, or make a major release"]
    >>> lost_ids(old, "0.1.0", {"events": ["ev-1"]}, "1.0.0", [])
    []
    """  # noqa: E501
    if _major(current_version) > _major(released_version):
        return []
    allowed = {(entry["record_table"], entry["record_id"]) for entry in retired}
    return [
        f"{table} {identifier!r} (released in {released_version}) is gone: list it in "
        "raw/retired.yaml with a reason, or make a major release"
        for table, ids in released.items()
        for identifier in sorted(set(ids) - set(current.get(table, [])))
        if (table, identifier) not in allowed
    ]


def lost_since_releases(
    directory: Path, ids: dict[str, list[str]], version: str, manifests: Path
) -> list[str]:
    """Check the package in ``directory`` (of ``version``, holding ``ids``, its
    :func:`manifest`) against every released manifest.

    The ids it may have dropped are those in its own ``retired_ids.json``, which the
    build made from ``raw/retired.yaml``. Returns a message for each id lost.
    """
    retired_path = Path(directory) / "retired_ids.json"
    retired = json.loads(retired_path.read_text(encoding="utf-8")) if retired_path.is_file() else []
    lost = []
    for path in sorted(Path(manifests).glob("*.json")):
        if path.stem != version:
            released = json.loads(path.read_text(encoding="utf-8"))
            lost += lost_ids(released, path.stem, ids, version, retired)
    return lost


def write_manifest(ids: dict[str, list[str]], version: str, target: Path | None = None) -> Path:
    """Record the ids of a release (its :func:`manifest`) in ``manifests/<version>.json``."""
    path = Path(target or MANIFEST_DIR) / f"{version}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ids, indent=1) + "\n", encoding="utf-8", newline="\n")
    return path
