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

__all__ = ["StagedFolder", "holds_other_files", "write_atomically"]


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
    with StagedFolder(out, say) as staged:
        write(staged.path)
        staged.commit()


class StagedFolder:
    """A fresh folder (:attr:`path`) beside ``out``, swapped in as ``out`` by
    :meth:`commit`; leaving the ``with`` block without a commit removes it, and ``out``
    is as it was. For writes that start before it is known whether they will be kept
    (the build writes its Parquet files while the tables are checked). Folders a killed
    build left beside ``out`` are removed first.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as name:
    ...     out = Path(name) / "build"
    ...     with StagedFolder(out) as staged:
    ...         _ = (staged.path / "a.txt").write_text("kept")
    ...         staged.commit()
    ...     with StagedFolder(out) as staged:
    ...         _ = (staged.path / "b.txt").write_text("not kept")
    ...     sorted(path.name for path in Path(name).rglob("*"))
    ['a.txt', 'build']
    """

    def __init__(self, out: Path, say=say):
        self.out, self.say = Path(out), say
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.out, say)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-", dir=self.out.parent))

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, *raised) -> None:
        shutil.rmtree(self.path, ignore_errors=True)  # gone already once committed

    def commit(self) -> None:
        """Swap the folder in as ``out``. A previous ``out`` that cannot be removed
        afterwards is reported, not raised: the new one is in place."""
        self.path.chmod(0o755)
        old = None
        try:
            if self.out.exists():
                old = self.path.with_name(self.path.name + "-old")
                self.out.rename(old)
            self.path.rename(self.out)
        except BaseException:  # interrupted mid-swap: put the previous build back
            if old is not None and old.exists() and not self.out.exists():
                old.rename(self.out)
            raise
        if old is not None:
            try:
                shutil.rmtree(old)
            except OSError as error:  # out is the new build already: say so, do not fail
                self.say(
                    f"{self.out} is built; the previous build, moved to {old}, could not be "
                    f"removed ({error.strerror or error}): remove it by hand"
                )


def _remove_leftovers(out: Path, say) -> None:
    """Remove the temporary folders (``.NAME-*``) a killed build left beside ``out``."""
    for path in out.parent.glob(f".{out.name}-*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            say(f"removed {path}, left by an interrupted build")
