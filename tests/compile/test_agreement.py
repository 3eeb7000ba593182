"""docs/agreement.md reports the figures the comparison really gives."""

from __future__ import annotations

from koreasec_data.compile.agreement import build_annotation, cohen_kappa, compare, to_markdown


def test_agreement_figures_are_current(root, built, tmp_path):
    second = build_annotation(root, root / "raw" / "agreement" / "second", tmp_path / "second")
    text = (root / "raw" / "sources" / "004_10bd444617be5644.txt").read_text(encoding="utf-8")
    result = compare(built, second, "src-004", text)
    assert result["events"].pairs and result["statements"].pairs
    assert to_markdown(result) in (root / "docs" / "agreement.md").read_text(encoding="utf-8")


def test_kappa():
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == -1.0
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
