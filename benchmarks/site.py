"""How long the review site takes to write (``koreasec-data report``), and that it stays
linear in the corpus.

``python -m benchmarks.site [--sizes 200,2000] [--repeat 3] [--workdir DIR]`` times
``write_report`` (with the texts) in a fresh process, imports included, on the real
build and on synthetic corpora built first (``benchmarks.generate``; ``--workdir``
keeps them). It prints a Markdown table: the best of the runs, per article, and that
per-article time against the smallest corpus's (about 1 when linear). The goal (issue
15): under a second for the real data.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import REPOSITORY, generate

__all__ = ["main", "measure"]

CHILD = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
from koreasec_data.report.site import write_report
files = write_report(sys.argv[1], sys.argv[2], sys.argv[3])
print(json.dumps({"files": len(files), "cpu": time.process_time() - cpu,
                  "wall": time.perf_counter() - wall}))
"""


def measure(root: Path, dest: Path, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` writes of the site of ``root/build`` (texts from raw/)."""
    runs = []
    for _ in range(repeat):
        arguments = [str(dest), str(root / "build"), str(root / "raw" / "sources")]
        done = subprocess.run(
            [sys.executable, "-c", CHILD, *arguments],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPOSITORY,
        )
        runs.append(json.loads(done.stdout))
    return min(runs, key=lambda run: run["wall"])


def _corpus(articles: int, workdir: Path) -> Path:
    root = workdir / f"corpus-{articles}"
    if not (root / "build" / "datapackage.json").is_file():
        generate(root, articles)
        subprocess.run(
            [sys.executable, "-m", "koreasec_data", "build", "--root", str(root)],
            check=True,
            capture_output=True,
            cwd=REPOSITORY,
        )
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000", help="synthetic corpus sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the corpora here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        roots = [(2, REPOSITORY)]
        roots += [(int(n), _corpus(int(n), workdir)) for n in args.sizes.split(",")]
        print("| corpus | articles | files | wall s | CPU s | ms per article | vs smallest |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        first = None
        for articles, root in roots:
            found = measure(root, Path(scratch) / f"site-{articles}", args.repeat)
            per = 1000 * found["wall"] / articles
            first = first if first is not None or articles == 2 else per
            ratio = f"{per / first:.2f}" if first else "—"
            name = "real" if root == REPOSITORY else "synthetic"
            print(
                f"| {name} | {articles:,} | {found['files']:,} | {found['wall']:.2f} "
                f"| {found['cpu']:.2f} | {per:.1f} | {ratio} |"
            )


if __name__ == "__main__":
    main()
