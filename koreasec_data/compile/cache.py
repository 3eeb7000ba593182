"""The build cache: the last build's article results, kept by the content they were read from.

A rebuild reads again only the articles whose inputs changed. An article's key is the
sha256 of everything its result depends on: the cache format, the code of the package,
``schemas/``, the toolchain (as recorded in ``datapackage.json``), the file's path and its
bytes. The texts an article names are checked when its result is reused: the result
records each text's sha256, and a text that changed makes it unusable.

The cache is one *pack* (``CACHE/pack``): every article's rows of the last build, one
Arrow IPC file per table in the order of the files (so a run of unchanged articles is one
slice of it, taken without copying), the evidence placed for their quotes of other
articles (:data:`PLACED_TABLE`), the rest of each article's result, and what the build kept
with each article once checked (:mod:`koreasec_data.compile.reuse`: the problems its rows'
own checks found, so that they are not checked again). Its ``index`` starts with the
format, the digest of the inputs and the sha256 of the rest, which names the sha256 of
every other file: all are checked before anything is used, and a damaged, truncated or
foreign pack is read as missing (every article is read again and the pack rewritten). A
pack is written into a folder of its own, then swapped in (:mod:`koreasec_data.folders`),
so that no build sees half of one. The folder is a build's scratch space, trusted like the
checkout it sits in (the index holds pickles).
"""

from __future__ import annotations

import json
import pickle
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from koreasec_data.folders import holds_other_files, write_atomically
from koreasec_data.hashes import file_sha256, files_sha256, running_sha256, sha256_of

__all__ = ["FORMAT", "PLACED_TABLE", "BuildCache", "Pack", "Packed", "Staged", "inputs_digest"]

#: The first line of the index; a new layout of the pack gets a new number.
FORMAT = b"koreasec-data build cache 2\n"
INDEX = "index"
ARTICLES = "articles.pickle"
#: The pack's table of evidence placed for quotes of other articles.
PLACED_TABLE = "placed"
#: Threads that read, hash and write the pack's files (the work is in C, without the GIL).
THREADS = 4
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
class Packed:
    """One article of a pack: its key (None: not to be reused), its result without rows
    (an :class:`~koreasec_data.compile.article.ArticleResult` whose ``batches`` are empty)
    and its rows' count in each table."""

    key: str | None
    result: Any
    rows: dict[str, int]

    def pickled(self) -> bytes:
        """The article as the pack stores it: as it was read from a pack, or pickled now
        (an unchanged article is not pickled again)."""
        return getattr(self, "_pickled", None) or pickle.dumps(self, protocol=5)


@dataclass
class Pack:
    """A pack as read: its articles in order, what the build kept with each article once
    checked (:class:`koreasec_data.compile.reuse.Kept`) and, once read by threads while the
    build looks up its articles, their rows: Arrow tables, the articles' rows one after
    another, and the evidence placed for their quotes of other articles (the table
    :data:`PLACED_TABLE`, an article's rows after another's)."""

    articles: list[Packed]
    kept: list[Any]
    #: Table name -> the future bytes of its Arrow file (None: not the recorded bytes).
    reading: dict[str, Any]

    def __post_init__(self):
        #: key -> the article's number in the pack.
        self.number = {packed.key: n for n, packed in enumerate(self.articles) if packed.key}
        self._tables: dict[str, Any] | None = None
        self._starts: dict[str, list[int]] = {}

    def tables(self) -> dict[str, Any] | None:
        """Every table of the pack, once read (None if any file is not as recorded)."""
        import pyarrow as pa

        if self._tables is None and self.reading:
            contents = {name: future.result() for name, future in self.reading.items()}
            self.reading = {}
            if all(content is not None for content in contents.values()):
                self._tables = {  # read whole, not mapped: freed once the build took the rows
                    name: pa.ipc.open_file(pa.py_buffer(content)).read_all()
                    for name, content in contents.items()
                }
        return self._tables

    @property
    def placed(self):
        return (self.tables() or {}).get(PLACED_TABLE)

    def rows(self, first: int, count: int) -> dict[str, Any]:
        """The rows of articles ``first`` to ``first + count - 1``, by table (slices)."""
        sliced = {}
        for name, table in self.tables().items():
            if name == PLACED_TABLE:
                continue
            if name not in self._starts:  # where each article's rows start, and the end
                starts = [0]
                for packed in self.articles:
                    starts.append(starts[-1] + packed.rows.get(name, 0))
                self._starts[name] = starts
            start, end = self._starts[name][first], self._starts[name][first + count]
            sliced[name] = table.slice(start, end - start)
        return sliced


@dataclass
class BuildCache:
    """The pack in ``directory``, for the inputs whose digest is ``inputs``."""

    directory: Path
    inputs: str

    def key(self, file: str, content: bytes) -> str:
        """The key of the result of ``file`` (relative to the project) with ``content``."""
        digest = running_sha256()  # not joined first: a copy of every article's bytes
        digest.update(f"{self.inputs}\n{file}\n".encode())
        digest.update(content)
        return digest.hexdigest()

    @property
    def folder(self) -> Path:
        return Path(self.directory) / "pack"

    def load(self) -> Pack | None:
        """The pack, if made from these inputs, its index and articles intact; its tables
        are read and checked by threads meanwhile (see :meth:`Pack.tables`)."""
        index = self._index()
        if index is None:
            return None
        files = dict(index["files"])
        content = self._read((ARTICLES, files.pop(ARTICLES)))
        if content is None:
            return None
        articles = []
        for pickled in pickle.loads(content):
            articles.append(pickle.loads(pickled))
            articles[-1]._pickled = pickled
        pool = ThreadPoolExecutor(THREADS)  # reading and hashing let go of the GIL
        reading = {
            name.removesuffix(".arrow"): pool.submit(self._read, (name, digest))
            for name, digest in files.items()
        }
        pool.shutdown(wait=False)
        return Pack(articles, index["kept"], reading)

    def _read(self, named: tuple[str, str]) -> bytes | None:
        """The bytes of the pack's file ``named`` (name, sha256), if it has that sha256."""
        name, digest = named
        try:
            content = (self.folder / name).read_bytes()
        except OSError:
            return None
        return content if sha256_of(content) == digest else None

    def _index(self) -> dict[str, Any] | None:
        try:
            data = (self.folder / INDEX).read_bytes()
        except OSError:
            return None
        head = len(FORMAT) + 2 * (_DIGEST + 1)
        inputs = data[len(FORMAT) : len(FORMAT) + _DIGEST].decode("ascii", "replace")
        digest = data[head - _DIGEST - 1 : head - 1].decode("ascii", "replace")
        payload = data[head:]
        if not data.startswith(FORMAT) or inputs != self.inputs or digest != sha256_of(payload):
            return None
        return pickle.loads(payload)

    def stage(self, articles: list[Packed], tables: dict[str, Any]) -> Staged | None:
        """Start writing a new pack's articles and rows (``tables``: every article's rows,
        in order; written by a thread while the build goes on); it is used once
        :meth:`Staged.commit` adds what was kept. None when the cache cannot be written
        (the build does not need it) or its folder is not ours."""
        staging = Path(self.directory) / "staging"
        if holds_other_files(self.folder, INDEX):
            return None
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            content = pickle.dumps([packed.pickled() for packed in articles], protocol=5)
            (staging / ARTICLES).write_bytes(content)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return None
        staged = Staged(self, staging, {ARTICLES: sha256_of(content)})
        staged.write_tables(tables)
        return staged


@dataclass
class Staged:
    """A pack written but for its index."""

    cache: BuildCache
    staging: Path
    digests: dict[str, str]
    failed: bool = False
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(THREADS))
    _writing: list = field(default_factory=list)

    def write_tables(self, tables: dict[str, Any]) -> None:
        """Start writing each of ``tables`` (name -> Arrow table) into the pack, by threads
        while the build goes on (:meth:`wait` waits for them)."""
        self._writing += [self._pool.submit(self._write, *named) for named in tables.items()]

    def _write(self, name: str, table) -> tuple[str, str] | None:
        """Write one table; return its file's name and sha256 (None: it could not be)."""
        import pyarrow as pa

        path = self.staging / f"{name}.arrow"
        try:
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
                out.write_table(table)
            return path.name, file_sha256(path)
        except OSError:
            return None

    def wait(self) -> None:
        """Wait until the rows are written (the build lets go of them after this)."""
        written, self._writing = [future.result() for future in self._writing], []
        self.failed = self.failed or None in written
        self.digests.update(named for named in written if named is not None)

    def commit(self, kept: list[Any]) -> None:
        """Add what the build kept with each article once checked; swap the pack in."""
        self.wait()
        if self.failed:
            self.abandon()
            return
        payload = pickle.dumps({"files": self.digests, "kept": kept}, protocol=5)
        header = FORMAT + f"{self.cache.inputs}\n{sha256_of(payload)}\n".encode("ascii")

        def write(folder: Path) -> None:
            for name in self.digests:
                (self.staging / name).rename(folder / name)
            (folder / INDEX).write_bytes(header + payload)

        try:
            write_atomically(self.cache.folder, write, say=lambda message: None)
        except OSError:
            pass  # the build does not need its cache
        finally:
            self.abandon()

    def abandon(self) -> None:
        self.wait()
        self._pool.shutdown()
        shutil.rmtree(self.staging, ignore_errors=True)
