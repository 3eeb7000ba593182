"""Checks that a Table Schema cannot express: rules across columns, rows and tables.

Evidence has its own checks (:mod:`koreasec_data.compile.evidence.checks`). Each rule
returns a :class:`~koreasec_data.problems.Finding` for each row it rejects;
:mod:`koreasec_data.compile.validate` runs them all. The rules of one row are in
:mod:`.rows`, those across a table's rows in :mod:`.across`, those across tables in
:mod:`.keys` (foreign keys) and :mod:`.links` (what a statement is linked to).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from koreasec_data.compile.rules.across import (
    actor_parents,
    event_parents,
    unique_aliases,
    utterances,
)
from koreasec_data.compile.rules.keys import foreign_keys
from koreasec_data.compile.rules.links import links_reported
from koreasec_data.compile.rules.masks import reject
from koreasec_data.compile.rules.rows import (
    dated,
    located,
    sized,
    speakers,
    state_codes,
    stated_values,
)
from koreasec_data.problems import Finding

__all__ = [
    "ROW_RULES",
    "TABLE_RULES",
    "actor_parents",
    "event_parents",
    "foreign_keys",
    "links_reported",
    "reject",
    "utterances",
]

Rule = Callable[[Any, str], list[Finding]]
#: Rules of each row on its own: a row that passed once passes while it is unchanged.
ROW_RULES: dict[str, list[Rule]] = {
    "actors": [state_codes],
    "events": [dated, sized, located],
    "statements": [dated, speakers],
    "arms_deals": [dated, stated_values],
}
#: Rules across the rows of a table.
TABLE_RULES: dict[str, list[Rule]] = {
    "actors": [unique_aliases, actor_parents],
    "events": [event_parents],
    "statements": [utterances],
}
