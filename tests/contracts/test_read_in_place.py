"""A release read where it is published: each table's Parquet file served over HTTP with
range requests (as GitHub's release downloads are), read by polars and DuckDB without the
zip, from the URL ``koreasec_data.url()`` gives."""

from __future__ import annotations

import email.utils
import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

import koreasec_data
from koreasec_data import __version__, registry
from koreasec_data.cli import main
from koreasec_data.hashes import sha256_of
from koreasec_data.release.assets import make_release, release_assets


class RangeHandler(SimpleHTTPRequestHandler):
    """Files of a folder, with ``Range: bytes=a-b`` and ``bytes=-n`` answered by 206."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        size = os.path.getsize(path)
        asked = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        start, end = 0, size - 1
        if asked:
            first, last = asked.groups()
            start = int(first) if first else max(size - int(last), 0)
            end = min(int(last), size - 1) if first and last else size - 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        self.server.ranges.append(self.headers.get("Range"))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        file = open(path, "rb")  # noqa: SIM115 (the base class closes it)
        file.seek(start)
        self.left = end - start + 1
        return file

    def copyfile(self, source, outputfile):
        outputfile.write(source.read(self.left))


@pytest.fixture(scope="module")
def release_site(built, root, tmp_path_factory):
    """The real release, its assets laid out as the release page serves them, and the
    registry that records it."""
    work = tmp_path_factory.mktemp("site")
    recorded = work / "releases.json"
    recorded.write_text("{}")
    make_release(built, work / "out", root, recorded)
    served = work / "served" / f"v{__version__}"
    served.mkdir(parents=True)
    for path in release_assets(work / "out" / f"v{__version__}"):
        shutil.copy(path, served / path.name)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(served.parent))
    )
    server.ranges = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, recorded, served
    server.shutdown()
    server.server_close()


@pytest.fixture
def published(release_site, monkeypatch):
    server, recorded, served = release_site
    monkeypatch.setattr(registry, "REGISTRY_PATH", recorded)
    monkeypatch.setenv("KOREASEC_DATA_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    return server, served


def test_url_names_the_published_file_and_its_sha256(published):
    server, served = published
    found = koreasec_data.url("events")
    assert found == f"http://127.0.0.1:{server.server_port}/v{__version__}/events.parquet"
    data = (served / "events.parquet").read_bytes()
    assert (found.sha256, found.size) == (sha256_of(data), len(data))


def test_polars_reads_a_table_in_place(published, built):
    import polars as pl

    server, _ = published
    server.ranges.clear()
    remote = pl.scan_parquet(koreasec_data.url("events")).collect()
    assert remote.equals(koreasec_data.load("events", directory=built, backend="polars"))
    assert any(r and r.startswith("bytes=") for r in server.ranges), "read by ranges"


def http_filesystem():
    """DuckDB reads HTTP through its httpfs extension, which it downloads at run time (this
    machine cannot, and PyPI's packaged httpfs is for DuckDB 1.5): here it reads through
    its Python filesystem hook instead, fsspec's HTTP client, by range requests too."""
    from fsspec.implementations.http_sync import HTTPFileSystem

    class Http(HTTPFileSystem):
        def modified(self, path):  # what DuckDB asks to cache a file
            stamp = self.session.head(path).headers["Last-Modified"]
            return email.utils.parsedate_to_datetime(stamp)

    return Http()


def test_duckdb_reads_a_table_in_place(published, built):
    import duckdb

    server, _ = published
    server.ranges.clear()
    connection = duckdb.connect()
    connection.register_filesystem(http_filesystem())
    remote = connection.sql(f"SELECT * FROM '{koreasec_data.url('events')}'").to_arrow_table()
    local = koreasec_data.load("events", directory=built, backend="arrow")
    assert remote.num_rows == local.num_rows > 0
    assert remote.to_pylist() == local.to_pylist()
    assert any(r and r.startswith("bytes=") for r in server.ranges), "read by ranges"


def test_the_metadata_is_published_beside_the_tables(published):
    import json
    import urllib.request

    base = koreasec_data.url("events").rsplit("/", 1)[0]
    for name in ("datapackage.json", "croissant.json"):
        with urllib.request.urlopen(f"{base}/{name}") as response:
            described = json.loads(response.read())
        assert described["version"] == __version__


def test_unpublished_versions_and_unknown_tables_say_what_there_is(published):
    with pytest.raises(ValueError, match=rf"not published.*published versions: {__version__}"):
        koreasec_data.url("events", version="9.9.9")
    with pytest.raises(ValueError, match=r"no table 'event'; its tables: actors, "):
        koreasec_data.url("event")


def test_the_url_command(published, capsys):
    assert main(["url", "events", "--version", __version__]) == 0
    address, sums = capsys.readouterr().out.splitlines()
    assert address == str(koreasec_data.url("events"))
    assert (
        sums
        == f"sha256 {koreasec_data.url('events').sha256}  size {koreasec_data.url('events').size}"
    )


def test_the_readme_at_scale_example_runs_against_a_release(published, root, capsys):
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text.split("## At scale", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```py\n(.*?)```", section, flags=re.DOTALL)
    import duckdb

    filesystem = http_filesystem()
    duckdb.register_filesystem(filesystem)
    try:
        exec(compile(example, "README.md", "exec"), {})
    finally:
        duckdb.unregister_filesystem(filesystem.protocol[0])
    output = capsys.readouterr().out
    assert koreasec_data.url("events").sha256 in output and output.count("event_type") >= 2
