"""Every article's result, in the order of the files: from the build cache where its
inputs are unchanged, read by a pool of worker processes (or in this process) where not.

Articles are independent (:mod:`koreasec_data.compile.article`), so they are read by as
many processes as there are cores; every result, cached or read by a worker, reaches
the build as :meth:`ArticleResult.encode` bytes, so all paths give the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from koreasec_data.compile.article import ArticleReader, ArticleResult
from koreasec_data.compile.cache import BuildCache
from koreasec_data.compile.evidence.checks import source_texts
from koreasec_data.schemas import Table

__all__ = ["MIN_ARTICLES_PER_PROCESS", "article_results", "processes_for"]

#: A worker process takes about half a second to start (it imports pyarrow and PyYAML),
#: the time of reading about a hundred articles: a process is started for every 200
#: articles to read, up to one per core, so that starting costs at most half the gain.
MIN_ARTICLES_PER_PROCESS = 200
#: Articles sent to a worker at a time: few round trips, yet an even share at the end.
CHUNK_ARTICLES = 32

_worker: tuple[ArticleReader, BuildCache | None] | None = None


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
    """Read one article; store its entry. Return (key, encoded result)."""
    try:
        content = path.read_bytes()
    except OSError:  # reported by the reader, which tries again
        content = None
    result = reader.read(path, content)
    encoded = result.encode()
    key = None
    if cache is not None and content is not None and result.cacheable:
        key = cache.key(result.file, content)
        cache.put(key, encoded)
    return key, encoded


def _start_worker(root: Path, schemas: dict[str, Table], cache: BuildCache | None) -> None:
    global _worker
    gc.disable()  # as in read_raw: parsing makes no reference cycles
    _worker = (ArticleReader(root, schemas), cache)


def _read_in_worker(path: Path):
    return _read(*_worker, path)


def _cached(reader: ArticleReader, cache: BuildCache, key: str) -> ArticleResult | None:
    """The cached result under ``key``, if intact and its texts unchanged."""
    encoded = cache.get(key)
    if encoded is None:
        return None
    result = ArticleResult.decode(encoded, reader.builders)
    files = {key: (source.file_name, source.sha256) for key, source in result.sources.items()}
    text_of = source_texts(reader.root, files)
    if any(text_of(source_id) is None for source_id in files):  # gone, or changed since
        return None
    return result


def article_results(
    root: Path,
    schemas: dict[str, Table],
    paths: list[Path],
    cache: BuildCache | None = None,
    workers: int | None = 1,
) -> Iterator[ArticleResult]:
    """Yield the result of each article file of ``paths``, in order.

    ``cache``: where results are looked up and stored (None: neither); ``workers``: as
    for :func:`processes_for`.
    """
    reader = ArticleReader(root, schemas)
    keys: dict[int, str] = {}
    if cache is not None:
        for number, path in enumerate(paths):
            try:
                key = cache.key(path.relative_to(root).as_posix(), path.read_bytes())
            except OSError:
                continue
            if cache.path(key).is_file():
                keys[number] = key
    unread = [path for number, path in enumerate(paths) if number not in keys]
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
        for number, path in enumerate(paths):
            key = keys.get(number)
            result = _cached(reader, cache, key) if key else None
            if result is None:  # not cached, or the entry or its text is not the same
                key, encoded = _read(reader, cache, path) if key else next(read)
                result = ArticleResult.decode(encoded, reader.builders)
            if key is not None:
                cache.used.add(key)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
