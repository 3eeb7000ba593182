"""Release assets and the registry: complete, reproducible, never replaced."""

from __future__ import annotations

import json
import zipfile

import pytest
from conftest import edit_yaml, page_text, quiet, unquoted_sentences

from koreasec_data import __version__
from koreasec_data.compile.build import build
from koreasec_data.registry import archive_name, read_registry
from koreasec_data.release.assets import ReleaseError, make_release


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "releases.json"
    path.write_text("{}")
    return path


def test_release_assets(built, root, tmp_path, registry):
    version = json.loads((built / "datapackage.json").read_text())["version"]
    entry = make_release(built, tmp_path / "out", root, registry)
    target = tmp_path / "out" / f"v{version}"
    folder = target / f"koreasec-data-{version}"
    names = {p.name for p in folder.iterdir()}
    assert {
        "datapackage.json",
        "CITATION.cff",
        "events.parquet",
        f"CHANGELOG-{version}.md",
    } <= names
    assert (folder / f"CHANGELOG-{version}.md").read_text().startswith(f"## [{version}]")
    with zipfile.ZipFile(target / archive_name(version)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{folder.name}/{n}" for n in names)
    sums = (target / "SHA256SUMS").read_text().splitlines()
    assert f"{entry['sha256']}  {archive_name(version)}" in sums
    others = [f"koreasec-data-{version}-{part}.zip" for part in ("csv", "stata", "report")]
    assert len(sums) == len(names) + 4
    assert all(any(line.endswith(f"  {name}") for line in sums) for name in others)
    assert read_registry(registry) == {version: entry}
    assert entry["size"] == (target / archive_name(version)).stat().st_size


def test_release_ships_the_review_site_without_the_texts(built, root, tmp_path, registry, tables):
    version = json.loads((built / "datapackage.json").read_text())["version"]
    make_release(built, tmp_path / "out", root, registry)
    top = f"koreasec-data-{version}-report"
    with zipfile.ZipFile(tmp_path / "out" / f"v{version}" / f"{top}.zip") as archive:
        names = archive.namelist()
        pages = [
            page_text(archive.read(name).decode("utf-8"))
            for name in names
            if name.endswith(".html")
        ]
    assert f"{top}/index.html" in names and f"{top}/articles/src-000.html" in names
    for sentences in unquoted_sentences(tables).values():
        assert sentences and not any(sentence in page for sentence in sentences for page in pages)


def test_release_is_reproducible_and_idempotent(built, root, tmp_path, registry):
    first = make_release(built, tmp_path / "a", root, registry)
    second = make_release(built, tmp_path / "b", root, registry)
    assert first == second
    sums = [[p.read_text() for p in (tmp_path / run).glob("v*/SHA256SUMS")] for run in "ab"]
    assert sums[0] == sums[1] and len(sums[0]) == 1, "every asset has the same bytes"


def test_published_release_is_never_replaced(built, root, tmp_path, registry):
    version = json.loads((built / "datapackage.json").read_text())["version"]
    registry.write_text(json.dumps({version: {"sha256": "0" * 64, "archive": "x"}}))
    with pytest.raises(ReleaseError, match="never replaced"):
        make_release(built, tmp_path / "out", root, registry)
    assert not (tmp_path / "out" / f"v{version}").exists()
    assert json.loads(registry.read_text())[version]["sha256"] == "0" * 64


def test_release_needs_a_changelog_section(built, tmp_path, registry):
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n")
    with pytest.raises(ReleaseError, match=r"CHANGELOG\.md has no section"):
        make_release(built, tmp_path / "out", tmp_path, registry)


def test_shipped_registry_is_valid(root):
    registry = read_registry()
    for version, entry in registry.items():
        assert entry["archive"] == archive_name(version)
        assert len(entry["sha256"]) == 64 and entry["size"] > 0


NEXT = ".".join([*__version__.split(".")[:2], str(int(__version__.split(".")[2]) + 1)])


def test_release_refuses_to_lose_a_released_id(project, root, tmp_path, registry):
    make_release(project / "build", tmp_path / "out", root, registry)
    first = read_registry(registry)
    gone = {}
    edit_yaml(
        project / "raw" / "articles" / "000.yaml",
        lambda data: gone.update(id=data["arms_deals"].pop()["deal_id"]),
    )
    changelog = tmp_path / "next" / "CHANGELOG.md"
    changelog.parent.mkdir()
    changelog.write_text(f"# Changelog\n\n## [{NEXT}] - 2026-12-01\n- a deal removed\n")

    def release_next():
        build(project, say=quiet)
        path = project / "build" / "datapackage.json"
        descriptor = json.loads(path.read_text())
        path.write_text(json.dumps({**descriptor, "version": NEXT}))
        return make_release(project / "build", tmp_path / "out", changelog.parent, registry)

    with pytest.raises(ReleaseError, match="would lose released ids") as caught:
        release_next()
    assert repr(gone["id"]) in str(caught.value)
    assert read_registry(registry) == first
    assert not (tmp_path / "out" / f"v{NEXT}").exists()
    retired = project / "raw" / "retired.yaml"
    retired.write_text(
        retired.read_text()
        + f"- record_table: arms_deals\n  record_id: {gone['id']}\n  retired_in: {NEXT}\n"
        "  reason: a test\n"
    )
    release_next()
    assert list(read_registry(registry)) == [__version__, NEXT]


def test_stata_files_are_stamped_with_the_package_date_not_the_clock(
    built, root, tmp_path, registry
):
    """The archive's sha256 is recorded before the tag and checked when the workflow
    rebuilds it later: no asset may carry the time it was made."""
    from datetime import datetime

    version = json.loads((built / "datapackage.json").read_text())["version"]
    make_release(built, tmp_path / "out", root, registry)
    created = json.loads((built / "datapackage.json").read_text())["created"]
    stamp = datetime.fromisoformat(created).strftime("%d %b %Y %H:%M").encode()
    stem = f"koreasec-data-{version}-stata"
    with zipfile.ZipFile(tmp_path / "out" / f"v{version}" / f"{stem}.zip") as archive:
        stata = [archive.read(name) for name in archive.namelist() if name.endswith(".dta")]
    assert stata and all(b"<timestamp>\x11" + stamp in data for data in stata)


def test_the_csv_and_stata_exports_are_archives_that_say_their_version(
    built, root, tmp_path, registry
):
    """Each export of a release is its own archive, with its citation and README."""
    version = json.loads((built / "datapackage.json").read_text())["version"]
    make_release(built, tmp_path / "out", root, registry)
    for part, suffix in (("csv", ".csv"), ("stata", ".dta")):
        stem = f"koreasec-data-{version}-{part}"
        with zipfile.ZipFile(tmp_path / "out" / f"v{version}" / f"{stem}.zip") as archive:
            names = set(archive.namelist())
            readme = archive.read(f"{stem}/README.md").decode("utf-8")
        assert {f"{stem}/CITATION.cff", f"{stem}/datapackage.json", f"{stem}/codebook.md"} <= names
        assert f"{stem}/events{suffix}" in names and version in readme
