"""The build cache on the real raw/: whatever changes, a build that reuses the pack gives
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
from koreasec_data.compile.cache import (
    ARTICLES,
    FORMAT,
    INDEX,
    BuildCache,
    inputs_digest,
)
from koreasec_data.compile.evidence.items import SpanFinder
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


def pack_of(project, cache):
    """The pack in ``cache``, as a build of ``project`` would take it (None: not usable)."""
    pack = BuildCache(cache, inputs_digest(project / "schemas")).load()
    return pack if pack is not None and pack.tables() is not None else None


def packed_files(project, cache) -> list[str]:
    return [packed.result.file for packed in pack_of(project, cache).articles]


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_project_is_rebuilt_from_the_cache(cached, tmp_path, reads, built):
    project, cache = cached
    index = (cache / "pack" / INDEX).stat()
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert reads == []
    assert (cache / "pack" / INDEX).stat().st_mtime_ns == index.st_mtime_ns  # not rewritten
    assert packed_files(project, cache) == ["raw/articles/000.yaml", "raw/articles/004.yaml"]


def test_an_edited_article_is_read_again_alone(cached, tmp_path, reads, built):
    project, cache = cached
    replace(project / ARTICLE, "votes unanimously to ratify", "votes to ratify")
    rebuilt = rebuilt_as_clean(project, cache, tmp_path)
    assert reads == [ARTICLE, ARTICLE, "raw/articles/004.yaml"]  # with the cache, then without
    assert rebuilt != tree_digest(built)
    assert outcome(project, tmp_path / "again", cache) == rebuilt  # the new pack has it
    assert reads == [ARTICLE, ARTICLE, "raw/articles/004.yaml"]


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


DAMAGES = {
    "truncated": lambda data: data[: len(data) // 2],
    "one bit flipped": lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    "emptied": lambda data: b"",
}


@pytest.mark.parametrize(
    ("file", "damage"),
    [
        *[
            (file, damage)
            for file in (INDEX, ARTICLES, "evidence.arrow")
            for damage in DAMAGES.values()
        ],
        (INDEX, lambda data: data.replace(FORMAT, b"koreasec-data build cache 1\n")),
    ],
)
def test_a_damaged_pack_is_read_again_and_rewritten(cached, tmp_path, reads, built, file, damage):
    project, cache = cached
    path = cache / "pack" / file
    path.write_bytes(damage(path.read_bytes()))
    assert pack_of(project, cache) is None
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert len(reads) == 2
    assert pack_of(project, cache) is not None  # rewritten whole
    assert outcome(project, tmp_path / "third", cache) == tree_digest(built) and len(reads) == 2


def test_a_well_formed_table_that_is_not_the_packs_is_not_taken(cached, tmp_path, reads, built):
    project, cache = cached
    pack = cache / "pack"
    (pack / "events.arrow").write_bytes((pack / "actors.arrow").read_bytes())
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert len(reads) == 2


def test_a_pack_folder_that_is_not_a_pack_is_left_alone(project, tmp_path, reads, built):
    cache = tmp_path / "cache"
    (cache / "pack").mkdir(parents=True)
    (cache / "pack" / "notes.txt").write_text("mine")
    assert outcome(project, tmp_path / "first", cache) == tree_digest(built)
    assert outcome(project, tmp_path / "again", cache) == tree_digest(built)
    assert len(reads) == 2 * 2 and (cache / "pack" / "notes.txt").read_text() == "mine"


def test_a_removed_article_leaves_a_gap_the_rest_is_taken_around(cached, tmp_path, reads):
    project, cache = cached
    (project / "raw/articles/004.yaml").rename(tmp_path / "004.yaml")
    problems = rebuilt_as_clean(project, cache, tmp_path)
    assert any("src-004" in problem for problem in problems)  # 000.yaml quotes it
    assert reads == [ARTICLE]  # by the clean build only
    (tmp_path / "004.yaml").rename(project / "raw/articles/004.yaml")
    assert isinstance(rebuilt_as_clean(project, cache, tmp_path), dict)


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
    assert outcome(project, tmp_path / "filling", cache) == clean  # read, pack written
    assert outcome(project, tmp_path / "reused", cache) == clean  # taken from the pack
    assert outcome(project, tmp_path / "pool", cache=None, workers=2) == clean
    located = [problem for problem in clean if problem.startswith(f"{ARTICLE}:")]
    assert len(located) >= 3 and any("src-044" in problem for problem in located)
    assert any("unknown field 'colour'" in problem for problem in located)


def test_problems_of_cached_rows_are_kept_with_them(cached, tmp_path, reads):
    """A row's own checks (here: sizes out of order) are not run again on a cached row:
    its problems come from the pack, even while another article changes."""
    project, cache = cached
    replace(project / ARTICLE, "size_low: 2000\n", "size_low: 20000\n")
    clean = outcome(project, tmp_path / "clean")
    sizes = [problem for problem in clean if "size_low <= size_best" in problem]
    assert sizes and all(problem.startswith(f"{ARTICLE}:") for problem in sizes)
    assert outcome(project, tmp_path / "filling", cache) == clean
    replace(project / "raw/articles/004.yaml", "summary: ", "summary: Edited. ")
    reads.clear()
    rebuilt = rebuilt_as_clean(project, cache, tmp_path)
    assert reads == ["raw/articles/004.yaml", ARTICLE, "raw/articles/004.yaml"]
    assert [problem for problem in rebuilt if "size_low <= size_best" in problem] == sizes


def test_a_source_id_given_twice_checks_every_row(cached, tmp_path):
    project, cache = cached
    text = (project / "raw/articles/004.yaml").read_text(encoding="utf-8")
    replace(project / "raw/articles/004.yaml", "source_id: src-004\n", "source_id: src-000\n")
    problems = rebuilt_as_clean(project, cache, tmp_path)
    assert any("src-000" in problem for problem in problems)
    (project / "raw/articles/004.yaml").write_text(text, encoding="utf-8")
    assert isinstance(rebuilt_as_clean(project, cache, tmp_path), dict)


def test_clean_builds_neither_read_nor_fill_the_cache(cached, tmp_path, built):
    project, cache = cached
    store = BuildCache(cache, inputs_digest(project / "schemas"))
    pack = store.load()
    tables = pack.tables()
    tables["events"], tables["actors"] = tables["actors"], tables["events"]
    store.stage(pack.articles, tables).commit(pack.kept)  # a well-formed pack, but wrong
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
    assert (project / ".buildcache" / "pack" / INDEX).is_file()
    assert not list((project / "build").glob("**/.buildcache"))
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", ".buildcache/x"])
    assert ignored.returncode == 0


@pytest.fixture
def placed(monkeypatch):
    """The files whose quotes of other articles were placed in this process, per build."""
    files = []
    place = SpanFinder.place_waiting

    def counted(self, text_of):
        files.append(sorted({item.file for item, _, _ in self.waiting or []}))
        return place(self, text_of)

    monkeypatch.setattr(SpanFinder, "place_waiting", counted)
    return files


def test_quotes_of_unchanged_articles_are_not_placed_again(cached, tmp_path, placed):
    """The quotes an article makes of another article's text are placed again only when
    either article changed (the two real articles quote each other)."""
    project, cache = cached
    actors, both = "raw/actors.yaml", [ARTICLE, "raw/articles/004.yaml"]
    replace(project / actors, "description: Republic of Korea.", "description: The ROK.")
    rebuilt_as_clean(project, cache, tmp_path)
    assert placed == [[actors], [actors, *both]]  # from the cache; then a clean build
    placed.clear()
    replace(project / "raw/articles/004.yaml", "summary: ", "summary: Edited. ")
    rebuilt_as_clean(project, cache, tmp_path)
    assert placed == [[actors, *both], [actors, *both]]
