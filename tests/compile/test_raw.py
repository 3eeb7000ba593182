"""Reading raw/: the documented worked example, defaults and layout positions."""

from __future__ import annotations

import hashlib
import re
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import quiet

from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport


def worked_example(root):
    text = (root / "raw" / "README.md").read_text(encoding="utf-8")
    start = text.index("## A complete worked example")
    return re.findall(r"```(?:yaml)?\n(.*?)```", text[start:], flags=re.DOTALL)


@pytest.fixture
def example(project, root):
    """The project with raw/README.md's worked example added as article 123."""
    article_text, article, actor = worked_example(root)
    data = article_text.rstrip("\n").encode("utf-8")
    (project / "raw" / "sources" / "123_abc.txt").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    article = re.sub(r"sha256: 0f3c\.\.\..*", f"sha256: {digest}", article)
    (project / "raw" / "articles" / "123.yaml").write_text(article, encoding="utf-8")
    actors = project / "raw" / "actors.yaml"
    if "act-kor-foreign-ministry" not in actors.read_text():
        actors.write_text(actors.read_text() + actor, encoding="utf-8")
    return project


def test_worked_example_builds(example):
    build(example, say=quiet)
    events = pq.read_table(example / "build" / "events.parquet").to_pylist()
    event = next(row for row in events if row["event_id"] == "ev-123-01")
    assert event["date"].isoformat() == "2024-10-22"
    assert "'Tuesday' resolved against publication date 2024-10-24" in event["date_basis"]
    evidence = pq.read_table(example / "build" / "evidence.parquet").to_pylist()
    statement = [r for r in evidence if r["record_id"] == "st-123-01"]
    assert [r["quote"] for r in statement] == ["We condemn this,"]
    participant = [r for r in evidence if r["record_id"] == "ev-123-01/act-prk/initiator"]
    assert [r["position"] for r in participant] == ["headline"]


def test_evidence_in_a_related_link_is_refused(example):
    path = example / "raw" / "articles" / "123.yaml"
    text = path.read_text()
    text = text.replace(
        "layout:\n",
        "layout:\n  - position: related\n    quote: the ministry said.\n",
    )
    text += "    evidence:\n      - quote: the ministry said\n"
    path.write_text(text)
    with pytest.raises(ProblemReport, match="related-story link, not part of the article"):
        build(example, say=quiet)


def test_raw_that_cannot_be_read_is_said_so_and_why(project):
    shutil.rmtree(project / "raw")
    (project / "raw").symlink_to(project / "raw")  # a link to itself
    with pytest.raises(ProblemReport) as caught:
        build(project, say=quiet)
    problems = caught.value.problems
    assert [(p.where, p.message.split(":")[0]) for p in problems] == [
        ("raw", "raw/ cannot be read")
    ]
