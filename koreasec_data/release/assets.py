"""Release assets of a built package, recorded in the registry (:mod:`koreasec_data.registry`).

``koreasec-data release`` turns ``build/`` into the assets of the current version:
a folder and a zip archive holding the Parquet files, ``datapackage.json``,
``CITATION.cff`` and the version's CHANGELOG section, the review site without the
article texts (``koreasec-data-X.Y.Z-report.zip``), with ``SHA256SUMS``; it records
the archive and every asset (:func:`release_assets`: the folder's files, published one by
one so each table can be read in place, the two zips and ``SHA256SUMS``) in
``releases.json`` and the release's ids in ``manifests/<version>.json``, after checking
that no released id is lost (:mod:`koreasec_data.release.stability`).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from koreasec_data import registry as published
from koreasec_data.export import export
from koreasec_data.hashes import sha256_of
from koreasec_data.registry import archive_name, read_registry
from koreasec_data.release.stability import lost_since_releases, manifest, write_manifest
from koreasec_data.report.site import write_report

__all__ = ["ReleaseError", "changelog_section", "make_release", "release_assets"]

SUMS = "SHA256SUMS"


class ReleaseError(Exception):
    """A release cannot be made as asked; the message says what to do instead."""


def changelog_section(changelog: str, version: str) -> str:
    """Return the CHANGELOG.md section of ``version`` (heading included).

    Examples
    --------
    >>> text = "# Changelog\\n\\n## [0.2.0] - 2027-01-01\\nB\\n\\n## [0.1.0] - 2026-11-23\\nA\\n"
    >>> changelog_section(text, "0.1.0")
    '## [0.1.0] - 2026-11-23\\nA\\n'
    """
    match = re.search(rf"^## \[{re.escape(version)}\].*?(?=^## \[|\Z)", changelog, re.M | re.S)
    if match is None:
        raise ReleaseError(f"CHANGELOG.md has no section '## [{version}]'; write it first")
    return match.group(0).rstrip("\n") + "\n"


def _zip(folder: Path, target: Path, released: tuple[int, int, int]) -> None:
    """Write a zip of ``folder`` (and its subfolders) whose bytes depend only on the files'
    names and content."""
    files = sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )
    with zipfile.ZipFile(target, "w") as archive:
        for name in files:
            path = folder / name
            info = zipfile.ZipInfo(f"{folder.name}/{name}", date_time=(*released, 0, 0, 0))
            info.external_attr = 0o644 << 16
            # Parquet is compressed already; storing keeps members seekable.
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, path.read_bytes())


def release_assets(target: Path) -> list[Path]:
    """The files a release made under ``target`` (``out/vX.Y.Z``) publishes, each under
    its own name: the folder's files, the archive, the review site and ``SHA256SUMS``."""
    version = Path(target).name.removeprefix("v")
    folder = Path(target) / f"koreasec-data-{version}"
    zips = [Path(target) / archive_name(version)]
    zips += [Path(target) / f"{folder.name}-{part}.zip" for part in ZIPPED]
    return [*sorted(folder.iterdir()), *zips, Path(target) / SUMS]


#: The other archives of a release, each of a folder of its own: the CSV and Stata exports
#: (every table, with its citation, README, codebook and descriptor: for people who do not
#: use Python) and the review site without the article texts.
ZIPPED = ("csv", "stata", "report")


def _zip_folders(build_dir: Path, target: Path, stem: str, day) -> None:
    """Write ``target/{stem}-{part}.zip`` for every part of :data:`ZIPPED`."""
    with tempfile.TemporaryDirectory() as scratch:
        for part in ZIPPED:
            folder = Path(scratch) / f"{stem}-{part}"
            if part == "report":
                write_report(folder, build_dir)
            else:
                export(part, folder, directory=build_dir)
            _zip(folder, target / f"{folder.name}.zip", day)


def make_release(
    build_dir: Path,
    out: Path,
    root: Path,
    registry_path: Path | None = None,
    record: bool = True,
) -> dict[str, Any]:
    """Make the release assets of the package in ``build_dir`` under ``out/v{version}/``.

    Records the release in the registry, or with ``record=False`` (when publishing) checks
    that the registry has recorded exactly these bytes already. Refused, with nothing
    written: a version already in the registry with other bytes (a published asset is
    never replaced; a correction is a new version), and a package that drops an id of an
    earlier release of its major version without listing it in ``raw/retired.yaml``.

    Returns the registry entry.
    """
    descriptor = json.loads((Path(build_dir) / "datapackage.json").read_text(encoding="utf-8"))
    version = descriptor["version"]
    registry_path = Path(registry_path or published.REGISTRY_PATH)
    registry = read_registry(registry_path)
    ids = manifest(build_dir)  # read once: checked against earlier releases, then recorded
    lost = lost_since_releases(build_dir, ids, version, registry_path.parent / "manifests")
    if lost:
        raise ReleaseError(f"version {version} would lose released ids:\n" + "\n".join(lost))
    section = changelog_section((Path(root) / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    released = section.split(" - ", 1)[1].split("\n", 1)[0].strip()
    target = Path(out) / f"v{version}"
    folder = target / f"koreasec-data-{version}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(build_dir, folder)
    (folder / f"CHANGELOG-{version}.md").write_text(section, encoding="utf-8", newline="\n")
    archive = target / archive_name(version)
    day = tuple(int(part) for part in released.split("-"))
    _zip(folder, archive, day)
    _zip_folders(Path(build_dir), target, folder.name, day)
    listed = release_assets(target)[:-1]  # all but SHA256SUMS itself
    # The names as published (one flat list of assets): `sha256sum -c` runs on a download.
    sums = "".join(f"{sha256_of(p.read_bytes())}  {p.name}\n" for p in listed)
    (target / SUMS).write_text(sums, encoding="utf-8", newline="\n")
    files = {
        p.name: {"sha256": sha256_of(p.read_bytes()), "size": p.stat().st_size}
        for p in release_assets(target)
    }
    entry = {"archive": archive.name, **files[archive.name], "released": released, "assets": files}
    known = registry.get(version)
    if known is not None and known["sha256"] != entry["sha256"]:
        shutil.rmtree(target)
        message = (
            f"version {version} was already released with sha256 {known['sha256']}; a "
            "published asset is never replaced: record the change in CHANGELOG.md under a "
            "new version, bump the version in koreasec_data/__init__.py and CITATION.cff, "
            "rebuild and release that"
        )
        raise ReleaseError(message)
    if not record:
        _check_recorded(known, entry, version)
        return entry
    registry[version] = entry
    ordered = dict(sorted(registry.items(), key=lambda item: _version_key(item[0])))
    registry_path.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8", newline="\n")
    write_manifest(ids, version, registry_path.parent / "manifests")
    return entry


def _check_recorded(known: dict[str, Any] | None, entry: dict[str, Any], version: str) -> None:
    """The registry of the tagged commit must hold exactly the bytes made now."""
    if known is None:
        raise ReleaseError(
            f"version {version} is not recorded in koreasec_data/releases.json: run "
            "`koreasec-data release`, commit releases.json and the manifest, then tag"
        )
    differ = sorted(
        name
        for name in {*entry["assets"], *known.get("assets", {})}
        if entry["assets"].get(name) != known.get("assets", {}).get(name)
    )
    if differ or known != entry:
        raise ReleaseError(
            f"the release made now is not the one recorded for {version} in "
            f"koreasec_data/releases.json (differing: {', '.join(differ) or 'the entry'}); "
            "publish only the recorded bytes: rebuild on the locked toolchain (Python 3.11)"
        )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))
