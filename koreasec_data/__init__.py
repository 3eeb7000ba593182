"""koreasec-data: evidence-backed records of security on the Korean peninsula.

Importing the package is cheap: pyarrow, pandas, pandera and frictionless are
imported only by the functions that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
