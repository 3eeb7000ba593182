"""ruff check and ruff format are clean, so CI holds the style too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_check(root):
    result = subprocess.run([RUFF, "check", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format(root):
    result = subprocess.run([RUFF, "format", "--check", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
