"""The locked toolchain: CI runs on exactly the pinned versions, and they rebuild the
recorded bytes, so a cited version can be rebuilt from its tag."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from importlib import metadata

import pytest
from conftest import ROOT, quiet
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from koreasec_data.compile.build import build
from koreasec_data.compile.datapackage import DESCRIPTOR, TOOLCHAIN_KEY, toolchain

RECORD = ROOT / "lock" / "build.sha256"
REFRESH = "(cd build && sha256sum -- *) > lock/build.sha256"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def pins(lock: str) -> dict[str, str]:
    """The versions a lock file pins for this interpreter and platform."""
    found = {}
    for line in (ROOT / "lock" / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            found[canonicalize_name(match[1])] = match[2]
    return found


def recorded() -> dict[str, str]:
    lines = RECORD.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}


@pytest.mark.parametrize("lock", ["build.txt", "test.txt"])
def test_installed_versions_are_the_locked_ones(lock):
    locked = pins(lock)
    assert locked
    installed = {name: metadata.version(name) for name in locked}
    assert installed == locked, "install from the lock: see the README's two commands"


def test_build_lock_is_the_test_lock_cut_down():
    build_pins, test_pins = pins("build.txt"), pins("test.txt")
    assert {name: test_pins.get(name) for name in build_pins} == build_pins


def test_the_reader_install_is_not_pinned(root):
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        requirement for extra in project["optional-dependencies"].values() for requirement in extra
    ]
    assert not [requirement for requirement in requirements if "==" in requirement]


def test_datapackage_records_the_toolchain(built):
    descriptor = json.loads((built / DESCRIPTOR).read_text(encoding="utf-8"))
    tools = descriptor[TOOLCHAIN_KEY]
    assert tools == toolchain()
    locked = pins("build.txt")
    for name in sorted(set(tools) - {"python", "libyaml"}):  # every library, as locked
        assert tools[name] == locked[name], name
    assert tools["python"].count(".") == 1  # major.minor


#: The Python the lock is resolved for and lock/build.sha256 recorded with: datapackage.json
#: names the Python that built it, so another one writes that one file differently.
LOCKED_PYTHON = (3, 11)


def test_the_locked_toolchain_rebuilds_the_recorded_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "build"
    build(ROOT, out, say=quiet)
    rebuilt = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in out.iterdir()}
    expected = recorded()
    if sys.version_info[:2] != LOCKED_PYTHON:  # every other file must still be the same
        del rebuilt[DESCRIPTOR], expected[DESCRIPTOR]
    assert rebuilt == expected, (
        "the build no longer gives the bytes recorded in lock/build.sha256; if raw/, "
        f"schemas/ or the lock changed on purpose, run `koreasec-data build && {REFRESH}` "
        "and say why in CHANGELOG.md"
    )
