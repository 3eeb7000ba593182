"""The ``koreasec-data`` command: one handler per subcommand declared in
:mod:`koreasec_data.commands`."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from koreasec_data import __version__
from koreasec_data.commands import COMMANDS, EPILOG

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="koreasec-data",
        description="Load, cite, build and validate the koreasec-data dataset.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, description, example, arguments) in COMMANDS.items():
        if name == "describe":
            description += _installed_tables()
        command = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for flags, options in arguments:
            command.add_argument(*flags, **options)
    return parser


def _installed_tables() -> str:
    """' Tables: ...' of the installed data, for help texts; empty when none is installed."""
    from koreasec_data.loader import tables

    try:
        return f" Tables: {', '.join(tables())}."
    except (OSError, ValueError):
        return ""


class _Terminated(BaseException):
    """SIGTERM, raised as an exception so that a build in progress cleans up after itself."""


def _terminate(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status: 0 done, 1 problems found, 2 not run."""
    import signal

    from koreasec_data.download import DownloadError
    from koreasec_data.problems import ProblemReport
    from koreasec_data.release.assets import ReleaseError

    args = _parser().parse_args(argv)
    previous = _on_sigterm(_terminate)
    try:
        print(HANDLERS[args.command](args))
        sys.stdout.flush()  # here, so that a closed pipe is the BrokenPipeError below
    except ProblemReport as report:
        print(report, file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, ImportError, DownloadError, ReleaseError) as error:
        print(f"koreasec-data: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `koreasec-data info | head -3`: the reader has enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when stdout is flushed
        return 0
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"koreasec-data: cannot complete{where}: {error.strerror or error}", file=sys.stderr)
        return 2
    except _Terminated:
        # Cleanup has run; now end the way SIGTERM ends a process.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
    finally:
        _on_sigterm(previous)
    return 0


def _on_sigterm(handler):
    """Install a SIGTERM handler; return the previous one (None outside the main thread)."""
    import signal

    if handler is None:
        return None
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # signals can only be handled in the main thread
        return None


def _info(args) -> str:
    from koreasec_data.coverage import coverage
    from koreasec_data.damage import read_metadata
    from koreasec_data.loader import data_dir, read_descriptor

    descriptor = read_descriptor(None)
    lines = [
        f"koreasec-data {descriptor['version']} ({descriptor['created'][:10]})",
        f"data: {data_dir()}",
        f"licence: {', '.join(licence['name'] for licence in descriptor['licenses'])}",
        textwrap.fill(coverage(data_dir()).summary(), width=88),
        "tables:",
    ]
    for resource in descriptor["resources"]:
        metadata = read_metadata(data_dir() / resource["path"])
        counts = f"{metadata.num_rows:>7} rows {metadata.num_columns:>3} columns"
        lines.append(f"  {resource['name']:<18}{counts}")
    lines.append("coded from:")
    lines += [f"  {source['title']}" for source in descriptor["sources"]]
    return "\n".join(lines)


def _tables(args) -> str:
    from koreasec_data.loader import tables

    return "\n".join(tables())


def _describe(args) -> str:
    from koreasec_data.loader import describe

    columns = describe(args.table)
    lines = [textwrap.fill(columns.attrs["description"], width=88), ""]
    for column, row in columns.iterrows():
        required = "required" if row["required"] else "may be null"
        lines.append(f"{column} ({row['type']}, {required})\n  {row['description']}")
        for value, meaning in (row["values"] or {}).items():
            lines.append(f"    {value}: {meaning}")
    lines += ["", textwrap.fill(columns.attrs["coverage"], width=88)]
    return "\n".join(lines)


def _cite(args) -> str:
    from koreasec_data.citation import cite

    return cite(args.style, args.directory, args.data_version).rstrip("\n")


def _download(args) -> str:
    import shutil

    from koreasec_data.loader import version_dir

    folder = version_dir(args.data_version or __version__)
    if args.dest is None:
        return str(folder)
    shutil.copytree(folder, args.dest, dirs_exist_ok=True)
    return str(args.dest)


def _export(args) -> str:
    from koreasec_data.export import export
    from koreasec_data.loader import version_dir

    directory = version_dir(args.data_version) if args.data_version else None
    written = export(args.format, args.dest, directory)
    return f"wrote {len(written)} files to {args.dest}: see {args.dest / 'README.md'}"


def _package_dir(spec: str) -> Path:
    """A folder holding a built package, from a path or a version."""
    import re

    from koreasec_data.arguments import need_package
    from koreasec_data.loader import version_dir

    if Path(spec).is_dir() or not re.fullmatch(r"v?\d+\.\d+\.\d+", spec):
        return need_package(Path(spec), versions=True)
    return version_dir(spec)


def _report(args) -> str:
    from koreasec_data.report.site import write_report

    directory = _package_dir(args.package) if args.package else None
    written = write_report(args.dest, directory, args.texts)
    texts = "with" if args.texts else "without"
    index = args.dest / "index.html"
    return f"wrote {len(written)} files to {args.dest} ({texts} article texts): open {index}"


def _diff(args) -> str:
    from koreasec_data.diff import diff_packages, to_markdown
    from koreasec_data.loader import read_descriptor

    old, new = _package_dir(args.old), _package_dir(args.new)

    def label(spec: str, folder: Path) -> str:  # the version, and the folder if one is named
        version = read_descriptor(folder)["version"]
        return version if spec.removeprefix("v") == version else f"{version} ({spec})"

    diffs = diff_packages(old, new)
    return to_markdown(diffs, label(args.old, old), label(args.new, new)).rstrip("\n")


def _build(args) -> str:
    from koreasec_data import settings
    from koreasec_data.arguments import need_checkout

    need_checkout(args.root, "build")
    from koreasec_data.compile.build import build

    out = args.out or args.root / "build"
    current = settings.current()
    cache = None if args.clean else current.build_cache or args.root / settings.BUILD_CACHE
    descriptor = build(args.root, out, cache=cache, workers=current.workers)
    return f"built {out} (version {descriptor['version']})"


def _validate(args) -> str:
    from koreasec_data.compile.validate import validate_package

    validate_package(args.directory, args.root, texts=args.texts)
    return f"{args.directory}: valid"


def _release(args) -> str:
    from koreasec_data import settings
    from koreasec_data.release.assets import make_release
    from koreasec_data.release.publish import publish_release

    if args.publish:
        repo = args.repo or os.environ.get("GITHUB_REPOSITORY") or settings.REPOSITORY
        tag = args.tag or f"v{__version__}"
        return publish_release(args.root, args.out, tag, repo, args.dry_run, args.dist)
    entry = make_release(args.root / "build", args.out, args.root)
    version = entry["archive"].removeprefix("koreasec-data-").removesuffix(".zip")
    return f"released {args.out / f'v{version}' / entry['archive']} sha256 {entry['sha256']}"


def _url(args) -> str:
    from koreasec_data.urls import url

    found = url(args.table, args.data_version)
    return f"{found}\nsha256 {found.sha256}  size {found.size}"


def _codebook(args) -> str:
    from koreasec_data.compile.codebook import render_codebook

    args.out.write_text(render_codebook(args.root / "schemas"), encoding="utf-8", newline="\n")
    return f"wrote {args.out}"


def _agreement(args) -> str:
    import tempfile

    import yaml

    from koreasec_data.compile.measures import measure_annotation, merge
    from koreasec_data.compile.rawyaml import load_yaml

    folder = args.root / "raw" / "agreement"

    def recorded(name):
        path = folder / f"{name}.yaml"
        return list(load_yaml(path) or []) if path.is_file() else []

    blind = [row for row in recorded("agreement") if row["stage"] == "blind"]
    with tempfile.TemporaryDirectory() as scratch:
        figures, found = measure_annotation(
            args.root, args.root / "build", folder / "blind", Path(scratch) / "blind"
        )
    shipped, listed = merge(recorded("disagreements"), blind, figures, found)
    for name, rows in (("agreement", shipped), ("disagreements", listed)):
        plain = [dict(row) for row in rows]
        text = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=88)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8", newline="\n")
    left = sum(row["resolution"] == "unresolved" for row in listed)
    return f"wrote {len(shipped)} figures and {len(listed)} disagreements ({left} unresolved)"


def _datasheet(args) -> str:
    from koreasec_data.arguments import need_package
    from koreasec_data.compile.datasheet import render_datasheet

    text = render_datasheet(need_package(args.directory))
    if str(args.out) == "-":
        return text.rstrip("\n")
    args.out.write_text(text, encoding="utf-8", newline="\n")
    return f"wrote {args.out}"


HANDLERS = {
    "info": _info,
    "tables": _tables,
    "describe": _describe,
    "cite": _cite,
    "download": _download,
    "diff": _diff,
    "build": _build,
    "validate": _validate,
    "release": _release,
    "url": _url,
    "codebook": _codebook,
    "datasheet": _datasheet,
    "agreement": _agreement,
    "export": _export,
    "report": _report,
}
