"""The records of one article: events with participants, statements and arms deals.

Each record is written into the article's text as it is drawn, and carries evidence
quoted from that text (or, at the real rate, from another article's text: at the real
share, one filed later).
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

__all__ = ["Records"]


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
        self.ahead: Callable[[], tuple[str, str] | None] = lambda: None
        subtype = profile.schemas["events"].field("event_subtype")
        self.types = {value: label.partition(":")[0] for value, label in subtype.categories}

    def draw(self, rate: float) -> int:
        """Draw a count whose mean is ``rate``."""
        whole = math.floor(rate)
        return whole + (self.rng.random() < rate - whole)

    def when(self, record: dict[str, Any], table: str, published: dt.date) -> str:
        """Date ``record`` in a form drawn at the real rates; return the text's phrase."""
        forms, counts = self.profile.date_forms()
        form = self.rng.choices(forms, weights=counts)[0]
        value, phrase = prose.date_phrase(self.rng, form, published)
        if value is not None:
            record["date"] = value
        record["date_precision"] = DATE_FORMS[form]
        if self.pool.given(table, "date_basis"):
            record["date_basis"] = "As the article reports it."
        return phrase

    def evidence(self, text: prose.Text, table: str, quote: str, about: str) -> list:
        """The evidence list of a record: its own sentence, then more, some elsewhere."""
        items = [{"quote": quote}]
        for _ in range(self.draw(self.profile.evidence(table)) - 1):
            item = self.rng.random() < self.profile.cross_source and self.elsewhere()
            if item and item not in items:
                items.append(item)
            else:
                items.append({"quote": text.say(prose.AGAIN, about=about)})
        return items

    def elsewhere(self) -> dict[str, str] | None:
        """An item quoting another article: a later one at the real share, else an earlier."""
        line = self.ahead() if self.rng.random() < self.profile.cross_forward else None
        if line is None and self.fillers:
            line = self.rng.choice(self.fillers)
        return {"source_id": line[0], "quote": line[1]} if line else None

    def event(self, text: prose.Text, event_id: str, published, earlier) -> dict[str, Any]:
        """One event with its participants, written into ``text``.

        Parameters
        ----------
        earlier : list of str
            Ids of the article's earlier events, one of which may be its parent.
        """
        actors = self.pool.pick(max(2, self.draw(self.profile.per_event())))
        subtype = self.pool.choose("events", "event_subtype")
        record: dict[str, Any] = {"event_id": event_id}
        phrase = self.when(record, "events", published)
        what, first, last = prose.words(subtype), actors[0], actors[-1]
        template = self.rng.choice(prose.EVENT)
        quote = text.say(template, a=first.name, b=last.name, what=what, when=phrase)
        kind = self.types[subtype]
        record["event_type"] = kind if kind.isupper() else self.pool.choose("events", "event_type")
        record["event_subtype"] = subtype
        record["summary"] = f"{first.name} and {last.name}: {what}."
        if self.pool.given("events", "location_name"):
            record["location_name"] = first.place
        if self.pool.given("events", "location_country") and "country" in first.record:
            record["location_country"] = first.record["country"]
        for column in ("location_precision", "certainty"):
            record[column] = self.pool.choose("events", column)
        if earlier and self.pool.given("events", "parent_event_id"):
            record["parent_event_id"] = self.rng.choice(earlier)
        participants = []
        for actor in actors:
            participant = {
                "actor_id": actor.actor_id,
                "role": self.pool.choose("event_actors", "role"),
            }
            if self.pool.given("event_actors", "evidence"):
                own = text.say(prose.PARTICIPANT, b=actor.name, what=what)
                participant["evidence"] = [{"quote": own}]
            participants.append(participant)
        record["event_actors"] = participants
        record["evidence"] = self.evidence(
            text, "events", quote, f"the {what} involving {first.name}"
        )
        return record

    def statement(self, text: prose.Text, statement_id: str, published, events) -> dict:
        """One statement by a named or described speaker, quoted or reported in ``text``."""
        speaker, target = self.pool.pick(2)
        record: dict[str, Any] = {"statement_id": statement_id}
        if self.pool.given("statements", "speaker_id"):
            record["speaker_id"], who = speaker.actor_id, speaker.name
        else:
            who = record["speaker_description"] = f"an official of {speaker.name}"
            if self.pool.given("statements", "speaker_affiliation_id"):
                record["speaker_affiliation_id"] = speaker.actor_id
        phrase = self.when(record, "statements", published)
        kind = record["kind"] = self.pool.choose("statements", "kind")
        if kind == "direct":
            said = record["text"] = text.write(self.rng.choice(prose.DIRECT), b=target.name)
            sentence = f'"{said}," {who} said{phrase}.'
        else:
            said = record["text"] = text.write(self.rng.choice(prose.INDIRECT), b=target.name)
            sentence = f"{who[0].upper()}{who[1:]} said{phrase} that {said}."
        text.quote(said)
        record["stance"] = self.pool.choose("statements", "stance")
        if events and self.pool.given("statements", "event_id"):
            record["event_id"] = self.rng.choice(events)
        if self.pool.given("statements", "target_actor_id"):
            record["target_actor_id"] = target.actor_id
        if self.pool.given("statements", "venue"):
            record["venue"] = f"a briefing in {speaker.place}"
        quote = text.add(sentence)
        if self.pool.given("statements", "evidence"):
            record["evidence"] = self.evidence(text, "statements", quote, f"the remarks by {who}")
        return record

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
        phrase = self.when(record, "arms_deals", published)
        for flag in ("technology_transfer", "is_aggregate"):
            if self.pool.given("arms_deals", flag):
                record[flag] = True
        if events and self.pool.given("arms_deals", "event_id"):
            record["event_id"] = self.rng.choice(events)
        slots = {"a": supplier.name, "b": recipient.name, "status": prose.words(record["status"])}
        quote = text.say(prose.DEAL, item=item, when=phrase, extra=extra, **slots)
        record["evidence"] = self.evidence(text, "arms_deals", quote, f"the {item}")
        return record
