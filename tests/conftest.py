"""Shared fixtures: the real build of the real raw/, and disposable copies of the project."""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import shutil
import signal
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from koreasec_data.compile.build import build
from koreasec_data.schemas import Table

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("raw", "schemas", "CITATION.cff")


def quiet(message: str) -> None:
    """Progress sink for builds inside tests."""


def tree_digest(directory: Path) -> dict[str, str]:
    """sha256 of every file below ``directory``, by relative path."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The real build of the repository's raw/, written outside the work tree."""
    out = tmp_path_factory.mktemp("real") / "build"
    build(ROOT, out, say=quiet)
    return out


@pytest.fixture(scope="session")
def tables(built):
    import pyarrow.parquet as pq

    return {path.stem: pq.read_table(path) for path in sorted(built.glob("*.parquet"))}


@pytest.fixture(scope="session")
def site(built, tmp_path_factory) -> Path:
    """The review site of the real build, with the article texts of the checkout."""
    from koreasec_data.report.site import write_report

    out = tmp_path_factory.mktemp("site") / "site"
    write_report(out, built, ROOT / "raw" / "sources")
    return out


@pytest.fixture(scope="session")
def bare_site(built, tmp_path_factory) -> Path:
    """The review site of the real build as a package carries it: no article texts."""
    from koreasec_data.report.site import write_report

    out = tmp_path_factory.mktemp("bare") / "site"
    write_report(out, built)
    return out


@pytest.fixture(scope="session")
def exports(built, tmp_path_factory) -> Path:
    """Every format's export of the real build, each in its own folder (``exports / fmt``)."""
    from koreasec_data.export import FORMATS, export

    out = tmp_path_factory.mktemp("exports")
    for fmt in FORMATS:
        export(fmt, out / fmt, directory=built)
    return out


def page_text(html_text: str, seen_only: bool = False) -> str:
    """An HTML page's text: its tags removed, its entities read; with ``seen_only``, without
    the text only screen readers read (``visually-hidden``)."""
    if seen_only:
        html_text = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html_text)
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


def unquoted_sentences(tables) -> dict[str, list[str]]:
    """Per source: the sentences of its text that no evidence quote holds whole, long
    enough to be telling. Found in a page, they show that the article's text is there."""
    found = {}
    evidence = tables["evidence"].to_pylist()
    for source in tables["sources"].to_pylist():
        text = (ROOT / "raw" / "sources" / source["file_name"]).read_text(encoding="utf-8")
        quotes = [row["quote"] for row in evidence if row["source_id"] == source["source_id"]]
        sentences = re.split(r"(?<=[.!?\"])\s+|\n", text)
        found[source["source_id"]] = [
            line for line in sentences if len(line) > 40 and not any(line in q for q in quotes)
        ]
    return found


def states_the_coverage(text: str, found) -> None:
    """Assert ``text`` says the data is a pilot and states ``found``'s coverage (a
    :class:`~koreasec_data.coverage.Coverage`) in full, whatever its line breaks."""
    words = " ".join(text.split())
    assert words.startswith("A pilot dataset.") or words.startswith("koreasec-data: a pilot")
    assert found.summary() in words
    assert f"{found.articles} news articles" in words and found.dates in words


def copy_project(directory: Path, built: Path) -> Path:
    """Copy raw/, schemas/ and CITATION.cff into ``directory``, with ``built`` as build/."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, directory / name)
        else:
            shutil.copy2(source, directory / name)
    shutil.copytree(built, directory / "build")
    return directory


@pytest.fixture
def project(tmp_path, built) -> Path:
    """A copy of the project with a good build/ in it, for bad-input tests to spoil."""
    return copy_project(tmp_path, built)


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError in the block after ``seconds`` (SIGALRM, main thread)."""

    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def edit_yaml(path: Path, change) -> str:
    """Load a YAML file, let ``change`` modify the data, write it back; return the text."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(text, encoding="utf-8")
    return text


def line_after(text: str, anchor: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` at or after the line of ``anchor``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


# --- small tables for the key and evidence checks --------------------------------------

_KEY = {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}}
_CITED = {
    "name": "record_table",
    "type": "string",
    "constraints": {"enum": ["actors", "event_actors"]},
}
SMALL_SCHEMAS = {
    name: Table.from_descriptor(name, {"fields": [], **descriptor})
    for name, descriptor in {
        "actors": {"primaryKey": ["actor_id"]},
        "event_actors": {"primaryKey": ["event_id", "actor_id"], "foreignKeys": [_KEY]},
        "evidence": {
            "primaryKey": ["record_table", "record_id"],
            "fields": [_CITED],  # the tables whose records cite evidence
        },
    }.items()
}


def small_table(names, rows):
    """An Arrow table of ``rows`` (tuples) with columns ``names``."""
    return pa.table({name: [row[n] for row in rows] for n, name in enumerate(names)})


def small_tables(event_actors, evidence):
    """Three small tables for the key and evidence checks, with SMALL_SCHEMAS."""
    return {
        "actors": pa.table({"actor_id": ["act-kor", "act-prk", "act-rus"]}),
        "event_actors": small_table(["event_id", "actor_id"], event_actors),
        "evidence": small_table(["record_table", "record_id"], evidence),
    }
