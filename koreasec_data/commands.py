"""Every ``koreasec-data`` subcommand, declared once: summary, description, example and
arguments. :mod:`koreasec_data.cli` builds the parser from this and runs the handler."""

from __future__ import annotations

from pathlib import Path

__all__ = ["COMMANDS", "EPILOG"]

EPILOG = """examples:
  koreasec-data info                  version, tables, licence, provenance
  koreasec-data describe events       what each column of a table means
  koreasec-data cite --style apa      cite the installed data version
  koreasec-data download --version X.Y.Z --dest data
  koreasec-data diff X.Y.Z build      what changed since a release, as Markdown
  koreasec-data report build --texts raw/sources --dest site
                                      review every article and record in a browser
  koreasec-data build                 build ./build from ./raw (curators)
  koreasec-data validate              re-check ./build
"""

ROOT = (("--root",), {"type": Path, "default": Path("."), "help": "project folder (default: .)"})

#: name -> (summary, description, example, arguments)
COMMANDS = {
    "info": (
        "version, tables with row and column counts, licence, sources",
        "Show the installed data version, its tables, licence and sources.",
        "koreasec-data info",
        [],
    ),
    "tables": (
        "list the table names",
        "List the tables, one per line.",
        "koreasec-data tables",
        [],
    ),
    "describe": (
        "describe the columns of a table",
        "Show each column of TABLE: type, whether required, meaning and vocabulary.",
        "koreasec-data describe statements",
        [(("table",), {})],
    ),
    "cite": (
        "print a citation of the installed data version (or of --version V, --directory DIR)",
        "Print a citation naming the exact data version installed, of the released "
        "version V you loaded, or of the package or export folder DIR (default: the "
        "installed version).",
        "koreasec-data cite --style bibtex",
        [
            (
                ("--style",),
                {"choices": ("bibtex", "apa", "cff"), "default": "bibtex", "type": str.lower},
            ),
            (("--version",), {"dest": "data_version", "default": None}),
            (
                ("--directory",),
                {"type": Path, "help": "a package folder or an export (koreasec-data export)"},
            ),
        ],
    ),
    "download": (
        "fetch a released version (verified, cached) and optionally copy it to a folder",
        "Fetch the release assets of VERSION (default: the installed version), verify them "
        "against the sha256 recorded in this package, cache them and print where they are.",
        "koreasec-data download --version X.Y.Z --dest koreasec-X.Y.Z",
        [
            (("--version",), {"dest": "data_version", "default": None}),
            (("--dest",), {"type": Path, "help": "copy the files into this folder"}),
        ],
    ),
    "export": (
        "write every table as CSV, Stata or Parquet files (or a DuckDB script), outside Python",
        "Write every table of the installed data (or of the released --version V) to the "
        "folder DEST as CSV (UTF-8; list columns as JSON arrays; a Frictionless data "
        "package), Stata 118 (variable and value labels from the codebook), Parquet, or "
        "Parquet with a DuckDB SQL script beside it that creates the tables with every "
        "column's description as a comment (run it in DEST: duckdb -init koreasec-data.sql "
        "needs the DuckDB command-line program; README.md shows the Python way). Every "
        "folder also holds CITATION.cff, README.md (version, coverage, how to cite), "
        "codebook.md and datapackage.json. DEST is written whole or not at all: an earlier "
        "export there is replaced, a folder holding other files is refused.",
        "koreasec-data export --format stata --dest data",
        [
            (("--format",), {"choices": ("csv", "stata", "parquet", "sql"), "required": True}),
            (("--dest",), {"type": Path, "required": True}),
            (("--version",), {"dest": "data_version", "default": None}),
        ],
    ),
    "report": (
        "write a static HTML site to review every article, record and its evidence",
        "Write to DEST a site of plain HTML that works offline (open DEST/index.html): "
        "coverage and citation, every article with its evidence spans marked, every record "
        "with its columns, evidence and links, contested claims side by side, a timeline "
        "and every table with a filter. PACKAGE is a built package folder or a released "
        "version (default: the installed data). Article texts are shown only with --texts "
        "(raw/sources of the checkout the package was built from); packages do not carry "
        "them, so without it the pages show the quotes only.",
        "koreasec-data report build --texts raw/sources --dest site",
        [
            (("package",), {"nargs": "?", "default": None, "help": "default: installed data"}),
            (("--dest",), {"type": Path, "required": True}),
            (("--texts",), {"type": Path, "help": "the article texts, e.g. raw/sources"}),
        ],
    ),
    "diff": (
        "rows added, removed and changed between two versions or built packages",
        "Compare two released versions (X.Y.Z) or built package folders (e.g. build), table by "
        "table, by primary key. Prints Markdown for the CHANGELOG.",
        "koreasec-data diff X.Y.Z build",
        [(("old",), {}), (("new",), {})],
    ),
    "build": (
        "turn raw/ into validated Parquet tables and datapackage.json in build/",
        "Turn the annotations in ROOT/raw into ROOT/build. Every problem is reported at "
        "once; on any problem nothing is written. Articles are read by one process per "
        "core (KOREASEC_DATA_WORKERS), and only those whose file, text, schemas/, code or "
        "toolchain changed are read again: the rest comes from the build cache "
        "(ROOT/.buildcache, KOREASEC_DATA_BUILD_CACHE). The bytes built are the same either way.",
        "koreasec-data build --root .",
        [
            ROOT,
            (("--out",), {"type": Path, "help": "output folder (default: ROOT/build)"}),
            (
                ("--clean",),
                {
                    "action": "store_true",
                    "help": "read every article: neither use nor fill the cache",
                },
            ),
        ],
    ),
    "validate": (
        "re-check a built package: files, rows, keys, quotes, descriptor",
        "Re-check a built package DIRECTORY: each file against the size and sha256 in its "
        "datapackage.json (every file damaged, missing, another table's or not the "
        "package's is named; the checks that need a damaged table are skipped, the others "
        "still run), every row, key and foreign key, and the descriptor. Quotes are "
        "compared with the article texts in TEXTS (named as in raw/sources; each must "
        "have the sha256 the sources table records), or else with those in "
        "ROOT/raw/sources that are there. Exit status: 0 valid, 1 problems found (all "
        "listed), 2 could not run (no package descriptor, or it is not JSON).",
        "koreasec-data validate build --texts raw/sources",
        [
            ROOT,
            (
                ("directory",),
                {"nargs": "?", "type": Path, "default": Path("build"), "help": "default: build"},
            ),
            (
                ("--texts",),
                {"type": Path, "help": "a folder of the article texts, named as in raw/sources"},
            ),
        ],
    ),
    "release": (
        "make the release assets of build/ and record them in the registry",
        "Turn ROOT/build into the assets of its version under OUT/vVERSION/ (a folder, a zip "
        "archive and SHA256SUMS) and record the archive's sha256 in "
        "koreasec_data/releases.json. A released version is never replaced.",
        "koreasec-data release --out releases",
        [
            ROOT,
            (("--out",), {"type": Path, "default": Path("releases"), "help": "default: releases"}),
            (
                ("--publish",),
                {
                    "action": "store_true",
                    "help": "what the release workflow runs on a tag: check that the tag, "
                    "version, CITATION.cff and CHANGELOG agree, build clean, verify against "
                    "lock/build.sha256 and releases.json (nothing is recorded), and publish "
                    "every asset to the GitHub release of --tag (GITHUB_TOKEN)",
                },
            ),
            (("--tag",), {"help": "with --publish: the tag, vX.Y.Z (default: this version's)"}),
            (("--repo",), {"help": "with --publish: owner/name (default: GITHUB_REPOSITORY)"}),
            (("--dist",), {"type": Path, "help": "with --publish: build the wheel and sdist here"}),
            (
                ("--dry-run",),
                {"action": "store_true", "help": "with --publish: all but uploading; says what"},
            ),
        ],
    ),
    "url": (
        "the published URL of a table's Parquet file, with its sha256",
        "Print the URL where release VERSION (default: the installed version) publishes "
        "TABLE's Parquet file (KOREASEC_DATA_BASE_URL honoured), and its sha256 and size "
        "from the registry: DuckDB, polars or Spark read it there, without the zip.",
        "koreasec-data url events --version 0.2.0",
        [(("table",), {}), (("--version",), {"dest": "data_version", "default": None})],
    ),
    "codebook": (
        "write the codebook generated from schemas/",
        "Write the Markdown codebook generated from ROOT/schemas.",
        "koreasec-data codebook --out docs/codebook.md",
        [ROOT, (("--out",), {"type": Path, "default": Path("docs/codebook.md")})],
    ),
    "agreement": (
        "measure agreement with the blind second annotation",
        "Build the blind second annotation in ROOT/raw/agreement/blind, compare it with "
        "ROOT/build article by article, and write the figures and every disagreement to "
        "ROOT/raw/agreement/agreement.yaml and disagreements.yaml (resolutions already "
        "written there are kept; new disagreements are 'unresolved'). Build again to ship "
        "them as the tables agreement and disagreements.",
        "koreasec-data agreement",
        [ROOT],
    ),
    "datasheet": (
        "write the datasheet generated from a built package",
        "Write the Markdown datasheet (Gebru et al.'s sections, every number from the data) "
        "of the built package DIRECTORY (default: build).",
        "koreasec-data datasheet build --out docs/datasheet.md",
        [
            (("directory",), {"nargs": "?", "type": Path, "default": Path("build")}),
            (
                ("--out",),
                {"type": Path, "default": Path("docs/datasheet.md"), "help": "'-': print it"},
            ),
        ],
    ),
}
