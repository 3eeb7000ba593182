"""Proportions of the real annotations in ``raw/``, for the generator to reproduce.

Every rate is computed from the real files when the generator runs; vocabularies
are read from ``schemas/`` (:func:`koreasec_data.schemas.load_schemas`). Counts of
vocabulary values and of optional fields are smoothed (add one), so that values the
real data do not use yet still occur.

The real files are read as they are, in the format of the schema version they were
written for: a statement's events are its ``statement_events`` list, or its single
``event_id`` in files written before 0.2; utterances of several speakers are the rows
sharing an ``utterance_id``, or (before 0.2) an article's rows with the same text and
date; caption-only events are found from where their quotes stand in the layout.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from koreasec_data.schemas import Table, load_schemas

__all__ = ["DATE_FORMS", "Profile", "date_form", "read_profile"]

ARTICLE_TABLES = ("events", "statements", "arms_deals")
#: How a curator can write a date (raw/README.md), and the precision each form has.
DATE_FORMS = {
    "iso_day": "day",
    "weekday": "day",
    "relative_day": "day",
    "this_week": "range",  # Monday of the publication week to publication (0.2)
    "iso_week": "week",
    "month_name": "month",
    "iso_month": "month",
    "year": "year",
    "range": "range",
    "on_or_before": "on_or_before",  # 'on or before X', X a form above or 'publication'
    "on_or_after": "on_or_after",
    "undated": "undated",
}

_WEEKDAYS = {day.lower() for day in calendar.day_name}
_MONTHS = {month.lower() for month in calendar.month_name if month}


def date_form(value: Any) -> str:
    """Classify a ``date`` as written in YAML into one of :data:`DATE_FORMS`.

    Examples
    --------
    >>> [date_form(v) for v in (None, dt.date(2024, 1, 2), "Thursday", "June", 2024)]
    ['undated', 'iso_day', 'weekday', 'month_name', 'year']
    >>> date_form("on or before publication"), date_form("on or after 2024-06")
    ('on_or_before', 'on_or_after')
    """
    if value is None:
        return "undated"
    if isinstance(value, dt.date):
        return "iso_day"
    text = str(value).strip().lower()
    for bound in ("on_or_before", "on_or_after"):
        if text.startswith(bound.replace("_", " ") + " "):
            return bound
    forms = {"today": "relative_day", "yesterday": "relative_day", "this week": "this_week"}
    if text in forms:
        return forms[text]
    if text in _WEEKDAYS:
        return "weekday"
    if text in _MONTHS:
        return "month_name"
    if "/" in text:
        return "range"
    if re.fullmatch(r"\d{4}-w\d{2}", text):
        return "iso_week"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return "iso_month"
    return "year" if re.fullmatch(r"\d{4}", text) else "iso_day"


def _memo(method):
    """Cache a method's result per arguments in the instance's ``memo``."""

    @functools.wraps(method)
    def cached(self, *args):
        key = (method.__name__, *args)
        if key not in self.memo:
            self.memo[key] = method(self, *args)
        return self.memo[key]

    return cached


@dataclass
class Profile:
    """Per-article and per-record rates of the real data, and the schema vocabularies."""

    articles: int
    records: dict[str, list[dict[str, Any]]]
    schemas: dict[str, Table]
    text_length: float
    layout: Counter = field(default_factory=Counter)
    cross_source: float = 0.0
    #: Of evidence items quoting another article, the share quoting one filed after it.
    cross_forward: float = 0.0
    #: Smoothed share of events whose every evidence span stands in a photo caption.
    caption_only: float = 0.0
    #: Smoothed mean number of further speakers per utterance (rows sharing it, minus 1).
    co_speakers: float = 0.0
    memo: dict = field(default_factory=dict, repr=False)

    @_memo
    def per_article(self, table: str) -> float:
        """Mean number of ``table`` records per article (actors: per article too)."""
        return len(self.records[table]) / self.articles

    @_memo
    def per_event(self) -> float:
        """Mean number of participants per event."""
        return len(self.records["event_actors"]) / max(1, len(self.records["events"]))

    @_memo
    def per_statement(self) -> float:
        """Mean number of events a statement is linked to (rows of statement_events)."""
        return len(self.records["statement_events"]) / max(1, len(self.records["statements"]))

    @_memo
    def inferred(self, table: str) -> float:
        """Smoothed share of the dated records of ``table`` whose date the curator inferred
        (``date_origin: inferred``)."""
        rows = [row for row in self.records[table] if row.get("date") is not None]
        return (sum(row.get("date_origin") == "inferred" for row in rows) + 1) / (len(rows) + 2)

    @_memo
    def columns(self, table: str) -> set[str]:
        """The column names of ``table`` in ``schemas/``."""
        return set(self.schemas[table].names)

    @_memo
    def fill(self, table: str, name: str) -> float:
        """Smoothed share of records of ``table`` whose ``name`` is given (not null)."""
        rows = self.records[table]
        given = sum(row.get(name) not in (None, [], False) for row in rows)
        return (given + 1) / (len(rows) + 2)

    @_memo
    def evidence(self, table: str) -> float:
        """Mean number of evidence items of the records of ``table`` that list some."""
        counts = [len(row["evidence"]) for row in self.records[table] if row.get("evidence")]
        return sum(counts) / len(counts) if counts else 1.0

    @_memo
    def vocabulary(self, table: str, name: str) -> tuple[list[str], list[int]]:
        """The enum of a column from ``schemas/`` and smoothed counts of its real use."""
        values = self.schemas[table].field(name).enum
        used = Counter(row.get(name) for row in self.records[table])
        return values, [used[value] + 1 for value in values]

    @_memo
    def date_forms(self) -> tuple[list[str], list[int]]:
        """Date forms and smoothed counts of their real use over all dated tables."""
        used = Counter(
            date_form(row.get("date")) for table in ARTICLE_TABLES for row in self.records[table]
        )
        return list(DATE_FORMS), [used[form] + 1 for form in DATE_FORMS]


def _count_cross_source(articles: list[dict[str, Any]]) -> tuple[float, float]:
    """Share of evidence items quoting another article; of those, share quoting a later
    one (add-one smoothed, so both directions occur)."""
    order = {article["source"]["source_id"]: n for n, article in enumerate(articles)}
    items = cross = forward = 0
    for article in articles:
        own = article["source"]["source_id"]
        for table in ARTICLE_TABLES:
            for record in article.get(table) or []:
                for item in record.get("evidence") or []:
                    other = item.get("source_id", own)
                    items += 1
                    cross += other != own
                    forward += order.get(other, -1) > order[own]
    return (cross / items if items else 0.0), (forward + 1) / (cross + 2)


def _statement_events(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """A statement's links to events: its ``statement_events``, or before 0.2 its
    ``event_id`` (then a link of relation 'about', inheriting its evidence)."""
    if statement.get("statement_events"):
        return list(statement["statement_events"])
    if statement.get("event_id"):
        return [{"event_id": statement["event_id"], "relation": "about"}]
    return []


def _count_utterances(articles: list[dict[str, Any]]) -> float:
    """Smoothed mean number of further speakers per utterance: rows sharing an
    utterance_id, or (written before utterance_id) an article's rows sharing text and date."""
    rows = utterances = 0
    for article in articles:
        keys = set()
        for statement in article.get("statements") or []:
            rows += 1
            keys.add(
                statement.get("utterance_id")
                or (statement.get("text"), str(statement.get("date")), statement.get("kind"))
            )
        utterances += len(keys)
    return (rows - utterances + 1) / (utterances + 2)


def _count_caption_only(articles: list[dict[str, Any]]) -> float:
    """Smoothed share of events whose every evidence quote stands in a caption."""
    captions = {
        article["source"]["source_id"]: [
            item["quote"] for item in article["layout"] if item["position"] == "caption"
        ]
        for article in articles
    }
    events = only = 0
    for article in articles:
        own = article["source"]["source_id"]
        for event in article.get("events") or []:
            items = event.get("evidence") or []
            events += 1
            only += bool(items) and all(
                any(
                    item["quote"] in caption
                    for caption in captions.get(item.get("source_id", own), [])
                )
                for item in items
            )
    return (only + 1) / (events + 2)


def read_profile(root: Path) -> Profile:
    """Read the real ``root/raw`` and ``root/schemas`` into a :class:`Profile`."""
    root = Path(root)
    paths = sorted((root / "raw" / "articles").glob("*.yaml"))
    articles = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths]
    actors = yaml.safe_load((root / "raw" / "actors.yaml").read_text(encoding="utf-8"))
    records: dict[str, list[dict[str, Any]]] = {table: [] for table in ARTICLE_TABLES}
    records["actors"] = actors["actors"]
    records["sources"] = [article["source"] for article in articles]
    records["event_actors"], records["statement_events"] = [], []
    layout: Counter = Counter()
    for article in articles:
        for table in ARTICLE_TABLES:
            records[table] += article.get(table) or []
        for event in article.get("events") or []:
            records["event_actors"] += event.get("event_actors") or []
        for statement in article.get("statements") or []:
            records["statement_events"] += _statement_events(statement)
        layout.update(item["position"] for item in article["layout"])
    texts = list((root / "raw" / "sources").glob("*.txt"))
    length = sum(len(path.read_text(encoding="utf-8")) for path in texts) / len(texts)
    profile = Profile(len(articles), records, load_schemas(root / "schemas"), length)
    profile.layout = Counter({kind: count / len(articles) for kind, count in layout.items()})
    profile.cross_source, profile.cross_forward = _count_cross_source(articles)
    profile.caption_only = _count_caption_only(articles)
    profile.co_speakers = _count_utterances(articles)
    return profile
