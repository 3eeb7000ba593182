"""The ``koreasec-data`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from koreasec_data import __version__

__all__ = ["main"]

EPILOG = """examples:
  koreasec-data info                  version, tables, licence, provenance
  koreasec-data describe events       what each column of a table means
  koreasec-data cite --style apa      cite the installed data version
  koreasec-data download --version 0.1.0 --dest data
  koreasec-data diff 0.1.0 build      what changed, as Markdown
  koreasec-data build                 build ./build from ./raw (curators)
  koreasec-data validate              re-check ./build
"""


def _command(commands, name: str, summary: str, description: str, example: str, root=True):
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if root:
        parser.add_argument(
            "--root",
            type=Path,
            default=Path("."),
            help="project folder with raw/ and schemas/ (default: .)",
        )
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="koreasec-data",
        description="Build, validate and document the koreasec-data dataset.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _command(
        commands,
        "info",
        "version, tables with row and column counts, licence, sources",
        "Show the installed data version, its tables, licence and sources.",
        "koreasec-data info",
        root=False,
    )
    _command(
        commands,
        "tables",
        "list the table names",
        "List the tables, one per line.",
        "koreasec-data tables",
        root=False,
    )
    describe = _command(
        commands,
        "describe",
        "describe the columns of a table",
        "Show each column of TABLE: type, whether required, meaning and vocabulary.",
        "koreasec-data describe statements",
        root=False,
    )
    describe.add_argument("table")
    cite = _command(
        commands,
        "cite",
        "print a citation of the installed data version",
        "Print a citation naming the exact data version installed.",
        "koreasec-data cite --style bibtex",
        root=False,
    )
    cite.add_argument("--style", choices=("bibtex", "apa", "cff"), default="bibtex")
    download = _command(
        commands,
        "download",
        "fetch a released version (verified, cached) and optionally copy it to a folder",
        "Fetch the release assets of VERSION (default: the installed version), verify them "
        "against the sha256 recorded in this package, cache them and print where they are.",
        "koreasec-data download --version 0.1.0 --dest koreasec-0.1.0",
        root=False,
    )
    download.add_argument("--version", dest="data_version", default=None)
    download.add_argument("--dest", type=Path, help="copy the files into this folder")
    diff = _command(
        commands,
        "diff",
        "rows added, removed and changed between two versions or built packages",
        "Compare two versions (e.g. 0.1.0) or built package folders (e.g. build), table by "
        "table, by primary key. Prints Markdown for the CHANGELOG.",
        "koreasec-data diff 0.1.0 build",
        root=False,
    )
    diff.add_argument("old")
    diff.add_argument("new")
    release = _command(
        commands,
        "release",
        "make the release assets of build/ and record them in the registry",
        "Turn ROOT/build into the assets of its version under OUT/vVERSION/ (a folder, a zip "
        "archive and SHA256SUMS) and record the archive's sha256 in "
        "koreasec_data/releases.json. A released version is never replaced.",
        "koreasec-data release --out releases",
    )
    release.add_argument("--out", type=Path, default=Path("releases"))
    build = _command(
        commands,
        "build",
        "turn raw/ into validated Parquet tables and datapackage.json in build/",
        "Turn the annotations in ROOT/raw into ROOT/build. Every problem is reported at "
        "once; on any problem nothing is written.",
        "koreasec-data build --root .",
    )
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/build)")
    validate = _command(
        commands,
        "validate",
        "re-check a built package: hashes, rows, keys, quotes, descriptor",
        "Re-check a built package. Quotes are compared with ROOT/raw/sources when the "
        "texts are there.",
        "koreasec-data validate build",
    )
    validate.add_argument("directory", nargs="?", type=Path, default=Path("build"))
    codebook = _command(
        commands,
        "codebook",
        "write the codebook generated from schemas/",
        "Write the Markdown codebook generated from ROOT/schemas.",
        "koreasec-data codebook --out docs/codebook.md",
    )
    codebook.add_argument("--out", type=Path, default=Path("docs/codebook.md"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from koreasec_data.download import DownloadError
    from koreasec_data.problems import ProblemReport
    from koreasec_data.releases import ReleaseError

    args = _parser().parse_args(argv)
    try:
        if args.command in READERS:
            print(READERS[args.command](args))
        elif args.command == "release":
            from koreasec_data.releases import make_release

            entry = make_release(args.root / "build", args.out, args.root)
            print(
                f"released {args.out}/v{_version(args.root)}/{entry['archive']} {entry['sha256']}"
            )
        elif args.command == "build":
            from koreasec_data.build import build

            out = args.out or args.root / "build"
            descriptor = build(args.root, out)
            print(f"built {out} (version {descriptor['version']})")
        elif args.command == "validate":
            from koreasec_data.validate import validate_package

            validate_package(args.directory, args.root)
            print(f"{args.directory}: valid")
        else:
            from koreasec_data.codebook import render_codebook

            args.out.write_text(render_codebook(args.root / "schemas"), encoding="utf-8")
            print(f"wrote {args.out}")
    except ProblemReport as report:
        print(report, file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, ImportError, DownloadError, ReleaseError) as error:
        print(f"koreasec-data: {error}", file=sys.stderr)
        return 2
    return 0


def _info(args) -> str:
    import pyarrow.parquet as pq

    from koreasec_data.loader import data_dir, read_descriptor

    descriptor = read_descriptor(None)
    lines = [
        f"koreasec-data {descriptor['version']} ({descriptor['created'][:10]})",
        f"data: {data_dir()}",
        f"licence: {', '.join(licence['name'] for licence in descriptor['licenses'])}",
        "tables:",
    ]
    for resource in descriptor["resources"]:
        metadata = pq.read_metadata(data_dir() / resource["path"])
        lines.append(
            f"  {resource['name']:<14}{metadata.num_rows:>7} rows {metadata.num_columns:>3} columns"
        )
    lines.append("coded from:")
    lines += [f"  {source['title']}" for source in descriptor["sources"]]
    return "\n".join(lines)


def _describe(args) -> str:
    from koreasec_data.loader import describe

    lines = []
    for column, row in describe(args.table).iterrows():
        required = "required" if row["required"] else "may be null"
        lines.append(f"{column} ({row['type']}, {required})\n  {row['description']}")
        for value, meaning in (row["values"] or {}).items():
            lines.append(f"    {value}: {meaning}")
    return "\n".join(lines)


def _tables(args) -> str:
    from koreasec_data.loader import tables

    return "\n".join(tables())


def _cite(args) -> str:
    from koreasec_data.citation import cite

    return cite(args.style).rstrip("\n")


def _version(root: Path) -> str:
    import json

    return json.loads((root / "build" / "datapackage.json").read_text())["version"]


def _package_dir(spec: str) -> Path:
    """A folder holding a built package, from a path or a version."""
    from koreasec_data.loader import data_dir, version_dir

    if Path(spec).is_dir():
        return Path(spec)
    return version_dir(spec) or data_dir()


def _download(args) -> str:
    import shutil

    from koreasec_data.download import fetch

    folder = fetch(args.data_version or __version__)
    if args.dest is None:
        return str(folder)
    shutil.copytree(folder, args.dest, dirs_exist_ok=True)
    return str(args.dest)


def _diff(args) -> str:
    from koreasec_data.diff import diff_packages, to_markdown

    diffs = diff_packages(_package_dir(args.old), _package_dir(args.new))
    return to_markdown(diffs, args.old, args.new).rstrip("\n")


READERS = {
    "info": _info,
    "tables": _tables,
    "describe": _describe,
    "cite": _cite,
    "download": _download,
    "diff": _diff,
}
