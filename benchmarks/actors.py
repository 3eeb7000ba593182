"""A pool of invented actors shared by the articles of a synthetic corpus."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from benchmarks.prose import name, words
from benchmarks.realdata import Profile
from koreasec_data.compile.codes import cow_codes_by_country

__all__ = ["Actor", "Pool"]

#: The actor type that rules.state_codes ties to cow_code.
STATE = "state"


@dataclass
class Actor:
    """One actor of the pool and the YAML record it is written as."""

    actor_id: str
    name: str
    kind: str
    place: str
    record: dict[str, Any] = field(default_factory=dict)


class Pool:
    """Actors for ``articles`` articles: a pool that grows with the square root of N.

    Parameters
    ----------
    rng : random.Random
        The generator's random state.
    profile : Profile
        Rates of the real data; the pool has as many actors per article as the real
        registry at the real corpus size, and grows as ``sqrt(articles)`` beyond.
    articles : int
        Number of articles of the corpus.
    """

    def __init__(self, rng: random.Random, profile: Profile, articles: int):
        self.rng = rng
        self.profile = profile
        real = len(profile.records["actors"])
        size = max(2, round(real * math.sqrt(articles / profile.articles)))
        self.actors: list[Actor] = []
        self.states: list[Actor] = []
        self._taken: set[str] = set()  # names and aliases, casefolded: each names one actor
        self._codes: set[str] = set()
        self._ids: set[str] = set()
        for index in range(size):
            kind = STATE if index < 2 else self.choose("actors", "actor_type")
            self.actors.append(self._state() if kind == STATE else self._other(kind))
        # Prominence falls off with rank, as in news: a few actors appear everywhere.
        self._weights = list(accumulate(1 / (rank + 1) for rank in range(size)))

    def choose(self, table: str, column: str) -> str:
        """Draw a vocabulary value, weighted by its (smoothed) real use."""
        values, counts = self.profile.vocabulary(table, column)
        return self.rng.choices(values, weights=counts)[0]

    def given(self, table: str, column: str) -> bool:
        """Decide whether an optional column (or ``evidence``) is written, at its real rate.

        Never for a column the schema does not have (yet, or any more).
        """
        if column != "evidence" and column not in self.profile.columns(table):
            return False
        return self.rng.random() < self.profile.fill(table, column)

    def pick(self, count: int) -> list[Actor]:
        """Draw ``count`` distinct actors, prominent ones more often."""
        chosen: dict[str, Actor] = {}
        while len(chosen) < min(count, len(self.actors)):
            actor = self.rng.choices(self.actors, cum_weights=self._weights)[0]
            chosen.setdefault(actor.actor_id, actor)
        return list(chosen.values())

    def _unique_name(self, make) -> str:
        label = make()
        while label.casefold() in self._taken:
            label = make()
        self._taken.add(label.casefold())
        return label

    def _aliases(self, candidate: str) -> list[str]:
        """``[candidate]`` at the real rate of aliases, unless it names another actor."""
        if not self.given("actors", "aliases") or candidate.casefold() in self._taken:
            return []
        self._taken.add(candidate.casefold())
        return [candidate]

    def _new(self, label: str, kind: str, place: str) -> Actor:
        slug = "-".join(re.findall("[a-z0-9]+", label.lower()))
        actor_id = f"act-{slug}"
        if actor_id in self._ids:
            actor_id = f"{actor_id}-{len(self.actors)}"
        self._ids.add(actor_id)
        record = {"actor_id": actor_id, "name": label, "actor_type": kind}
        return Actor(actor_id, label, kind, place, record)

    def _state(self) -> Actor:
        label = self._unique_name(lambda: name(self.rng, self.rng.randint(2, 3)))
        # A real country and its COW number (the build checks both), each once while
        # there are countries left.
        states = sorted(cow_codes_by_country().items())
        unused = [state for state in states if state[0] not in self._codes] or states
        code, cow_code = self.rng.choice(unused)
        self._codes.add(code)
        actor = self._new(label, STATE, name(self.rng))
        actor.record.update(country=code, cow_code=cow_code)
        actor.record["aliases"] = self._aliases(actor.place)
        self.states.append(actor)
        return actor

    def _other(self, kind: str) -> Actor:
        parent = self.rng.choice(self.states) if self.given("actors", "parent_id") else None
        of = f" of {parent.name}" if parent else ""
        if kind == "person":
            label = self._unique_name(lambda: f"{name(self.rng, 1)} {name(self.rng)}")
        else:
            label = self._unique_name(lambda: f"{name(self.rng)} {words(kind).title()}{of}")
        home = parent or self.rng.choice(self.states)
        actor = self._new(label, kind, home.place)
        if parent or self.given("actors", "country"):
            actor.record["country"] = home.record["country"]
        if parent:
            actor.record["parent_id"] = parent.actor_id
        actor.record["aliases"] = self._aliases(label.split()[0])
        if self.given("actors", "description"):
            actor.record["description"] = (
                f"A {words(kind)} named in the reporting from {home.place}."
            )
        return actor
