"""The ``koreasec-data`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from koreasec_data import __version__

__all__ = ["main"]

EPILOG = """examples:
  koreasec-data build                 build ./build from ./raw
  koreasec-data validate              re-check ./build
  koreasec-data codebook              regenerate docs/codebook.md from schemas/
"""


def _command(commands, name: str, summary: str, description: str, example: str):
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        if args.command == "build":
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
    return 0
