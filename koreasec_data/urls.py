"""Where a released table is published: its URL and sha256, for reading it in place.

Every release publishes each table's Parquet file as an asset of its own, beside the
archive, so DuckDB, polars, Spark or a browser read one table over HTTP without the
zip. The URL honours ``KOREASEC_DATA_BASE_URL`` (a mirror with the release page's
layout); the sha256 and size come from the registry shipped in this package.
"""

from __future__ import annotations

from koreasec_data import settings
from koreasec_data.registry import read_registry

__all__ = ["PublishedFile", "url"]


class PublishedFile(str):
    """A published file's URL (a ``str``, so any reader takes it as it is), with the
    ``sha256`` and ``size`` the registry records for it.

    Examples
    --------
    >>> found = PublishedFile("https://example.org/v1.0.0/events.parquet", "ab" * 32, 10)
    >>> found.endswith("events.parquet"), found.size
    (True, 10)
    """

    sha256: str
    size: int

    def __new__(cls, address: str, sha256: str, size: int) -> PublishedFile:
        published = super().__new__(cls, address)
        published.sha256, published.size = sha256, size
        return published


def url(table: str, version: str | None = None) -> PublishedFile:
    """Return the published URL of ``table``'s Parquet file in release ``version``
    (default: the installed version), with its sha256 and size from the registry.

    ``duckdb.sql(f"SELECT * FROM '{url('events')}'")`` or
    ``polars.scan_parquet(url("events"))`` then read the table where it is published.

    Raises
    ------
    ValueError
        For a version that is not published (the published ones are listed) or a table
        that release does not have (its tables are listed).
    """
    from koreasec_data import __version__

    version = (version or __version__).removeprefix("v")
    registry = read_registry()
    if version not in registry:
        published = ", ".join(registry) or "none yet"
        raise ValueError(
            f"version {version} is not published, so it has no URL; published versions: "
            f"{published}. Read the installed data with koreasec_data.load() instead"
        )
    assets = registry[version].get("assets", {})
    asset = assets.get(f"{table}.parquet")
    if asset is None:
        names = sorted(
            name.removesuffix(".parquet") for name in assets if name.endswith(".parquet")
        )
        raise ValueError(
            f"release {version} has no table {table!r}; its tables: {', '.join(names) or 'none'}"
        )
    address = f"{settings.current().base_url}/v{version}/{table}.parquet"
    return PublishedFile(address, asset["sha256"], asset["size"])
