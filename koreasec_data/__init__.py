"""koreasec-data: a pilot dataset of evidence-backed records of Korean peninsula security.

Coverage: 2 news articles (AFP and one of unknown publisher) published 2024-10-24 to
2024-10-25; a pilot coded from a handful of news articles: it illustrates the coding and
lets methods be tried, but supports no counts, trends or comparisons of events.

Load a table in one line::

    import koreasec_data
    events = koreasec_data.load("events")

Importing the package is cheap: the public functions are imported from their modules
on first use, and pyarrow, pandas, pandera and frictionless only by the functions that
need them.
"""

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

__version__ = "0.2.0"

__all__ = [
    "DamagedPackageError",
    "DownloadError",
    "__version__",
    "cite",
    "data_dir",
    "describe",
    "evidence_for",
    "load",
    "package",
    "tables",
    "url",
]

_LAZY = {
    "DamagedPackageError": "koreasec_data.loader",
    "DownloadError": "koreasec_data.download",
    "cite": "koreasec_data.citation",
    "data_dir": "koreasec_data.loader",
    "describe": "koreasec_data.loader",
    "evidence_for": "koreasec_data.evidence",
    "load": "koreasec_data.loader",
    "package": "koreasec_data.loader",
    "tables": "koreasec_data.loader",
    "url": "koreasec_data.urls",
}

if TYPE_CHECKING:
    from koreasec_data.citation import cite
    from koreasec_data.download import DownloadError
    from koreasec_data.evidence import evidence_for
    from koreasec_data.loader import (
        DamagedPackageError,
        data_dir,
        describe,
        load,
        package,
        tables,
    )
    from koreasec_data.urls import url


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'koreasec_data' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY} - {"TYPE_CHECKING"})
