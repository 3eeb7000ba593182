"""Safe YAML loading with line numbers."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from conftest import time_limit

from koreasec_data.compile.rawyaml import LineIndex, YamlError, load_yaml


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
        # refused by the safe loader; the detail after our prefix is PyYAML's wording
        ("a: !!python/object/apply:os.system ['true']\n", 1, "^invalid YAML: "),
        ("a: [1,\n", 2, "^invalid YAML: "),
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


RECORDS = """\
events:
  - event_id: ev-1
    summary: first
    evidence:
      - quote: a
        source_id: src-1
  - {event_id: ev-2, summary: second}
"""


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (2, "summary", 3),  # the record starting at line 2
        (2, "evidence", 4),
        (5, "source_id", 6),  # an evidence item
        (2, "note", 2),  # a column the record does not write: the record's line
        (2, None, 2),
        (7, "summary", 7),  # a flow mapping: every key on its line
        (9, "summary", 9),  # no record starts there: the line itself
    ],
)
def test_line_of_column_finds_the_record_again(tmp_path, line, column, expected):
    assert LineIndex(load(tmp_path, RECORDS)).line_of(line, column) == expected


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="times itself with SIGALRM (conftest.time_limit), which Windows lacks",
)
def test_line_of_column_visits_each_node_once_in_an_alias_bomb(tmp_path):
    levels = ["l0: &l0 {quote: x}"]
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 9)]
    data = load(tmp_path, "\n".join(levels) + "\n")  # 10**8 paths to the mapping at line 1
    with time_limit(5):
        assert LineIndex(data).line_of(1, "quote") == 1
