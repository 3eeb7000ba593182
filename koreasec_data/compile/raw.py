"""Read ``raw/`` (curators' YAML and the article texts) into rows for every table.

The YAML keys are the column names of ``schemas/``; see ``raw/README.md``.
Problems are collected, not raised, so that a build reports all of them at once.

Articles are read one at a time, each file's YAML dropped once its records are rows:
evidence quoted from an article not read yet is placed at the end, when every source
is known. Rows keep only their file and line; problems found later in the tables are
placed by reading that file again (:func:`koreasec_data.compile.rawyaml.line_of_column`).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from koreasec_data.compile.assemble import TableBuilder
from koreasec_data.compile.evidence import text as evidence
from koreasec_data.compile.evidence.items import Source, SpanFinder, Waiting, evidence_row
from koreasec_data.compile.rawyaml import Mapping, YamlError, load_yaml
from koreasec_data.compile.records import RowReader, record_label, unknown_keys
from koreasec_data.problems import Problem, key_text, shown
from koreasec_data.schemas import Table

__all__ = ["RawData", "read_raw"]

#: The tables whose records an article file holds, in the order they are read.
ARTICLE_TABLES = ("events", "statements", "arms_deals")
LAYOUT_KEYS = {"position", "quote", "occurrence"}
#: Records written inside their parent record: table -> (child table, key they inherit).
#: Without evidence of its own, a child's evidence is its parent's.
NESTED = {
    "events": ("event_actors", "event_id"),
    "statements": ("statement_events", "statement_id"),
}


@dataclass
class RawData:
    """Rows read from ``raw/``, where each record came from, and every problem found."""

    #: One builder per table; each row carries its file (an index into ``files``) and line.
    builders: dict[str, TableBuilder]
    files: list[str] = field(default_factory=list)
    #: source_id -> full text, for the evidence check.
    texts: dict[str, str] = field(default_factory=dict)
    #: (table, record id) of records with problems already reported; they may be missing
    #: from the rows or lack evidence, and are not reported again for that.
    reported: set[tuple[str, str]] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    def __init__(self, root: Path, schemas: dict[str, Table]):
        self.root = root
        self.schemas = schemas
        self.data = RawData({name: TableBuilder(schemas[name]) for name in schemas})
        self.rows = RowReader(schemas)
        self.finder = SpanFinder()
        self.sources = self.finder.sources
        self.file_numbers: dict[str, int] = {}
        positions = schemas["evidence"].field("position").enum
        self.layout_kinds = [kind for kind in positions if kind != "body"]
        self.layout_kinds += list(evidence.NOT_CODABLE)

    def problem(self, file: str, line: int | None, record: str, message: str) -> None:
        self.data.problems.append(Problem(file, line, record, message))

    def problem_count(self) -> int:
        """Problems found so far, by this reader and by the row and span readers."""
        return len(self.data.problems) + len(self.rows.problems) + len(self.finder.problems)

    def finish(self) -> RawData:
        """Return everything read, with the problems of every part of the reader."""
        self.data.problems += self.rows.problems + self.finder.problems
        return self.data

    def load(self, path: Path, expected: type) -> Any:
        file = self.relative(path)
        try:
            content = load_yaml(path)
        except YamlError as error:
            self.problem(file, error.line, "", str(error))
            return None
        if not isinstance(content, expected) or not content:
            kind = "a mapping" if expected is dict else "a list"
            self.problem(
                file, 1, "", f"expected {kind} at the top of the file, found {shown(content)}"
            )
            return None
        return content

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def place_waiting(self) -> None:
        """Place the evidence that waited for its source."""
        for placed, table, identifier, file in self.finder.place_waiting():
            if placed:
                self.evidence_row(table, identifier, placed, file)
            else:  # reported once, at the item; the record is not reported again
                self.data.reported.add((table, identifier))

    def file_number(self, file: str) -> int:
        if file not in self.file_numbers:
            self.file_numbers[file] = len(self.data.files)
            self.data.files.append(file)
        return self.file_numbers[file]

    def add(self, file: str, mapping: Mapping, table: str, row: dict[str, Any], spans) -> None:
        identifier = self.schemas[table].record_id(row)
        self.data.builders[table].append(row, self.file_number(file), mapping.line)
        for placed in spans:
            if isinstance(placed, Waiting):
                self.finder.waiting.append((placed, table, identifier))
            else:
                self.evidence_row(table, identifier, placed, file)

    def evidence_row(self, table: str, identifier: str, placed: tuple, file: str) -> None:
        row, line = evidence_row(table, identifier, placed)
        self.data.builders["evidence"].append(row, self.file_number(file), line)

    def record(self, file, mapping, table, source_id, list_line, known=None, inherit=None):
        """Read one record and its evidence; return (row or None, evidence spans).

        ``known`` holds the values it inherits (a participant's event_id). Without an
        'evidence' list, a statement's evidence is its own text and a nested record's is
        its parent's (``inherit``).
        """
        count = self.problem_count()
        source = self.sources.get(source_id)
        published = source.published if source else None
        extra = {"evidence", *(NESTED[table][:1] if table in NESTED else ())}
        row, label = self.rows.row(
            file, mapping, table, extra, known=known, published=published, list_line=list_line
        )
        if not label:
            return None, []
        items = mapping.get("evidence")
        if items is None and inherit is not None:
            spans = inherit
        else:
            if items is None and table == "statements" and "text" in mapping:
                items = [_text_as_evidence(mapping)]
            spans = self.finder.spans(file, items, label, source_id, mapping.line_of("evidence"))
        if self.problem_count() > count:
            # Keep checking what can be checked, but report nothing twice: a record
            # whose evidence failed is not reported again for having no evidence.
            schema, keys = self.schemas[table], row or mapping
            texts = {key: key_text(keys.get(key)) for key in schema.primary_key}
            identifier = schema.record_id(texts)
            self.data.reported.add((table, identifier))
        if row is None:
            return None, spans
        self.add(file, mapping, table, row, spans)
        return row, spans

    def source(self, path: Path, article: Mapping) -> str | None:
        """Read an article's source block, text and layout; return its source_id."""
        file = self.relative(path)
        block = article.get("source")
        if not isinstance(block, Mapping):
            self.problem(file, article.line, "", "needs a 'source' mapping (see raw/README.md)")
            return None
        row, label = self.rows.row(file, block, "sources", set())
        if row is None:
            return None
        try:
            text_path = evidence.source_file(self.root / "raw" / "sources", row["file_name"])
        except ValueError as error:
            self.problem(file, block.line_of("file_name"), label, str(error))
            return None
        try:
            text, sha256 = evidence.read_source_text(text_path)
        except (OSError, UnicodeDecodeError) as error:
            message = f"cannot read raw/sources/{row['file_name']} as UTF-8 text: {error}"
            self.problem(file, block.line_of("file_name"), label, message)
            return None
        if sha256 != row["sha256"]:
            message = (
                f"raw/sources/{row['file_name']} has sha256 {sha256}, but this file records "
                f"{row['sha256']}; the text changed: restore it, or re-check every quote "
                "and offset coded from it before updating sha256"
            )
            self.problem(file, block.line_of("sha256"), label, message)
            return None
        source_id = row["source_id"]
        self.sources[source_id] = Source(text, row["published"])
        self.data.texts[source_id] = text
        marked = self.layout(file, article, source_id, label)
        headlines = [(region, item) for region, item in marked if region.kind == "headline"]
        if not headlines:
            message = "layout must mark the headline (or first line) as position: headline"
            self.problem(file, article.line_of("layout"), label, message)
            return None
        first, item = min(headlines, key=lambda pair: pair[0].span.start)
        row["headline"] = first.span.quote
        row["text_length"] = len(text)
        headline = [(source_id, first.span, "headline", item)]
        self.add(file, block, "sources", row, headline)
        return source_id

    def layout(self, file: str, article: Mapping, source_id: str, label: str):
        """Read the article's layout; return [(region, its layout entry)]."""
        regions = self.sources[source_id].regions
        items = article.get("layout")
        marked: list[tuple[evidence.Region, Mapping]] = []
        if not isinstance(items, list):
            self.problem(file, article.line_of("layout"), label, "needs a 'layout' list")
            return marked
        for item in items:
            if not isinstance(item, Mapping):
                message = f"layout entry must be a mapping: {shown(item)}"
                self.problem(file, article.line_of("layout"), label, message)
                continue
            self.rows.problems += unknown_keys(
                file, item, {"position", "quote", "occurrence"}, label
            )
            kind = item.get("position")
            if kind not in self.layout_kinds:
                message = f"layout position {shown(kind)} is not one of {self.layout_kinds}"
                self.problem(file, item.line_of("position"), label, message)
                continue
            try:
                text = self.sources[source_id].text
                quote = evidence.quote_text(item.get("quote", ""))
                span = evidence.locate(text, quote, item.get("occurrence"))
            except evidence.QuoteError as error:
                self.problem(file, item.line_of("quote"), label, f"layout: {error}")
                continue
            regions.append(evidence.Region(kind, span))
            marked.append((regions[-1], item))
        return marked

    def article(self, path: Path, article: Mapping, source_id: str) -> None:
        file = self.relative(path)
        allowed = {"source", "layout", *ARTICLE_TABLES}
        self.data.problems += unknown_keys(file, article, allowed, "")
        for table in ARTICLE_TABLES:
            items = article.get(table) or []
            if not isinstance(items, list):
                self.problem(file, article.line_of(table), "", f"{table!r} must be a list")
                continue
            for mapping in items:
                self.parent(file, mapping, table, source_id, article.line_of(table))

    def parent(self, file: str, mapping: Any, table: str, source_id: str, list_line: int):
        """Read a record and the records nested in it (an event's participants, a
        statement's events)."""
        row, spans = self.record(file, mapping, table, source_id, list_line)
        if row is None or table not in NESTED:
            return
        child, key = NESTED[table]
        children = mapping.get(child) or []
        if not isinstance(children, list):
            label = record_label(table, row[key])
            self.problem(file, mapping.line_of(child), label, f"{child} must be a list")
            return
        known, line = {key: row[key]}, mapping.line_of(child)
        for nested in children:
            self.record(file, nested, child, source_id, line, known, inherit=spans)

    def actors(self, path: Path) -> None:
        file = self.relative(path)
        content = self.load(path, dict)
        if content is None:
            return
        self.data.problems += unknown_keys(file, content, {"actors"}, "")
        items = content.get("actors") or []
        if not isinstance(items, list):
            self.problem(file, content.line_of("actors"), "", "'actors' must be a list")
            return
        for mapping in items:
            self.record(file, mapping, "actors", None, content.line_of("actors"))


def _text_as_evidence(statement: Mapping) -> Mapping:
    """A statement's own text as its evidence item, placed at the text's line."""
    line = statement.line_of("text")
    return Mapping(quote=statement["text"], line=line, key_lines={"quote": line})


def read_raw(root: Path, schemas: dict[str, Table]) -> RawData:
    """Read ``root/raw``: ``actors.yaml``, ``articles/*.yaml`` and ``sources/*.txt``.

    Returns every row that could be read, and the problems with those that could not.
    """
    # Parsing makes millions of containers, none in a reference cycle, and the cyclic
    # collector runs after every few hundred: it made parsing 1.7x slower (benchmarks/).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_raw(Path(root), schemas)
    finally:
        if enabled:
            gc.enable()


def _read_raw(root: Path, schemas: dict[str, Table]) -> RawData:
    reader = _Reader(root, schemas)
    raw = root / "raw"
    articles = sorted((raw / "articles").glob("*.yaml"))
    if not articles:
        reader.problem(
            "raw/articles", None, "", "no article files (*.yaml) found: nothing to build"
        )
    for path in articles:  # one file's YAML at a time
        content = reader.load(path, dict)
        if content is not None and (source_id := reader.source(path, content)):
            reader.article(path, content, source_id)
    reader.place_waiting()
    actors = raw / "actors.yaml"
    if actors.is_file():
        reader.actors(actors)
    else:
        reader.problem("raw/actors.yaml", None, "", "the actor registry is missing")
    return reader.finish()
