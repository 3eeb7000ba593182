"""The build cache: each article's result, kept by the content it was read from.

A rebuild reads again only the articles whose inputs changed. An entry's key is the
sha256 of everything an article's result depends on: the cache format, the code of the
package, ``schemas/``, the toolchain (as recorded in ``datapackage.json``), the file's
path and its bytes. The text an article names is checked when its entry is used: the
result records the text's sha256, and a text that changed makes the entry unusable.

Each entry starts with the format, its own key and the sha256 of the rest, checked
before anything in it is read: a damaged, truncated or foreign entry is read as missing,
and the article is read again and its entry rewritten. Entries are written whole to a
temporary file and then renamed, so that no reader sees half an entry. The folder is a
build's scratch space, trusted like the checkout it sits in (entries are pickles).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from koreasec_data.hashes import files_sha256, sha256_of

__all__ = ["FORMAT", "BuildCache", "inputs_digest"]

#: The first line of every entry; a new layout of entries gets a new number.
FORMAT = b"koreasec-data build cache 1\n"
_DIGEST = 64  # hex characters of a sha256


def inputs_digest(schema_dir: Path) -> str:
    """The sha256 of what every article's result depends on besides its own file and text:
    the cache format, the package's code, ``schema_dir`` and the toolchain."""
    from koreasec_data.compile.datapackage import toolchain

    package = Path(__file__).resolve().parent.parent
    parts = [
        FORMAT.decode(),
        files_sha256(package, "*.py"),
        files_sha256(schema_dir),
        json.dumps(toolchain(), sort_keys=True),
    ]
    return sha256_of("\n".join(parts).encode())


@dataclass
class BuildCache:
    """Entries in ``directory``, for the inputs whose digest is ``inputs``."""

    directory: Path
    inputs: str
    #: The keys this build used or wrote; :meth:`prune` keeps only these.
    used: set[str] = field(default_factory=set)

    def key(self, file: str, content: bytes) -> str:
        """The key of the result of ``file`` (relative to the project) with ``content``."""
        return sha256_of(f"{self.inputs}\n{file}\n".encode() + content)

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The payload stored under ``key``; None if missing, damaged or not its own."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head = len(FORMAT) + 2 * (_DIGEST + 1)
        stored_key = data[len(FORMAT) : len(FORMAT) + _DIGEST].decode("ascii", "replace")
        digest = data[head - _DIGEST - 1 : head - 1].decode("ascii", "replace")
        payload = data[head:]
        if not data.startswith(FORMAT) or stored_key != key or digest != sha256_of(payload):
            return None
        return payload

    def put(self, key: str, payload: bytes) -> None:
        """Store ``payload`` under ``key``, atomically; a cache that cannot be written is
        left as it is (the build does not need it)."""
        target = self.path(key)
        header = FORMAT + f"{key}\n{sha256_of(payload)}\n".encode("ascii")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", dir=target.parent)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + payload)
            os.replace(temporary, target)
        except OSError:
            Path(temporary).unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries this build did not use, and temporary files left behind."""
        for folder in self.directory.glob("??"):
            for path in folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
