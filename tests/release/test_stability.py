"""Released ids never silently disappear within a major version."""

from __future__ import annotations

import json

from conftest import edit_yaml, quiet

from koreasec_data import __version__
from koreasec_data.compile.build import build
from koreasec_data.compile.retired import read_retired
from koreasec_data.registry import MANIFEST_DIR, read_registry
from koreasec_data.release.assets import make_release
from koreasec_data.release.stability import lost_ids, manifest


def test_current_build_keeps_every_released_id(built, root):
    current = manifest(built)
    retired, problems = read_retired(root / "raw" / "retired.yaml")
    assert problems == []
    for version in read_registry():
        if version != __version__:
            released = json.loads((MANIFEST_DIR / f"{version}.json").read_text())
            assert lost_ids(released, version, current, __version__, retired) == []


def test_a_removed_id_is_caught_unless_retired(project, root, tmp_path):
    registry = tmp_path / "registry" / "releases.json"
    registry.parent.mkdir()
    registry.write_text("{}")
    make_release(project / "build", tmp_path / "out", root, registry)
    released = json.loads((registry.parent / "manifests" / f"{__version__}.json").read_text())
    gone = {}
    edit_yaml(
        project / "raw" / "articles" / "000.yaml",
        lambda data: gone.update(id=data["arms_deals"].pop()["deal_id"]),
    )
    build(project, say=quiet)
    now = manifest(project / "build")
    assert lost_ids(released, "0.1.0", now, "0.2.0", []) == [
        f"arms_deals {gone['id']!r} (released in 0.1.0) is gone: list it in "
        "raw/retired.yaml with a reason, or make a major release"
    ]
    retired = [{"record_table": "arms_deals", "record_id": gone["id"], "retired_in": "0.2.0"}]
    assert lost_ids(released, "0.1.0", now, "0.2.0", retired) == []
