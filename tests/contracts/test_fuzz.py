"""Property-based tests of the build (hypothesis).

The contract: for any input under raw/, ``build`` either succeeds and its output passes
``validate_package``, or raises ``ProblemReport`` whose every problem names a file under
raw/ (and a real line of it whenever the problem is about a record); never any other
exception; a failed build leaves build/ byte for byte as it was, and no temporary
directory beside it.

Each example starts from a fresh copy of the real project (raw/, schemas/,
CITATION.cff and a good build/) and applies one to three generated mutations.
``EXAMPLES`` counts the examples each property ran to the end; the counts are printed
at the end of the module and checked against ``MAX_EXAMPLES`` (see docs/reliability.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import unicodedata
import uuid
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, quiet, time_limit, tree_digest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from koreasec_data import load
from koreasec_data.compile.assemble import TableBuilder
from koreasec_data.compile.build import build, read_citation
from koreasec_data.compile.datapackage import write_package
from koreasec_data.compile.validate import validate_package
from koreasec_data.loader import read_descriptor, tables
from koreasec_data.problems import ProblemReport
from koreasec_data.schemas import load_package_metadata, load_schemas

#: Generated examples per property: kept so that this module runs in well under 60 s.
#: KOREASEC_FUZZ_SCALE=N runs N times as many (a longer search, e.g. nightly).
SCALE = int(os.environ.get("KOREASEC_FUZZ_SCALE", "1"))
MAX_EXAMPLES = {"mutated": 100 * SCALE, "valid": 15 * SCALE, "round_trip": 60 * SCALE}
EXAMPLES: Counter[str] = Counter()
#: How the mutated examples ended: "built" (and validated) or "reported".
OUTCOMES: Counter[str] = Counter()
PROJECT_LAYOUT = ["CITATION.cff", "build", "raw", "schemas"]


def _settings(name: str):
    return settings(
        max_examples=MAX_EXAMPLES[name],
        deadline=None,
        database=None,  # nothing written into the work tree
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="module", autouse=True)
def example_counts(request):
    """Print how many examples each property ran, and check none ran short."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    ran = ", ".join(f"{name} {count}" for name, count in sorted(EXAMPLES.items()))
    if reporter is not None and capture is not None and ran:
        ended = ", ".join(f"{how} {count}" for how, count in sorted(OUTCOMES.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\ntest_fuzz: hypothesis examples run: {ran} (mutated: {ended})")
    for name, count in EXAMPLES.items():
        assert count >= MAX_EXAMPLES[name], f"{name} ran {count} of {MAX_EXAMPLES[name]}"


@pytest.fixture
def examples(project, tmp_path_factory):
    """A factory of fresh copies of ``project``, one per hypothesis example."""
    scratch = tmp_path_factory.mktemp("examples")
    made = []

    def fresh() -> Path:
        while made:  # the previous example's copy is no longer needed
            shutil.rmtree(made.pop(), ignore_errors=True)
        target = scratch / uuid.uuid4().hex[:12]
        shutil.copytree(project, target)
        made.append(target)
        return target

    fresh.build_digest = tree_digest(project / "build")
    # What this very raw/ builds to (raw/ may have changed since the session's build).
    build(project, scratch / "baseline", say=quiet)
    fresh.baseline_digest = tree_digest(scratch / "baseline")
    yield fresh
    shutil.rmtree(scratch, ignore_errors=True)


# --- the YAML files as data ------------------------------------------------------------


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: faster
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_files(project: Path) -> list[str]:
    """The YAML files mutated. raw/retired.yaml is left out; its reader has targeted
    cases in test_faults.py and compile/test_retired.py."""
    raw = project / "raw"
    names = ["raw/actors.yaml"] if (raw / "actors.yaml").is_file() else []
    return names + sorted(p.relative_to(project).as_posix() for p in raw.glob("articles/*.yaml"))


def read_documents(project: Path) -> dict[str, object]:
    return {
        name: yaml.load((project / name).read_text(encoding="utf-8"), Loader=LOADER)
        for name in yaml_files(project)
    }


def dump(document, flow: bool | None = False) -> str:
    return yaml.dump(
        document,
        Dumper=DUMPER,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        default_flow_style=flow,
    )


def walk(node, path=()):
    """Every (path, value) of a YAML document, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def get(document, path):
    for step in path:
        document = document[step]
    return document


class NothingToMutate(LookupError):
    """No field or list of the kind a mutation needs."""


def pick(draw, candidates):
    if not candidates:
        raise NothingToMutate
    return draw(st.sampled_from(candidates))


def fields(documents, accept=lambda key, value: True):
    """(file, path of a mapping, key) for every field that ``accept``s."""
    return [
        (name, path, key)
        for name, document in documents.items()
        for path, node in walk(document)
        if isinstance(node, dict)
        for key, value in node.items()
        if accept(key, value)
    ]


# --- generated values ------------------------------------------------------------------

#: Text made of pieces that trip up naive handling: combining marks, bidi controls,
#: right-to-left scripts, CJK, emoji (with zero-width joiners), look-alike punctuation.
UNICODE_PIECES = [
    *"aZ é-'",
    *"\u2019\u2013\u00a0",  # curly apostrophe, en dash, no-break space
    *("e\u0301", "\u0308", "\u200d", "\u200f", "\u202e", "\ufeff"),  # combining, bidi
    *("\u05e9\u05dc\u05d5\u05dd", "\u0633\u0644\u0627\u0645"),  # Hebrew, Arabic (RTL)
    *("한국어", "朝鮮", "😀", "👨\u200d👩\u200d👧", "🇰🇷"),  # CJK, emoji, ZWJ, flag
]
UNICODE = st.lists(st.sampled_from(UNICODE_PIECES), max_size=8).map("".join)
#: Non-blank: starts with a piece that is not white space.
UNICODE_WORD = st.builds(
    str.__add__, st.sampled_from([p for p in UNICODE_PIECES if p.strip()]), UNICODE
)
#: The pieces a name may hold: no invisible format character (bidi controls, joiners).
NAME_PIECES = [p for p in UNICODE_PIECES if not any(unicodedata.category(c) == "Cf" for c in p)]
NAME_WORD = st.builds(
    str.__add__,
    st.sampled_from([p for p in NAME_PIECES if p.strip()]),
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
)
LONG = st.sampled_from(["a" * 100_000, "한국" * 50_000, "e\u0301" * 50_000, "😀" * 100_000])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # unbounded: also beyond 64 bits and beyond float
    st.floats(),  # also nan and inf
    st.text(max_size=12),
    UNICODE,
    st.dates(),
    st.sampled_from(["", " ", "null", "yes", "2024-10-24", "0x1F", "~"]),
)
ANY = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
WORDS = [*(d.lower() for d in ("Monday", "Tuesday", "Thursday", "Friday", "Sunday")), "June"]
BAD_DATES = st.one_of(
    st.sampled_from(
        [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-W54",
            "2024-W00",
            "2024-13",
            "0000",
            "0000-06",
            "9999-W52",
            "10000-01-01",
            "2024-10-24/2024-10-23",
            "2024-10-24/",
            "Thurday",
            "Fridya",
            "Mondays",
            "tomorow",
            "Jnue",
            "this weak",
            "",
            "yesterday",
            "this week",
            "Thursday",
            "June",
        ]
    ),
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 10_000),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.builds(
        lambda word, i, c: word[:i] + c + word[i + 1 :],
        st.sampled_from(WORDS),
        st.integers(0, 5),
        st.sampled_from("aeiouy"),
    ),
)
EXTREME_DAYS = st.sampled_from([dt.date(1, 1, 1), dt.date(1, 1, 6), dt.date(9999, 12, 31)])
PRECISIONS = st.sampled_from(["day", "week", "month", "year", "range", "undated", "Day", None])
YAML_CHARACTERS = [*":[]{}\"'&*!|>-#%@`,?\t\n\\", "---", "...", ": ", " #", "\n  "]


def typo(draw, word: str) -> str:
    """``word`` with one character changed, removed, added or the case flipped."""
    if not word:
        return draw(st.text(min_size=1, max_size=3))
    i = draw(st.integers(0, len(word) - 1))
    how = draw(st.sampled_from(["replace", "delete", "insert", "case"]))
    char = draw(st.sampled_from([*"xe_ -'\u2019\u2013\u00a0\u0301\u200b"]))
    if how == "replace":
        return word[:i] + char + word[i + 1 :]
    if how == "delete":
        return word[:i] + word[i + 1 :]
    if how == "insert":
        return word[:i] + char + word[i:]
    return word.swapcase()


# --- mutations of the data: each changes ``documents`` in place and returns
# --- (the file it changed, what it did) -------------------------------------------------


def drop_field(draw, documents):
    name, path, key = pick(draw, fields(documents))
    del get(documents[name], path)[key]
    return name, f"dropped {key!r} at {path}"


def rename_field(draw, documents):
    name, path, key = pick(draw, fields(documents))
    mapping = get(documents[name], path)
    how = draw(st.sampled_from(["typo", "text", "any"]))
    if how == "typo":
        new = typo(draw, str(key))
    elif how == "text":
        new = draw(st.text(max_size=8))
    else:
        new = draw(SCALARS)
    items = [(new if k == key else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)
    return name, f"renamed {key!r} to {new!r} at {path}"


def retype_field(draw, documents):
    name, path, key = pick(draw, fields(documents))
    value = draw(ANY)
    get(documents[name], path)[key] = value
    return name, f"{key!r} at {path} = {value!r}"[:300]


def record_lists(documents, minimum=1):
    return [
        (name, path)
        for name, document in documents.items()
        for path, node in walk(document)
        if isinstance(node, list) and len(node) >= minimum
        if all(isinstance(x, dict) for x in node)
    ]


def duplicate_record(draw, documents):
    name, path = pick(draw, record_lists(documents))
    records = get(documents[name], path)
    original = draw(st.sampled_from(records))
    ids = [k for k in original if str(k).endswith("_id")]
    if len(records) > 1 and ids and draw(st.booleans()):  # another record, the same id
        other = draw(st.sampled_from([r for r in records if r is not original]))
        other[ids[0]] = original[ids[0]]
        return name, f"two records at {path} share {ids[0]} {original[ids[0]]!r}"
    records.insert(draw(st.integers(0, len(records))), copy.deepcopy(original))
    return name, f"a record at {path} appears twice"


def dangle_reference(draw, documents):
    references = fields(documents, lambda k, v: str(k).endswith("_id") and isinstance(v, str))
    name, path, key = pick(draw, references)
    mapping = get(documents[name], path)
    if draw(st.booleans()):
        mapping[key] = typo(draw, mapping[key])
    else:
        mapping[key] = draw(st.sampled_from(["act-nobody", "ev-999-99", "src-999", "deal-x", ""]))
    return name, f"{key} at {path} = {mapping[key]!r}"


def alter_quote(draw, documents):
    quotes = fields(
        documents, lambda k, v: k in ("quote", "text", "file_name") and isinstance(v, str)
    )
    name, path, key = pick(draw, quotes)
    mapping = get(documents[name], path)
    mapping[key] = typo(draw, mapping[key])
    return name, f"{key} at {path} = {mapping[key]!r}"


def shift_date(draw, documents):
    dated = fields(documents, lambda k, v: k in ("date", "date_precision", "published"))
    name, path, key = pick(draw, dated)
    mapping = get(documents[name], path)
    if key == "published":
        mapping[key] = draw(EXTREME_DAYS | BAD_DATES | st.dates())
    else:
        mapping["date"] = draw(BAD_DATES)
        if draw(st.booleans()):
            mapping["date_precision"] = draw(PRECISIONS)
    return name, f"at {path}: date {mapping.get('date')!r}, {key} {mapping.get(key)!r}"


def unicode_text(draw, documents):
    name, path, key = pick(draw, fields(documents, lambda k, v: isinstance(v, str)))
    mapping = get(documents[name], path)
    mapping[key] = draw(UNICODE)
    return name, f"{key} at {path} = {mapping[key]!r}"


def long_string(draw, documents):
    # Not into references (*_id): a dangling 100k-character id takes seconds to report
    # (the suggestion search, now problems.similar_ids, was quadratic; see test_faults.py).
    texts = fields(documents, lambda k, v: isinstance(v, str) and not str(k).endswith("_id"))
    name, path, key = pick(draw, texts)
    get(documents[name], path)[key] = draw(LONG)
    return name, f"{key} at {path} = 100k characters"


DATA_MUTATIONS = {
    f.__name__: f
    for f in (
        drop_field,
        rename_field,
        retype_field,
        duplicate_record,
        dangle_reference,
        alter_quote,
        shift_date,
        unicode_text,
        long_string,
    )
}


# --- mutations of the files' bytes ----------------------------------------------------


def empty_file(draw, project, name):
    (project / name).write_bytes(b"")
    return "emptied"


def binary_junk(draw, project, name):
    path = project / name
    data = path.read_bytes()
    junk = draw(st.binary(min_size=1, max_size=64))
    if draw(st.booleans()):
        path.write_bytes(junk)
        return f"replaced by {junk!r}"
    i = draw(st.integers(0, len(data)))
    path.write_bytes(data[:i] + junk + data[i:])
    return f"{junk!r} inserted at byte {i}"


def break_syntax(draw, project, name):
    """Insert a YAML-significant character, delete one, truncate, or re-indent a line."""
    path = project / name
    text = path.read_bytes()  # bytes: an earlier mutation may have made it non-UTF-8
    lines = text.splitlines(keepends=True) or [b""]
    how = draw(st.sampled_from(["insert", "delete", "truncate", "indent", "dedent", "repeat"]))
    i = draw(st.integers(0, len(text)))
    n = draw(st.integers(0, len(lines) - 1))
    if how == "insert":
        text = text[:i] + draw(st.sampled_from(YAML_CHARACTERS)).encode() + text[i:]
    elif how == "delete":
        text = text[:i] + text[i + 1 :]
    elif how == "truncate":
        text = text[:i]
    elif how == "indent":
        text = b"".join([*lines[:n], b" " + lines[n], *lines[n + 1 :]])
    elif how == "dedent":
        text = b"".join([*lines[:n], lines[n].lstrip(b" "), *lines[n + 1 :]])
    else:
        text = b"".join([*lines[: n + 1], *lines[n:]])
    path.write_bytes(text)
    return f"{how} at {i if how in ('insert', 'delete', 'truncate') else n}"


#: Unquoted values as a curator might type them: YAML reads several as dates or
#: numbers and some cannot be built at all (2024-02-30 is matched as a date).
RAW_SCALARS = [
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-01-01",
    "2024-04-31 10:00:00",
    "2024-10-24T25:00:00",
    "!!int abc",
    "!!float x",
    "!!bool maybe",
    "!!timestamp later",
    "!!map a",
    "0x_",
    "1" * 5000,
    "0x" + "f" * 5000,
    "1:2:3",
    ".nan",
    "-.inf",
    "~",
    "yes",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!python/object/apply:os.system ['true']",
    "&anchor value",
    "*undefined",
    "@reserved",
    "`backtick",
    "'unterminated",
]
VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+: )(.+)$", re.MULTILINE)


def replace_a_value(draw, project, name, token: str, header: str = "") -> str | None:
    """Put ``token`` as the value of one `key: value` line (``header`` on top of the file);
    return the key, or None when the file has no such line."""
    path = project / name
    text = path.read_bytes()
    lines = list(VALUE_LINE.finditer(text))
    if not lines:
        return None
    line = draw(st.sampled_from(lines))
    changed = text[: line.start(2)] + token.encode() + text[line.end(2) :]
    path.write_bytes(header.encode() + changed)
    return line.group(1).decode(errors="replace").strip()


def raw_scalar(draw, project, name):
    """Replace the value of one `key: value` line by an unquoted token."""
    token = draw(st.sampled_from(RAW_SCALARS))
    key = replace_a_value(draw, project, name, token)
    return empty_file(draw, project, name) if key is None else f"{key} {token[:40]}"


#: Ten lines of YAML that stand for a list of 10**9 items (each level refers ten times to
#: the one before): PyYAML shares the references, a full repr() never ends.
ALIAS_BOMB = "\n".join(
    ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
)


def alias_bomb(draw, project, name):
    """Define the bomb at the top of the file and use it as the value of one line."""
    key = replace_a_value(draw, project, name, "*l8", header=ALIAS_BOMB + "\n")
    return empty_file(draw, project, name) if key is None else f"{key} *l8 (10**9 items)"


def spoil_source_text(draw, project, name):
    """Change a byte of an article text; maybe record its new sha256 wherever the old one is.

    ``name`` is not used: the text is drawn from raw/sources.
    """
    texts = sorted((project / "raw" / "sources").glob("*.txt"))
    text = draw(st.sampled_from(texts))
    data = text.read_bytes()
    i = draw(st.integers(0, len(data)))
    spoiled = (
        data[:i] + draw(st.sampled_from([b"\xff", b"\xe2\x80", b"x", b"\x00"])) + data[i + 1 :]
    )
    text.write_bytes(spoiled)
    fixed = draw(st.booleans())
    if fixed:  # the curator "fixes" the hash too, so the text itself is checked
        old, new = (hashlib.sha256(d).hexdigest().encode() for d in (data, spoiled))
        for article in (project / "raw" / "articles").glob("*.yaml"):
            article.write_bytes(article.read_bytes().replace(old, new))
    return f"{text.name} changed at byte {i}" + (", sha256 updated" if fixed else "")


FILE_MUTATIONS = {
    f.__name__: f
    for f in (empty_file, binary_junk, break_syntax, raw_scalar, alias_bomb, spoil_source_text)
}


# --- the contract ----------------------------------------------------------------------


def check_report(project: Path, report: ProblemReport) -> None:
    assert report.problems, "a ProblemReport without problems"
    assert "Traceback" not in str(report)
    for problem in report.problems:
        assert problem.where.startswith("raw/"), problem
        assert (project / problem.where).exists(), problem
        assert problem.message.strip(), problem
        if problem.record:  # a problem about a record says where the record is
            assert problem.line is not None, problem
        if problem.line is not None:
            path = project / problem.where
            lines = path.read_bytes().count(b"\n") + 1 if path.is_file() else 1
            assert 1 <= problem.line <= lines + 1, (problem, lines)


def builds_or_reports(project: Path, build_digest: dict[str, str]) -> str:
    """Build; check the contract; return 'built' or 'reported'."""
    try:
        build(project, say=quiet)
    except ProblemReport as report:
        check_report(project, report)
        assert tree_digest(project / "build") == build_digest, "a failed build changed build/"
        outcome = "reported"
    else:
        validate_package(project / "build", project, say=quiet)
        outcome = "built"
    assert sorted(os.listdir(project)) == PROJECT_LAYOUT, "something was left beside build/"
    return outcome


@_settings("mutated")
@given(data=st.data())
def test_any_mutation_builds_a_valid_package_or_reports_every_problem(examples, data):
    project = examples()
    documents = read_documents(project)
    kinds = data.draw(
        st.lists(st.sampled_from([*DATA_MUTATIONS, *FILE_MUTATIONS]), min_size=1, max_size=3),
        label="mutations",
    )
    for kind in sorted(kinds, key=lambda k: k in FILE_MUTATIONS):  # data first, then bytes
        if kind in DATA_MUTATIONS:
            try:
                name, did = DATA_MUTATIONS[kind](data.draw, documents)
            except NothingToMutate:
                continue
            (project / name).write_text(dump(documents[name]), encoding="utf-8")
        else:
            name = data.draw(st.sampled_from(yaml_files(project)), label="file")
            did = FILE_MUTATIONS[kind](data.draw, project, name)
        note(f"{kind}: {name}: {did}")  # shown with a falsifying example
    OUTCOMES[builds_or_reports(project, examples.build_digest)] += 1
    EXAMPLES["mutated"] += 1


# --- valid mutations: must build, validate, and (when only order or style changed) give
# --- the very same bytes --------------------------------------------------------------

FREE_TEXT = {"description", "summary", "note", "venue", "item", "published_basis"}
#: Names: text without invisible format characters (schemas' "koreasec:text": "name").
NAMES = {"name", "location_name", "publisher"}


def shuffle_records(draw, documents):
    lists = [
        (name, path)
        for name, document in documents.items()
        for path, node in walk(document)
        if isinstance(node, list) and len(node) > 1 and all(isinstance(x, dict) for x in node)
    ]
    name, path = pick(draw, lists)
    records = get(documents[name], path)
    records[:] = draw(st.permutations(records))
    return None


def reorder_keys(draw, documents):
    mappings = [
        (name, path)
        for name, document in documents.items()
        for path, node in walk(document)
        if isinstance(node, dict) and len(node) > 1
    ]
    name, path = pick(draw, mappings)
    mapping = get(documents[name], path)
    items = draw(st.permutations(list(mapping.items())))
    mapping.clear()
    mapping.update(items)
    return None


def add_alias(draw, documents):
    actors = get(documents["raw/actors.yaml"], ("actors",))
    actor = draw(st.sampled_from(actors))
    # Aliases are unique across actors (rules.unique_aliases): start from the name.
    alias = f"{actor['name']} {draw(NAME_WORD)}"
    actor.setdefault("aliases", []).append(alias)
    return ("actors", "actor_id", actor["actor_id"], "aliases", actor["aliases"])


def set_free_text(draw, documents):
    """Give a free-text column (or a name, kept unique) generated Unicode text."""
    candidates = fields(documents, lambda k, v: k in FREE_TEXT or k in NAMES)
    name, path, key = pick(draw, candidates)
    mapping = get(documents[name], path)
    text = draw(NAME_WORD if key in NAMES else UNICODE_WORD)
    if key == "name":  # participants' evidence must still name the actor: keep the old name
        mapping.setdefault("aliases", []).append(mapping[key])
        text = f"{mapping[key]} {text}"
    mapping[key] = text
    if "source_id" in mapping and path == ("source",):
        return ("sources", "source_id", mapping["source_id"], key, mapping[key])
    table = "actors" if name == "raw/actors.yaml" else path[0]
    id_column = {"events": "event_id", "statements": "statement_id", "arms_deals": "deal_id"}
    column = id_column.get(table, "actor_id")
    return (table, column, mapping[column], key, mapping[key])


VALID_MUTATIONS = {f.__name__: f for f in (shuffle_records, reorder_keys, add_alias, set_free_text)}
#: Mutations that change neither a value nor the set of records: same bytes out.
SAME_BYTES = {"shuffle_records", "reorder_keys"}


@_settings("valid")
@given(data=st.data())
def test_valid_mutations_build_validate_and_load_back(examples, data):
    project = examples()
    documents = read_documents(project)
    kinds = data.draw(st.lists(st.sampled_from(list(VALID_MUTATIONS)), min_size=1, max_size=3))
    expected = [VALID_MUTATIONS[kind](data.draw, documents) for kind in kinds]
    flow = data.draw(st.booleans(), label="flow style")
    for name, document in documents.items():
        text = dump(document, flow)
        (project / name).write_text(f"# restyled by test_fuzz\n{text}", encoding="utf-8")
    descriptor = build(project, say=quiet)
    validate_package(project / "build", project, say=quiet)
    assert sorted(os.listdir(project)) == PROJECT_LAYOUT
    if set(kinds) <= SAME_BYTES:
        assert tree_digest(project / "build") == examples.baseline_digest
    # Only the last change to each cell counts.
    final = {
        (table, column, value, key): cell
        for table, column, value, key, cell in (e for e in expected if e is not None)
    }
    for (table, column, value, key), cell in final.items():
        rows = load(table, backend="arrow", directory=project / "build").to_pylist()
        (row,) = [r for r in rows if r[column] == value]
        assert row[key] == cell
    assert descriptor["resources"]
    EXAMPLES["valid"] += 1


# --- round trip: rows -> Parquet -> koreasec_data.load -> the same values ---------------

SCHEMAS = load_schemas(ROOT / "schemas")
ROUND_TRIP_TABLES = ("sources", "actors", "arms_deals")  # every column type occurs here
TEXT = st.one_of(
    st.text(max_size=20),  # any code point but surrogates, NUL included
    UNICODE,
    st.sampled_from(["", " ", "\x00", "a" * 100_000]),
)
VALUES = {
    "string": TEXT,
    "integer": st.integers(-(2**63), 2**63 - 1),
    "number": st.floats(allow_nan=False),  # inf, -0.0 and subnormals included
    "boolean": st.booleans(),
    "date": st.dates(),  # 0001-01-01 to 9999-12-31
    "array": st.lists(TEXT, max_size=4),
}


def row_strategy(table_schema):
    columns = {}
    for field in table_schema.fields:
        values = VALUES[field.type]
        if not field.required:
            values = st.none() | values
        columns[field.name] = values
    return st.fixed_dictionaries(columns)


@_settings("round_trip")
@given(
    rows=st.fixed_dictionaries(
        {name: st.lists(row_strategy(SCHEMAS[name]), max_size=4) for name in ROUND_TRIP_TABLES}
    ),
    backend=st.sampled_from(["arrow", "pandas", "polars"]),
)
def test_rows_round_trip_through_parquet_and_load(tmp_path_factory, rows, backend):
    import pandas as pd

    directory = tmp_path_factory.mktemp("round_trip")
    built = {}
    for name in ROUND_TRIP_TABLES:
        builder = TableBuilder(SCHEMAS[name], batch_rows=3)  # several batches, one table
        for row in rows[name]:
            builder.append(row, 0, 1)
        built[name] = builder.finish()[0]
    metadata = load_package_metadata(ROOT / "schemas")
    write_package(directory, built, SCHEMAS, metadata, read_citation(ROOT))
    assert tables(directory) == list(ROUND_TRIP_TABLES)
    assert len(read_descriptor(directory)["sources"]) == len(rows["sources"])
    for name in ROUND_TRIP_TABLES:
        primary_key = SCHEMAS[name].primary_key
        expected = sorted(rows[name], key=lambda row, k=primary_key: tuple(row[c] for c in k))
        types = "arrow" if backend == "pandas" else None  # values exactly as stored
        loaded = load(name, backend=backend, directory=directory, types=types)
        if backend == "arrow":
            got = loaded.to_pylist()
        elif backend == "polars":
            got = loaded.to_dicts()
        else:
            got = [
                {
                    c: (None if v is pd.NA else v)
                    for c, v in zip(loaded.columns, values, strict=True)
                }
                for values in zip(*(loaded[c].tolist() for c in loaded.columns), strict=True)
            ]
        assert got == expected
    shutil.rmtree(directory)
    EXAMPLES["round_trip"] += 1


# --- the inputs that crashed the build before, as fixed examples ------------------------


def _first_article_with(project: Path, table: str) -> Path:
    for path in sorted((project / "raw" / "articles").glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        if document.get(table):
            return path
    raise LookupError(table)


def _edit(project: Path, table: str, change) -> None:
    """Apply ``change`` to the first article that has records of ``table``."""
    path = _first_article_with(project, table)
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    change(document)
    path.write_text(dump(document), encoding="utf-8")


def _deal(change):
    return lambda project: _edit(project, "arms_deals", lambda d: change(d["arms_deals"][0]))


def _source(change):
    return lambda project: _edit(project, "arms_deals", lambda d: change(d["source"]))


def _text_not_utf8(project: Path) -> None:
    """A source text that is not UTF-8, with its sha256 recorded: the text is read."""
    path = _first_article_with(project, "arms_deals")
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    text = project / "raw" / "sources" / document["source"]["file_name"]
    data = b"\xff" + text.read_bytes()
    text.write_bytes(data)
    document["source"]["sha256"] = hashlib.sha256(data).hexdigest()
    path.write_text(dump(document), encoding="utf-8")


def _link_outside(project: Path) -> None:
    (project / "raw" / "sources" / "outside.txt").symlink_to(project / "CITATION.cff")
    _source(lambda s: s.update(file_name="outside.txt"))(project)


def _append(relative: str, text: str):
    def spoil(project: Path) -> None:
        path = project / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return spoil


def _bomb_in_aliases(project: Path) -> None:
    path = project / "raw" / "actors.yaml"
    text = re.sub(r"(?m)^(\s*aliases: ).*$", r"\1*l8", path.read_text(encoding="utf-8"), count=1)
    path.write_text(ALIAS_BOMB + "\n" + text, encoding="utf-8")


def _junk_layout_and_bad_source_id(project: Path) -> None:
    def change(document):
        document["layout"].insert(0, "junk")
        document["source"]["source_id"] = "SRC-X"

    _edit(project, "arms_deals", change)


HUGE = "0x" + "f" * 5000


def _unquoted(key: str, value: str, file: str | None = None):
    """Write ``key: value`` unquoted in place of the first ``key:`` line of ``file``
    (default: the first article with arms deals)."""

    def spoil(project: Path) -> None:
        path = project / file if file else _first_article_with(project, "arms_deals")
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"(?m)^(\s*(?:- )?{key}: ).*$", lambda m: m.group(1) + value, text, count=1)
        path.write_text(text, encoding="utf-8")

    return spoil


CRASHED = {
    # input -> what the report must now say (before the fix: a traceback)
    "unquoted-february-30": (_unquoted("published", "2024-02-30"), "is not a valid date"),
    "unquoted-month-13": (_unquoted("published", "2024-13-01"), "is not a valid date"),
    "unquoted-year-0": (_unquoted("published", "0000-01-01"), "is not a valid date"),
    "int-tag-on-text": (_unquoted("publisher", "!!int AFP"), "is not a valid whole number"),
    "5000-digit-number": (_unquoted("publisher", "1" * 5000), "is not a valid whole number"),
    # YAML reads 0xfff... as an int of more than 4300 digits, which str() refuses.
    "huge-number-as-id": (_unquoted("deal_id", HUGE), "deal_id: expected string"),
    "huge-number-as-quote": (_unquoted("quote", HUGE, "raw/actors.yaml"), "quote must be text"),
    "huge-number-as-key": (_append("raw/actors.yaml", f"? {HUGE}\n: 1\n"), "unknown field <a 20"),
    "occurrence-text": (
        _deal(lambda r: r["evidence"][0].update(occurrence="2")),
        "occurrence must be a whole number",
    ),
    "occurrence-list": (
        _deal(lambda r: r["evidence"][0].update(occurrence=[1])),
        "occurrence must be a whole number",
    ),
    "layout-occurrence": (
        lambda p: _edit(p, "arms_deals", lambda d: d["layout"][0].update(occurrence="x")),
        "layout: occurrence must be a whole number",
    ),
    "evidence-source-id-list": (
        _deal(lambda r: r["evidence"][0].update(source_id=["src-000"])),
        "is not a source",
    ),
    "date-basis-number": (_deal(lambda r: r.update(date_basis=5)), "date_basis: expected string"),
    "date-basis-undated": (
        _deal(lambda r: r.update(date=None, date_precision="undated", date_basis=[1])),
        "date_basis: expected string",
    ),
    "year-0": (
        _deal(lambda r: r.update(date="0000", date_precision="year")),
        "falls outside the years 1 to 9999",
    ),
    "week-past-9999": (
        _deal(lambda r: r.update(date="9999-W52", date_precision="week")),
        "falls outside the years 1 to 9999",
    ),
    "yesterday-of-year-1": (
        lambda p: _edit(
            p,
            "arms_deals",
            lambda d: (
                d["source"].update(published=dt.date(1, 1, 1)),
                d["arms_deals"][0].update(date="yesterday", date_precision="day"),
            ),
        ),
        "falls outside the years 1 to 9999",
    ),
    "value-beyond-float": (_deal(lambda r: r.update(value=10**400)), "too large for a number"),
    "actors-not-a-list": (
        lambda p: (p / "raw" / "actors.yaml").write_text("actors: 5\n", encoding="utf-8"),
        "'actors' must be a list",
    ),
    "key-is-a-list": (
        _append("raw/actors.yaml", "? [a, b]\n: c\n"),
        "a key must be a plain value",
    ),
    "nested-too-deep": (
        _append("raw/actors.yaml", "deep: " + "[" * 5000 + "]" * 5000 + "\n"),
        # libyaml refuses this itself in PyYAML >= 6.0.4 (in its own words); either way
        # the report names the file as invalid YAML, and nothing is built.
        "invalid YAML",
    ),
    "article-is-a-folder": (
        lambda p: (p / "raw" / "articles" / "999.yaml").mkdir(),
        "cannot read the file",
    ),
    "file-name-up-and-out": (
        _source(lambda s: s.update(file_name="../../CITATION.cff")),
        "must be the name of a file in raw/sources",
    ),
    "file-name-absolute": (
        _source(lambda s: s.update(file_name="/etc/hostname")),
        "must be the name of a file in raw/sources",
    ),
    "file-name-symlink-out": (_link_outside, "links outside raw/sources"),
    "file-name-too-long": (_source(lambda s: s.update(file_name="a" * 300)), "does not exist"),
    "text-not-utf8": (_text_not_utf8, "as UTF-8 text"),
    "junk-layout-entry": (_junk_layout_and_bad_source_id, "layout entry must be a mapping"),
    "alias-bomb": (_bomb_in_aliases, "aliases: expected a list of text, found"),
}


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="times itself with SIGALRM (conftest.time_limit), which Windows lacks",
)
@pytest.mark.parametrize("case", list(CRASHED))
def test_inputs_that_crashed_the_build_are_reported(project, case):
    spoil, expected = CRASHED[case]
    before = tree_digest(project / "build")
    spoil(project)
    with time_limit(30), pytest.raises(ProblemReport) as caught:  # the alias bomb hung
        build(project, say=quiet)
    check_report(project, caught.value)
    assert expected in str(caught.value)
    assert tree_digest(project / "build") == before
    assert sorted(os.listdir(project)) == PROJECT_LAYOUT
