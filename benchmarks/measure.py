"""One measurement in a fresh process, printed as JSON (run by :mod:`benchmarks.run`).

``python -m benchmarks.measure build ROOT OUT [WORKERS [CACHE]]`` builds ``ROOT`` into
``OUT`` (with ``WORKERS`` processes, ``auto`` for one per core, default 1, and the build
cache folder ``CACHE``, default none) and reports the time of each stage, rows, Arrow
bytes and peak memory, of this process and of the whole tree with the process pool
(sampled); ``validate ROOT OUT`` times
``validate_package``; ``load OUT`` times ``koreasec_data.load`` against plain
pyarrow and pandas readers. Heavy libraries are imported before any clock starts, so
the figures are the work itself; peak memory is ``ru_maxrss`` of this process.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import resource
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main", "measure_build", "measure_load", "measure_validate"]

#: (module, function) pairs timed during a build; nested ones are subtracted below.
#: ``to_batch`` (rows to Arrow, as they are read) and ``finish`` (sorting) are the
#: assembly.
STAGES = (
    ("koreasec_data.compile.raw", "read_raw"),
    ("koreasec_data.compile.reader", "load_yaml"),
    ("koreasec_data.compile.evidence.text", "locate"),
    ("koreasec_data.compile.assemble", "to_batch"),
    ("koreasec_data.compile.assemble", "TableBuilder.finish"),
    ("koreasec_data.compile.build", "table_problems"),
    ("koreasec_data.compile.datapackage", "write_parquet"),
    ("koreasec_data.compile.build", "_describe"),
)
#: Seconds between two samples of the memory of the build's process tree.
SAMPLE_SECONDS = 0.02
#: Rounds of ``LOAD_CALLS`` calls per reader and table; the fastest round counts.
LOAD_ROUNDS = 11
LOAD_CALLS = 3


def _preload() -> None:
    """Import everything a build or validation imports, before timing starts, with the
    allocator's options a build sets before it loads pyarrow (so they still apply)."""
    from koreasec_data.compile.assemble import JEMALLOC_OPTIONS

    os.environ.setdefault(*JEMALLOC_OPTIONS)
    import frictionless  # noqa: F401
    import pandas  # noqa: F401
    import pandera.backends.pandas.builtin_checks  # else imported at the first check
    import pandera.pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import yaml  # noqa: F401

    import koreasec_data.compile.assemble
    import koreasec_data.compile.build
    import koreasec_data.compile.datapackage
    import koreasec_data.compile.evidence.text
    import koreasec_data.compile.raw
    import koreasec_data.compile.reader
    import koreasec_data.compile.validate  # noqa: F401


def peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _size(pid: int, file: str, fields: tuple[str, ...]) -> int:
    """The sum of ``fields`` (KiB) in ``/proc/PID/file``, in bytes."""
    with open(f"/proc/{pid}/{file}", encoding="ascii") as sizes:
        return sum(int(line.split()[1]) * 1024 for line in sizes if line.startswith(fields))


def _descendants(pid: int) -> list[int]:
    """The processes started by process ``pid``, by its children and so on (Linux /proc)."""
    found = []
    with contextlib.suppress(OSError):  # it ended while it was read: its children are gone
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in map(int, children.read().split()):
                    found += [child, *_descendants(child)]
    return found


#: The fields of ``/proc/PID/smaps_rollup`` that count the pages only that process maps.
PRIVATE = ("Private_Clean:", "Private_Dirty:")


def _tree_memory(pid: int) -> list[tuple[int, int]]:
    """(pid, bytes) of process ``pid`` and of every descendant, now: its resident size, and
    theirs that only they map (USS: their private pages), so that a page they share with
    it counts once; a process that ended while it was read is left out.

    Resident sizes would count a shared page in every process: a child forked by the
    build shares all of the build's pages until it execs (pandera's import of hypothesis,
    with trio installed, runs ``ldconfig`` that way), and a sum of RSS showed the build
    twice; the build's own pages still count twice for a child started by vfork (the
    same address space) until it execs, so that import is made before the build
    (:func:`_preload`). A page shared by descendants only is not counted (none here: the
    workers are spawned, and share only the libraries, which the build maps too).
    """
    try:
        processes = [(pid, _size(pid, "status", ("VmRSS:",)))]
    except OSError:  # the process ended while it was read
        return []
    for child in _descendants(pid):
        with contextlib.suppress(OSError):
            processes.append((child, _size(child, "smaps_rollup", PRIVATE)))
    return processes


class TreeMemory(threading.Thread):
    """Sample the memory of this process and its descendants (:func:`_tree_memory`); keep
    the peak, and the processes summed at the peak (a pid twice would be counted twice)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.at_peak, self.done = _tree_memory(os.getpid()), threading.Event()
        self.peak = sum(size for _, size in self.at_peak)
        self.started, self.peak_after = time.perf_counter(), 0.0

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            processes = _tree_memory(os.getpid())
            total = sum(size for _, size in processes)
            if total > self.peak:
                self.peak, self.at_peak = total, processes
                self.peak_after = time.perf_counter() - self.started

    def stop(self) -> int:
        self.done.set()
        self.join()
        return max(self.peak, peak_rss())  # ru_maxrss of this process catches a short peak


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wrap(spent: dict[str, Counter], name: str, function: Callable, keep: list | None):
    """Wrap ``function`` to add its wall and CPU time to ``spent``; keep results in ``keep``."""

    @functools.wraps(function)
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            result = function(*args, **kwargs)
        finally:
            spent["wall"][name] += time.perf_counter() - wall
            spent["cpu"][name] += time.thread_time() - cpu
            spent["calls"][name] += 1
        if keep is not None:
            keep.append(result)
        return result

    return timed


def measure_build(
    root: Path, out: Path, workers: str = "1", cache: Path | None = None
) -> dict[str, Any]:
    """Build ``root`` into ``out`` with every stage of :data:`STAGES` timed.

    Stage times are wall and CPU seconds (``time.thread_time``: of the thread that ran
    the stage, so ``write_parquet``, run by a thread while the tables are checked, is
    not counted in the checks too; nor is the reading the workers do); ``read_raw``
    excludes the YAML parsing, quote location and batching nested in it.
    ``children_cpu`` is the CPU time of the worker processes.
    """
    _preload()
    from koreasec_data.compile.build import build

    spent = {"wall": Counter(), "cpu": Counter(), "calls": Counter()}
    finished: list = []
    for module_name, path in STAGES:
        owner, _, name = path.rpartition(".")
        owner = getattr(sys.modules[module_name], owner) if owner else sys.modules[module_name]
        keep = finished if name == "finish" else None
        setattr(owner, name, _wrap(spent, name, getattr(owner, name), keep))
    base, children = peak_rss(), _children_cpu()
    tree = TreeMemory()
    tree.start()
    wall, cpu = time.perf_counter(), time.process_time()
    processes = None if workers == "auto" else int(workers)
    build(root, out, say=lambda message: None, cache=cache, workers=processes)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tree_peak = tree.stop()
    for clock in ("wall", "cpu"):
        nested = ("locate", "load_yaml", "to_batch")
        spent[clock]["read_raw"] -= sum(spent[clock][name] for name in nested)
        spent[clock]["assemble"] = spent[clock].pop("to_batch", 0) + spent[clock].pop("finish", 0)
    return {
        **{key: dict(counter) for key, counter in spent.items()},
        "total": wall,
        "total_cpu": cpu,
        "rows": sum(table.num_rows for table, _ in finished),
        "arrow_bytes": sum(table.nbytes for table, _ in finished),
        "rss_base": base,
        "rss_peak": peak_rss(),
        "tree_peak": tree_peak,  # see _tree_memory; never below rss_peak
        "tree_at_peak": tree.at_peak,  # [pid, bytes] of each process summed
        "tree_peak_after": tree.peak_after,  # seconds into the build
        "children_cpu": _children_cpu() - children,
    }


def measure_validate(root: Path, out: Path) -> dict[str, Any]:
    """Time ``validate_package`` on a built package (quotes checked against ``root``)."""
    _preload()
    from koreasec_data.compile.validate import validate_package

    wall, cpu = time.perf_counter(), time.process_time()
    validate_package(out, root, say=lambda message: None)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"total": wall, "total_cpu": cpu, "rss_peak": peak_rss()}


def _per_call(function: Callable[[], Any]) -> float:
    start = time.perf_counter()
    for _ in range(LOAD_CALLS):
        function()
    return (time.perf_counter() - start) / LOAD_CALLS


def measure_load(out: Path) -> dict[str, Any]:
    """Seconds per call of each reader on each table: the fastest of interleaved rounds.

    As with ``timeit``, the minimum is the estimate least disturbed by other processes.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    import koreasec_data

    tables = koreasec_data.tables(out)
    readers = {
        "load_arrow": lambda name: koreasec_data.load(name, "arrow", directory=out),
        "read_table": lambda name: pq.read_table(out / f"{name}.parquet"),
        "load_pandas": lambda name: koreasec_data.load(name, directory=out),
        "read_parquet": lambda name: pd.read_parquet(out / f"{name}.parquet"),
        "read_parquet_arrow": lambda name: pd.read_parquet(
            out / f"{name}.parquet", dtype_backend="pyarrow"
        ),
    }
    times: dict[str, dict[str, list[float]]] = {reader: {} for reader in readers}
    order = list(readers.items())
    for _ in range(LOAD_ROUNDS):
        order.reverse()  # alternate which reader goes first: no reader always follows another
        for name in tables:
            for reader, read in order:
                times[reader].setdefault(name, []).append(_per_call(lambda: read(name)))  # noqa: B023
    return {
        reader: {name: min(values) for name, values in by_table.items()}
        for reader, by_table in times.items()
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: ``build ROOT OUT [WORKERS [CACHE]]``, ``validate ROOT OUT`` or
    ``load OUT``."""
    command, *arguments = argv if argv is not None else sys.argv[1:]
    if command == "build":
        root, out, *options = arguments
        workers = options[0] if options else "1"
        cache = Path(options[1]).resolve() if len(options) > 1 else None
        print(json.dumps(measure_build(Path(root).resolve(), Path(out).resolve(), workers, cache)))
        return
    paths = [Path(path).resolve() for path in arguments]
    measure = {"validate": measure_validate, "load": measure_load}
    print(json.dumps(measure[command](*paths)))


if __name__ == "__main__":
    main()
