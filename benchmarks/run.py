"""Benchmark the build at growing corpus sizes and print the figures as Markdown tables.

``python -m benchmarks.run [--sizes 2,200,2000] [--full] [--repeat 3]`` generates one
synthetic corpus per size (:mod:`benchmarks.generate`), then, each in a fresh process
(:mod:`benchmarks.measure`): builds it ``--repeat`` times in one process, three times
with a process per core, once filling the build cache and once more after one article
is edited (against a clean build of the edited corpus), validates the package with
``validate_package`` and with the ``frictionless`` command, and compares
``koreasec_data.load`` with plain pyarrow and pandas readers. Medians are printed,
with the goals of the issue and whether each is met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import REPOSITORY, generate
from benchmarks.report import report
from koreasec_data.hashes import file_sha256

__all__ = ["main", "measure_size"]

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
#: Skip the frictionless command where it is predicted to take longer than this.
FRICTIONLESS_LIMIT = 600.0
#: Sizes from which a single build is timed instead of ``--repeat``.
LARGE = 20_000
#: About a million rows: the size at which the issue sets the validation goal.
MILLION_ROWS = 6_200
IMPORT_RUNS = 20
#: Clean builds with a process per core, per size: the memory goal holds in each of three.
PARALLEL_RUNS = 3


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], **options: Any) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``command``; return it with its wall time and CPU time (user + system)."""
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, **options)
    return done, time.perf_counter() - wall, _children_cpu() - cpu


def worker(*arguments: str) -> dict[str, Any]:
    """Run one :mod:`benchmarks.measure` command in a new process; add the process's times.

    The files the previous measurement wrote are flushed to disk first (``os.sync``), so
    that no measurement pays for writing another's (a filled build cache is 0.8 GB).
    """
    command = [sys.executable, "-m", "benchmarks.measure", *arguments]
    os.sync()
    done, wall, cpu = _run(command, cwd=REPOSITORY)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    result.update(process_wall=wall, process_cpu=cpu)
    return result


def _median(runs: list[dict[str, Any]], *keys: str) -> float:
    values = []
    for run in runs:
        for key in keys:
            run = run[key]
        values.append(run)
    return statistics.median(values)


def _predict(history: list[tuple[int, float]], rows: int) -> float | None:
    """Extrapolate the frictionless time linearly in rows from the last two sizes measured
    (from one, in proportion to the rows: with ``--sizes 2000,20000`` it ran unbounded).

    Examples
    --------
    >>> _predict([], 10), _predict([(100, 2.0)], 1000), _predict([(100, 2.0), (200, 3.0)], 400)
    (None, 20.0, 5.0)
    """
    if not history:
        return None
    if len(history) == 1:
        (rows1, time1), *_ = history
        return time1 * rows / rows1
    (rows0, time0), (rows1, time1) = history[-2:]
    slope = (time1 - time0) / (rows1 - rows0) if rows1 != rows0 else time1 / rows1
    return time1 + slope * (rows - rows1)


def frictionless(out: Path, repeat: int, predicted: float | None) -> dict[str, Any]:
    """Time ``frictionless validate datapackage.json``, or skip it if predicted too slow."""
    if predicted is not None and predicted > FRICTIONLESS_LIMIT:
        return {"skipped": True, "predicted": predicted}
    walls, cpus, valid = [], [], True
    for _ in range(1 if predicted is not None and predicted > 60 else repeat):
        done, wall, cpu = _run([str(FRICTIONLESS), "validate", str(out / "datapackage.json")])
        walls.append(wall)
        cpus.append(cpu)
        valid &= done.returncode == 0
    median = statistics.median
    return {"skipped": False, "wall": median(walls), "cpu": median(cpus), "valid": valid}


def digest(directory: Path) -> dict[str, str]:
    """sha256 of every file of a built package, by name."""
    return {path.name: file_sha256(path) for path in sorted(directory.iterdir())}


def edit_one_article(root: Path) -> tuple[Path, bytes]:
    """Edit the data of one article as a curator would (the first summary of the middle
    file); return the file and its bytes before."""
    articles = sorted((root / "raw" / "articles").glob("*.yaml"))
    path = articles[len(articles) // 2]
    before = path.read_bytes()
    edited = before.replace(b"summary: '", b"summary: 'Edited: ", 1)
    if edited == before:
        raise RuntimeError(f"{path}: no summary to edit")
    path.write_bytes(edited)
    return path, before


def measure_reuse(root: Path, serial: Path) -> dict[str, Any]:
    """Clean builds with a process per core; a build filling the cache; the rebuild after
    one article is edited, against a clean build of the edited corpus. ``serial``: the
    package built in one process, whose bytes every build must have (but the edited)."""
    out, cache = root / "build-parallel", root.parent / f"{root.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    parallel = [worker("build", str(root), str(out), "auto") for _ in range(PARALLEL_RUNS)]
    same = {"parallel": digest(out) == digest(serial)}
    cold = worker("build", str(root), str(out), "auto", str(cache))
    same["cold"] = digest(out) == digest(serial)
    path, before = edit_one_article(root)
    try:
        incremental = worker("build", str(root), str(out), "auto", str(cache))
        edited = worker("build", str(root), str(root / "build-edited"), "auto")
    finally:
        path.write_bytes(before)
    same["incremental"] = digest(out) == digest(root / "build-edited")
    return {
        "parallel": parallel,
        "cold": cold,
        "incremental": incremental,
        "edited": edited,
        "same": same,
    }


def measure_size(articles: int, workdir: Path, args, history) -> dict[str, Any]:
    """Generate the corpus of one size and take every measurement on it."""
    root, repeat = workdir / f"n{articles}", args.repeat if articles < LARGE else 1
    start = time.perf_counter()
    if not root.exists():
        generate(root, articles, args.seed)
    generated = time.perf_counter() - start
    out, load = root / "build", os.getloadavg()[0]
    builds = [worker("build", str(root), str(out)) for _ in range(repeat)]
    validations = [worker("validate", str(root), str(out)) for _ in range(repeat)]
    rows = builds[0]["rows"]
    typical = sorted(builds, key=lambda run: run["total_cpu"])[len(builds) // 2]
    checked = frictionless(out, repeat, _predict(history, rows))
    if not checked["skipped"]:
        history.append((rows, checked["wall"]))
    return {
        "articles": articles,
        "runs": repeat,
        "generate": generated,
        "rows": rows,
        **{key: typical[key] for key in ("cpu", "wall", "total", "total_cpu")},
        "arrow_bytes": builds[0]["arrow_bytes"],
        "rss_base": _median(builds, "rss_base"),
        "rss_peak": _median(builds, "rss_peak"),
        "validate": {key: _median(validations, key) for key in validations[0]},
        "frictionless": checked,
        "load": worker("load", str(out)),
        "reuse": measure_reuse(root, out),
        "loadavg": (load, os.getloadavg()[0]),
    }


def import_times(runs: int = IMPORT_RUNS) -> dict[str, float]:
    """Median wall and CPU time of ``python -c "import koreasec_data"`` and ``python -c pass``."""
    times: dict[str, list[float]] = {
        key: [] for key in ("import", "pass", "import_cpu", "pass_cpu")
    }
    for _ in range(runs):
        for name, code in (("import", "import koreasec_data"), ("pass", "pass")):
            _, wall, cpu = _run([sys.executable, "-c", code], cwd=tempfile.gettempdir())
            times[name].append(wall)
            times[f"{name}_cpu"].append(cpu)
    return {name: statistics.median(values) for name, values in times.items()}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import pandas
    import pandera
    import pyarrow

    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        memory = int(meminfo.readline().split()[1]) * 1024
    revision = subprocess.run(
        ["git", "-C", str(REPOSITORY), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": f"pyarrow {pyarrow.__version__}, pandas {pandas.__version__}, "
        f"pandera {pandera.__version__}",
        "revision": revision or "unknown",
    }


def _arguments(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated article counts (default 2,200,2000)")
    parser.add_argument("--full", action="store_true", help="add 6200 and 20000 articles")
    parser.add_argument("--repeat", type=int, default=3, help="builds per size (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--workdir", type=Path, help="keep corpora here (default: temporary)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in (args.sizes or "2,200,2000").split(",")]
    extra = [MILLION_ROWS, LARGE] if args.full else []
    args.sizes = sorted(set(sizes + extra))
    return args


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the report."""
    args = _arguments(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="koreasec-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    history: list[tuple[int, float]] = []
    results = {"machine": machine(), "sizes": []}
    try:
        for articles in args.sizes:
            print(f"measuring {articles} articles ...", file=sys.stderr, flush=True)
            results["sizes"].append(measure_size(articles, workdir, args, history))
        results["imports"] = import_times()
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
