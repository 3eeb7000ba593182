"""Download a released version, verify it against the shipped registry, cache and unpack it.

Downloads go through pooch: to a temporary file beside the target, verified by
sha256, then moved into place, so a half-written or tampered file is never cached.
The cache is keyed on (version, sha256) from the registry, so offline runs find
exactly what online runs stored.

The mirror, the cache folder, offline mode, the timeout and the retries are settings
(:mod:`koreasec_data.settings`).
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path

from koreasec_data import settings
from koreasec_data.arguments import typed
from koreasec_data.hashes import file_sha256, stream_sha256
from koreasec_data.registry import archive_name, read_registry
from koreasec_data.transfer import OWNER, Bounded, DownloadError, abandoned

__all__ = ["DownloadError", "cache_root", "cached_versions", "fetch"]

ENV_BASE_URL, ENV_CACHE, ENV_OFFLINE = (settings.ENV[k] for k in ("base_url", "cache", "offline"))


def cache_root() -> Path:
    """Return the cache folder: ``KOREASEC_DATA_CACHE`` or the platform's user cache."""
    import pooch

    return settings.current().cache or Path(pooch.os_cache("koreasec-data"))


def _version_cache(version: str, sha256: str) -> Path:
    return cache_root() / version / sha256[:16]


def cached_versions(registry: dict | None = None) -> list[str]:
    """Return the registry versions whose verified archive is in the cache."""
    registry = read_registry() if registry is None else registry
    found = []
    for version, entry in registry.items():
        archive = _version_cache(version, entry["sha256"]) / entry["archive"]
        if archive.is_file() and file_sha256(archive) == entry["sha256"]:
            found.append(version)
    return found


def _check_members(archive: zipfile.ZipFile, top: str) -> list[zipfile.ZipInfo]:
    members = []
    for info in archive.infolist():
        parts = Path(info.filename).parts
        is_link = stat.S_ISLNK(info.external_attr >> 16)
        if info.filename.startswith("/") or ".." in parts or parts[:1] != (top,) or is_link:
            raise DownloadError(
                f"refusing archive member {info.filename!r}: members must be plain files "
                f"inside {top}/ (no links, no '..', no absolute paths)"
            )
        if not info.is_dir():
            members.append(info)
    return members


def _member_sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    with archive.open(info) as member:
        return stream_sha256(member)


def _unpacked_is_intact(folder: Path, archive: zipfile.ZipFile, members) -> bool:
    for info in members:
        path = folder.parent / info.filename
        if not path.is_file() or file_sha256(path) != _member_sha256(archive, info):
            return False
    return True


def _check_sizes(members: list[zipfile.ZipInfo], archive_size: int) -> None:
    """Releases store their members uncompressed: together they fit in the archive."""
    total = sum(info.file_size for info in members)
    packed = [info.filename for info in members if info.compress_type != zipfile.ZIP_STORED]
    if packed or total > archive_size:
        raise DownloadError(
            f"refusing the archive: its members ({total} bytes{', compressed' if packed else ''})"
            f" do not fit the {archive_size} bytes of the release; report it to the maintainers"
        )


def _unpack(archive_path: Path, version: str) -> Path:
    """Unpack into the archive's folder, atomically; repair a copy modified on disk."""
    top = f"koreasec-data-{version}"
    folder = archive_path.parent / top
    with zipfile.ZipFile(archive_path) as archive:
        members = _check_members(archive, top)
        _check_sizes(members, archive_path.stat().st_size)
        if folder.is_dir() and _unpacked_is_intact(folder, archive, members):
            return folder
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=archive_path.parent))
        try:
            for info in members:  # streamed, never held whole in memory
                with (
                    archive.open(info) as member,
                    open(staging / Path(info.filename).name, "wb") as out,
                ):
                    shutil.copyfileobj(member, out, 1 << 20)
            if folder.exists():  # modified on disk since it was unpacked: replace it
                shutil.rmtree(folder)
            try:
                staging.rename(folder)
            except OSError:
                if not folder.is_dir():  # another process did not win the race
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _download(url: str, version: str, entry: dict, target: Path) -> None:
    import pooch
    import requests

    override = f"set {ENV_BASE_URL} to a mirror of the release page if this one is unreachable"
    fetcher = pooch.create(
        path=target,
        base_url=url.rsplit("/", 1)[0] + "/",
        registry={entry["archive"]: f"sha256:{entry['sha256']}"},
    )
    _remove_stale(target)
    retries, error = settings.current().retries, None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(0.5 * attempt, 2))
        try:
            fetcher.fetch(entry["archive"], downloader=Bounded(version, entry, override))
            return
        except DownloadError:
            raise
        except requests.exceptions.RequestException as failed:  # the network: may recover
            error = failed
        except FileNotFoundError as failed:  # another process, failing, removed the folder
            error = error or failed  # the server's error, if one came, is the one to report
        except OSError as failed:  # after requests' errors, which are OSErrors too
            raise DownloadError(
                f"cannot write to the cache ({failed}); set {ENV_CACHE} to a writable folder"
            ) from None
    if isinstance(error, requests.exceptions.HTTPError) and error.response is not None:
        detail = f"HTTP {error.response.status_code}"
    else:
        detail = f"{type(error).__name__}: {error}"
    raise DownloadError(f"could not download {url} ({detail}); {override}")


def _remove_stale(target: Path) -> None:
    """Remove the partial files killed downloads of this version left (pooch's ``tmp*``
    in the version's folder): at once when the process that wrote one is gone
    (:func:`~koreasec_data.transfer.abandoned`), else once older than the deadline, when
    no download can still be writing it. A live download's partial is left alone."""
    if not target.is_dir():
        return
    limit = time.time() - settings.current().deadline
    for path in target.glob("tmp*"):
        if path.name.endswith(OWNER):
            continue
        owner = path.with_name(path.name + OWNER)
        with contextlib.suppress(OSError):  # another download may remove it first
            if path.is_file() and (abandoned(path) or path.stat().st_mtime < limit):
                path.unlink()
                owner.unlink(missing_ok=True)
    for owner in target.glob(f"tmp*{OWNER}"):  # the owner of a partial already gone
        partial = owner.with_name(owner.name.removesuffix(OWNER))
        with contextlib.suppress(OSError):
            if not partial.exists() and (abandoned(partial) or owner.stat().st_mtime < limit):
                owner.unlink()


@typed
def fetch(version: str, registry: dict | None = None) -> Path:
    """Return the folder of a released version's files, downloading them if needed.

    Raises
    ------
    DownloadError
        For an unknown version (the known ones are listed), a download that fails or does
        not match its sha256, an unwritable cache, or offline mode without a cached copy.
    """
    from koreasec_data import __version__

    registry = read_registry() if registry is None else registry
    if version not in registry:
        known = ", ".join(registry) or "none"
        raise DownloadError(
            f"unknown version {version!r}; released versions: {known}; installed: "
            f"{__version__} (always available)"
        )
    entry = registry[version]
    target = _version_cache(version, entry["sha256"])
    archive = target / entry["archive"]
    if archive.is_file() and file_sha256(archive) == entry["sha256"]:
        return _unpack_or_explain(archive, version)
    if settings.current().offline:
        local = ", ".join([__version__, *cached_versions(registry)])
        raise DownloadError(
            f"version {version} is not in the cache ({target}) and {ENV_OFFLINE} is set; "
            f"versions available offline: {local} (the first is the installed one)"
        )
    url = f"{settings.current().base_url}/v{version}/{archive_name(version)}"
    try:
        _download(url, version, entry, target)
    finally:
        for folder in (target, target.parent):  # leave no empty cache folders behind
            with contextlib.suppress(OSError):  # another process may be using or removing it
                if not any(folder.iterdir()):
                    folder.rmdir()
    return _unpack_or_explain(archive, version)


def _unpack_or_explain(archive: Path, version: str) -> Path:
    try:
        return _unpack(archive, version)
    except OSError as error:  # a full disk, an unwritable cache
        raise DownloadError(
            f"cannot unpack {archive.name} in the cache {archive.parent} "
            f"({error.strerror or error}); free space there, or set {ENV_CACHE} to another "
            "folder"
        ) from None
