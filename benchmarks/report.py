"""Format the results of :mod:`benchmarks.run` as Markdown tables, goals included."""

from __future__ import annotations

import statistics
from typing import Any

__all__ = ["GOALS", "report", "table"]

#: The issue's goals: ratio to the plain reader (or to ``python -c pass``).
GOALS = {"load_arrow": 1.1, "load_pandas": 1.2, "import": 1.3}
#: Peak memory of the build of this many articles (its process tree, the process pool
#: included, in each clean build with a process per core), in Arrow sizes of its tables.
MEMORY_GOAL, MEMORY_GOAL_ARTICLES = 2.5, 20_000
#: A clean build with a process per core, in wall time of one in a single process.
PARALLEL_GOAL = 0.6
#: The rebuild after one article is edited, in wall time of a clean build.
INCREMENTAL_GOAL = 0.10
#: frictionless time over ours, at about a million rows (from 900,000 rows up).
VALIDATION_GOAL, VALIDATION_ROWS = 50.0, 900_000
#: Build CPU time per article may vary this much between sizes (from 200 articles up)
#: and still count as linear.
LINEAR_SPREAD = 1.25
MIB = 2**20
STAGES = {
    "load_yaml": "parse YAML",
    "read_raw": "read raw, rest",
    "locate": "locate quotes",
    "assemble": "assemble",
    "table_problems": "check",
    "write_parquet": "write Parquet",
    "_describe": "write metadata",
}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """Return a Markdown table.

    Examples
    --------
    >>> print(table(["a", "b"], [[1, 2]]))
    | a | b |
    | --- | --- |
    | 1 | 2 |
    """
    lines = [headers, ["---"] * len(headers), *rows]
    return "\n".join("| " + " | ".join(str(cell) for cell in line) + " |" for line in lines)


def _met(value: float, goal: float) -> str:
    return f"{'met' if value <= goal else 'MISSED'} (≤{goal}x)"


def _build(sizes: list[dict[str, Any]]) -> str:
    headers = ["articles", "rows", "runs", *STAGES.values(), "other", "total CPU s"]
    headers += ["total wall s", "CPU ms/article", "rows/CPU s", "load avg"]
    rows = []
    for size in sizes:
        stages = [size["cpu"].get(stage, 0.0) for stage in STAGES]
        other = size["total_cpu"] - sum(stages)
        cells = [f"{value:.3f}" for value in [*stages, other, size["total_cpu"], size["total"]]]
        per_article = f"{1000 * size['total_cpu'] / size['articles']:.2f}"
        rate = f"{size['rows'] / size['total_cpu']:,.0f}"
        load = "→".join(f"{value:.1f}" for value in size["loadavg"])
        rows.append([size["articles"], size["rows"], size["runs"], *cells, per_article, rate, load])
    return table(headers, rows)


def _reuse_figures(size: dict[str, Any]) -> dict[str, Any]:
    """The median clean build with a process per core, its wall time over one process's,
    the edited rebuild's over a clean build's (median of all four), memory over Arrow."""
    reuse = size["reuse"]
    parallel = sorted(reuse["parallel"], key=lambda run: run["total"])[len(reuse["parallel"]) // 2]
    clean = [reuse["edited"], *reuse["parallel"]]

    def edited(clock: str) -> float:
        return reuse["incremental"][clock] / statistics.median(run[clock] for run in clean)

    return {
        "parallel": parallel,
        "ratio": parallel["total"] / size["total"],
        "edited": edited("total"),
        "edited_process": edited("process_wall"),
        "peaks": [run["tree_peak"] / size["arrow_bytes"] for run in reuse["parallel"]],
    }


def _reuse(sizes: list[dict[str, Any]]) -> str:
    headers = ["articles", "one process: wall / CPU s", "a process per core: wall / CPU s"]
    headers += ["speed-up", "filling the cache: wall s", "one article edited: wall / CPU s"]
    headers += ["edited / clean (wall)", "same bytes"]
    rows = []
    for size in sizes:
        reuse, figures = size["reuse"], _reuse_figures(size)
        parallel, incremental = figures["parallel"], reuse["incremental"]
        same = ", ".join(
            f"{name} {'yes' if equal else 'NO'}" for name, equal in reuse["same"].items()
        )
        rows.append(
            [
                size["articles"],
                f"{size['total']:.2f} / {size['total_cpu']:.2f}",
                f"{parallel['total']:.2f} / {_cpu(parallel):.2f}",
                f"{1 / figures['ratio']:.2f}x",
                f"{reuse['cold']['total']:.2f}",
                f"{incremental['total']:.2f} / {_cpu(incremental):.2f}",
                f"{figures['edited']:.3f}",
                same,
            ]
        )
    largest = max(sizes, key=lambda size: size["articles"])
    return table(headers, rows) + "\n\n" + _reuse_verdict(largest)


def _cpu(run: dict[str, Any]) -> float:
    """CPU seconds of a build: its process and its worker processes."""
    return run["total_cpu"] + run.get("children_cpu", 0.0)


def _reuse_verdict(size: dict[str, Any]) -> str:
    figures = _reuse_figures(size)
    ratio, edited, peaks = figures["ratio"], figures["edited"], figures["peaks"]
    shown = ", ".join(f"{peak:.2f}x" for peak in peaks)
    verdicts = [
        f"a process per core: {ratio:.2f}x the wall time of one process, "
        f"{'met' if ratio <= PARALLEL_GOAL else 'MISSED'} (goal: ≤{PARALLEL_GOAL}x)",
        f"one article edited: {edited:.3f} of a clean build's wall time, "
        f"{'met' if edited <= INCREMENTAL_GOAL else 'MISSED'} (goal: ≤{INCREMENTAL_GOAL}; "
        f"the whole processes, start and imports included: {figures['edited_process']:.3f})",
    ]
    if size["articles"] >= MEMORY_GOAL_ARTICLES:
        met = all(peak < MEMORY_GOAL for peak in peaks)
        verdicts.append(
            f"peak memory of the process tree in each clean build: {shown} the Arrow size, "
            f"{'met' if met else 'MISSED'} (goal: <{MEMORY_GOAL}x in each)"
        )
    else:  # below that, the interpreter and its libraries outweigh the data
        verdicts.append(
            f"peak memory of the process tree: {shown} the Arrow size (the goal, "
            f"<{MEMORY_GOAL}x, is set at {MEMORY_GOAL_ARTICLES:,} articles: --full)"
        )
    return f"Largest corpus ({size['articles']} articles): " + "; ".join(verdicts) + "."


def _memory(sizes: list[dict[str, Any]]) -> str:
    headers = ["articles", "Arrow MiB", "RSS after imports MiB", "peak RSS MiB", "build Δ MiB"]
    headers += [
        "peak / Arrow",
        "Δ / Arrow",
        "a process per core, each run: tree peak MiB (/ Arrow)",
    ]
    rows = []
    for size in sizes:
        arrow, base, peak = size["arrow_bytes"], size["rss_base"], size["rss_peak"]
        cells = [arrow / MIB, base / MIB, peak / MIB, (peak - base) / MIB]
        ratios = [f"{peak / arrow:.2f}", f"{(peak - base) / arrow:.2f}"]
        runs = ", ".join(
            f"{run['tree_peak'] / MIB:.0f} ({run['tree_peak'] / arrow:.2f})"
            for run in size["reuse"]["parallel"]
        )
        rows.append([size["articles"], *(f"{cell:.1f}" for cell in cells), *ratios, runs])
    return table(headers, rows)


def _validation(sizes: list[dict[str, Any]]) -> str:
    headers = ["articles", "validate_package CPU s", "its process CPU / wall s"]
    headers += ["frictionless CPU / wall s", "frictionless / our process (CPU)"]
    rows = []
    for size in sizes:
        ours, checked = size["validate"], size["frictionless"]
        if checked["skipped"]:
            theirs, ratio = f"skipped (predicted ~{checked['predicted']:.0f} s wall)", "-"
        else:
            theirs = f"{checked['cpu']:.2f} / {checked['wall']:.2f}"
            theirs += "" if checked["valid"] else " (INVALID)"
            ratio = f"{checked['cpu'] / ours['process_cpu']:.1f}x"
            if size["rows"] >= VALIDATION_ROWS:
                met = checked["cpu"] / ours["process_cpu"] >= VALIDATION_GOAL
                ratio += f" {'met' if met else 'MISSED'} (≥{VALIDATION_GOAL:.0f}x)"
        process = f"{ours['process_cpu']:.2f} / {ours['process_wall']:.2f}"
        rows.append([size["articles"], f"{ours['total_cpu']:.2f}", process, theirs, ratio])
    return table(headers, rows)


def load_ratios(load: dict[str, dict[str, float]], ours: str, theirs: str) -> tuple[float, str]:
    """Ratio of summed times over all tables, and the worst table as ``name ratio``."""
    total = sum(load[ours].values()) / sum(load[theirs].values())
    worst = max(load[ours], key=lambda name: load[ours][name] / load[theirs][name])
    return total, f"{worst} {load[ours][worst] / load[theirs][worst]:.2f}x"


def _loading(sizes: list[dict[str, Any]]) -> str:
    pairs = {
        "load(arrow) / read_table": ("load_arrow", "read_table", GOALS["load_arrow"]),
        "load() / read_parquet": ("load_pandas", "read_parquet", GOALS["load_pandas"]),
        "load() / read_parquet(pyarrow)": ("load_pandas", "read_parquet_arrow", None),
    }
    rows = []
    for size in sizes:
        cells = [size["articles"]]
        for ours, theirs, goal in pairs.values():
            total, worst = load_ratios(size["load"], ours, theirs)
            cells += [f"{total:.2f}x" + (f" {_met(total, goal)}" if goal else ""), worst]
        rows.append(cells)
    headers = ["articles"]
    for name in pairs:
        headers += [f"{name}, all tables", "worst table"]
    return table(headers, rows)


def _imports(imports: dict[str, float]) -> str:
    rows = []
    for clock, suffix in (("wall", ""), ("CPU", "_cpu")):
        ours, bare = imports[f"import{suffix}"], imports[f"pass{suffix}"]
        ratio = f"{ours / bare:.2f}x" + (
            f" {_met(ours / bare, GOALS['import'])}" if not suffix else ""
        )
        rows.append([clock, f"{1000 * ours:.1f}", f"{1000 * bare:.1f}", ratio])
    headers = ["median", 'python -c "import koreasec_data" ms', 'python -c "pass" ms', "ratio"]
    return table(headers, rows)


def _linearity(sizes: list[dict[str, Any]]) -> str:
    per = {size["articles"]: size["total_cpu"] / size["articles"] for size in sizes}
    large = [value for articles, value in per.items() if articles >= 200]
    if len(large) < 2:
        return "Linearity: needs two sizes of at least 200 articles."
    spread = max(large) / min(large)
    verdict = "linear" if spread <= LINEAR_SPREAD else "NOT linear"
    figures = ", ".join(f"{articles}: {1000 * value:.2f} ms" for articles, value in per.items())
    return (
        f"Build CPU time per article ({figures}): spread {spread:.2f}x from 200 articles up, "
        f"{verdict} (goal: ≤{LINEAR_SPREAD}x)."
    )


def _machine(machine: dict[str, Any]) -> str:
    return (
        f"Machine: {machine['cpus']} CPUs, {machine['memory'] / 2**30:.1f} GiB memory, "
        f"Python {machine['python']} on {machine['platform']}; {machine['versions']}; "
        f"revision {machine['revision']}."
    )


def report(results: dict[str, Any]) -> str:
    """The whole report: machine, then one table per measurement."""
    sizes = results["sizes"]
    parts = [
        _machine(results["machine"]),
        "Build, CPU seconds by stage, from the run with the median total (imports excluded):",
        _build(sizes),
        _linearity(sizes),
        "Memory (peak RSS = ru_maxrss of the build in one process; Δ = peak minus RSS after "
        "imports; tree peak = the build process and its worker processes' own pages, sampled):",
        _memory(sizes),
        "Builds with a process per core, and with the build cache (wall time; CPU time "
        "includes the worker processes):",
        _reuse(sizes),
        "Validation of the built package (median):",
        _validation(sizes),
        "Loading, seconds per call summed over the tables (fastest of 11 rounds of 3 calls):",
        _loading(sizes),
        "Import time, median of 20 interleaved runs each (the goal is on wall time):",
        _imports(results["imports"]),
    ]
    return "\n\n".join(parts)
