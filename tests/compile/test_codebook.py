"""docs/codebook.md is exactly what the generator writes from schemas/."""

from __future__ import annotations

from koreasec_data.compile.codebook import render_codebook
from koreasec_data.schemas import load_schemas


def test_committed_codebook_is_generated(root):
    committed = (root / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == render_codebook(root / "schemas"), (
        "docs/codebook.md is out of date: run 'koreasec-data codebook'"
    )


def test_every_column_and_vocabulary_value_is_in_the_codebook(root):
    text = render_codebook(root / "schemas")
    for name, schema in load_schemas(root / "schemas").items():
        assert f"## `{name}`" in text
        for field in schema.fields:
            assert f"| `{field.name}` |" in text
            for value in field.enum or []:
                assert f"| `{value}` |" in text
