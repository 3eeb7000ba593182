"""Read ``raw/`` (curators' YAML and the article texts) into rows for every table.

Each article file is read on its own (:mod:`koreasec_data.compile.article`), in worker
processes or taken from the build cache (:mod:`koreasec_data.compile.parallel`); the
results are gathered here in the order of the files, without their texts; then the
agreement figures and the actor registry are read. Evidence quoting another article
waited, and is placed once every source is known, a source at a time, each text read
again: no more than one text is held at once. Rows keep only their file and line;
problems found later in the tables are placed by reading that file again
(:class:`koreasec_data.compile.rawyaml.LineIndex`).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from koreasec_data.compile.assemble import TableBuilder
from koreasec_data.compile.cache import BuildCache
from koreasec_data.compile.evidence.checks import source_texts
from koreasec_data.compile.parallel import CachedRun, article_results
from koreasec_data.compile.reader import AGREEMENT_TABLES, RawData, RecordReader
from koreasec_data.compile.reuse import Reuse
from koreasec_data.schemas import Table

__all__ = ["RawData", "read_raw"]


def read_raw(
    root: Path,
    schemas: dict[str, Table],
    cache: BuildCache | None = None,
    workers: int | None = 1,
) -> RawData:
    """Read ``root/raw``: ``actors.yaml``, ``articles/*.yaml`` and ``sources/*.txt``.

    Returns every row that could be read, and the problems with those that could not.
    ``cache`` and ``workers``: see :func:`koreasec_data.compile.parallel.article_results`.
    """
    # Parsing makes millions of containers, none in a reference cycle, and the cyclic
    # collector runs after every few hundred: it made parsing 1.7x slower (benchmarks/).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_raw(Path(root), schemas, cache, workers)
    finally:
        if enabled:
            gc.enable()


def _gather(reader: RecordReader, reuse: Reuse, read) -> None:
    """Add one article's (key, result), or a run of cached articles, to what was read."""
    if isinstance(read, CachedRun):
        reuse.gather_run(reader, read)
        return
    key, result = read
    number = reader.file_number(result.file)
    for name, batch in result.batches.items():
        reader.data.builders[name].extend(batch, number)
    rows = {name: batch.num_rows for name, batch in result.batches.items()}
    reuse.gather_read(reader, key, result, rows)


def _read_raw(root: Path, schemas: dict[str, Table], cache, workers) -> RawData:
    reader = RecordReader(root, schemas, {name: TableBuilder(schemas[name]) for name in schemas})
    raw = root / "raw"
    try:
        os.listdir(raw)
    except OSError as error:  # missing, not a folder, a link loop, no permission
        reader.problem("raw", None, "", f"raw/ cannot be read: {error.strerror or error}")
        return reader.finish()
    articles = sorted((raw / "articles").glob("*.yaml"))
    if not articles:
        reader.problem(
            "raw/articles", None, "", "no article files (*.yaml) found: nothing to build"
        )
    reuse = Reuse(keep=cache is not None)
    for read in article_results(root, schemas, articles, cache, workers):
        _gather(reader, reuse, read)
    evidence = reader.data.builders["evidence"]
    if cache is not None:
        placed_from = evidence.num_rows()  # the rows placed after the articles'
        reader.data.reuse = reuse
        if not reuse.unchanged():
            tables = {name: builder.rows_so_far() for name, builder in reader.data.builders.items()}
            reuse.staged = cache.stage(reuse.articles, tables)
        reuse.articles = None  # pickled: not held while sorting
        reuse.take_placements(reader)
    for table in AGREEMENT_TABLES:
        path = raw / "agreement" / f"{table}.yaml"
        if path.is_file():
            reader.records(path, table)
    actors = raw / "actors.yaml"
    if actors.is_file():
        reader.actors(actors)  # their quotes wait too: no text is held here
    else:
        reader.problem("raw/actors.yaml", None, "", "the actor registry is missing")
    waiting, problems_from = list(reader.finder.waiting), len(reader.finder.problems)
    reported = reader.place_waiting(source_texts(root, reader.data.text_files))
    if cache is not None:
        placed = evidence.rows_so_far().slice(placed_from)
        problems = reader.finder.problems[problems_from:]
        reuse.keep_placements(reader, waiting, placed, problems, reported)
    return reader.finish()
