"""The contested claims page: each contested or denied event, and the statements about it
(or about an event it is part of) by what they do to it.

A statement asserts the event when its stance is ``asserts`` or when it presupposes the
event (its ``relation``); it denies it when its stance denies or rejects; it neither
confirms nor denies when it declines to; any other stance (condemning, urging, warning)
is shown apart, with its stance, not counted on either side.
"""

from __future__ import annotations

from typing import Any

from koreasec_data.report.model import Package
from koreasec_data.report.values import quotes

__all__ = ["DISPUTED", "SIDES", "contested", "side_of"]

#: Events whose facts the sources dispute.
DISPUTED = ("contested", "denied")
#: side -> its heading, in the order the page shows them.
SIDES = {
    "asserting": "Asserted by",
    "denying": "Denied by",
    "neither": "Neither confirmed nor denied by",
    "other": "Otherwise about it",
}


def side_of(stance: str, relation: str) -> str:
    """Which side a statement about an event takes.

    Examples
    --------
    >>> side_of("asserts", "about"), side_of("warns", "presupposes"), side_of("condemns", "about")
    ('asserting', 'asserting', 'other')
    >>> side_of("rejects", "presupposes"), side_of("declines_to_confirm", "about")
    ('denying', 'neither')
    """
    if stance in ("denies", "rejects"):
        return "denying"
    if stance == "declines_to_confirm":
        return "neither"
    if stance == "asserts" or relation == "presupposes":
        return "asserting"
    return "other"


def _ancestors(package: Package, event: dict[str, Any]) -> list[dict[str, Any]]:
    """The event, then the event it is part of, and so on up (a statement about the broader
    event bears on its parts)."""
    chain, seen = [event], {event["event_id"]}
    while chain[-1]["parent_event_id"] and chain[-1]["parent_event_id"] not in seen:
        seen.add(chain[-1]["parent_event_id"])
        chain.append(package.by_id("events", chain[-1]["parent_event_id"]))
    return chain


def _said(package: Package, base: str, link: dict[str, Any], via: str | None) -> dict[str, Any]:
    statement = package.by_id("statements", link["statement_id"])
    speaker = package.by_id("actors", statement["speaker_id"]) if statement["speaker_id"] else None
    own = package.evidence.get(("statements", statement["statement_id"]), [])
    return {
        "statement": statement,
        "relation": link["relation"],
        "via": via,
        "url": base + package.url("statements", statement),
        "speaker": speaker["name"] if speaker else statement["speaker_description"] or "unnamed",
        "speaker_url": base + package.url("actors", speaker) if speaker else None,
        "quotes": quotes(package, base, own),
    }


def contested(package: Package, base: str) -> list[dict[str, Any]]:
    """Every contested or denied event with its statements, side by side."""
    found = []
    for event in package.rows["events"]:
        if event["certainty"] not in DISPUTED:
            continue
        sides: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
        for about in _ancestors(package, event):
            via = None if about is event else about["event_id"]
            key = ("statement_events", "event_id", about["event_id"])
            for link in package.referring.get(key, []):
                said = _said(package, base, link, via)
                sides[side_of(said["statement"]["stance"], link["relation"])].append(said)
        found.append({"event": event, "url": base + package.url("events", event), "sides": sides})
    return found
