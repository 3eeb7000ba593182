"""Safe YAML loading with line numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from koreasec_data.rawyaml import YamlError, load_yaml


def load(tmp_path, text):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def test_mappings_remember_lines(tmp_path):
    data = load(tmp_path, "a: 1\nitems:\n  - id: x\n    date: 2024-10-24\n")
    item = data["items"][0]
    assert (data.line, item.line, item.line_of("date"), item.line_of("missing")) == (1, 3, 4, 3)
    assert item["date"] == dt.date(2024, 10, 24)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "key 'a' appears twice"),
        ("a: !!python/object/apply:os.system ['true']\n", 1, "could not determine a constructor"),
        ("a: [1,\n", 2, "invalid YAML"),
    ],
)
def test_refused(tmp_path, text, line, message):
    with pytest.raises(YamlError, match=message) as caught:
        load(tmp_path, text)
    assert caught.value.line == line


def test_binary_junk(tmp_path):
    path = tmp_path / "junk.yaml"
    path.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(YamlError, match="not UTF-8"):
        load_yaml(path)
