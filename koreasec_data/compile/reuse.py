"""What a build takes from the build cache (:mod:`koreasec_data.compile.cache`), and what
it keeps there for the next build.

An unchanged article's rows come from the pack, a slice of each table for a run of such
articles: ``CACHED`` rows when their own checks are known (their problems come from the
pack too), else ``READ`` rows, checked again. The evidence placed for its quotes of other
articles is taken as well when every text it quotes is given by the same article with the
same sha256; otherwise its quotes are placed again. What a build reads, places and
checks anew is kept with each article in the next pack.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from koreasec_data.compile.assemble import CACHED, ORIGIN, PLACED, READ
from koreasec_data.compile.cache import PLACED_TABLE, Pack, Packed, Staged
from koreasec_data.compile.parallel import runs_of
from koreasec_data.problems import Problem

__all__ = ["Kept", "Placement", "Reuse"]


@dataclass
class Placement:
    """The evidence placed for one article's quotes of other articles."""

    #: source_id -> (key of the article that gave it, sha256 of its text), for every
    #: source the article quotes besides its own.
    targets: dict[str, tuple[str, str]]
    #: Rows placed (in the pack's table :data:`~koreasec_data.compile.cache.PLACED_TABLE`).
    rows: int
    problems: list[Problem]
    reported: set[tuple[str, str]]
    #: The problems of the placed rows' own checks (None until they are checked).
    checked: list[Problem] | None = None


@dataclass
class Kept:
    """What the pack keeps with an article once its rows are checked."""

    #: The problems of its own rows' checks.
    checked: list[Problem]
    #: The evidence placed for its quotes of other articles (None: placed again).
    placement: Placement | None


@dataclass
class Reuse:
    """What the build cache gave this build, and what it keeps for the next."""

    #: Whether there is a cache to keep the articles for (else nothing is kept).
    keep: bool = True
    #: Every article of this build, in order, as the next pack holds it.
    articles: list[Packed] | None = field(default_factory=list)
    #: For each article, what the pack kept with it (its rows are then ``CACHED``), or
    #: None (its rows are checked in this build).
    kept: list[Kept | None] = field(default_factory=list)
    #: For each article, its number in the pack (None: read in this build).
    numbers: list[int | None] = field(default_factory=list)
    #: For each article, its quotes of other articles as placed (taken or placed anew).
    placements: list[Placement | None] = field(default_factory=list)
    #: The articles whose placed evidence was taken from the pack.
    taken: set[int] = field(default_factory=set)
    #: source_id -> (key of the article giving it, sha256 of its text); None for an
    #: article that is not cached.
    providers: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    #: The next pack, written but for what is kept; None: the pack is this build's already.
    staged: Staged | None = None
    #: A source_id given by more than one article: quotes may be checked against another
    #: article's text, so nothing is taken but rows, every row is checked, nothing kept.
    shared: bool = False
    #: The pack the cached articles came from, while its rows are taken.
    pack: Pack | None = None

    def gather(self, reader, key: str | None, result) -> None:
        """Add the problems, sources and waiting evidence of one article's result."""
        data = reader.data
        data.problems += result.problems
        data.reported |= result.reported
        reader.finder.waiting += result.waiting
        for source_id, source in result.sources.items():
            self.shared = self.shared or source_id in reader.sources
            reader.sources[source_id] = source
            data.text_files[source_id] = (source.file_name, source.sha256)
            self.providers[source_id] = (key, source.sha256) if key else None

    def gather_read(self, reader, key: str | None, result, rows: dict[str, int]) -> None:
        """Add an article read in this build (its rows are in the builders already)."""
        self.gather(reader, key, result)
        if self.keep:
            self.articles.append(Packed(key, dataclasses.replace(result, batches={}), rows))
            self.kept.append(None)
            self.numbers.append(None)

    def gather_run(self, reader, run) -> None:
        """Add a run of cached articles (a :class:`~koreasec_data.compile.parallel.CachedRun`),
        their rows a slice of the pack's tables at a time: the articles whose checks are
        known as ``CACHED`` rows, the others as ``READ``."""
        articles, kept = run.articles, run.pack.kept[run.first : run.first + run.count]
        numbers = [reader.file_number(packed.result.file) for packed in articles]
        start = 0
        for end in range(1, run.count + 1):
            if end < run.count and (kept[end] is None) == (kept[start] is None):
                continue
            kind = READ if kept[start] is None else CACHED
            shift = numbers[start] - (run.first + start)
            for name, rows in run.pack.rows(run.first + start, end - start).items():
                reader.data.builders[name].extend_rows(rows, shift, kind)
            start = end
        for packed in articles:
            self.gather(reader, packed.key, packed.result)
        self.pack = run.pack
        self.articles += articles
        self.kept += kept
        self.numbers += range(run.first, run.first + run.count)

    def unchanged(self) -> bool:
        """Whether this build's articles are the pack's, all with their checks known."""
        return (
            self.pack is not None
            and len(self.articles) == len(self.pack.articles)
            and all(a is b for a, b in zip(self.articles, self.pack.articles, strict=True))
            and all(kept is not None for kept in self.kept)
        )

    def take_placements(self, reader) -> None:
        """Take the evidence placed for cached articles' quotes of other articles whose
        texts are the same; their quotes no longer wait."""
        self.placements = [None] * len(self.kept)
        pack, self.pack = self.pack, None
        if pack is None or pack.placed is None or self.shared:
            return
        starts = [0]
        for kept in pack.kept:
            starts.append(starts[-1] + (kept.placement.rows if kept and kept.placement else 0))
        taken: list[int | None] = []
        for kept, number in zip(self.kept, self.numbers, strict=True):
            placement = kept.placement if kept is not None else None
            same = placement is not None and all(
                self.providers.get(source_id) == target
                for source_id, target in placement.targets.items()
            )
            taken.append(number if same else None)
        builder = reader.data.builders["evidence"]
        for first, number, count in runs_of(taken):  # a slice of the pack's rows per run
            rows = pack.placed.slice(starts[number], starts[number + count] - starts[number])
            builder.extend_rows(rows, first - number, CACHED)
            for article in range(first, first + count):
                placement = pack.kept[taken[article]].placement
                reader.data.problems += placement.problems
                reader.data.reported |= placement.reported
                self.placements[article] = placement
                self.taken.add(article)
        files = {reader.data.files[article] for article in self.taken}
        reader.finder.waiting = [w for w in reader.finder.waiting if w[0].file not in files]

    def keep_placements(self, reader, waiting, placed_rows, problems, reported) -> None:
        """Keep the evidence just placed for each article's quotes of other articles
        (``waiting``: the items that waited; ``placed_rows``: the evidence rows added since
        they were; ``problems``: the problems found placing them; ``reported``: the
        records reported, by file), for the next pack."""
        import pyarrow.compute as pc

        articles = len(self.kept)
        quoted: dict[int, set[str]] = defaultdict(set)
        number_of = reader.file_numbers
        for item, _, _ in waiting:
            quoted[number_of.get(item.file, articles)].add(item.source_id)
        counts = defaultdict(int)
        for number in placed_rows.column(ORIGIN[0]).to_pylist():
            counts[number] += 1
        found: dict[int, list[Problem]] = defaultdict(list)
        for problem in problems:
            found[number_of.get(problem.where, articles)].append(problem)
        records: dict[int, set] = defaultdict(set)
        for file, record in reported:
            records[number_of.get(file, articles)].add(record)
        for article in range(articles):
            if article in self.taken:
                continue
            targets = {source_id: self.providers.get(source_id) for source_id in quoted[article]}
            if self.shared or None in targets.values():
                continue  # quotes of a text that is not cached: placed again next time
            self.placements[article] = Placement(
                targets, counts[article], found[article], records[article]
            )
        if self.staged is not None:  # the rows of the placements kept, an article's together
            import pyarrow as pa

            kept = [n for n, placement in enumerate(self.placements) if placement is not None]
            files = placed_rows.column(ORIGIN[0])
            placed_rows = placed_rows.filter(pc.is_in(files, pa.array(kept, pa.int32())))
            order = pc.sort_indices(placed_rows, [(ORIGIN[0], "ascending")])  # stable
            self.staged.write_tables({PLACED_TABLE: placed_rows.take(order)})

    def unchecked(self, origins: dict[str, Any]) -> dict[str, Any] | None:
        """The rows of each table (``origins``: as the tables were sorted) to check on
        their own: all but the ``CACHED`` ones; None: every row."""
        import pyarrow.compute as pc

        if self.shared:
            return None
        return {
            name: pc.indices_nonzero(pc.not_equal(origin.column(ORIGIN[2]), CACHED))
            for name, origin in origins.items()
        }

    def keep_checks(self, checked: list[tuple[Problem, tuple[int, int] | None]]) -> list[Problem]:
        """Keep the problems of the rows checked on their own now (``checked``: each with
        its row's file number and kind, or None) with their articles in the next pack;
        return the problems of the rows not checked again, kept with theirs."""
        own, placed = defaultdict(list), defaultdict(list)
        for problem, origin in checked:
            if origin is not None and origin[1] == READ:
                own[origin[0]].append(problem)
            elif origin is not None and origin[1] == PLACED and origin[0] < len(self.kept):
                placed[origin[0]].append(problem)  # evidence placed for an article's quote
        if self.staged is not None:
            self.staged.commit(self._next_kept(own, placed))
        return self._carried()

    def _next_kept(self, own: dict[int, list[Problem]], placed: dict[int, list[Problem]]):
        """What the next pack keeps with each article, given the problems of this build's
        checks of its own rows (``own``) and of the evidence placed for it (``placed``)."""
        if self.shared:
            return [None] * len(self.kept)
        result = []
        for article, kept in enumerate(self.kept):
            placement = self.placements[article]
            if placement is not None and article not in self.taken:
                placement.checked = placed.get(article, [])
            checked = kept.checked if kept is not None else own.get(article, [])
            result.append(Kept(checked, placement))
        return result

    def _carried(self) -> list[Problem]:
        """The problems of the rows not checked again: kept with their articles."""
        if self.shared:
            return []
        problems = [p for kept in self.kept if kept is not None for p in kept.checked]
        for article in self.taken:
            problems += self.placements[article].checked or []
        return problems
