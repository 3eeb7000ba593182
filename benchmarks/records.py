"""The records of one article: events with participants, statements and arms deals.

Each record is written into the article's text as it is drawn, and carries evidence
quoted from that text (or, at the real rate, from another article's text: at the real
share, one filed later). Every quote of an event names all its participants, so that a
participant without evidence of its own may inherit the event's (the build checks that
each span of a participant names it).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from typing import Any

from benchmarks import prose
from benchmarks.actors import Pool
from benchmarks.realdata import DATE_FORMS, Profile
from koreasec_data.compile.records import MAY_BE_FUTURE

__all__ = ["Records"]

#: The story role of an event whose every evidence span stands in a photo caption.
CAPTION_ONLY = "caption_only"


def _copy(value: Any) -> Any:
    """A copy of a date, list or mapping, so that YAML writes no anchors for shared values."""
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


class Records:
    """Draws records at the real rates, sharing the corpus's random state and actor pool.

    Parameters
    ----------
    rng : random.Random
        The corpus's random state.
    profile : Profile
        Rates of the real data.
    pool : Pool
        The actors records are about.
    """

    def __init__(self, rng: random.Random, profile: Profile, pool: Pool):
        self.rng = rng
        self.profile = profile
        self.pool = pool
        self.fillers: list[tuple[str, str]] = []  # (source_id, quotable body line) per article
        #: A quotable line of a later article, planned now; None after the last article.
        #: Given a template and its slots, a line of its own written from them.
        self.ahead: Callable[..., tuple[str, str] | None] = lambda *_, **__: None
        subtype = profile.schemas["events"].field("event_subtype")
        self.types = subtype.within[1]  # each subtype's event type
        #: event_id -> the words for what happened, for the statements about it.
        self.whats: dict[str, str] = {}

    def draw(self, rate: float) -> int:
        """Draw a count whose mean is ``rate``."""
        whole = math.floor(rate)
        return whole + (self.rng.random() < rate - whole)

    def past(self, table: str, record: dict[str, Any]) -> bool:
        """Whether ``record`` is a reported past fact, which never ends after publication."""
        column, future = MAY_BE_FUTURE.get(table, (None, set()))
        return record.get(column) not in future

    def when(self, record: dict[str, Any], table: str, published: dt.date, past: bool) -> str:
        """Date ``record`` in a form drawn at the real rates; return the text's phrase."""
        forms, counts = self.profile.date_forms()
        form = self.rng.choices(forms, weights=counts)[0]
        if past and DATE_FORMS[form] == "undated":  # a past fact is bounded by publication
            form = "on_or_before"
        value, phrase = prose.date_phrase(self.rng, form, published, past)
        if value is not None:
            record["date"] = value
        record["date_precision"] = DATE_FORMS[form]
        inferable = value is not None and "date_origin" in self.profile.columns(table)
        if inferable and self.rng.random() < self.profile.inferred(table):
            record["date_origin"] = "inferred"  # then the basis is required
            record["date_basis"] = "Inferred from the dated event the article ties it to."
            return phrase
        if self.pool.given(table, "date_basis"):
            record["date_basis"] = "As the article reports it."
        return phrase

    def evidence(
        self, text: prose.Text, table: str, quote: str, about: str, named: bool = False
    ) -> list:
        """The evidence list of a record: its own sentence, then more, some elsewhere.

        With ``named``, every item must name what ``about`` names (an event's
        participants): an item from another article is a line planned for a later one.
        """
        items = [{"quote": quote}]
        for _ in range(self.draw(self.profile.evidence(table)) - 1):
            item = self.rng.random() < self.profile.cross_source and self.elsewhere(
                about if named else None
            )
            if item and item not in items:
                items.append(item)
            else:
                items.append({"quote": text.say(prose.AGAIN, about=about)})
        return items

    def elsewhere(self, about: str | None = None) -> dict[str, str] | None:
        """An item quoting another article: a later one at the real share, else an earlier.

        With ``about``, a line of a later article on ``about`` (earlier articles are
        written already, and their lines name no participant).
        """
        if about is not None:
            line = self.ahead(prose.AGAIN, about=about)
        else:
            line = self.ahead() if self.rng.random() < self.profile.cross_forward else None
            if line is None and self.fillers:
                line = self.rng.choice(self.fillers)
        return {"source_id": line[0], "quote": line[1]} if line else None

    def story_role(self) -> str:
        """``caption_only`` at the real share of events quoted from captions only, else
        reported or background at their real use."""
        if self.rng.random() < self.profile.caption_only:
            return CAPTION_ONLY
        values, counts = self.profile.vocabulary("events", "story_role")
        pairs = [pair for pair in zip(values, counts, strict=True) if pair[0] != CAPTION_ONLY]
        return self.rng.choices([v for v, _ in pairs], weights=[c for _, c in pairs])[0]

    def size(self, record: dict[str, Any]) -> str:
        """Code a size at the real rates of its columns; return its words for the text."""
        drawn = [self.pool.given("events", f"size_{bound}") for bound in ("low", "best", "high")]
        if not any(drawn):
            return ""
        best = self.rng.randint(100, 20_000)
        low, high = best - self.rng.randint(0, best // 2), best + self.rng.randint(0, best)
        for column, value, given in zip(
            ("size_low", "size_best", "size_high"), (low, best, high), drawn, strict=True
        ):
            if given:
                record[column] = value
        parts = [f"about {best:,}"] if drawn[1] else []
        if drawn[0] and drawn[2]:
            parts.append(f"between {low:,} and {high:,}")
        elif drawn[0] or drawn[2]:
            parts.append(f"at least {low:,}" if drawn[0] else f"up to {high:,}")
        stated = record["size_as_stated"] = ", ".join(parts)
        return f" ({stated} in all)"

    def event(self, text: prose.Text, event_id: str, published, earlier) -> dict[str, Any]:
        """One event with its participants, written into ``text``.

        Parameters
        ----------
        earlier : list of str
            Ids of the article's earlier events, one of which may be its parent.
        """
        actors = self.pool.pick(max(2, self.draw(self.profile.per_event())))
        subtype = self.pool.choose("events", "event_subtype")
        certainty = self.pool.choose("events", "certainty")
        record: dict[str, Any] = {"event_id": event_id}
        phrase = self.when(
            record, "events", published, self.past("events", {"certainty": certainty})
        )
        what = self.whats[event_id] = prose.words(subtype)
        names = [actor.name for actor in actors]
        first, rest = names[0], prose.join(names[1:])
        kind = self.types[subtype]
        record["event_type"] = kind if kind.isupper() else self.pool.choose("events", "event_type")
        record["event_subtype"] = subtype
        record["summary"] = f"{prose.join(names)}: {what}."
        role = record["story_role"] = self.story_role()
        phrase += self.size(record)
        if self.pool.given("events", "location_name"):
            record["location_name"] = actors[0].place
        if self.pool.given("events", "location_country") and "country" in actors[0].record:
            record["location_country"] = actors[0].record["country"]
        precision = record["location_precision"] = self.pool.choose("events", "location_precision")
        if precision != "unknown" and "location_origin" in self.profile.columns("events"):
            origin = record["location_origin"] = self.pool.choose("events", "location_origin")
            if origin == "inferred":
                record["location_basis"] = f"Inferred from the reporting from {actors[0].place}."
        record["certainty"] = certainty
        if earlier and self.pool.given("events", "parent_event_id"):
            record["parent_event_id"] = self.rng.choice(earlier)
        participants, inherit = [], False
        for actor in actors:
            participant = {
                "actor_id": actor.actor_id,
                "role": self.pool.choose("event_actors", "role"),
            }
            if self.pool.given("event_actors", "evidence"):  # every item names the actor
                own = text.say(prose.PARTICIPANT, b=actor.name, what=what)
                about = f"the part {actor.name} took in the {what}"
                participant["evidence"] = self.evidence(
                    text, "event_actors", own, about, named=True
                )
            else:
                inherit = True
            participants.append(participant)
        record["event_actors"] = participants
        if role == CAPTION_ONLY:  # a clause of a caption, and nothing outside captions
            clause = text.write(prose.CAPTION_EVENT, a=first, b=rest, what=what, when=phrase)
            text.captions.append(text.quote(clause))
            record["evidence"] = [{"quote": clause}]
            return record
        template = self.rng.choice(prose.EVENT)
        quote = text.say(template, a=first, b=rest, what=what, when=phrase)
        about = f"the {what} involving {prose.join(names)}"
        record["evidence"] = self.evidence(text, "events", quote, about, named=inherit)
        return record

    def statements(self, text: prose.Text, aid: str, count: int, published, events) -> list:
        """``count`` statement rows: utterances of one speaker or, at the real rate, of
        several (one row per speaker, sharing the utterance_id, text and date)."""
        rows: list[dict[str, Any]] = []
        while len(rows) < count:
            speakers = min(count - len(rows), 1 + self.draw(self.profile.co_speakers))
            ids = [f"st-{aid}-{len(rows) + j + 1:02d}" for j in range(speakers)]
            rows += self.utterance(text, ids, published, events)
        return rows

    def utterance(self, text: prose.Text, ids: list[str], published, events) -> list:
        """One utterance by named or described speakers, quoted or reported in ``text``;
        one row per speaker (fewer when the pool has too few actors)."""
        *speakers, target = self.pool.pick(len(ids) + 1)
        ids = ids[: len(speakers)]
        dates: dict[str, Any] = {}
        phrase = self.when(dates, "statements", published, past=True)
        kind = self.pool.choose("statements", "kind")
        said = text.write(
            self.rng.choice(prose.DIRECT if kind == "direct" else prose.INDIRECT), b=target.name
        )
        text.quote(said)
        stance = self.pool.choose("statements", "stance")
        rows, whos = [], []
        for statement_id, speaker in zip(ids, speakers, strict=True):
            record: dict[str, Any] = {"statement_id": statement_id, "utterance_id": ids[0]}
            if self.pool.given("statements", "speaker_id"):
                record["speaker_id"], who = speaker.actor_id, speaker.name
            else:
                who = record["speaker_description"] = f"an official of {speaker.name}"
                if self.pool.given("statements", "speaker_affiliation_id"):
                    record["speaker_affiliation_id"] = speaker.actor_id
            record.update(_copy(dates))
            record.update(kind=kind, text=said, stance=stance)
            if self.pool.given("statements", "target_actor_id"):
                record["target_actor_id"] = target.actor_id
            if self.pool.given("statements", "venue"):
                record["venue"] = f"a briefing in {speaker.place}"
            rows.append(record)
            whos.append(who)
        who = prose.join(whos)
        if kind == "direct":
            sentence = f'"{said}," {who} said{phrase}.'
        else:
            sentence = f"{who[0].upper()}{who[1:]} said{phrase} that {said}."
        links = self.links(text, events, who)
        quote = text.add(sentence)
        items = None
        if self.pool.given("statements", "evidence"):
            items = self.evidence(text, "statements", quote, f"the remarks by {who}")
        for record in rows:
            if links:
                record["statement_events"] = _copy(links)
            if items:
                record["evidence"] = _copy(items)
        return rows

    def links(self, text: prose.Text, events: list[str], who: str) -> list[dict[str, Any]]:
        """The article's events a statement bears on (statement_events), at the real
        number per statement, each with words of its own at the real rate."""
        links = []
        for event_id in self.rng.sample(
            events, min(len(events), self.draw(self.profile.per_statement()))
        ):
            link: dict[str, Any] = {"event_id": event_id}
            link["relation"] = self.pool.choose("statement_events", "relation")
            if self.pool.given("statement_events", "evidence"):
                what = self.whats.get(event_id, "events")
                quote = text.say(prose.LINK, who=who, what=what)
                about = f"the remarks by {who} on the {what}"
                link["evidence"] = self.evidence(text, "statement_events", quote, about)
            links.append(link)
        return links

    def deal(self, text: prose.Text, deal_id: str, published, events) -> dict[str, Any]:
        """One arms deal between two actors, reported in ``text``."""
        supplier, recipient = self.pool.pick(2)
        category = self.pool.choose("arms_deals", "weapon_category")
        item = f"{prose.words(category)} of the {prose.name(self.rng)} type"
        record: dict[str, Any] = {"deal_id": deal_id, "supplier_id": supplier.actor_id}
        record.update(recipient_id=recipient.actor_id, item=item, weapon_category=category)
        extra = ""
        if self.pool.given("arms_deals", "quantity"):
            record["quantity"] = self.rng.randint(1, 400)
            extra += f", {record['quantity']} units in all"
            if self.pool.given("arms_deals", "quantity_is_estimate"):
                record["quantity_is_estimate"] = True
        if self.pool.given("arms_deals", "value"):
            millions = self.rng.randint(5, 900)
            record.update(value=millions * 1e6, currency="USD")
            record["value_as_stated"] = f"${millions} million"
            extra += f", in a deal worth ${millions} million"
        record["status"] = self.pool.choose("arms_deals", "status")
        phrase = self.when(record, "arms_deals", published, self.past("arms_deals", record))
        for flag in ("technology_transfer", "is_aggregate"):
            if self.pool.given("arms_deals", flag):
                record[flag] = True
        if events and self.pool.given("arms_deals", "event_id"):
            record["event_id"] = self.rng.choice(events)
        slots = {"a": supplier.name, "b": recipient.name, "status": prose.words(record["status"])}
        quote = text.say(prose.DEAL, item=item, when=phrase, extra=extra, **slots)
        record["evidence"] = self.evidence(text, "arms_deals", quote, f"the {item}")
        return record
