"""The three layers: researchers' modules never reach the curators' or maintainers' code,
imports form no cycle, and docs/architecture.md lists every module."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import ROOT

PACKAGE = ROOT / "koreasec_data"
#: The entry point sits above the layers: it imports each one inside the command that needs it.
ENTRY = {"koreasec_data.cli", "koreasec_data.__main__"}
HEAVY = ("pandera", "frictionless", "yaml")


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
#: The researchers' layer: the top-level modules, and the review site they can write.
RESEARCHERS = sorted(
    name
    for name, path in MODULES.items()
    if (path.parent == PACKAGE and name.count(".") == 1) or path.parent == PACKAGE / "report"
)
RESEARCHERS = [name for name in RESEARCHERS if name not in ENTRY]


def imports(path) -> set[str]:
    """Every koreasec_data module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in MODULES and name != "koreasec_data"}


def test_there_are_three_layers():
    assert RESEARCHERS and "koreasec_data.loader" in RESEARCHERS
    assert "koreasec_data.report.site" in RESEARCHERS
    assert any(name.startswith("koreasec_data.compile.") for name in MODULES)
    assert any(name.startswith("koreasec_data.release.") for name in MODULES)


@pytest.mark.parametrize("name", RESEARCHERS)
def test_researchers_modules_never_import_compile_or_release(name):
    lower = [
        imported
        for imported in imports(MODULES[name])
        if imported.startswith(("koreasec_data.compile", "koreasec_data.release"))
    ]
    assert lower == [], f"{name} imports {lower}: move what it needs up to the top level"


def test_compile_never_imports_release():
    for name, path in MODULES.items():
        if name.startswith("koreasec_data.compile"):
            assert not [i for i in imports(path) if i.startswith("koreasec_data.release")], name


def test_using_the_researchers_api_loads_no_build_or_release_code(built):
    code = (
        "import sys, koreasec_data as k\n"
        f"import {', '.join(RESEARCHERS)}\n"
        f"k.load('events', directory={str(built)!r}); k.describe('events'); k.tables()\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert "koreasec_data.loader" in loaded and "pyarrow" in loaded
    unwanted = [
        name
        for name in loaded
        if name.startswith(("koreasec_data.compile", "koreasec_data.release"))
        or name.split(".")[0] in HEAVY
    ]
    assert unwanted == []


def test_imports_form_no_cycle():
    graph = {name: imports(path) for name, path in MODULES.items()}
    state: dict[str, str] = {}

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_architecture_lists_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in MODULES.values():
        relative = path.relative_to(ROOT).as_posix()
        assert f"`{relative}`" in text, f"docs/architecture.md does not describe {relative}"
