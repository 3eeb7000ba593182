"""A folder written whole or not at all: into a temporary folder beside it, then swapped in.

Used by the build (``build/``) and the review site (``koreasec-data report``), so that an
interrupted or failed write never leaves half a folder where a reader looks.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from koreasec_data.problems import say

__all__ = ["holds_other_files", "write_atomically"]


def holds_other_files(folder: Path, marker: str) -> bool:
    """Whether ``folder`` holds files that no earlier write of its kind left (it lacks
    ``marker``, the file every such write puts in it): replacing it would lose them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     empty = holds_other_files(Path(name), "datapackage.json")
    ...     _ = (Path(name) / "notes.txt").write_text("mine")
    ...     empty, holds_other_files(Path(name), "datapackage.json")
    (False, True)
    """
    folder = Path(folder)
    return folder.is_dir() and any(folder.iterdir()) and not (folder / marker).is_file()


def write_atomically(out: Path, write: Callable[[Path], None], say=say) -> None:
    """Call ``write(tmp)`` on a fresh directory beside ``out``, then swap it in as ``out``.

    If ``write`` raises (or the process is interrupted), ``out`` is untouched and the
    temporary directory is removed. Once the swap is done the write has succeeded: a
    previous build that cannot be removed is reported, not raised. Folders a killed
    build left beside ``out`` are removed first.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out, say)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    old = None
    try:
        write(tmp)
        tmp.chmod(0o755)
        try:
            if out.exists():
                old = tmp.with_name(tmp.name + "-old")
                out.rename(old)
            tmp.rename(out)
        except BaseException:  # interrupted mid-swap: put the previous build back
            if old is not None and old.exists() and not out.exists():
                old.rename(out)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        try:
            shutil.rmtree(old)
        except OSError as error:  # out is the new build already: say so, do not fail
            say(
                f"{out} is built; the previous build, moved to {old}, could not be removed "
                f"({error.strerror or error}): remove it by hand"
            )


def _remove_leftovers(out: Path, say) -> None:
    """Remove the temporary folders (``.NAME-*``) a killed build left beside ``out``."""
    for path in out.parent.glob(f".{out.name}-*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            say(f"removed {path}, left by an interrupted build")
