"""Reading records on the real raw/: quotes of other articles wait, and are all checked."""

from __future__ import annotations

import re

import pytest
from conftest import line_after, quiet

from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport

ARTICLE = "raw/articles/000.yaml"
QUOTE_OF_004 = "quote: Lawmakers in Russia's lower house of parliament voted unanimously\n"


def problems_of(project) -> list[str]:
    with pytest.raises(ProblemReport) as caught:
        build(project, say=quiet)
    return [str(problem) for problem in caught.value.problems]


def test_a_record_without_a_row_has_its_quotes_of_other_articles_checked(project):
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert QUOTE_OF_004 in text and "role: initiator\n" in text
    text = text.replace(QUOTE_OF_004, QUOTE_OF_004.replace("Lawmakers", "Senators"), 1)
    text = text.replace("role: initiator\n", "role: instigator\n", 1)
    path.write_text(text, encoding="utf-8")
    role, quote = problems_of(project)  # the record gave no row, and its quote is checked
    line = line_after(text, "event_id: ev-000-01", "role: instigator")
    label = f"{ARTICLE}:{line} event actor ev-000-01/act-rus-duma/instigator:"
    assert role.startswith(label) and "role 'instigator' must be one of" in role
    line = line_after(text, "event_id: ev-000-01", "Senators in Russia")
    assert quote.startswith(f"{ARTICLE}:{line} ") and '"Senators in Russia' in quote
    assert "does not occur in the source text" in quote and quote.endswith("(src-004)")


def test_a_nested_record_without_a_row_is_reported_under_its_whole_id(project):
    """The id kept as reported includes the key a participant inherits from its event, so
    the record is not reported again under its true id."""
    from koreasec_data.compile.raw import read_raw
    from koreasec_data.schemas import load_schemas

    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("role: initiator\n", "role: [initiator]\n", 1), encoding="utf-8")
    raw = read_raw(project, load_schemas(project / "schemas"))
    assert raw.problems  # the role is no string: the record gives no row
    (reported,) = raw.reported
    assert reported[0] == "event_actors"
    assert reported[1].startswith("ev-000-01/act-rus-duma/")


def test_a_dateline_not_in_the_text_is_a_problem_at_its_line(project):
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert "  dateline: Seoul, South Korea\n" in text
    text = text.replace("  dateline: Seoul, South Korea\n", "  dateline: Seoul, Korea\n")
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(project)
    line = line_after(text, "source:", "dateline:")
    assert problem.startswith(f"{ARTICLE}:{line} source src-000: dateline: ")
    assert "'Seoul, Korea' does not occur in the source text" in problem


def test_a_dateline_in_a_photo_credit_is_refused(project):
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Seoul, South Korea\n", "KCNA VIA KNS / AFP\n", 1))
    (problem,) = problems_of(project)
    assert "source src-000: dateline: quote lies in" in problem


def test_not_recorded_is_null_not_words_in_place_of_an_address(project):
    path = project / "raw" / "articles" / "004.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  url: null.*$", "  url: not recorded", text, count=1)
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(project)
    line = line_after(text, "source:", "url:")
    assert problem.startswith(f"raw/articles/004.yaml:{line} source src-004: url ")
    assert "must match the pattern https?://" in problem
