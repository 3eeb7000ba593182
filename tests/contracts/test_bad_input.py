"""Every kind of bad input gives one clear line per problem and leaves build/ untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import edit_yaml, line_after, quiet, tree_digest

from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport

ARTICLE = "raw/articles/004.yaml"


def fails(project, *expected: str) -> str:
    """Build the spoiled project; check the report and that build/ is unchanged."""
    before = tree_digest(project / "build")
    with pytest.raises(ProblemReport) as caught:
        build(project, say=quiet)
    report = str(caught.value)
    for text in expected:
        assert text in report, f"{text!r} not in report:\n{report}"
    assert "Traceback" not in report
    assert tree_digest(project / "build") == before
    assert sorted(p.name for p in project.iterdir()) == ["CITATION.cff", "build", "raw", "schemas"]
    return report


def first_deal(data):
    return data["arms_deals"][0]


def spoil_first_deal(project, change) -> tuple[str, str]:
    """Apply ``change`` to the article's first arms deal; return (the new text, its id)."""
    text = edit_yaml(project / ARTICLE, lambda data: change(first_deal(data)))
    return text, first_deal(yaml.safe_load(text))["deal_id"]


def where_set(project, key: str, value) -> str:
    """Set ``key`` on the first arms deal; return "file:line arms deal ID:" of that key."""
    text, deal = spoil_first_deal(project, lambda deal: deal.update({key: value}))
    line = line_after(text, f"deal_id: {deal}", f"{key}:")
    return f"{ARTICLE}:{line} arms deal {deal}:"


def test_malformed_yaml(project):
    path = project / ARTICLE
    lines = path.read_text().splitlines()
    lines.insert(3, "  publisher: [AFP")
    path.write_text("\n".join(lines) + "\n")
    fails(project, f"{ARTICLE}:", "invalid YAML")


def test_yaml_tag_that_would_build_python_objects_is_refused(project):
    path = project / ARTICLE
    text = path.read_text()
    path.write_text(text + "exploit: !!python/object/apply:os.system ['true']\n")
    line = len(text.splitlines()) + 1
    fails(project, f"{ARTICLE}:{line}: invalid YAML: ")


def test_misspelled_field(project):
    where = where_set(project, "staus", "signed")
    fails(project, f"{where} unknown field 'staus'; did you mean 'status'?")


def test_missing_required_field(project):
    _, deal = spoil_first_deal(project, lambda deal: deal.pop("item"))
    fails(project, f"arms deal {deal}: item: is required")


def test_value_outside_vocabulary(project):
    where = where_set(project, "status", "rumoured")
    fails(project, f"{where} status 'rumoured' must be one of: alleged")


@pytest.mark.parametrize(
    ("date", "precision", "message"),
    [
        ("2024-02-30", "day", "'2024-02-30' is not a real calendar day"),
        ("2024-06", "day", "'2024-06' is a month date but date_precision is 'day'"),
        ("2024-12-31/2024-10-24", "range", "range '2024-12-31/2024-10-24' ends before it starts"),
    ],
)
def test_impossible_date_or_precision_mismatch(project, date, precision, message):
    _, deal = spoil_first_deal(project, lambda d: d.update(date=date, date_precision=precision))
    fails(project, f"arms deal {deal}: date: {message}")


def test_duplicate_id(project):
    def spoil(data):
        data["arms_deals"].append(dict(first_deal(data)))

    text = edit_yaml(project / ARTICLE, spoil)
    deal = first_deal(yaml.safe_load(text))["deal_id"]
    fails(project, f"arms deal {deal}: deal_id {deal!r} is used by more than one record")


def test_reference_to_unknown_id(project):
    where = where_set(project, "supplier_id", "act-nis")
    fails(
        project,
        f"{where} supplier_id 'act-nis' is not an actor id; known ids starting 'act-",
    )


def test_quote_not_found(project):
    def spoil(data):
        first_deal(data)["evidence"] = [
            {"quote": "South Korea agreed to transfer the knowledge neded"}
        ]

    text = edit_yaml(project / ARTICLE, spoil)
    deal = first_deal(yaml.safe_load(text))["deal_id"]
    fails(
        project, f"arms deal {deal}: quote 'South Korea agreed", "does not occur in the source text"
    )


def test_ambiguous_quote(project):
    edit_yaml(project / ARTICLE, lambda d: first_deal(d).update(evidence=[{"quote": "Poland"}]))
    fails(project, "quote 'Poland' occurs", "add 'occurrence: N'")


def test_source_text_changed(project):
    path = next((project / "raw" / "sources").glob("004_*.txt"))
    path.write_bytes(path.read_bytes().replace(b"Thursday", b"Friday", 1))
    fails(project, "has sha256", "the text changed")


def test_empty_raw(project):
    for path in (project / "raw" / "articles").glob("*.yaml"):
        path.unlink()
    fails(project, "raw/articles: no article files (*.yaml) found")


def test_all_problems_reported_at_once(project):
    def spoil(data):
        first_deal(data).update(status="rumoured", supplier_id="act-nobody", colour="red")

    edit_yaml(project / ARTICLE, spoil)
    report = fails(project, "status 'rumoured'", "unknown field 'colour'")
    assert report.splitlines()[-1].startswith("build failed: ")


def test_command_line_exit_code_and_message(project):
    edit_yaml(project / ARTICLE, lambda d: first_deal(d).update(status="rumoured"))
    before = tree_digest(project / "build")
    result = subprocess.run(
        [sys.executable, "-m", "koreasec_data", "build", "--root", str(project)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "status 'rumoured' must be one of" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "build") == before


def test_alias_naming_two_actors(project):
    def spoil(data):
        actors = data["actors"]
        actors[1]["aliases"] = [*actors[1].get("aliases", []), actors[0]["name"]]

    text = edit_yaml(project / "raw" / "actors.yaml", spoil)
    second = yaml.safe_load(text)["actors"][1]["actor_id"]
    fails(project, f"actor {second}: alias", "an alias names one actor only")


def test_event_that_contains_itself(project):
    def spoil(data):
        event = data["events"][0]
        event["parent_event_id"] = event["event_id"]

    text = edit_yaml(project / ARTICLE, spoil)
    event = yaml.safe_load(text)["events"][0]["event_id"]
    fails(project, f"event {event}: parent_event_id leads back to this event")


def _cite_later_article(project, quote: str, source_id: str = "src-004") -> tuple[str, str]:
    """Add evidence quoting ``source_id`` to 000's second event, whose participants inherit
    its evidence; 000 is read before 004. Return the event id and the article's text."""
    path = project / "raw/articles/000.yaml"

    def spoil(data):
        data["events"][1]["evidence"].append({"source_id": source_id, "quote": quote})

    text = edit_yaml(path, spoil)
    event = yaml.safe_load(text)["events"][1]["event_id"]
    return event, text


def test_evidence_from_an_article_read_later_is_checked_once(project):
    event, text = _cite_later_article(project, "Pyongyang denied everything")
    line = line_after(text, f"event_id: {event}", "quote: Pyongyang")
    report = fails(project, f"raw/articles/000.yaml:{line} event {event}: quote 'Pyongyang")
    assert "(src-004)" in report
    # one problem: not repeated for the participants that inherit it, who still have evidence
    assert report.splitlines()[-1] == "build failed: 1 problem found."


def test_evidence_from_a_source_no_article_has(project):
    event, text = _cite_later_article(project, "anything", source_id="src-404")
    line = line_after(text, f"event_id: {event}", "source_id: src-404")
    report = fails(
        project,
        f"raw/articles/000.yaml:{line} event {event}: evidence source_id 'src-404' is not a "
        "source; known ids starting 'src-': src-000, src-004",
    )
    assert report.splitlines()[-1] == "build failed: 1 problem found."
