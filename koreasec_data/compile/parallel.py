"""Every article's result, in the order of the files: runs of unchanged articles from
the build cache, the others read by a pool of worker processes (or in this process).

Articles are independent (:mod:`koreasec_data.compile.article`), so they are read by as
many processes as there are cores; every result read reaches the build as
:meth:`ArticleResult.encode` bytes, so all paths give the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from koreasec_data.compile.article import ArticleReader, ArticleResult
from koreasec_data.compile.cache import BuildCache, Pack
from koreasec_data.compile.evidence.text import source_file
from koreasec_data.hashes import file_sha256
from koreasec_data.schemas import Table

__all__ = ["MIN_ARTICLES_PER_PROCESS", "CachedRun", "article_results", "processes_for", "runs_of"]

#: A worker process takes about half a second to start (it imports pyarrow and PyYAML),
#: the time of reading about a hundred articles: a process is started for every 200
#: articles to read, up to one per core, so that starting costs at most half the gain.
MIN_ARTICLES_PER_PROCESS = 200
#: Articles sent to a worker at a time: few round trips, yet an even share at the end.
CHUNK_ARTICLES = 32

_worker: tuple[ArticleReader, BuildCache | None] | None = None


@dataclass
class CachedRun:
    """Consecutive articles taken from the cache: articles ``first`` onwards of the pack."""

    pack: Pack
    first: int
    count: int

    @property
    def articles(self):
        return self.pack.articles[self.first : self.first + self.count]


def processes_for(articles: int, workers: int | None) -> int:
    """The processes to read ``articles`` with: ``workers`` if given (1: this process),
    else one per core, each with at least :data:`MIN_ARTICLES_PER_PROCESS` articles.

    Examples
    --------
    >>> processes_for(20_000, 3), processes_for(2, 2), processes_for(50, None)
    (3, 2, 1)
    """
    if workers is not None:
        return max(1, min(workers, articles))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, articles // MIN_ARTICLES_PER_PROCESS))


def _read(reader: ArticleReader, cache: BuildCache | None, path: Path):
    """Read one article. Return (its key, or None if it is not to be cached; the result
    encoded)."""
    try:
        content = path.read_bytes()
    except OSError:  # reported by the reader, which tries again
        content = None
    result = reader.read(path, content)
    key = None
    if cache is not None and content is not None and result.cacheable:
        key = cache.key(result.file, content)
    return key, result.encode()


def _start_worker(root: Path, schemas: dict[str, Table], cache: BuildCache | None) -> None:
    global _worker
    gc.disable()  # as in read_raw: parsing makes no reference cycles
    _worker = (ArticleReader(root, schemas), cache)


def _read_in_worker(path: Path):
    return _read(*_worker, path)


def _texts_unchanged(root: Path, result: ArticleResult) -> bool:
    """Whether every text ``result`` was read with is still in raw/sources, unchanged."""
    folder = root / "raw" / "sources"
    for source in result.sources.values():
        try:
            if file_sha256(source_file(folder, source.file_name)) != source.sha256:
                return False
        except (OSError, ValueError):
            return False
    return True


def _reusable(root: Path, cache: BuildCache, pack: Pack, paths: list[Path]) -> list[int | None]:
    """For each path, the number in ``pack`` of its article, if it can be reused."""

    def number_of(path: Path) -> int | None:
        try:
            number = pack.number.get(
                cache.key(path.relative_to(root).as_posix(), path.read_bytes())
            )
        except OSError:
            return None
        if number is None or not _texts_unchanged(root, pack.articles[number].result):
            return None
        return number

    return [number_of(path) for path in paths]  # threads made it slower (the GIL)


def runs_of(numbers: list[int | None]) -> list[tuple[int, int, int]]:
    """(first path, first number in the pack, count) of each run of reusable articles
    that are consecutive in the pack too.

    Examples
    --------
    >>> runs_of([0, 1, None, 3, 5, 6])
    [(0, 0, 2), (3, 3, 1), (4, 5, 2)]
    """
    runs: list[tuple[int, int, int]] = []
    for position, number in enumerate(numbers):
        if number is None:
            continue
        if runs and runs[-1][0] + runs[-1][2] == position and runs[-1][1] + runs[-1][2] == number:
            first, start, count = runs[-1]
            runs[-1] = (first, start, count + 1)
        else:
            runs.append((position, number, 1))
    return runs


def article_results(
    root: Path,
    schemas: dict[str, Table],
    paths: list[Path],
    cache: BuildCache | None = None,
    workers: int | None = 1,
) -> Iterator[tuple[str | None, ArticleResult] | CachedRun]:
    """Yield, in the order of ``paths``, each article file's key (None: not to be cached)
    and result, or a :class:`CachedRun` of consecutive articles taken from the cache.

    ``cache``: where unchanged articles are looked up (None: nowhere); ``workers``: as
    for :func:`processes_for`.
    """
    reader = ArticleReader(root, schemas)
    pack = cache.load() if cache is not None else None
    numbers = _reusable(root, cache, pack, paths) if pack else [None] * len(paths)
    if pack is not None and pack.tables() is None:  # its rows are not the ones recorded
        numbers = [None] * len(paths)
    runs = {first: CachedRun(pack, start, count) for first, start, count in runs_of(numbers)}
    unread = [path for path, number in zip(paths, numbers, strict=True) if number is None]
    processes = processes_for(len(unread), workers)
    pool = None
    if processes > 1:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        pool = ProcessPoolExecutor(processes, context, _start_worker, (root, schemas, cache))
    try:
        if pool is not None:
            read = pool.map(_read_in_worker, unread, chunksize=CHUNK_ARTICLES)
        else:
            read = (_read(reader, cache, path) for path in unread)
        for position, number in enumerate(numbers):
            if position in runs:
                yield runs[position]
            elif number is None:
                key, encoded = next(read)
                yield key, ArticleResult.decode(encoded, reader.builders)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
