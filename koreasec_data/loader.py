"""Load the tables shipped with the package, and say what their columns mean.

Nothing here touches the network: the data of the installed version is inside the
package (``koreasec_data/data``), put there when the wheel was built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from koreasec_data.arguments import choose, typed
from koreasec_data.damage import REPAIR, DamagedPackageError

__all__ = [
    "BYTES_KEY",
    "DamagedPackageError",
    "data_dir",
    "describe",
    "folder",
    "load",
    "package",
    "read_descriptor",
    "stored_schema",
    "table_file",
    "tables",
    "version_dir",
]

BACKENDS = ("pandas", "arrow", "polars")
#: How the pandas backend types columns: NumPy-style (the default) or Arrow-backed.
TYPES = ("numpy", "arrow")
#: Resource size in bytes in ``datapackage.json`` (not the standard ``bytes``, which
#: frictionless-py cannot count for Parquet and reports as wrong).
BYTES_KEY = "koreasec:bytes"


def data_dir() -> Path:
    """Return the folder holding the installed version's Parquet files.

    Examples
    --------
    >>> (data_dir() / "datapackage.json").is_file()
    True
    """
    directory = Path(__file__).resolve().parent / "data"
    if not (directory / "datapackage.json").is_file():
        message = (
            f"No data is installed with koreasec_data ({directory} is missing). "
            "Install the package with 'pip install koreasec-data' (or, in a checkout, "
            "'pip install -e .' once 'koreasec-data build' succeeds)."
        )
        raise FileNotFoundError(message)
    return directory


def folder(directory: str | Path | None) -> Path:
    """Return ``directory`` as a Path, or the installed data folder when it is None."""
    return data_dir() if directory is None else Path(directory)


def read_descriptor(directory: str | Path | None) -> dict[str, Any]:
    """Return ``datapackage.json`` of ``directory``, or of the installed data."""
    path = folder(directory) / "datapackage.json"
    if not path.is_file():
        message = (
            f"{path.parent} is not a built koreasec-data package (no datapackage.json); "
            "build one with 'koreasec-data build'"
        )
        raise FileNotFoundError(message)
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except ValueError as error:  # not UTF-8, not JSON
        raise DamagedPackageError(f"{path} is damaged ({error}): {REPAIR}") from None


@typed
def version_dir(version: str, directory: str | Path | None = None) -> Path:
    """Return the folder of a version's files: the installed data, or its verified cache.

    The tag spelling is accepted too (``v0.1.0``).
    """
    from koreasec_data import __version__

    if directory is not None:
        raise ValueError("give either directory= or version=, not both")
    version = version.removeprefix("v")
    if version == __version__:
        return data_dir()
    from koreasec_data.download import fetch

    return fetch(version)


@typed
def tables(directory: str | Path | None = None) -> list[str]:
    """Return the names of the tables, in package order.

    Examples
    --------
    >>> tables()[:3]
    ['sources', 'actors', 'events']
    """
    return [resource["name"] for resource in read_descriptor(directory)["resources"]]


@typed
def table_file(name: str, directory: str | Path | None) -> Path:
    """The file of table ``name``, checked cheaply against ``datapackage.json``: it
    exists, has the recorded size, and holds that table's columns (its footer only)."""
    return _checked(name, directory)[0]


@typed
def stored_schema(name: str, directory: str | Path | None):
    """The schema (a :class:`~koreasec_data.schemas.Table`) that table ``name`` carries in
    its checked Parquet file, so it always matches the data."""
    from koreasec_data.schemas import stored_table

    return stored_table(name, _checked(name, directory)[1])


def _checked(name: str, directory: str | Path | None):
    """(path, Arrow schema) of table ``name``, after the checks of :func:`table_file`."""
    import pyarrow.parquet as pq

    root = folder(directory)
    resources = {resource["name"]: resource for resource in read_descriptor(root)["resources"]}
    choose("table", name, resources)
    resource, path = resources[name], root / resources[name]["path"]
    damaged = f"{path} is damaged ({{}}): {REPAIR}"
    if not path.is_file():
        raise DamagedPackageError(damaged.format("missing"))
    size = path.stat().st_size
    if BYTES_KEY in resource and size != resource[BYTES_KEY]:
        recorded = resource[BYTES_KEY]
        raise DamagedPackageError(damaged.format(f"{size} bytes, not the {recorded} recorded"))
    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:
        raise DamagedPackageError(damaged.format(f"unreadable: {error}")) from None
    if schema.names != [field["name"] for field in resource["schema"]["fields"]]:
        raise DamagedPackageError(damaged.format(f"its columns are not those of {name}"))
    return path, schema


@typed
def load(
    name: str,
    backend: str = "pandas",
    directory: str | Path | None = None,
    version: str | None = None,
    types: str | None = None,
):
    """Load one table.

    Parameters
    ----------
    name : str
        A table name, see :func:`tables`.
    backend : {"pandas", "arrow", "polars"}
        ``pandas`` gives a DataFrame (a :class:`~koreasec_data.frames.DatedFrame`, typed
        as ``types`` says); ``arrow`` a ``pyarrow.Table``;
        ``polars`` a ``polars.DataFrame`` (needs ``pip install koreasec-data[polars]``).
    directory : path, optional
        A built package to read instead of the installed one (e.g. ``build``).
    version : str, optional
        A released version to read instead of the installed one: downloaded once,
        verified against the sha256 recorded in the package, cached, then read
        offline. The installed version never needs the network.
    types : {"numpy", "arrow"}, optional
        For ``backend="pandas"`` only: ``numpy`` (the default) gives what pandas' time series
        and grouping idioms expect: ``datetime64`` dates (``.dt.to_period``,
        ``resample``, ``pd.Grouper``), pandas Categoricals for every vocabulary
        (categories in the codebook's order), nullable integers and booleans; ``arrow``
        keeps every value exactly as stored (Arrow-backed dates without a time, list
        columns as lists), where ``.dt.to_period``, ``resample`` and ``pd.Grouper`` raise.
        With either, a date column's ``==``, ``<``, ``>=``, ``between`` and ``isin`` take
        a day as ``"YYYY-MM-DD"``, ``datetime.date`` or Timestamp and give the right
        rows, and raise for anything else (``"2024-10"``, a number): never silently
        none (:mod:`koreasec_data.frames`).

    Examples
    --------
    >>> events = load("events")
    >>> str(events["date"].dtype)
    'datetime64[ms]'
    >>> int((events["date"] == "2024-10-24").sum()), int(events["date"].isin(["2024-10-24"]).sum())
    (4, 4)
    >>> str(load("events", types="arrow")["date"].dtype)
    'date32[day][pyarrow]'
    >>> load("actors", backend="arrow").schema.field("aliases").type.value_type
    DataType(string)
    >>> load("penguins")
    Traceback (most recent call last):
    ...
    ValueError: unknown table 'penguins'; choose one of: sources, actors, events, event_actors, statements, statement_events, arms_deals, evidence, agreement, disagreements
    >>> load("event")
    Traceback (most recent call last):
    ...
    ValueError: unknown table 'event'; did you mean 'events'?
    """  # noqa: E501
    if backend not in BACKENDS:
        raise ValueError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")
    if types not in (None, *TYPES) or (types is not None and backend != "pandas"):
        message = f"types={types!r}: choose 'numpy' or 'arrow', with backend='pandas'."
        raise ValueError(message)
    if version is not None:
        directory = version_dir(version, directory)
    path = table_file(name, directory)
    if backend == "polars":
        try:
            import polars
        except ImportError:
            message = "backend='polars' needs polars: pip install 'koreasec-data[polars]'"
            raise ImportError(message) from None
        try:
            return polars.read_parquet(path)
        except Exception as error:  # polars' own errors; the file passed the cheap checks
            raise DamagedPackageError(f"{path} is damaged ({error}): {REPAIR}") from None
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as error:  # ArrowInvalid is a ValueError
        raise DamagedPackageError(f"{path} is damaged ({error}): {REPAIR}") from None
    if backend == "arrow":
        return table
    import pandas as pd

    from koreasec_data.frames import DatedFrame

    if types in (None, "numpy"):
        return DatedFrame(_numpy_frame(name, table), copy=False)
    return DatedFrame(table.to_pandas(types_mapper=pd.ArrowDtype), copy=False)


def _numpy_frame(name: str, table):
    """``table`` as a NumPy-style DataFrame: datetime64 dates, Categorical vocabularies
    in the codebook's order, nullable integers and booleans."""
    import pandas as pd
    import pyarrow as pa

    from koreasec_data.schemas import stored_table

    nullable = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    frame = table.to_pandas(date_as_object=False, types_mapper=nullable.get)
    for field in stored_table(name, table.schema).fields:
        if field.categories:
            order = [value for value, _ in field.categories]
            frame[field.name] = pd.Categorical(frame[field.name], categories=order)
    return frame


@typed
def describe(name: str, directory: str | Path | None = None):
    """Describe a table's columns: type, whether required, meaning and vocabulary.

    Read from the table schema stored in the Parquet file itself, so it always
    matches the data. ``attrs["description"]`` holds what one row of the table is, and
    ``attrs["coverage"]`` what the package covers and cannot support.

    Examples
    --------
    >>> columns = describe("events")
    >>> columns.loc["certainty", "values"]["contested"][:34]
    'Asserted by some actors and denied'
    >>> columns.attrs["coverage"][:30]
    'Coverage: 2 news articles (AFP'
    """
    import pandas as pd

    table = stored_schema(name, directory)
    rows = [
        {
            "column": field.name,
            "type": field.type,
            "required": field.required,
            "description": field.description,
            "values": dict(field.categories) if field.categories else None,
        }
        for field in table.fields
    ]
    from koreasec_data.coverage import coverage

    frame = pd.DataFrame(rows).set_index("column")
    frame.attrs["description"] = table.description
    frame.attrs["coverage"] = coverage(folder(directory)).summary()
    return frame


@typed
def package(directory: str | Path | None = None):
    """Return the data package as a ``frictionless.Package`` (needs frictionless).

    Examples
    --------
    >>> package().get_resource("events").format
    'parquet'
    """
    try:
        import frictionless
    except ImportError:
        message = "package() needs frictionless: pip install 'koreasec-data[build]'"
        raise ImportError(message) from None
    return frictionless.Package(str(folder(directory) / "datapackage.json"))
