"""Curators' evidence items: located in their source texts now, or once every source is
read, and turned into evidence rows.

Each article is read on its own (in any process, or taken from the build cache), so an
item quoting another article waits, and is placed when every source is known
(:meth:`SpanFinder.place_waiting`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from koreasec_data.compile.evidence import text as evidence
from koreasec_data.compile.rawyaml import Mapping
from koreasec_data.compile.records import unknown_keys
from koreasec_data.problems import Problem, key_text, shown, similar_ids

__all__ = ["EVIDENCE_KEYS", "Source", "SpanFinder", "Waiting", "evidence_row"]

EVIDENCE_KEYS = {"quote", "source_id", "occurrence"}

#: A located item: (source_id, span, position, the item's mapping).
Placed = tuple[str, evidence.Span, str, Mapping]


@dataclass
class Source:
    """A source text as read: what evidence is located in, and the file it was read from
    (``text`` None: not held in memory, read again when its quotes are placed)."""

    text: str | None
    published: dt.date | None
    regions: list[evidence.Region] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""


class Waiting:
    """An evidence item quoting a source not read yet, and where it was written."""

    __slots__ = ("file", "item", "label", "placed", "source_id")

    def __init__(self, file: str, item: Mapping, source_id: str, label: str):
        self.file, self.item, self.source_id, self.label = file, item, source_id, label
        self.placed: Placed | tuple[()] | None = None  # () once it failed


class SpanFinder:
    """Find evidence items in the sources read so far; collect each problem once."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self._sorted: list[str] = []  # source ids for hints, sorted again only once added to
        #: (item, table, record id) for items waiting for their source; None once closed.
        self.waiting: list[tuple[Waiting, str, str]] | None = []

    def spans(self, file: str, items: Any, label: str, default_source: str | None, line=None):
        """Locate evidence items; return a :data:`Placed` or a :class:`Waiting` for each.

        ``line`` places problems with items that carry no line of their own.
        """
        if not isinstance(items, list) or not items:
            line = getattr(items, "line", None) or line
            self.problem(file, line, label, "needs 'evidence': a list of {quote: ...} items")
            return []
        located: list[Placed | Waiting] = []
        for item in items:
            if not isinstance(item, Mapping) or "quote" not in item:
                where = getattr(item, "line", None) or line
                self.problem(file, where, label, "evidence item needs 'quote'")
                continue
            self.problems += unknown_keys(file, item, EVIDENCE_KEYS, label)
            source_id = item.get("source_id", default_source)
            source = self.sources.get(source_id) if isinstance(source_id, str) else None
            if source is not None and source.text is not None:
                placed = self.place(file, item, source_id, label)
                located += [placed] if placed else []
            elif self.waiting is not None:
                located.append(Waiting(file, item, source_id, label))
            else:
                self._unknown(file, item, source_id, label)
        return located

    def problem(self, file: str, line: int | None, label: str, message: str) -> None:
        self.problems.append(Problem(file, line, label, message))

    def place(self, file: str, item: Mapping, source_id: str, label: str) -> Placed | None:
        """Locate one evidence item in its (known) source."""
        source = self.sources[source_id]
        try:
            quote = evidence.quote_text(item["quote"])
            span = evidence.locate(source.text, quote, item.get("occurrence"))
            position = evidence.position_of(span, source.regions)
        except evidence.QuoteError as error:
            self.problem(file, item.line_of("quote"), label, f"{error} ({source_id})")
            return None
        return source_id, span, position, item

    def _unknown(self, file: str, item: Mapping, source_id: Any, label: str) -> None:
        if len(self._sorted) != len(self.sources):  # sources are only ever added
            self._sorted = sorted(self.sources)
        known = similar_ids(key_text(source_id), self._sorted)
        message = f"evidence source_id {shown(source_id)} is not a source; {known}"
        self.problem(file, item.line_of("source_id"), label, message)

    def place_waiting(self, text_of):
        """Place every waiting item, each once, a source at a time; stop waiting.

        ``text_of(source_id)`` reads a source's text again (None if it changed since it
        was read); only one text is held at a time. Yields ``(placed or None, table,
        record id, file)`` for each record that waited.
        """
        waiting, self.waiting = self.waiting or [], None
        known = [entry for entry in waiting if self._known(entry[0].source_id)]
        known.sort(key=lambda entry: entry[0].source_id)
        for source_id, entries in itertools.groupby(known, key=lambda entry: entry[0].source_id):
            source = self.sources[source_id]
            self.sources[source_id] = dataclasses.replace(source, text=text_of(source_id))
            yield from self._place_each(list(entries))
            self.sources[source_id] = source
        yield from self._place_each([e for e in waiting if not self._known(e[0].source_id)])

    def _known(self, source_id: Any) -> bool:
        return isinstance(source_id, str) and source_id in self.sources

    def _place_each(self, entries):
        for item, table, identifier in entries:
            if item.placed is None:
                placed = None
                text = self.sources[item.source_id].text if self._known(item.source_id) else None
                if text is not None:
                    placed = self.place(item.file, item.item, item.source_id, item.label)
                elif self._known(item.source_id):  # the file changed while the build ran
                    message = f"the text of {item.source_id} changed during the build: build again"
                    self.problem(item.file, item.item.line_of("quote"), item.label, message)
                else:
                    self._unknown(item.file, item.item, item.source_id, item.label)
                item.placed = placed or ()
            yield item.placed or None, table, identifier, item.file


def evidence_row(table: str, identifier: str, placed: Placed) -> tuple[dict[str, Any], int]:
    """The evidence row of a located item for record ``identifier`` of ``table``, and the
    line of the item it was read from."""
    source_id, span, position, item = placed
    row = {
        "record_table": table,
        "record_id": identifier,
        "source_id": source_id,
        "start_offset": span.start,
        "end_offset": span.end,
        "quote": span.quote,
        "position": position,
    }
    return row, item.line
