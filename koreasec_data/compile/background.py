"""Work run beside the build's own thread: the sort of the largest table, the Parquet
files written while the tables are checked, the checks of the evidence beside the others.

Arrow sorts, compresses and computes without the GIL, so a second thread uses the second
core. Daemon threads: an interrupted build removes its folder and ends without waiting
for them (a thread pool's threads are waited for at exit).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

__all__ = ["done", "in_background"]


def in_background(function, *args) -> Future:
    """Run ``function(*args)`` in a daemon thread; return its future.

    Examples
    --------
    >>> in_background(sum, [1, 2]).result()
    3
    """
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=run, name=function.__qualname__, daemon=True).start()
    return future


def done(value) -> Future:
    """A future that has ``value`` already, beside those of :func:`in_background`.

    Examples
    --------
    >>> done(3).result()
    3
    """
    future: Future = Future()
    future.set_result(value)
    return future
