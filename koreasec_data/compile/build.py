"""The build: ``raw/`` → validated Arrow tables → ``build/`` (Parquet and metadata).

A pure function of ``raw/``, ``schemas/`` and ``CITATION.cff``: it writes into a
temporary directory beside ``build/`` and swaps it in only after every check has
passed, so a failed build leaves the previous ``build/`` exactly as it was. Beside the
Parquet: ``datapackage.json``, ``croissant.json``, ``CITATION.cff``, ``retired_ids.json``.
"""

from __future__ import annotations

import contextlib
import functools
import json
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any

from koreasec_data.compile.background import done, in_background
from koreasec_data.folders import StagedFolder, holds_other_files
from koreasec_data.problems import Problem, ProblemReport, say

__all__ = ["build", "read_citation"]


def read_citation(root: Path) -> dict[str, Any]:
    """Read ``CITATION.cff``, the one source of version, release date and authors."""
    from koreasec_data.compile.rawyaml import load_yaml

    return load_yaml(Path(root) / "CITATION.cff")


def _place(findings, origins, raw, root: Path) -> list[tuple[Problem, tuple[int, int] | None]]:
    """Turn findings in the tables into problems at their records' lines in raw/, each
    with its row's file number and kind (:data:`~koreasec_data.compile.assemble.ORIGIN`;
    None for a finding about no row)."""
    from koreasec_data.compile.assemble import ORIGIN
    from koreasec_data.compile.rawyaml import LineIndex, load_yaml
    from koreasec_data.compile.records import record_label

    problems, placed = [], []
    for finding in findings:
        if finding.row is None:
            label = record_label(finding.table, finding.record_id)
            problems.append((Problem("raw", None, label, finding.message), None))
        else:
            origin = origins[finding.table].slice(finding.row, 1).to_pylist()[0]
            number, line, kind = (origin[name] for name in ORIGIN)
            placed.append((raw.files[number], line, finding, (number, kind)))
    placed.sort(key=lambda item: item[0])
    index_of = functools.lru_cache(maxsize=1)(lambda file: LineIndex(load_yaml(root / file)))
    for file, line, finding, origin in placed:  # read each file again, once
        line = index_of(file).line_of(line, finding.column)
        label = record_label(finding.table, finding.record_id)
        problems.append((Problem(file, line, label, finding.message), origin))
    return problems


def table_problems(tables, schemas, origins, raw, root: Path) -> list[Problem]:
    """Every check of the tables, as problems in raw/. With the build cache, the rows of
    cached articles are not checked on their own again: their problems are the ones kept
    with them, and the next pack keeps those of the articles read now."""
    from koreasec_data.compile.evidence.checks import source_texts
    from koreasec_data.compile.validate import check_across, check_rows, identified

    reuse = raw.reuse
    rows = reuse.unchecked(origins) if reuse is not None else None
    texts = source_texts(root, raw.text_files)  # read again: not held while sorting
    own = identified(check_rows(tables, schemas, texts, rows), tables, schemas)
    across = identified(check_across(tables, schemas, raw.reported), tables, schemas)
    own, across = _place(own, origins, raw, root), _place(across, origins, raw, root)
    problems = [problem for problem, _ in own + across]
    return problems + reuse.keep_checks(own) if reuse is not None else problems


def build(
    root: Path = Path("."),
    out: Path | None = None,
    say=say,
    *,
    cache: Path | None = None,
    workers: int | None = 1,
) -> dict[str, Any]:
    """Build the data package from ``root/raw`` into ``out`` (default ``root/build``).

    Returns the package descriptor that was written. ``cache``: the folder of the build
    cache (:mod:`koreasec_data.compile.cache`), None for none: only articles whose inputs
    changed are read again. ``workers``: processes that read articles (None: one per
    core, for a corpus large enough; 1: this process). Neither changes a byte written.

    Raises
    ------
    ProblemReport
        With every problem found in ``raw/``, each naming file, line and record;
        nothing is written.
    """
    from koreasec_data.compile.assemble import returning_memory
    from koreasec_data.compile.cache import BuildCache, inputs_digest

    root = Path(root)
    out = Path(out) if out is not None else root / "build"
    kept = BuildCache(Path(cache), inputs_digest(root / "schemas")) if cache else None
    with returning_memory():  # a large corpus needs its freed memory back
        return _build(root, out, say, kept, workers)


def _build(root: Path, out: Path, say, cache, workers) -> dict[str, Any]:
    from koreasec_data.compile.datapackage import write_parquet
    from koreasec_data.compile.raw import read_raw
    from koreasec_data.compile.retired import read_retired, retired_problems
    from koreasec_data.schemas import load_schemas

    problems = _output_problems(out)
    schema_dir = root / "schemas"
    schemas = load_schemas(schema_dir)
    say(f"reading {root / 'raw'} ...")
    raw = read_raw(root, schemas, cache, workers)
    if raw.reuse is not None and raw.reuse.staged is not None:
        raw.reuse.staged.wait()  # the rows are written: the sort may let go of them
    sorting = _sorting(raw.builders, list(schemas))
    parquet = None
    with contextlib.ExitStack() as stack:
        if not problems:  # the output folder may be replaced: write while sorting, checking
            staged = stack.enter_context(StagedFolder(out, say))
            parquet = in_background(write_parquet, staged.path, _when_sorted(sorting))
        try:
            tables, origins = ({n: f.result()[part] for n, f in sorting.items()} for part in (0, 1))
            rows = sum(table.num_rows for table in tables.values())
            say(f"checking {rows} rows in {len(tables)} tables ...")
            problems += raw.problems + table_problems(tables, schemas, origins, raw, root)
            retired, problems_reading = read_retired(root / "raw" / "retired.yaml")
            problems += problems_reading + retired_problems(retired, tables, schemas)
            if problems:
                raise ProblemReport(problems, "build")
        except Exception:
            if parquet is not None:
                wait([parquet])  # then its folder is removed whole
            raise
        finally:
            if raw.reuse is not None and raw.reuse.staged is not None:
                raw.reuse.staged.abandon()  # its staging folder, committed or not
        say(f"writing {out} ...")
        descriptor = _describe(staged.path, root, tables, schemas, parquet.result(), retired)
        staged.commit()
    return descriptor


def _sorting(builders: dict[str, Any], names: list[str]) -> dict[str, Future]:
    """Each table and its origins sorted by primary key (a future of both, from
    :func:`_finished`), by table name in ``names``' order.

    The largest (the evidence: more than half of the rows) is sorted by a second thread
    while this one sorts the others (Arrow sorts without the GIL), so that the Parquet
    writer can start on those; each builder is let go of once its table is sorted.
    """
    largest = max(names, key=lambda name: builders[name].num_rows())
    sorting = {largest: in_background(_finished, largest, builders.pop(largest))}
    for name in names:
        if name != largest:
            sorting[name] = done(_finished(name, builders.pop(name)))
    return {name: sorting[name] for name in names}


def _finished(name: str, builder) -> tuple[Any, Any]:
    """The table ``name`` sorted, and its origins; the actors with their states
    (:func:`~koreasec_data.compile.derived.with_states`)."""
    from koreasec_data.compile.derived import with_states

    table, origins = builder.finish()
    return (with_states(table) if name == "actors" else table), origins


def _when_sorted(sorting: dict[str, Future]):
    """Each (name, table) of :func:`_sorting`, in order, once sorted."""
    for name, future in sorting.items():
        yield name, future.result()[0]


def _describe(directory: Path, root: Path, tables, schemas, written, retired) -> dict[str, Any]:
    """Write the package's metadata beside its Parquet files (``written``); return the
    package descriptor."""
    from koreasec_data.citation import cite
    from koreasec_data.compile.croissant import croissant
    from koreasec_data.compile.datapackage import write_package
    from koreasec_data.compile.shipped_citation import with_abstract
    from koreasec_data.schemas import load_package_metadata

    metadata = load_package_metadata(root / "schemas")
    citation = read_citation(root)
    descriptor = write_package(directory, tables, schemas, metadata, citation, written)
    cff = (root / "CITATION.cff").read_text(encoding="utf-8")
    cff = with_abstract(cff, descriptor["description"])
    (directory / "CITATION.cff").write_text(cff, encoding="utf-8", newline="\n")
    described = croissant(descriptor, cite("bibtex", directory=directory))
    text = json.dumps(described, indent=1, ensure_ascii=False) + "\n"
    (directory / "croissant.json").write_text(text, encoding="utf-8", newline="\n")
    text = json.dumps(retired, indent=1, ensure_ascii=False, default=str) + "\n"
    (directory / "retired_ids.json").write_text(text, encoding="utf-8", newline="\n")
    return descriptor


def _output_problems(out: Path) -> list[Problem]:
    """The output folder, and every folder above it, must be a folder or not exist yet; an
    existing output folder must be empty or a built package (the build replaces it)."""
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            message = "is a file, not a folder: move it away or choose another --out"
            return [Problem(str(path), None, "", message)]
    if holds_other_files(out, "datapackage.json"):
        message = (
            "holds files that are not a built package, which the build would remove: "
            "choose a new or empty folder with --out"
        )
        return [Problem(str(out), None, "", message)]
    return []
