"""Publishing a release: against a local server that plays GitHub's release API, with
faults (5xx, an upload cut off half way), an asset already there, and a dry run."""

from __future__ import annotations

import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from koreasec_data import __version__
from koreasec_data.cli import main
from koreasec_data.release.assets import ReleaseError, make_release, release_assets
from koreasec_data.release.github import GitHub
from koreasec_data.release.publish import check_build, check_versions, publish_release, upload

REPO = "owner/data"
TAG = f"v{__version__}"


class FakeGitHub(ThreadingHTTPServer):
    """GitHub's release API for one repository, in memory; ``faults`` are consumed by the
    calls they match: ("5xx", method) answers 502; ("cut", "upload") reads half the body,
    leaves an asset in state "open" (as GitHub does) and drops the connection."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.releases, self.blobs, self.calls, self.faults = {}, {}, [], []
        self.next_id = 1

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_port}"

    def new_id(self):
        self.next_id += 1
        return self.next_id


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")

    def do_DELETE(self):
        self.route("DELETE")

    def route(self, method):
        server, url = self.server, urlsplit(self.path)
        kind = "upload" if url.path.startswith("/uploads/") else method
        server.calls.append((method, url.path))
        size = int(self.headers.get("Content-Length") or 0)
        fault = next((f for f in server.faults if f[1] == kind), None)
        if fault is not None:
            server.faults.remove(fault)
            if fault[0] == "5xx":
                self.rfile.read(size)
                return self.reply(502, {"message": "Bad Gateway"})
            self.rfile.read(size // 2)  # "cut": an upload that stops half way
            release = server.releases[int(url.path.split("/")[-2])]
            name = parse_qs(url.query)["name"][0]
            release["assets"].append(self.asset(name, b"", "open"))
            self.close_connection = True
            return None
        body = self.rfile.read(size)
        if method != "GET" and self.headers.get("Authorization") != "Bearer secret":
            return self.reply(401, {"message": "Bad credentials"})
        return self.answer(method, url, body)

    def asset(self, name, data, state="uploaded"):
        number = self.server.new_id()
        self.server.blobs[number] = data
        url = f"{self.server.base}/assets/{number}"
        return {"id": number, "name": name, "size": len(data), "state": state, "url": url}

    def answer(self, method, url, body):
        server, parts = self.server, url.path.strip("/").split("/")
        releases = server.releases
        if parts[0] == "assets":
            data = server.blobs[int(parts[1])]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        if parts[0] == "uploads":
            release, name = releases[int(parts[-2])], parse_qs(url.query)["name"][0]
            if any(a["name"] == name for a in release["assets"]):
                errors = [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]
                return self.reply(422, {"message": "Validation Failed", "errors": errors})
            release["assets"].append(self.asset(name, body))
            return self.reply(201, release["assets"][-1])
        rest = "/".join(parts[3:])  # after repos/owner/data
        if rest == "releases" and method == "POST":
            fields = json.loads(body)
            if any(r["tag_name"] == fields["tag_name"] for r in releases.values()):
                errors = [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]
                return self.reply(422, {"message": "Validation Failed", "errors": errors})
            number = server.new_id()
            upload = f"{server.base}/uploads/repos/{REPO}/releases/{number}/assets{{?name,label}}"
            releases[number] = {**fields, "id": number, "assets": [], "upload_url": upload}
            return self.reply(201, releases[number])
        if rest == "releases":
            return self.reply(200, list(releases.values()))
        if rest.startswith("releases/tags/"):
            tag = rest.removeprefix("releases/tags/")
            found = [r for r in releases.values() if r["tag_name"] == tag and not r["draft"]]
            return self.reply(200, found[0]) if found else self.reply(404, {"message": "Not Found"})
        if rest.startswith("releases/assets/") and method == "DELETE":
            number = int(rest.rsplit("/", 1)[1])
            for release in releases.values():
                release["assets"] = [a for a in release["assets"] if a["id"] != number]
            return self.reply(204)
        release = releases[int(rest.rsplit("/", 1)[1])]
        if method == "PATCH":
            release.update(json.loads(body))
        return self.reply(200, release)


@pytest.fixture
def github():
    server = FakeGitHub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def released(built, root, tmp_path_factory):
    """The real release of the real build: its assets, and the registry that records them."""
    out = tmp_path_factory.mktemp("released")
    registry = out / "releases.json"
    registry.write_text("{}")
    make_release(built, out / "out", root, registry)
    return release_assets(out / "out" / TAG), registry


def client(github, token="secret"):
    return GitHub(github.base, REPO, token, pause=0.01)


def published(github):
    (release,) = github.releases.values()
    return release, {a["name"]: github.blobs[a["id"]] for a in release["assets"]}


def test_publish_uploads_every_asset_to_a_draft_then_publishes_it(github, released):
    assets, _ = released
    lines = upload(client(github), TAG, assets, "notes", dry_run=False)
    release, blobs = published(github)
    assert not release["draft"] and release["tag_name"] == TAG and release["body"] == "notes"
    assert blobs == {path.name: path.read_bytes() for path in assets}
    assert {"events.parquet", "datapackage.json", "croissant.json"} <= set(blobs)
    assert github.calls[-1][0] == "PATCH", "published once every asset is up"
    assert len([line for line in lines if line.startswith("uploaded ")]) == len(assets)


def test_publishing_again_skips_what_is_there_with_the_same_bytes(github, released):
    assets, _ = released
    upload(client(github), TAG, assets[:3], "notes", dry_run=False)
    before = published(github)[1]
    lines = upload(client(github), TAG, assets, "notes", dry_run=False)
    assert sum(line.startswith("skip ") for line in lines) == 3
    assert published(github)[1] == {**before, **{p.name: p.read_bytes() for p in assets}}


def test_an_asset_there_with_other_bytes_is_refused_before_any_upload(github, released, tmp_path):
    assets, _ = released
    upload(client(github), TAG, assets[:1], "notes", dry_run=False)
    changed = tmp_path / assets[0].name
    changed.write_bytes(assets[0].read_bytes() + b"x")
    calls = len(github.calls)
    with pytest.raises(ReleaseError, match="with other bytes"):
        upload(client(github), TAG, [*assets[1:], changed], "notes", dry_run=False)
    assert not [c for c in github.calls[calls:] if c[0] != "GET"]
    assert set(published(github)[1]) == {assets[0].name}


def test_5xx_and_an_upload_cut_off_are_tried_again(github, released):
    assets, _ = released
    github.faults = [("5xx", "POST"), ("cut", "upload"), ("5xx", "upload"), ("cut", "upload")]
    upload(client(github), TAG, assets, "notes", dry_run=False)
    release, blobs = published(github)
    assert not github.faults
    assert blobs == {path.name: path.read_bytes() for path in assets}
    assert all(a["state"] == "uploaded" for a in release["assets"])
    assert sum(c[0] == "DELETE" for c in github.calls) == 2, "each broken asset deleted"


def test_an_upload_a_killed_run_left_broken_is_replaced(github, released):
    assets, _ = released
    upload(client(github), TAG, assets[:1], "notes", dry_run=False)
    release, _ = published(github)
    github.faults = [("cut", "upload")]
    with pytest.raises(ReleaseError, match="could not upload"):  # one try, as if killed
        upload(GitHub(github.base, REPO, "secret", tries=1), TAG, assets[:2], "n", False)
    assert [a["name"] for a in release["assets"]] == [assets[0].name], "the cut one deleted"
    number = github.new_id()  # a run killed half way through an upload leaves this
    github.blobs[number] = b"PAR"
    broken = {"id": number, "name": assets[1].name, "size": 3, "state": "open"}
    release["assets"].append({**broken, "url": f"{github.base}/assets/{number}"})
    upload(client(github), TAG, assets[:2], "notes", dry_run=False)
    assert published(github)[1] == {path.name: path.read_bytes() for path in assets[:2]}


def test_a_server_that_keeps_failing_ends_with_what_to_do(github, released):
    github.faults = [("5xx", "POST")] * 4
    with pytest.raises(ReleaseError, match=r"failed 4 times \(last: HTTP 502\); run again"):
        upload(client(github), TAG, released[0], "notes", dry_run=False)


def test_bad_credentials_are_named(github, released):
    with pytest.raises(ReleaseError, match="HTTP 401 Bad credentials"):
        upload(client(github, token="wrong"), TAG, released[0], "notes", dry_run=False)


def test_dry_run_only_reads_and_says_what_it_would_upload_where(github, released):
    assets, _ = released
    upload(client(github), TAG, assets[:2], "notes", dry_run=False)
    published(github)[0]["draft"] = True  # as a run cut off before publishing leaves it
    calls = len(github.calls)
    lines = upload(client(github, token=None), TAG, assets, "notes", dry_run=True)
    assert {c[0] for c in github.calls[calls:]} == {"GET"}
    assert sum(line.startswith("skip ") for line in lines) == 2
    would = [line for line in lines if line.startswith("would upload ")]
    assert len(would) == len(assets) - 2 and lines[-1] == f"would publish the release {TAG}"
    upload(client(github), TAG, assets, "notes", dry_run=False)
    again = upload(client(github, token=None), TAG, assets, "notes", dry_run=True)
    assert all(line.startswith("skip ") for line in again), "published: nothing to do"


def test_the_whole_command_dry_run_builds_clean_and_verifies(
    github, released, root, tmp_path, monkeypatch
):
    _, registry = released
    monkeypatch.setenv("KOREASEC_DATA_RELEASE_API", github.base)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    dist = tmp_path / "dist"
    text = publish_release(root, tmp_path / "out", TAG, REPO, True, dist, registry)
    assert text.startswith(f"{TAG}: versions agree; the clean build is lock/build.sha256's")
    assert f"would create the draft release {TAG} at {github.base}/repos/{REPO}" in text
    assert re.search(r"would upload events\.parquet \(\d+ bytes, sha256 [0-9a-f]{64}\)", text)
    assert {c[0] for c in github.calls} == {"GET"} and not github.releases
    built = sorted(path.name for path in dist.iterdir())
    assert built == [
        f"koreasec_data-{__version__}-py3-none-any.whl",
        f"koreasec_data-{__version__}.tar.gz",
    ]
    assert text.endswith(f"built {', '.join(built)} in {dist}")


def test_publishing_what_the_registry_does_not_record_is_refused(root, tmp_path, capsys):
    # The shipped registry records no release yet: the tag must come after the record.
    registry = json.loads((root / "koreasec_data" / "releases.json").read_text())
    if __version__ in registry:
        pytest.skip(f"{__version__} is recorded: the refusal is shown by the next test")
    status = main(
        ["release", "--publish", "--dry-run", "--root", str(root), "--out", str(tmp_path)]
    )
    assert status == 2
    assert "is not recorded in koreasec_data/releases.json" in capsys.readouterr().err


def test_a_recorded_release_with_other_bytes_is_refused(built, root, tmp_path, released):
    _, registry = released
    entry = json.loads(registry.read_text())
    entry[__version__]["assets"]["events.parquet"]["sha256"] = "0" * 64
    spoiled = tmp_path / "releases.json"
    spoiled.write_text(json.dumps(entry))
    with pytest.raises(ReleaseError, match=r"not the one recorded .*differing: events\.parquet"):
        make_release(built, tmp_path / "out", root, spoiled, record=False)
    assert json.loads(spoiled.read_text()) == entry, "publishing never records"


def test_versions_must_agree(root, tmp_path):
    assert check_versions(root, TAG) == __version__
    for name in ("CITATION.cff", "CHANGELOG.md", ".zenodo.json"):
        shutil.copy(root / name, tmp_path / name)
    (tmp_path / "koreasec_data").mkdir()
    (tmp_path / "koreasec_data" / "__init__.py").write_text('__version__ = "9.9.9"\n')
    with pytest.raises(ReleaseError) as caught:
        check_versions(tmp_path, TAG)
    assert "koreasec_data/__init__.py says 9.9.9" in str(caught.value)
    with pytest.raises(ReleaseError) as caught:
        check_versions(tmp_path, "v9.9.9")
    message = str(caught.value)
    assert "CITATION.cff version says" in message and "no section '## [9.9.9]'" in message
    assert "__init__" not in message


def test_the_build_must_be_the_recorded_one(built, root, tmp_path):
    check_build(built, root / "lock" / "build.sha256")
    changed = tmp_path / "build"
    shutil.copytree(built, changed)
    (changed / "events.parquet").write_bytes(b"x")
    with pytest.raises(ReleaseError, match=r"differs from build\.sha256 in: events\.parquet"):
        check_build(changed, root / "lock" / "build.sha256")
