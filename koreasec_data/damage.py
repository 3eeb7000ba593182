"""A package file that cannot be read: the error that names it and how to repair it, and
the Parquet readers that raise it in place of pyarrow's nameless errors."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REPAIR", "DamagedPackageError", "damaged", "read_metadata", "read_table"]

REPAIR = (
    "reinstall it (pip install --force-reinstall koreasec-data), or run "
    "'koreasec-data validate DIR' on a package folder"
)


class DamagedPackageError(ValueError):
    """A package file is missing, of the wrong size, another table's, or unreadable."""


def damaged(path: Path, why: object) -> DamagedPackageError:
    """The error for the damaged file ``path``, saying ``why`` and how to repair it.

    Examples
    --------
    >>> print(damaged(Path("data/events.parquet"), "missing"))  # doctest: +ELLIPSIS
    data/events.parquet is damaged (missing): reinstall it (pip install --force-reinstall ...
    """
    return DamagedPackageError(f"{path} is damaged ({why}): {REPAIR}")


def read_table(path: Path, **options):
    """``pyarrow.parquet.read_table(path, **options)``, a damaged file named as such."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path, **options)
    except (OSError, ValueError) as error:  # ArrowInvalid is a ValueError
        raise damaged(path, error) from None


def read_metadata(path: Path):
    """``pyarrow.parquet.read_metadata(path)``, a damaged file named as such."""
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path)
    except (OSError, ValueError) as error:
        raise damaged(path, error) from None
