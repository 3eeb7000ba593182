"""A built package's files read back against its ``datapackage.json``: each file that is
missing, damaged, another table's, edited or not the package's is a typed problem.

Only a file with the recorded size and sha256 is read whole; the others are looked
into only as far as telling what is wrong with them takes (their Parquet footer).
"""

from __future__ import annotations

import enum
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koreasec_data.compile.datapackage import DESCRIPTOR, file_facts
from koreasec_data.loader import BYTES_KEY
from koreasec_data.problems import Problem, shown

__all__ = [
    "CannotValidate",
    "Damage",
    "FileProblem",
    "descriptor_problems",
    "read_descriptor",
    "read_tables",
    "repair_advice",
]

#: The files a package holds besides its descriptor and tables (a release adds its
#: CHANGELOG section).
COMPANIONS = ("CITATION.cff", "croissant.json", "retired_ids.json", "CHANGELOG-*.md")


class Damage(enum.Enum):
    """What is wrong with one file of a package."""

    MISSING = "missing"
    SIZE = "size"
    SHA256 = "sha256"
    UNREADABLE = "unreadable"
    WRONG_TABLE = "wrong table"
    UNLISTED = "unlisted"


@dataclass(frozen=True)
class FileProblem:
    """One file that is not the one recorded: of a package (by its ``datapackage.json``)
    or an article text (by the sources table).

    Examples
    --------
    >>> print(FileProblem(Path("build/events.parquet"), Damage.MISSING, "listed").problem())
    build/events.parquet: missing: listed
    >>> print(FileProblem(Path("a.txt"), Damage.SHA256, "another text", "source src-1").problem())
    a.txt source src-1: damaged (sha256): another text
    """

    path: Path
    reason: Damage
    detail: str
    record: str = ""

    def problem(self) -> Problem:
        lead = {Damage.MISSING: "missing", Damage.UNLISTED: "not the package's"}.get(
            self.reason, f"damaged ({self.reason.value})"
        )
        return Problem(str(self.path), None, self.record, f"{lead}: {self.detail}")


class CannotValidate(ValueError):
    """The package cannot be checked at all (no usable ``datapackage.json``, a folder
    that is not there): ``reason`` says what, ``path`` where."""

    def __init__(self, path: Path, reason: str, repair: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}: {repair}")


def read_descriptor(directory: Path, repair: str) -> dict[str, Any]:
    """``datapackage.json`` of ``directory``, checked as far as reading the files needs:
    an object whose ``resources`` each give a name and the name of a file in the folder.

    Raises :class:`CannotValidate` (with ``repair``, what to do) otherwise.
    """
    path = Path(directory) / DESCRIPTOR
    if not Path(directory).is_dir():
        raise CannotValidate(Path(directory), "no such folder", "give a built package's folder")
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise CannotValidate(path, "missing: this is not a built package", repair) from None
    except (OSError, ValueError) as error:  # UnicodeDecodeError, JSONDecodeError
        raise CannotValidate(path, f"unreadable ({error})", repair) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(_resource_ok(r) for r in resources):
        reason = "not a package descriptor (no list of resources, each with a name and a path)"
        raise CannotValidate(path, reason, repair)
    return descriptor


def _resource_ok(resource: Any) -> bool:
    return (
        isinstance(resource, dict)
        and isinstance(resource.get("name"), str)
        and isinstance(resource.get("path"), str)
        and Path(resource["path"]).name == resource["path"] not in ("", ".", "..")
    )


#: The profiles a package and its resources may name: frictionless would fetch any other
#: (and a schema given as a path or URL).
PROFILES = ("data-package", "tabular-data-package", "data-resource", "tabular-data-resource")


def descriptor_problems(frictionless, descriptor: dict[str, Any], directory: Path) -> list[Problem]:
    """``descriptor`` (of ``directory``) against the Frictionless Data Package profile,
    offline (``frictionless``: the module, imported by the caller)."""
    path = Path(directory) / DESCRIPTOR
    profiles = [part.get("profile", PROFILES[0]) for part in [descriptor, *descriptor["resources"]]]
    unknown = [profile for profile in profiles if profile not in PROFILES]
    if unknown:
        message = f"profile {shown(unknown[0])} is not one of {', '.join(PROFILES)}"
        return [Problem(str(path), None, "", message)]
    for resource in descriptor["resources"]:
        if not isinstance(resource.get("schema", {}), dict):  # a path or URL to fetch
            message = f"the schema of {resource['name']} must be given in place"
            return [Problem(str(path), None, "", message)]
    try:
        errors = list(frictionless.Package.metadata_validate(descriptor))
    except (frictionless.FrictionlessException, TypeError, AttributeError) as error:
        # frictionless fails so on some malformed declarations (a field that is a number)
        return [Problem(str(path), None, "", f"not a valid package descriptor: {error}")]
    return [Problem(str(path), None, "", error.message) for error in errors]


def read_tables(
    directory: Path, descriptor: dict[str, Any]
) -> tuple[dict[str, Any], list[FileProblem]]:
    """Read each table whose file has the size and sha256 ``descriptor`` records.

    Returns the tables read, by name, and a :class:`FileProblem` for every other file
    listed, and for every file in the folder that is not the package's.
    """
    import pyarrow.parquet as pq

    directory = Path(directory)
    tables, problems = {}, []
    resources = descriptor["resources"]
    columns = {tuple(_columns(r)): r["name"] for r in resources if _columns(r)}
    for resource in resources:
        path = directory / resource["path"]
        if not path.is_file():
            problems.append(FileProblem(path, Damage.MISSING, f"{DESCRIPTOR} lists it"))
            continue
        facts = file_facts(path)
        if facts != {key: resource.get(key) for key in facts}:
            problems.append(_what_is_wrong(path, resource, facts, columns))
            continue
        try:  # the recorded bytes: unreadable only if written so
            tables[resource["name"]] = pq.read_table(path)
        except (OSError, ValueError) as error:
            problems.append(FileProblem(path, Damage.UNREADABLE, str(error)))
    listed = {DESCRIPTOR, *(resource["path"] for resource in resources)}
    for path in sorted(directory.iterdir()):
        known = path.name in listed or any(fnmatch.fnmatch(path.name, p) for p in COMPANIONS)
        if path.is_file() and not known:
            told = f"{DESCRIPTOR} does not list it: remove it"
            problems.append(FileProblem(path, Damage.UNLISTED, told))
    return tables, problems


def _columns(resource: dict[str, Any]) -> list[str]:
    """The column names the resource declares (none when it declares them wrongly)."""
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        return []
    return [field.get("name") for field in fields if isinstance(field, dict)]


def _what_is_wrong(path: Path, resource, facts, columns) -> FileProblem:
    """Why a file differs from its record: unreadable, another table's, or of another
    size or sha256 (a file cut short, rewritten or with a byte changed)."""
    import pyarrow.parquet as pq

    recorded = resource.get(BYTES_KEY)
    try:
        names = tuple(pq.read_schema(path).names)
    except (OSError, ValueError) as error:
        size = f"{facts[BYTES_KEY]} bytes, not the {recorded} recorded; "
        return FileProblem(path, Damage.UNREADABLE, f"{size}not a Parquet file ({error})")
    other = columns.get(names)
    if other is not None and other != resource["name"]:
        detail = f"it holds the table {other}, not {resource['name']}"
        return FileProblem(path, Damage.WRONG_TABLE, detail)
    if facts[BYTES_KEY] != recorded:
        detail = f"{facts[BYTES_KEY]} bytes, not the {recorded} recorded in {DESCRIPTOR}"
        return FileProblem(path, Damage.SIZE, detail)
    detail = f"{facts['hash']}, not the {resource.get('hash')} recorded in {DESCRIPTOR}"
    return FileProblem(path, Damage.SHA256, detail)


def repair_advice(directory: Path, root: Path) -> str:
    """What to do about a damaged package in ``directory``: reinstall the installed data,
    build ``root/build`` again in a checkout, or else fetch a fresh copy."""
    installed = Path(__file__).resolve().parent.parent / "data"
    if Path(directory).resolve() == installed:
        return "reinstall the package: pip install --force-reinstall koreasec-data"
    if Path(directory).resolve() == (root / "build").resolve() and (root / "raw").is_dir():
        return "build it again: koreasec-data build"
    return (
        "replace it with a good copy: a released version with 'koreasec-data download "
        "--version X.Y.Z --dest DIR', the installed data with 'pip install "
        "--force-reinstall koreasec-data'"
    )
