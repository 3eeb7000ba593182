"""The ``koreasec-data`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from koreasec_data import __version__

__all__ = ["main"]

EPILOG = """examples:
  koreasec-data build                 build ./build from ./raw
  koreasec-data build --root ~/koreasec-data
  koreasec-data validate              re-check ./build
  koreasec-data validate release/0.1.0
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="koreasec-data",
        description="Build, validate and use the koreasec-data dataset.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="turn raw/ into validated Parquet tables and datapackage.json in build/",
        description="Turn the annotations in ROOT/raw into ROOT/build. Every problem is "
        "reported at once; on any problem nothing is written.",
        epilog="example:\n  koreasec-data build --root .",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/build)")
    validate = commands.add_parser(
        "validate",
        help="re-check a built package: hashes, rows, keys, quotes, descriptor",
        description="Re-check a built package. Quotes are compared with ROOT/raw/sources "
        "when the texts are there.",
        epilog="example:\n  koreasec-data validate build",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("directory", nargs="?", type=Path, default=Path("build"))
    validate.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: .)"
    )
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
            rows = ", ".join(f"{r['name']}" for r in descriptor["resources"])
            print(f"built {out} (version {descriptor['version']}): {rows}")
        elif args.command == "validate":
            from koreasec_data.validate import validate_package

            validate_package(args.directory, args.root)
            print(f"{args.directory}: valid")
    except ProblemReport as report:
        print(report, file=sys.stderr)
        return 1
    return 0
