"""An article's text and layout: checked against the recorded sha256, regions located."""

from __future__ import annotations

from koreasec_data.compile.layout import read_layout, source_text
from koreasec_data.compile.rawyaml import Mapping
from koreasec_data.hashes import sha256_of

TEXT = "Headline here\nBody text. Photo caption. (c) Credit\n"
KINDS = ["headline", "caption", "credit", "related"]


def item(line, **values):
    return Mapping(values, line=line, key_lines={key: line + n for n, key in enumerate(values)})


def test_a_text_is_read_only_when_its_hash_is_the_recorded_one(tmp_path):
    (tmp_path / "raw" / "sources").mkdir(parents=True)
    (tmp_path / "raw" / "sources" / "a.txt").write_text(TEXT, encoding="utf-8")
    block = item(3, file_name="a.txt", sha256="x")
    row = {"file_name": "a.txt", "sha256": sha256_of(TEXT.encode())}
    assert source_text(tmp_path, "a.yaml", block, row, "source src-1") == (TEXT, [])
    text, problems = source_text(tmp_path, "a.yaml", block, {**row, "sha256": "0" * 64}, "s")
    assert text is None and problems[0].line == 4 and "the text changed" in problems[0].message
    text, problems = source_text(tmp_path, "a.yaml", block, {**row, "file_name": "../a"}, "s")
    assert text is None and problems[0].line == 3


def test_layout_regions_are_located_and_every_bad_entry_reported():
    article = item(
        1,
        layout=[
            item(5, position="headline", quote="Headline here"),
            item(7, position="caption", quote="Photo caption."),
            item(9, position="sidebar", quote="Body"),
            item(11, position="credit", quote="not in the text"),
            "junk",
            item(13, position="credit", quote="(c) Credit", colour="red"),
        ],
    )
    marked, problems = read_layout("a.yaml", article, TEXT, "source src-1", KINDS)
    assert [(region.kind, region.span.start) for region, _ in marked] == [
        ("headline", 0),
        ("caption", 25),
        ("credit", 40),
    ]
    assert sorted(problem.line for problem in problems) == [1, 9, 12, 15]
