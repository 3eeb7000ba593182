"""diff between two real builds that differ by one added, one removed and one changed row."""

from __future__ import annotations

import subprocess
import sys

from conftest import edit_yaml, quiet

import koreasec_data
from koreasec_data.compile.build import build
from koreasec_data.diff import diff_packages, to_markdown


def test_diff_of_two_builds(project, built):
    removed = {}

    def change_004(data):
        deal = data["arms_deals"][0]
        data["arms_deals"].append({**deal, "deal_id": "deal-004-99"})
        deal["item"] += " (corrected)"
        removed["changed"] = deal["deal_id"]

    def remove_from_000(data):
        removed["id"] = data["arms_deals"].pop()["deal_id"]

    edit_yaml(project / "raw" / "articles" / "004.yaml", change_004)
    edit_yaml(project / "raw" / "articles" / "000.yaml", remove_from_000)
    build(project, say=quiet)
    diffs = diff_packages(built, project / "build")
    deals = diffs["arms_deals"]
    assert deals.added == ["deal-004-99"]
    assert deals.removed == [removed["id"]]
    assert deals.changed == {removed["changed"]: ["item"]}
    assert not diffs["actors"].added and not diffs["actors"].removed
    version = koreasec_data.__version__
    text = to_markdown(diffs, f"{version} ({built})", f"{version} ({project / 'build'})")
    assert "| `arms_deals` | 1 | 1 | 1 |" in text
    old, new = deals.values[removed["changed"]]["item"]
    assert new == old + " (corrected)"
    assert f"- changed `{removed['changed']}`: item {old!r} → {new!r}" in text

    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "diff", str(built), str(project / "build")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == text.strip()  # headed by the versions compared
