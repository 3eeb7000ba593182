"""docs/codebook.md is exactly what the generator writes from schemas/, and what the
schemas a package stores give (one renderer, koreasec_data/codebook.py, for it and for
every export's codebook.md)."""

from __future__ import annotations

from koreasec_data.codebook import package_codebook
from koreasec_data.compile.codebook import INTRO, render_codebook
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


def test_the_stored_schemas_give_the_committed_codebook(root, built):
    committed = (root / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert package_codebook(built, INTRO) == committed


def test_the_codebook_states_every_vocabulary_value_and_the_licence(built):
    import koreasec_data

    text = package_codebook(built, "# Codebook\n\n")
    assert text.startswith("# Codebook\n\nConventions:")
    for name in koreasec_data.tables(built):
        for column, row in koreasec_data.describe(name, directory=built).iterrows():
            for value in row["values"] or {}:
                assert f"| `{value}` |" in text, f"{name}.{column}"
    assert text.endswith(
        "Licence of the data: Creative Commons Attribution 4.0 International "
        "(the data; the code is MIT).\n"
    )
