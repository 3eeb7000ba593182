"""The shipped registry: every entry names its archive, sha256, size and date."""

from __future__ import annotations

import json

from koreasec_data.registry import MANIFEST_DIR, REGISTRY_PATH, archive_name, read_registry


def test_shipped_registry_entries_are_complete():
    registry = read_registry()
    assert registry == json.loads(REGISTRY_PATH.read_text(encoding="utf-8"))
    for version, entry in registry.items():
        assert entry["archive"] == archive_name(version)
        assert len(entry["sha256"]) == 64 and entry["size"] > 0
        assert (MANIFEST_DIR / f"{version}.json").is_file()


def test_a_given_registry_file_is_read(tmp_path):
    path = tmp_path / "releases.json"
    entry = {"archive": archive_name("9.9.9"), "sha256": "0" * 64, "size": 1, "released": "x"}
    path.write_text(json.dumps({"9.9.9": entry}))
    assert read_registry(path) == {"9.9.9": entry}
