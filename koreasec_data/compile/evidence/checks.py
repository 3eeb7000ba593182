"""Checks of the evidence table: every span as long as its quote, every record covered,
every evidence row pointing at a record, every quote the text at its offsets; each
participant's evidence naming it, and caption-only events known only from captions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from koreasec_data.compile.evidence.text import read_source_text, source_file
from koreasec_data.compile.membership import union
from koreasec_data.compile.rules.masks import reject
from koreasec_data.problems import Finding, shown
from koreasec_data.schemas import ID_SEPARATOR

__all__ = [
    "ROW_RULES",
    "captions",
    "coverage",
    "participants_named",
    "quotes_match",
    "source_texts",
    "span_lengths",
    "texts_at_hand",
]

SPAN_LENGTH = "end_offset - start_offset must equal the length of quote"


def span_lengths(frame, table: str) -> list[Finding]:
    """An evidence span is non-empty and as long as its quote."""
    width = frame["end_offset"] - frame["start_offset"]
    bad = (width <= 0) | (width != frame["quote"].str.len())
    return reject(table, bad, "end_offset", SPAN_LENGTH)


#: The row rules of the evidence table, run with :data:`koreasec_data.compile.rules.ROW_RULES`.
ROW_RULES = {"evidence": [span_lengths]}


def coverage(tables, schemas, reported) -> list[Finding]:
    """Every evidence row points at an existing record, and every record has evidence.

    Returns a finding for each failing row; ``reported`` records
    (already reported) are neither missing nor required to have evidence. One table at
    a time, so that only that table's ids and evidence are in memory at once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    evidence = tables["evidence"]
    pointed_tables, pointed_ids = evidence.column("record_table"), evidence.column("record_id")
    names = schemas["evidence"].field("record_table").enum  # the tables that cite evidence
    orphans = pc.invert(pc.fill_null(pc.is_in(pointed_tables, value_set=pa.array(names)), False))
    orphans = pc.indices_nonzero(orphans).to_pylist()
    found = []
    message = "has no evidence row: every record cites at least one source span"
    for name in names:
        ids = schemas[name].record_ids(tables[name])
        excused = [identifier for table, identifier in reported if table == name]
        cited = pc.fill_null(pc.equal(pointed_tables, name), False)
        known, pointed = _coded(union(ids, excused), pc.filter(pointed_ids, cited))
        # Codes count from 0 in order of first appearance: the known ids come first, so
        # an id pointed at is unknown when its code is past theirs.
        last = pc.max(known).as_py()
        unknown = pc.indices_nonzero(pc.greater(pointed, -1 if last is None else last))
        orphans += pc.take(pc.indices_nonzero(cited), unknown).to_pylist()
        covered = pa.chunked_array([*pointed.chunks, known[len(ids) :]], pa.int32())
        ids = known[: len(ids)]
        bare = pc.and_(pc.is_valid(ids), pc.invert(pc.is_in(ids, value_set=covered)))
        found += [Finding(name, row, None, message) for row in _rows(bare)]
    for row in sorted(orphans):
        table, identifier = pointed_tables[row].as_py(), pointed_ids[row].as_py()
        message = f"record_id {shown(identifier)} is not a record of table {shown(table)}"
        found.append(Finding("evidence", row, "record_id", message))
    return found


def _coded(known, values):
    """``known`` and ``values`` as the codes of one dictionary of their strings, so that
    each string is hashed once (nulls stay null)."""
    import pyarrow as pa

    chunks = known.chunks if isinstance(known, pa.ChunkedArray) else [known]
    values = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    coded = pa.chunked_array([*chunks, *values], pa.string()).dictionary_encode()
    codes = pa.chunked_array([chunk.indices for chunk in coded.chunks], pa.int32())
    return codes[: len(known)], codes[len(known) :]


def _rows(mask) -> list[int]:
    """The rows where ``mask`` holds."""
    import pyarrow.compute as pc

    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()


def quotes_match(evidence, text_of, chunk_rows: int = 100_000) -> list[Finding]:
    """Each quote is exactly the source text between its offsets.

    ``text_of(source_id)`` gives a text, or None when it is not at hand (its quotes are
    not compared). Rows are taken a source at a time (in chunks of rows), so that each
    text is asked for once and only one is needed at a time.
    """
    import pyarrow.compute as pc

    found = []
    names = ("source_id", "start_offset", "end_offset", "quote")
    order = pc.sort_indices(evidence, [("source_id", "ascending")])
    current, text = None, None
    for offset in range(0, evidence.num_rows, chunk_rows):
        rows = order[offset : offset + chunk_rows]
        chunk = evidence.select(names).take(rows)
        columns = [column.to_pylist() for column in chunk.columns]
        for row, source_id, start, end, quote in zip(rows.to_pylist(), *columns, strict=True):
            if source_id != current:
                current, text = source_id, text_of(source_id)
            if text is not None and text[start:end] != quote:
                found_text = shown(text[start:end])
                message = f"quote differs from {source_id} text at {start}-{end}: {found_text}"
                found.append(Finding("evidence", row, "quote", message))
    return sorted(found, key=lambda finding: finding.row)


def source_texts(root: Path, files: dict[str, tuple[str, str]]):
    """A function giving the text of a source_id in ``root/raw/sources``, read when asked,
    or None unless it is there with the sha256 recorded (``files``: source_id -> (file
    name, sha256)).

    Built packages carry no texts: only a checkout can have its quotes compared.
    """
    folder = Path(root) / "raw" / "sources"

    def text_of(source_id: str) -> str | None:
        if source_id not in files:
            return None
        file_name, recorded = files[source_id]
        try:  # only a file in raw/sources, whatever the package says
            text, sha256 = read_source_text(source_file(folder, file_name))
        except (ValueError, OSError):  # not at hand, or not text: no quote check
            return None
        return text if sha256 == recorded else None

    return text_of


def texts_at_hand(folder: Path, sources: list[dict[str, Any]]):
    """The source texts in ``folder`` whose sha256 is the one recorded (see
    :func:`source_texts`), by source_id; and a
    :class:`~koreasec_data.compile.package_files.FileProblem` for each other source.

    Examples
    --------
    >>> texts, refused = texts_at_hand(Path("nowhere"), [{"source_id": "src-1",
    ...     "file_name": "a.txt", "sha256": "0" * 64}])
    >>> texts, refused[0].reason.value, refused[0].record
    ({}, 'missing', 'source src-1')
    """
    from koreasec_data.compile.package_files import Damage, FileProblem

    texts, refused = {}, []
    unchecked = "its quotes were not checked"
    for source in sources:
        source_id, path = source["source_id"], Path(folder) / source["file_name"]
        try:
            text, sha256 = read_source_text(source_file(folder, source["file_name"]))
        except (ValueError, OSError) as error:
            if path.name == source["file_name"] and not path.exists():
                reason, told = Damage.MISSING, "the sources table names it"
            else:
                reason, told = Damage.UNREADABLE, str(error)
        else:
            if sha256 == source["sha256"]:
                texts[source_id] = text
                continue
            recorded = source["sha256"]
            reason = Damage.SHA256
            told = f"another text, sha256 {sha256}, not the {recorded} recorded"
        refused.append(FileProblem(path, reason, f"{told}: {unchecked}", f"source {source_id}"))
    return texts, refused


def _rows_of(evidence, table: str, columns: tuple[str, ...]):
    """The given columns of the evidence rows of one table, as Arrow arrays."""
    import pyarrow.compute as pc

    rows = pc.fill_null(pc.equal(evidence.column("record_table"), table), False)
    return [pc.filter(evidence.column(column), rows) for column in columns]  # take is slower


def _casefolded(texts):
    """``str.casefold`` of each text: Arrow's for ASCII texts (the same there), Python's
    for the others (Arrow's lowercasing is not casefolding: 'ß' stays 'ß')."""
    import pyarrow as pa
    import pyarrow.compute as pc

    folded = pc.ascii_lower(texts)
    other = pc.invert(pc.fill_null(pc.string_is_ascii(texts), True))
    if not pc.any(other).as_py():
        return folded
    others = pa.array([text.casefold() for text in texts.filter(other).to_pylist()], pa.string())
    return pc.replace_with_mask(folded.combine_chunks(), other.combine_chunks(), others)


def _naming(actors, quotes, names: dict[str, list[str]]):
    """Whether each quote holds one of its actor's ``names`` (an unknown actor: any
    quote), and the rows in the order the answers come: actor by actor."""
    import pyarrow as pa
    import pyarrow.compute as pc

    actors, quotes = (
        a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in (actors, quotes)
    )
    codes = pc.dictionary_encode(actors)
    order = pc.sort_indices(codes.indices)
    quotes = pc.take(quotes, order)  # an array, so that its slices are arrays
    runs = pc.run_end_encode(pc.take(codes.indices, order)).run_ends.to_pylist()
    answers, start = [], 0
    for actor, end in zip(codes.dictionary.to_pylist(), runs, strict=True):
        chunk = quotes.slice(start, end - start)
        found = pc.is_valid(chunk) if "" in names.get(actor, [""]) else None
        for name in names[actor] if found is None else []:
            match = pc.match_substring(chunk, name)
            found = match if found is None else pc.or_(found, match)
        answers.append(found)
        start = end
    return pa.chunked_array(answers, pa.bool_()), order


def participants_named(tables, schemas) -> list[Finding]:
    """Each participant has an evidence span that names it: its name or an alias, any case.

    An event's quotes often do not name every participant: a participant whose evidence
    is inherited from its event must be given a span of its own that names it.
    """
    import pyarrow.compute as pc

    names = {
        actor["actor_id"]: [name.casefold() for name in [actor["name"], *actor["aliases"]]]
        for actor in tables["actors"].select(["actor_id", "name", "aliases"]).to_pylist()
    }
    schema = schemas["event_actors"]
    ids, quotes = _rows_of(tables["evidence"], "event_actors", ("record_id", "quote"))
    part = schema.primary_key.index("actor_id")
    actors = pc.list_element(pc.split_pattern(ids, ID_SEPARATOR, max_splits=part + 1), part)
    named, order = _naming(actors, _casefolded(quotes), names)
    # A participant fails when it has evidence rows and none names it: few rows name
    # no one, so only their ids are looked for among the others and the participants.
    ids = pc.take(ids, order)
    unnamed = pc.filter(ids, pc.invert(named))
    if len(unnamed) == 0:
        return []
    naming = pc.filter(ids, named)
    naming = pc.filter(naming, pc.is_in(naming, value_set=unnamed))
    unnamed = pc.filter(unnamed, pc.invert(pc.is_in(unnamed, value_set=naming)))
    participants = schema.record_ids(tables["event_actors"])
    failing = pc.fill_null(pc.is_in(participants, value_set=unnamed, skip_nulls=True), False)
    message = (
        "no evidence span names this participant (its name or an alias): quote words that "
        "name it, or add the words the text uses as an alias in raw/actors.yaml"
    )
    return [
        Finding("event_actors", row, None, message)
        for row in pc.indices_nonzero(failing).to_pylist()
    ]


def captions(tables) -> list[Finding]:
    """An event is ``caption_only`` exactly when every evidence span of it is in a caption."""
    import pyarrow.compute as pc

    events = tables["events"]
    ids, positions = _rows_of(tables["evidence"], "events", ("record_id", "position"))
    outside = pc.filter(ids, pc.fill_null(pc.not_equal(positions, "caption"), True))
    event_ids = events.column("event_id")
    in_captions = pc.and_(
        pc.is_in(event_ids, value_set=ids.unique()),
        pc.invert(pc.is_in(event_ids, value_set=outside.unique())),
    )
    caption_only = pc.fill_null(pc.equal(events.column("story_role"), "caption_only"), False)
    wrong = pc.indices_nonzero(pc.not_equal(in_captions, caption_only)).to_pylist()
    in_captions = pc.take(in_captions, wrong).to_pylist() if wrong else []
    return [
        Finding(
            "events",
            row,
            "story_role",
            "every evidence span stands in a photo caption: story_role must be caption_only"
            if captioned
            else "story_role is caption_only, but evidence stands outside captions",
        )
        for row, captioned in zip(wrong, in_captions, strict=True)
    ]
