"""How fast a build reports a file with many mistakes: problems per second.

``python -m benchmarks.errors [--records 1000,10000,100000]`` copies the real project,
appends that many actors with a mistake only the table checks find (a ``cow_code`` on a
person), builds in a fresh process, and prints a Markdown table: each problem must be
placed at its file and line, so a placement that walked the whole file per problem would
make this quadratic (issue 16: 8,000 records took 77 s, 16,000 took 373 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import REPOSITORY

__all__ = ["bad_actors", "main", "measure"]

CHILD = """
import json, sys, time
from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport
started = time.process_time()
try:
    build(sys.argv[1], say=lambda message: None)
    problems = 0
except ProblemReport as report:
    problems = len(report.problems)
print(json.dumps({"problems": problems, "cpu": time.process_time() - started}))
"""


def bad_actors(count: int) -> str:
    """YAML for ``count`` actors, each with one mistake the table checks report."""
    return "".join(
        f"  - actor_id: act-bad-{n}\n    name: Bad actor {n}\n    actor_type: person\n"
        f"    cow_code: 2\n    aliases: []\n    evidence:\n      - source_id: src-004\n"
        "        quote: Seoul issues warning\n"
        for n in range(count)
    )


def measure(count: int, repository: Path = REPOSITORY) -> dict[str, float]:
    """Build a copy of the project with ``count`` bad actors; return problems and CPU s."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name in ("raw", "schemas", "CITATION.cff"):
            source = repository / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
        with open(root / "raw" / "actors.yaml", "a", encoding="utf-8") as actors:
            actors.write(bad_actors(count))
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(root)],
            capture_output=True,
            text=True,
            check=True,
            cwd=repository,
        )
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="1000,10000,100000", help="bad records per run")
    counts = [int(n) for n in parser.parse_args(argv).records.split(",")]
    print("| bad records | problems | CPU s | problems per CPU s |")
    print("| ---: | ---: | ---: | ---: |")
    for count in counts:
        found = measure(count)
        rate = found["problems"] / found["cpu"] if found["cpu"] else float("inf")
        print(f"| {count:,} | {found['problems']:,} | {found['cpu']:.2f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
