"""The build cache on the real raw/: whatever changes, a build that reuses entries gives
the bytes (or the problems) of a clean build, and reads again only what changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, quiet, tree_digest

from koreasec_data.compile import article, datapackage
from koreasec_data.compile.build import build
from koreasec_data.compile.cache import FORMAT, BuildCache, inputs_digest
from koreasec_data.hashes import sha256_of
from koreasec_data.problems import ProblemReport

ARTICLE = "raw/articles/000.yaml"
#: Quoted by 000.yaml (src-000 quotes src-004, and 004 quotes 000).
QUOTED_TEXT = "raw/sources/004_10bd444617be5644.txt"


@pytest.fixture
def reads(monkeypatch):
    """The article files read (not taken from the cache) in this process, in order."""
    files = []
    read = article.ArticleReader.read

    def counted(self, path, content=None):
        files.append(path.relative_to(self.root).as_posix())
        return read(self, path, content)

    monkeypatch.setattr(article.ArticleReader, "read", counted)
    return files


def outcome(project, out, cache=None, workers=1):
    """The digest of every file built, or the problems (as printed) if the build fails."""
    try:
        build(project, out, say=quiet, cache=cache, workers=workers)
    except ProblemReport as report:
        return [str(problem) for problem in report.problems]
    return tree_digest(out)


@pytest.fixture
def cached(project, tmp_path):
    """The project, and a cache filled by building it."""
    cache = tmp_path / "cache"
    outcome(project, tmp_path / "first", cache)
    return project, cache


def rebuilt_as_clean(project, cache, tmp_path):
    """Build with the cache and without; both outcomes must be the same. Return it."""
    reused = outcome(project, tmp_path / "reused", cache)
    assert reused == outcome(project, tmp_path / "clean")
    return reused


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_project_is_rebuilt_from_the_cache(cached, tmp_path, reads, built):
    project, cache = cached
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert reads == []
    assert len(list(cache.glob("??/*"))) == 2  # one entry per article


def test_an_edited_article_is_read_again_alone(cached, tmp_path, reads, built):
    project, cache = cached
    replace(project / ARTICLE, "votes unanimously to ratify", "votes to ratify")
    rebuilt = rebuilt_as_clean(project, cache, tmp_path)
    assert reads == [ARTICLE, ARTICLE, "raw/articles/004.yaml"]  # with the cache, then without
    assert rebuilt != tree_digest(built)
    assert len(list(cache.glob("??/*"))) == 2  # the entry of the old 000.yaml is removed


def test_an_edited_text_quoted_by_another_article(cached, tmp_path, reads):
    project, cache = cached
    text = project / QUOTED_TEXT
    text.write_bytes(text.read_bytes() + b"\n")  # no offset moves; its sha256 does
    problems = rebuilt_as_clean(project, cache, tmp_path)
    assert any("the text changed" in problem for problem in problems)
    assert reads[:1] == ["raw/articles/004.yaml"] and len(reads) == 1 + 2


def test_an_edited_text_with_its_new_sha256(cached, tmp_path, reads):
    project, cache = cached
    text = project / QUOTED_TEXT
    old = sha256_of(text.read_bytes())
    text.write_bytes(text.read_bytes() + b"\n")
    replace(project / "raw/articles/004.yaml", old, sha256_of(text.read_bytes()))
    rebuilt = rebuilt_as_clean(project, cache, tmp_path)
    assert isinstance(rebuilt, dict)  # built: the quotes of 000.yaml are still found in it
    assert reads[:1] == ["raw/articles/004.yaml"] and len(reads) == 1 + 2


def schemas_edited(project, tmp_path):
    """A copy of the project to edit schemas/ in (schemas are read once per folder and
    process, as a curator's command reads them)."""
    return shutil.copytree(project, tmp_path / "edited", ignore=shutil.ignore_patterns("build"))


def test_a_changed_schema_reads_every_article_again(cached, tmp_path, reads, built):
    project, cache = cached
    project = schemas_edited(project, tmp_path)
    replace(project / "schemas/events.json", '"description": "', '"description": "Edited. ')
    assert rebuilt_as_clean(project, cache, tmp_path) != tree_digest(built)
    assert len(reads) == 2 * 2  # with the cache, then without


def test_a_changed_vocabulary_is_heard(cached, tmp_path):
    project, cache = cached
    project = schemas_edited(project, tmp_path)
    path = project / "schemas/events.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    (field,) = [field for field in descriptor["fields"] if field.get("name") == "certainty"]
    field["constraints"]["enum"].remove("planned")
    field["categories"] = [c for c in field["categories"] if c["value"] != "planned"]
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    problems = rebuilt_as_clean(project, cache, tmp_path)
    assert any(ARTICLE in problem and "'planned'" in problem for problem in problems)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"",
        lambda data: data.replace(FORMAT, b"koreasec-data build cache 0\n"),  # older format
    ],
)
def test_a_damaged_entry_is_read_again_and_rewritten(cached, tmp_path, reads, built, damage):
    project, cache = cached
    (entry, *_) = sorted(cache.glob("??/*"))
    entry.write_bytes(damage(entry.read_bytes()))
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert len(reads) == 1
    store = BuildCache(cache, inputs_digest(project / "schemas"))
    assert store.get(entry.name) is not None  # rewritten whole


def test_an_entry_of_another_article_is_not_taken(cached, tmp_path, reads, built):
    project, cache = cached
    first, second = sorted(cache.glob("??/*"))
    first.write_bytes(second.read_bytes())  # intact, but its key is not this one
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert len(reads) == 1


def test_a_cache_from_another_toolchain_is_not_used(cached, tmp_path, reads, monkeypatch):
    project, cache = cached
    tools = datapackage.toolchain()
    monkeypatch.setattr(datapackage, "toolchain", lambda: {**tools, "pyarrow": "0.0.1"})
    rebuilt = rebuilt_as_clean(project, cache, tmp_path)
    descriptor = json.loads((tmp_path / "reused" / "datapackage.json").read_text())
    assert descriptor[datapackage.TOOLCHAIN_KEY]["pyarrow"] == "0.0.1" and rebuilt
    assert len(reads) == 2 * 2


def test_the_inputs_digest_follows_schemas_and_code(project):
    before = inputs_digest(project / "schemas")
    assert before == inputs_digest(ROOT / "schemas")  # the same bytes, elsewhere
    (project / "schemas" / "groups" / "extra.json").write_text("{}")
    added = inputs_digest(project / "schemas")
    (project / "schemas" / "groups" / "extra.json").write_text("{ }")
    assert len({before, added, inputs_digest(project / "schemas")}) == 3


def test_problems_of_a_broken_article_are_the_same_from_the_cache(cached, tmp_path):
    project, cache = cached
    replace(project / ARTICLE, "certainty: confirmed", "certainty: sure\n    colour: red")
    replace(project / ARTICLE, "- source_id: src-004\n", "- source_id: src-044\n")
    clean = outcome(project, tmp_path / "clean")
    assert outcome(project, tmp_path / "filling", cache) == clean  # read, entry written
    assert outcome(project, tmp_path / "reused", cache) == clean  # taken from the entry
    assert outcome(project, tmp_path / "pool", cache=None, workers=2) == clean
    located = [problem for problem in clean if problem.startswith(f"{ARTICLE}:")]
    assert len(located) >= 3 and any("src-044" in problem for problem in located)
    assert any("unknown field 'colour'" in problem for problem in located)


def test_clean_builds_neither_read_nor_fill_the_cache(cached, tmp_path, built):
    project, cache = cached
    first, second = sorted(cache.glob("??/*"))
    store = BuildCache(cache, inputs_digest(project / "schemas"))
    store.put(first.name, store.get(second.name))  # a well-formed entry, but wrong
    before = tree_digest(cache)
    command = [sys.executable, "-m", "koreasec_data", "build", "--root", str(project)]
    env = {**os.environ, "KOREASEC_DATA_BUILD_CACHE": str(cache)}
    done = subprocess.run([*command, "--clean"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert tree_digest(project / "build") == tree_digest(built)
    assert tree_digest(cache) == before
    done = subprocess.run(command, capture_output=True, text=True, env=env)  # it would be used
    assert done.returncode != 0 or tree_digest(project / "build") != tree_digest(built)


def test_the_command_keeps_its_cache_beside_build_and_out_of_git(project):
    command = [sys.executable, "-m", "koreasec_data", "build", "--root", str(project)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    assert len(list((project / ".buildcache").glob("??/*"))) == 2
    assert not list((project / "build").glob("**/.buildcache"))
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", ".buildcache/x"])
    assert ignored.returncode == 0
