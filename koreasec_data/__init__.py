"""koreasec-data: evidence-backed records of security on the Korean peninsula.

Load a table in one line::

    import koreasec_data
    events = koreasec_data.load("events")

Importing the package is cheap: pyarrow, pandas, pandera and frictionless are
imported only by the functions that need them.
"""

from koreasec_data.citation import cite
from koreasec_data.loader import data_dir, describe, load, package, tables

__version__ = "0.1.0"

__all__ = ["__version__", "cite", "data_dir", "describe", "load", "package", "tables"]
