"""Write built tables as Parquet with a Frictionless ``datapackage.json`` (read back by
:mod:`koreasec_data.compile.package_files`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from koreasec_data.coverage import coverage_of
from koreasec_data.hashes import file_sha256
from koreasec_data.loader import BYTES_KEY  # also checked on every load

if TYPE_CHECKING:
    from koreasec_data.schemas import Table

__all__ = [
    "BYTES_KEY",
    "DESCRIPTOR",
    "TOOLCHAIN_KEY",
    "file_facts",
    "toolchain",
    "write_package",
    "write_parquet",
]

DESCRIPTOR = "datapackage.json"
#: The versions that built the package (``toolchain()``): what decides its bytes and
#: what counts as valid, so that a cited version can be rebuilt with the same tools.
TOOLCHAIN_KEY = "koreasec:toolchain"
#: The distributions whose versions ``toolchain()`` records.
#: pycountry and countrycode hold the code lists the build checks values against.
_TOOLS = (
    "pyarrow",
    "PyYAML",
    "pandas",
    "numpy",
    "pandera",
    "frictionless",
    "pycountry",
    "countrycode",
)


def toolchain() -> dict[str, str | None]:
    """Return the versions of Python and of every library that builds and checks the data.

    Python is recorded as major.minor (a patch release changes no byte the build
    writes); ``libyaml`` is the C library PyYAML parses with (``None`` when PyYAML runs
    in pure Python); a library that is not installed is ``None``.

    Examples
    --------
    >>> tools = toolchain()
    >>> sorted(tools)[:3]
    ['countrycode', 'frictionless', 'libyaml']
    >>> tools["python"] == ".".join(platform.python_version_tuple()[:2])
    True
    """
    import yaml

    versions: dict[str, str | None] = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in _TOOLS:
        try:
            versions[name.lower()] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name.lower()] = None
    versions["libyaml"] = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else None
    return dict(sorted(versions.items()))


def _created(released: dt.date) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    else:
        moment = dt.datetime.combine(released, dt.time(), tzinfo=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_parquet(directory: Path, tables: Iterable[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """Write one Parquet file per table (``tables``: pairs of name and table) into
    ``directory``; return each file's sha256 and size by table name, as
    ``datapackage.json`` gives them.

    The bytes depend only on the tables and the pyarrow version (recorded in the
    descriptor), so two builds of the same ``raw/`` are byte-identical.
    """
    import pyarrow.parquet as pq

    written = {}
    for name, table in tables:
        path = Path(directory) / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        written[name] = file_facts(path)
    return written


def file_facts(path: Path) -> dict[str, Any]:
    """A file's ``hash`` and ``bytes``, as ``datapackage.json`` gives them."""
    return {"hash": f"sha256:{file_sha256(path)}", BYTES_KEY: path.stat().st_size}


def write_package(
    directory: Path,
    tables: dict[str, Any],
    schemas: dict[str, Table],
    metadata: dict[str, Any],
    citation: dict[str, Any],
    written: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Write one Parquet file per table and ``datapackage.json`` into ``directory``.

    ``written``: what :func:`write_parquet` returned, when it has written the tables
    into ``directory`` already.
    """
    import pyarrow as pa

    written = write_parquet(directory, tables.items()) if written is None else written
    resources = [
        {
            "name": name,
            "path": f"{name}.parquet",
            "profile": "tabular-data-resource",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            **written[name],
            "description": schemas[name].description,
            "schema": schemas[name].declared(),
        }
        for name in tables
    ]
    sources = tables["sources"].to_pylist()
    descriptor = {
        "profile": "tabular-data-package",
        "name": metadata["name"],
        "id": f"{metadata['homepage']}/releases/tag/v{citation['version']}",
        "title": metadata["title"],
        "description": coverage_of(tables).abstract(metadata["description"]),
        "version": str(citation["version"]),
        "created": _created(citation["date-released"]),
        "homepage": metadata["homepage"],
        "licenses": metadata["licenses"],
        "contributors": [
            {
                "title": author.get("name") or f"{author['given-names']} {author['family-names']}",
                "role": "author",
            }
            for author in citation["authors"]
        ],
        "sources": [
            {
                "title": f"{row['publisher'] or 'Unknown publisher'}: {row['headline'].strip()} "
                f"({row['published'].isoformat()})"
            }
            for row in sources
        ],
        "keywords": citation.get("keywords", []),
        "koreasec:writer": {"pyarrow": pa.__version__, "compression": "zstd"},
        TOOLCHAIN_KEY: toolchain(),
        "resources": resources,
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (Path(directory) / DESCRIPTOR).write_text(text, encoding="utf-8", newline="\n")
    return descriptor
