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
    from koreasec_data.problems import ProblemReport

    args = _parser().parse_args(argv)
    try:
        if args.command in READERS:
            print(READERS[args.command](args))
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
    except (FileNotFoundError, ValueError, ImportError) as error:
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


READERS = {"info": _info, "tables": _tables, "describe": _describe, "cite": _cite}
