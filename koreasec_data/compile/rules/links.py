"""The rules across tables that evidence alone cannot state: what a statement is linked to."""

from __future__ import annotations

from koreasec_data.problems import Finding

__all__ = ["links_reported"]

UNREPORTED = (
    "event_id {event}: no article that reports statement {statement} reports this event; "
    "link a statement only to an event its own article reports (add the event's evidence "
    "from that article, or remove the link)"
)


def _sources(evidence, table: str, key: str):
    """The (record id, source) pairs of one table's records in the evidence, once each."""
    import pyarrow.compute as pc

    rows = evidence.filter(pc.equal(evidence.column("record_table"), table))
    pairs = rows.select(["record_id", "source_id"]).group_by(["record_id", "source_id"])
    return pairs.aggregate([]).rename_columns([key, "source_id"])


def links_reported(tables) -> list[Finding]:
    """Every statement_events row links an event that an article reporting the statement
    also reports (both have evidence from one source).

    A statement or event with no evidence at all is left to the coverage check.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    links = tables["statement_events"].select(["statement_id", "event_id"])
    links = links.append_column("row", pa.array(range(len(links)), pa.int64()))
    evidence = tables["evidence"].select(["record_table", "record_id", "source_id"])
    statements = _sources(evidence, "statements", "statement_id")
    events = _sources(evidence, "events", "event_id")
    shared = links.join(statements, "statement_id")
    shared = shared.join(events, ["event_id", "source_id"], join_type="left semi")
    evidenced = links.join(
        statements.select(["statement_id"]), "statement_id", join_type="left semi"
    )
    evidenced = evidenced.join(events.select(["event_id"]), "event_id", join_type="left semi")
    unreported = pc.invert(pc.is_in(evidenced.column("row"), value_set=shared.column("row")))
    return [
        Finding(
            "statement_events",
            link["row"],
            "event_id",
            UNREPORTED.format(event=link["event_id"], statement=link["statement_id"]),
        )
        for link in evidenced.filter(unreported).sort_by("row").to_pylist()
    ]
