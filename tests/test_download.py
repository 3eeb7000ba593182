"""Downloading releases from a real HTTP server on 127.0.0.1: verify, cache, fail clearly."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

import koreasec_data
from koreasec_data import download, registry
from koreasec_data.download import DownloadError, fetch
from koreasec_data.hashes import file_sha256
from koreasec_data.release import assets

OLD = "0.0.9"
#: What a captive portal sends instead of the archive.
PORTAL = b"<html><body>Please sign in to the hotel network.</body></html>"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the release folder, or misbehaves as the test asks."""

    mode = "normal"
    requests: ClassVar[list[str]] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        mode = type(self).mode
        if mode == "hang":
            time.sleep(5)
            return
        if mode == "truncate":
            data = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.close()
            return
        if mode == "reset":
            path = Path(self.translate_path(self.path))
            self.send_response(200)
            self.send_header("Content-Length", str(path.stat().st_size))
            self.end_headers()
            self.wfile.write(path.read_bytes()[:1000])
            self.wfile.flush()
            # SO_LINGER 0: close with a TCP reset instead of an orderly shutdown
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if mode.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", mode.removeprefix("redirect:") + self.path)
            self.end_headers()
            return
        if mode in ("oversize", "trickle", "gzip-bomb"):
            data = Path(self.translate_path(self.path)).read_bytes()
            body = data + b"\0" * 100_000 if mode == "oversize" else data
            if mode == "gzip-bomb":  # 2 kB on the wire, 50 MB once decoded
                body = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if mode == "gzip-bomb":
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            try:
                if mode == "trickle":  # a byte every 0.2 s: no read ever times out
                    for byte in body[:50]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if mode == "portal":  # a captive portal: a small page instead of the archive
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PORTAL)))
            self.end_headers()
            self.wfile.write(PORTAL)
            return
        if mode == "fail":
            self.send_error(500)
            return
        if mode == "fail-once":
            type(self).mode = "normal"
            self.send_error(500)
            return
        super().do_GET()


@pytest.fixture
def release(built, root, tmp_path, monkeypatch):
    """Version 0.0.9 of the real build, released into a folder, with its own registry."""
    package = tmp_path / "package"
    shutil.copytree(built, package)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["version"] = OLD
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{OLD}] - 2026-01-01\n- x\n")
    registry_file = tmp_path / "releases.json"
    registry_file.write_text("{}")
    assets.make_release(package, tmp_path / "site", tmp_path, registry_file)
    monkeypatch.setattr(registry, "REGISTRY_PATH", registry_file)
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", "0")
    monkeypatch.setenv("KOREASEC_DATA_TIMEOUT", "1")
    monkeypatch.setenv("KOREASEC_DATA_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KOREASEC_DATA_OFFLINE", raising=False)
    return tmp_path


@pytest.fixture
def server(release, monkeypatch):
    Handler.mode = "normal"
    Handler.requests = []

    def handler(*args, **kwargs):
        return Handler(*args, directory=str(release / "site"), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("KOREASEC_DATA_BASE_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def asset_url(server):
    """The URL fetch(OLD) downloads from this test's server."""
    return f"http://127.0.0.1:{server.server_address[1]}/v{OLD}/koreasec-data-{OLD}.zip"


def cached_files(release):
    return sorted(p.name for p in (release / "cache").rglob("*") if p.is_file())


def test_download_load_then_cache_with_server_stopped(server, release):
    events = koreasec_data.load("events", version=OLD)
    assert len(events) > 0
    assert Handler.requests == [f"/v{OLD}/koreasec-data-{OLD}.zip"]
    server.shutdown()
    again = koreasec_data.load("events", version=OLD)
    assert again.equals(events)
    assert len(Handler.requests) == 1


def test_installed_version_needs_no_network(release):
    assert len(koreasec_data.load("events", version=koreasec_data.__version__)) > 0
    assert not (release / "cache").exists()


def test_unknown_version_lists_known_ones(release):
    with pytest.raises(DownloadError, match=rf"unknown version '9.9.9'; released versions: {OLD}"):
        fetch("9.9.9")


def test_a_version_that_is_not_text_is_a_type_error(release):
    with pytest.raises(TypeError, match=r"^fetch\(version=9\): version must be a str"):
        fetch(9)


def test_tampered_asset_is_rejected_and_nothing_cached(server, release):
    archive = release / "site" / f"v{OLD}" / f"koreasec-data-{OLD}.zip"
    archive.write_bytes(archive.read_bytes().replace(b"parquet", b"PARQUET", 1))
    with pytest.raises(DownloadError, match="nothing was cached") as caught:
        fetch(OLD)
    assert str(caught.value).startswith(
        f"{asset_url(server)} is not the published file of version {OLD}: "
    )
    assert cached_files(release) == []


def test_not_found(server, release):
    shutil.rmtree(release / "site" / f"v{OLD}")
    with pytest.raises(DownloadError, match=r"HTTP 404\); set KOREASEC_DATA_BASE_URL"):
        fetch(OLD)


def test_truncated_body(server, release):
    Handler.mode = "truncate"
    with pytest.raises(DownloadError):
        fetch(OLD)
    assert cached_files(release) == []


def test_server_that_never_answers_times_out(server, release):
    Handler.mode = "hang"
    started = time.monotonic()
    with pytest.raises(DownloadError) as caught:
        fetch(OLD)
    message = str(caught.value)  # the detail in brackets is requests' wording
    assert message.startswith(f"could not download {asset_url(server)} (")
    assert message.endswith(
        "); set KOREASEC_DATA_BASE_URL to a mirror of the release page if this one is unreachable"
    )
    assert time.monotonic() - started < 4.5  # bounded by the 1 s timeout, not the 5 s hang


def test_retry_after_server_error(server, release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", "1")
    Handler.mode = "fail-once"
    assert (fetch(OLD) / "events.parquet").is_file()
    assert len(Handler.requests) == 2


def test_archive_member_outside_its_folder_is_refused(server, release):
    archive = release / "site" / f"v{OLD}" / f"koreasec-data-{OLD}.zip"
    with zipfile.ZipFile(archive, "w") as evil:
        evil.writestr("../escape.txt", "x")
    entries = json.loads(registry.REGISTRY_PATH.read_text())
    entries[OLD].update(sha256=file_sha256(archive), size=archive.stat().st_size)
    registry.REGISTRY_PATH.write_text(json.dumps(entries))
    with pytest.raises(DownloadError, match=r"refusing archive member '\.\./escape\.txt'"):
        fetch(OLD)
    assert not (release / "cache" / OLD / "escape.txt").exists()
    assert not list(release.rglob("escape.txt"))


def test_offline_with_and_without_a_cached_copy(server, release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_OFFLINE", "1")
    installed = koreasec_data.__version__
    with pytest.raises(DownloadError, match=rf"versions available offline: {installed} \("):
        fetch(OLD)
    assert Handler.requests == []
    monkeypatch.delenv("KOREASEC_DATA_OFFLINE")
    fetch(OLD)
    monkeypatch.setenv("KOREASEC_DATA_OFFLINE", "1")
    server.shutdown()
    assert (fetch(OLD) / "events.parquet").is_file()
    assert download.cached_versions() == [OLD]


def test_unpacked_file_modified_on_disk_is_restored(server, release):
    folder = fetch(OLD)
    original = (folder / "events.parquet").read_bytes()
    (folder / "events.parquet").write_bytes(b"tampered")
    assert (fetch(OLD) / "events.parquet").read_bytes() == original


def child_env(release):
    """Environment for a child process that uses this test's registry."""
    (release / "sitecustomize.py").write_text(
        "import koreasec_data.registry as r, pathlib\n"
        f"r.REGISTRY_PATH = pathlib.Path({str(registry.REGISTRY_PATH)!r})\n"
    )
    return {**os.environ, "PYTHONPATH": str(release)}


def test_two_processes_downloading_at_once_end_with_one_good_copy(server, release):
    code = f"from koreasec_data.download import fetch; print(fetch({OLD!r}))"
    env = child_env(release)
    children = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=60)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert outputs[0] == outputs[1]
    folder = fetch(OLD)
    assert str(folder) == outputs[0]
    # the archive and its unpacked folder, and no temporary file or folder beside them
    left = sorted(p.name for p in folder.parent.iterdir())
    assert left == sorted([folder.name, registry.archive_name(OLD)])


def test_download_command_copies_to_dest(server, release):
    dest = release / "dest"
    env = child_env(release)
    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "download", "--version", OLD, "--dest", str(dest)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (dest / "datapackage.json").is_file()
    assert json.loads((dest / "datapackage.json").read_text())["version"] == OLD


def test_connection_reset_mid_body(server, release):
    Handler.mode = "reset"
    with pytest.raises(DownloadError, match="could not download"):
        fetch(OLD)
    assert cached_files(release) == []


def test_redirect_to_another_host_is_followed_and_verified(server, release, monkeypatch):
    """A release page that redirects to a file host (as GitHub does) still gets verified."""

    class FileHost(Handler):
        mode = "normal"

    other = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: FileHost(*a, directory=str(release / "site"), **k)
    )
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        Handler.mode = f"redirect:http://127.0.0.1:{other.server_address[1]}"
        assert (fetch(OLD) / "events.parquet").is_file()
    finally:
        other.shutdown()
        other.server_close()
    assert len(Handler.requests) == 2  # the redirect, then the file from the other host


def test_cached_archive_modified_on_disk_is_fetched_again(server, release):
    folder = fetch(OLD)
    archive = folder.parent / f"koreasec-data-{OLD}.zip"
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")
    requests_before = len(Handler.requests)
    assert (fetch(OLD) / "events.parquet").is_file()
    assert len(Handler.requests) == requests_before + 1
    assert file_sha256(archive) == registry.read_registry()[OLD]["sha256"]


def test_unwritable_cache_names_the_override(server, release, monkeypatch):
    blocker = release / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KOREASEC_DATA_CACHE", str(blocker / "cache"))
    with pytest.raises(DownloadError, match="set KOREASEC_DATA_CACHE to a writable folder"):
        fetch(OLD)


def test_a_body_larger_than_the_release_is_stopped_at_its_size(server, release):
    Handler.mode = "oversize"
    with pytest.raises(DownloadError, match=r"sent more than the .* bytes of release"):
        fetch(OLD)
    assert cached_files(release) == [] and len(Handler.requests) == 1


def test_a_compressed_body_is_bounded_once_decoded(server, release):
    Handler.mode = "gzip-bomb"
    with pytest.raises(DownloadError, match=r"sent more than the .* bytes of release"):
        fetch(OLD)
    assert cached_files(release) == []


def test_a_trickling_server_meets_the_overall_deadline(server, release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_DEADLINE", "1")
    Handler.mode = "trickle"
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"took longer than 1 s \(KOREASEC_DATA_DEADLINE\)"):
        fetch(OLD)
    assert time.monotonic() - started < 5 and cached_files(release) == []


def test_what_no_retry_can_mend_is_not_retried(server, release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", "3")
    archive = release / "site" / f"v{OLD}" / f"koreasec-data-{OLD}.zip"
    archive.write_bytes(archive.read_bytes().replace(b"parquet", b"PARQUET", 1))
    with pytest.raises(DownloadError, match="Releases never change: retry later"):
        fetch(OLD)
    archive.unlink()
    with pytest.raises(DownloadError, match=r"HTTP 404"):
        fetch(OLD)
    assert len(Handler.requests) == 2  # one each: a wrong file and a missing one


def test_an_archive_whose_members_do_not_fit_the_release_is_refused(server, release):
    archive = release / "site" / f"v{OLD}" / f"koreasec-data-{OLD}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        packed.writestr(f"koreasec-data-{OLD}/events.parquet", b"\0" * 10_000_000)
    entries = json.loads(registry.REGISTRY_PATH.read_text())
    entries[OLD].update(sha256=file_sha256(archive), size=archive.stat().st_size)
    registry.REGISTRY_PATH.write_text(json.dumps(entries))
    with pytest.raises(DownloadError, match=r"do not fit the .* bytes of the release"):
        fetch(OLD)
    assert not list((release / "cache").rglob("events.parquet"))


def test_a_killed_downloads_leftover_is_removed_by_a_later_one(server, release, monkeypatch):
    target = release / "cache" / OLD / registry.read_registry()[OLD]["sha256"][:16]
    target.mkdir(parents=True)
    leftover = target / "tmp_partial"
    leftover.write_bytes(b"half a download")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    assert (fetch(OLD) / "events.parquet").is_file()
    assert not leftover.exists()


def test_a_page_instead_of_the_archive_is_named_and_not_retried(server, release, monkeypatch):
    Handler.mode = "portal"
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", "2")
    with pytest.raises(DownloadError) as raised:
        fetch(OLD)
    message = str(raised.value)
    page = f"sent a {len(PORTAL)}-byte text/html page"
    assert message.startswith(f"the server at {asset_url(server)} {page}")
    assert "not the release file" in message and "KOREASEC_DATA_BASE_URL" in message
    assert len(Handler.requests) == 1 and cached_files(release) == []


def _partials(target: Path) -> dict[int, Path]:
    """The partial downloads in ``target``, by the process id writing each."""
    owners = target.glob("tmp*.owner") if target.is_dir() else []
    return {int(o.read_text().split()[1]): o.with_name(o.stem) for o in owners}


def test_a_partial_of_a_killed_download_is_removed_a_live_ones_kept(server, release):
    """Two children download from a trickling server; one is killed with SIGKILL. A
    later download removes the killed one's partial at once, not the live one's."""
    target = release / "cache" / OLD / registry.read_registry()[OLD]["sha256"][:16]
    Handler.mode = "trickle"
    code = f"from koreasec_data.download import fetch; fetch({OLD!r})"
    env = {**child_env(release), "KOREASEC_DATA_TIMEOUT": "30"}
    children = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    try:
        started = time.monotonic()
        while len(_partials(target)) < 2 and time.monotonic() - started < 30:
            time.sleep(0.05)
        partials = _partials(target)
        killed, live = children
        assert set(partials) == {killed.pid, live.pid}
        killed.kill()  # SIGKILL: no cleanup runs
        killed.wait()
        assert partials[killed.pid].exists()
        Handler.mode = "normal"
        assert (fetch(OLD) / "events.parquet").is_file()
        assert not partials[killed.pid].exists()
        assert not partials[killed.pid].with_name(partials[killed.pid].name + ".owner").exists()
        assert live.poll() is None and partials[live.pid].exists()
    finally:
        for child in children:
            child.kill()
            child.wait()


@pytest.mark.skipif(
    sys.platform == "win32", reason="resource limits (setrlimit, SIGXFSZ): POSIX only"
)
def test_no_room_while_unpacking_names_the_cache_and_its_override(server, release):
    """A file-size limit stands in for a full disk: the archive is cached, its largest
    member cannot be written."""
    folder = fetch(OLD)
    largest = max(path.stat().st_size for path in folder.iterdir())
    shutil.rmtree(folder)
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({largest // 2}, {largest // 2}))\n"
        "from koreasec_data.download import fetch, DownloadError\n"
        f"try:\n    fetch({OLD!r})\nexcept DownloadError as error:\n    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=child_env(release), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"cannot unpack koreasec-data-{OLD}.zip in the cache ")
    assert "KOREASEC_DATA_CACHE" in result.stdout and "Traceback" not in result.stderr
    assert not folder.exists()


def test_two_processes_failing_at_once_both_say_why(server, release):
    """One failing download removes the empty cache folders it made; another, failing
    at the same time, must still report the server's error, not a cache it cannot use."""
    Handler.mode = "fail"
    code = (
        "from koreasec_data.download import fetch, DownloadError\n"
        f"try:\n    fetch({OLD!r})\nexcept DownloadError as error:\n    print(error)\n"
    )
    env = {**child_env(release), "KOREASEC_DATA_RETRIES": "2"}
    for _ in range(5):
        children = [
            subprocess.Popen(
                [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        for child in children:
            message = child.communicate(timeout=60)[0]
            assert "HTTP 500" in message and "cannot write" not in message, message


def test_a_file_mirror_is_downloaded_verified_and_cached(release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_BASE_URL", (release / "site").as_uri())
    events = koreasec_data.load("events", version=OLD)
    assert len(events) > 0
    assert f"koreasec-data-{OLD}.zip" in cached_files(release)
    shutil.rmtree(release / "site")
    assert koreasec_data.load("events", version=OLD).equals(events)


def test_a_file_mirror_without_the_release_says_so(release, monkeypatch):
    monkeypatch.setenv("KOREASEC_DATA_BASE_URL", (release / "missing").as_uri())
    with pytest.raises(DownloadError, match=r"no such file\); set KOREASEC_DATA_BASE_URL"):
        fetch(OLD)
    assert cached_files(release) == []
