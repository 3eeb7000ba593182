"""Coverage is stated where users look, from the data itself: info, describe(), the
datasheet and the README's first paragraph."""

from __future__ import annotations

import subprocess
import sys

import pyarrow.parquet as pq

from koreasec_data import describe
from koreasec_data.coverage import LIMITS, PILOT, coverage


def test_coverage_is_read_from_the_sources(built):
    found = coverage(built)
    sources = pq.read_table(built / "sources.parquet").to_pylist()
    assert found.articles == len(sources) > 0
    days = sorted(source["published"].isoformat() for source in sources)
    assert (found.first_published, found.last_published) == (days[0], days[-1])
    assert sum(found.events_by_role.values()) == found.rows["events"]
    assert LIMITS in found.summary() and days[0] in found.summary()


def test_describe_and_info_state_it(built):
    columns = describe("events", directory=built)
    assert columns.attrs["coverage"] == coverage(built).summary()
    assert columns.attrs["description"].startswith("Reported happenings")
    info = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "info"], capture_output=True, text=True
    )
    assert "Coverage:" in info.stdout and "supports no counts" in " ".join(info.stdout.split())


def test_readme_first_paragraph_states_the_coverage(root, built):
    first = (root / "README.md").read_text(encoding="utf-8").split("\n\n")[1]
    found = coverage(built)
    words = " ".join(first.split())
    assert f"{found.articles} news articles" in words
    assert f"{found.first_published} to {found.last_published}" in words
    assert "pilot" in words and "supports no counts" in words


def test_the_travelling_texts_lead_with_what_the_data_is(built):
    found = coverage(built)
    abstract = found.abstract("Records of events.")
    assert abstract.startswith(f"{PILOT} Records of events. ") and abstract.endswith(
        found.summary()
    )
    line = found.one_line()
    assert line.startswith("Pilot dataset hand-coded from") and len(line) <= 200
    assert f"{found.articles} news articles ({found.dates})" in line and "\n" not in line
