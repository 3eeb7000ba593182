"""Problems are reported together: sorted by file and line, each once, with a count."""

from __future__ import annotations

from koreasec_data.problems import Problem, ProblemReport


def test_a_report_sorts_problems_by_place_and_drops_repeats():
    problems = [
        Problem("raw/b.yaml", 3, "event ev-1", "later file"),
        Problem("raw/a.yaml", 12, "", "second line"),
        Problem("raw/a.yaml", None, "", "the file itself"),
        Problem("raw/a.yaml", 2, "actor act-x", "first line"),
        Problem("raw/a.yaml", 2, "actor act-x", "first line"),
    ]
    report = ProblemReport(problems, "build")
    assert str(report).splitlines() == [
        "raw/a.yaml: the file itself",
        "raw/a.yaml:2 actor act-x: first line",
        "raw/a.yaml:12: second line",
        "raw/b.yaml:3 event ev-1: later file",
        "build failed: 4 problems found.",
    ]


def test_one_problem_is_counted_in_the_singular():
    report = ProblemReport([Problem("build/events.parquet", 1, "", "x")], "validate")
    assert str(report).splitlines()[-1] == "validate failed: 1 problem found."


def test_similar_ids_name_the_longest_shared_prefix():
    from koreasec_data.problems import similar_ids

    known = sorted(["ev-000-01", "ev-000-02", "ev-004-01", "st-000-01"])
    assert similar_ids("ev-000-9", known) == "known ids starting 'ev-000-': ev-000-01, ev-000-02"
    assert similar_ids("zz", known) == "no known id is similar"
