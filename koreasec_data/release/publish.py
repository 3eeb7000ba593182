"""``koreasec-data release --publish``: what the release workflow runs on a tag, in one
command, the same on a maintainer's machine (``--dry-run``) as on GitHub's.

1. The tag, the package version, ``CITATION.cff``, ``CHANGELOG.md`` and ``.zenodo.json``
   agree (:func:`check_versions`; every disagreement reported at once).
2. A clean build (no cache) gives exactly the bytes of ``lock/build.sha256``.
3. Its release assets are exactly those recorded in ``koreasec_data/releases.json`` by
   the commit before the tag (the archive is reproducible).
4. The GitHub release of the tag is made as a draft, every asset uploaded (one that is
   there with the same bytes is skipped, with other bytes refused before anything is
   uploaded; an upload cut off is deleted and tried again), then published, which is
   what Zenodo archives (``.zenodo.json``).
5. With ``dist``: the wheel and sdist, for the workflow's trusted publishing to PyPI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from koreasec_data.hashes import file_sha256
from koreasec_data.release.assets import ReleaseError, changelog_section, make_release
from koreasec_data.release.assets import release_assets as assets_of
from koreasec_data.release.github import GitHub
from koreasec_data.release.zenodo import zenodo_metadata

__all__ = ["check_build", "check_versions", "publish_release", "upload"]


def check_versions(root: Path, tag: str) -> str:
    """Return the version ``tag`` names, if every place that states it agrees."""
    import json

    import yaml

    version, problems = tag.removeprefix("v"), []
    if not re.fullmatch(r"v\d+\.\d+\.\d+", tag):
        problems.append(f"the tag {tag!r} is not vX.Y.Z")
    init = (root / "koreasec_data" / "__init__.py").read_text(encoding="utf-8")
    package = re.search(r'^__version__ = "(.*)"', init, re.M)
    if package is None or package[1] != version:
        problems.append(f"koreasec_data/__init__.py says {package and package[1]}, the tag {tag}")
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    preferred = citation.get("preferred-citation", {})
    for where, value in (("version", citation["version"]), ("preferred-citation", preferred)):
        said = value.get("version") if isinstance(value, dict) else value
        if str(said) != version:
            problems.append(f"CITATION.cff {where} says {said}, the tag {tag}")
    try:
        section = changelog_section((root / "CHANGELOG.md").read_text(encoding="utf-8"), version)
        day = section.split("\n", 1)[0].partition(" - ")[2].strip()
        if day != str(citation["date-released"]):
            problems.append(
                f"CHANGELOG.md dates {version} {day!r}, CITATION.cff {citation['date-released']}"
            )
    except ReleaseError as error:
        problems.append(str(error))
    zenodo = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    if zenodo != zenodo_metadata(json.loads(json.dumps(citation, default=str))):
        problems.append(
            ".zenodo.json is not CITATION.cff's: regenerate it "
            "(python -m koreasec_data.release.zenodo > .zenodo.json)"
        )
    if problems:
        raise ReleaseError(f"the release of {tag} is not ready:\n  " + "\n  ".join(problems))
    return version


def check_build(directory: Path, record: Path) -> None:
    """``directory`` holds exactly the files ``record`` (a ``sha256sum`` list) names."""
    expected = dict(line.split(maxsplit=1)[::-1] for line in record.read_text().splitlines())
    found = {path.name: file_sha256(path) for path in Path(directory).iterdir()}
    differ = sorted(name for name in {*expected, *found} if expected.get(name) != found.get(name))
    if differ:
        raise ReleaseError(
            f"the clean build differs from {record.name} in: {', '.join(differ)}; build "
            "on the locked toolchain (the README's first command, Python 3.11)"
        )


def upload(client: GitHub, tag: str, assets: list[Path], notes: str, dry_run: bool) -> list[str]:
    """Make the release of ``tag`` hold exactly ``assets``; return what was (or, with
    ``dry_run``, would be) done, a line each. Only reads when ``dry_run``."""
    where = f"{client.api}/repos/{client.repo}"
    release = client.find(tag)
    there = {asset["name"]: asset for asset in (release or {}).get("assets", [])}
    todo, lines = [], []
    for path in assets:  # all compared before anything is uploaded
        asset = there.get(path.name)
        if asset is None or asset.get("state") != "uploaded":
            todo.append(path)
        elif _same(client, asset, path):
            lines.append(f"skip {path.name}: already published with the same bytes")
        else:
            raise ReleaseError(
                f"{tag} already has {path.name} with other bytes; a published release is "
                "never changed: make a new version (docs/releasing.md)"
            )
    verb = "would upload" if dry_run else "uploaded"
    if release is None:
        lines.insert(
            0, f"{'would create' if dry_run else 'created'} the draft release {tag} at {where}"
        )
        if not dry_run:
            release = client.create(tag, notes)
    for path in todo:
        if not dry_run:
            if path.name in there:  # left broken by a run that was cut off
                client.delete(there[path.name])
            _upload_one(client, release, path)
        lines.append(
            f"{verb} {path.name} ({path.stat().st_size} bytes, sha256 {file_sha256(path)})"
        )
    if release is None or release["draft"]:
        lines.append(f"{'would publish' if dry_run else 'published'} the release {tag}")
        if not dry_run:
            client.publish(release)
    return lines


def _same(client: GitHub, asset: dict, path: Path) -> bool:
    """Whether GitHub holds the bytes of ``path`` as ``asset``."""
    return asset["size"] == path.stat().st_size and client.asset_sha256(asset) == file_sha256(path)


def _upload_one(client: GitHub, release: dict, path: Path) -> None:
    """Upload ``path``; an upload cut off leaves a broken asset, deleted before a new try."""
    for _ in range(client.tries):
        if client.upload(release, path) is not None:
            return
        left = {a["name"]: a for a in client.refresh(release)["assets"]}.get(path.name)
        if left is not None:
            if left.get("state") == "uploaded" and _same(client, left, path):
                return  # the upload arrived; only its answer was lost
            client.delete(left)
    raise ReleaseError(f"could not upload {path.name} in {client.tries} tries; run again")


def publish_release(
    root: Path,
    out: Path,
    tag: str,
    repo: str,
    dry_run: bool,
    dist: Path | None = None,
    registry_path: Path | None = None,
) -> str:
    """Check, build, verify and publish the release of ``tag``; return what was done."""
    from koreasec_data import settings
    from koreasec_data.compile.build import build

    root = Path(root)
    version = check_versions(root, tag)
    token = os.environ.get("GITHUB_TOKEN")
    if not (token or dry_run):
        raise ReleaseError("set GITHUB_TOKEN to a token that may write releases (or use --dry-run)")
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "build"
        build(root, built, cache=None)
        check_build(built, root / "lock" / "build.sha256")
        registry_path = registry_path or root / "koreasec_data" / "releases.json"
        make_release(built, out, root, registry_path, record=False)
    assets = assets_of(Path(out) / f"v{version}")
    notes = changelog_section((root / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    client = GitHub(settings.current().release_api, repo, token)
    lines = [
        f"{tag}: versions agree; the clean build is lock/build.sha256's and its assets "
        "releases.json's"
    ]
    lines += upload(client, tag, assets, notes, dry_run)
    if dist is not None:
        command = [sys.executable, "-m", "hatchling", "build", "-d", str(dist)]
        subprocess.run(command, cwd=root, check=True, capture_output=True)
        lines.append(f"built {', '.join(p.name for p in sorted(Path(dist).iterdir()))} in {dist}")
    return "\n".join(lines)
