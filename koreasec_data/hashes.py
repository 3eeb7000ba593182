"""Hashing: the one place that computes the sha256 of bytes and of files.

Every digest in the project (source texts, Parquet files, release archives, cached
downloads) is a lowercase hex SHA-256 made here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_sha256", "files_sha256", "running_sha256", "sha256_of", "stream_sha256"]

#: Bytes read at a time when hashing a file: large archives never sit whole in memory.
CHUNK = 1 << 20


def sha256_of(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``.

    Examples
    --------
    >>> sha256_of(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | Path) -> str:
    """Return the lowercase hex SHA-256 of the file at ``path``, read in chunks.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as file:
    ...     file_sha256(file.name) == sha256_of(b"")
    True
    """
    with open(path, "rb") as file:
        return stream_sha256(file)


def stream_sha256(stream) -> str:
    """Return the lowercase hex SHA-256 of what is left to read in a binary ``stream``.

    Examples
    --------
    >>> import io
    >>> stream_sha256(io.BytesIO(b"")) == sha256_of(b"")
    True
    """
    digest = running_sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def running_sha256():
    """Return a SHA-256 to ``update`` piece by piece, for bytes that pass only once
    (a download as it arrives); ``hexdigest()`` gives the digest.

    Examples
    --------
    >>> digest = running_sha256()
    >>> digest.update(b"")
    >>> digest.hexdigest() == sha256_of(b"")
    True
    """
    return hashlib.sha256()


def files_sha256(directory: str | Path, pattern: str = "*") -> str:
    """Return one SHA-256 of the files below ``directory`` whose names match ``pattern``:
    of each file's path (relative, ``/``-separated) and bytes, in the order of the paths.

    Renaming, adding or removing a file changes it, as does changing a byte.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     before = files_sha256(folder)
    ...     _ = (Path(folder) / "a.txt").write_bytes(b"")
    ...     before != files_sha256(folder) == files_sha256(folder, "*.txt")
    True
    """
    directory = Path(directory)
    digest = running_sha256()
    for path in sorted(path for path in directory.rglob(pattern) if path.is_file()):
        name = path.relative_to(directory).as_posix().encode()
        data = path.read_bytes()
        for part in (name, data):  # each part with its length: no two lists of files collide
            digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()
