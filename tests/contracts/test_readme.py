"""The README's commands are what CI runs, and its examples run as written."""

from __future__ import annotations

import os
import re

from koreasec_data.schemas import load_schemas


def blocks(root, language):
    text = (root / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_ci_runs_exactly_the_readme_commands(root):
    commands = [block.strip() for block in blocks(root, "bash") if "&&" in block]
    ci = [line for line in (root / ".ci" / "run").read_text().splitlines() if line.strip()]
    assert len(commands) == 2
    assert ci[-2:] == commands


def test_python_examples_run(root, built, monkeypatch, capsys):
    monkeypatch.chdir(built.parent)
    examples = blocks(root, "python")
    assert examples
    for example in examples:
        exec(compile(example, "README.md", "exec"), {})
    output = capsys.readouterr().out
    assert "stance" in output and "[Data set]" in output


def test_every_table_is_listed(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    for name in load_schemas(root / "schemas"):
        assert f"| `{name}` |" in text


def test_ci_script_is_executable(root):
    assert os.access(root / ".ci" / "run", os.X_OK)
