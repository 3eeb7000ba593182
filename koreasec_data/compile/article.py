"""One article file read on its own: its rows as Arrow, its problems, what it waits for.

What :class:`ArticleReader` gives for a file depends only on that file's bytes, the text
it names, ``schemas/`` and the code, so it can be read in a worker process or taken
from the build cache (:mod:`koreasec_data.compile.cache`); :mod:`koreasec_data.compile.raw`
gathers the results in the order of the files. :meth:`ArticleResult.encode` is the one
form results take between processes and in the cache.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koreasec_data.compile.assemble import TableBuilder
from koreasec_data.compile.evidence.items import Source, Waiting
from koreasec_data.compile.reader import RecordReader
from koreasec_data.problems import Problem
from koreasec_data.schemas import Table

__all__ = ["ArticleReader", "ArticleResult"]


@dataclass
class ArticleResult:
    """What one article file gives: rows, problems, its source, evidence that waits."""

    #: The file, relative to the project root (``raw/articles/NAME.yaml``).
    file: str
    #: Table name -> the article's rows, in :attr:`TableBuilder.row_schema` (file number 0).
    batches: dict[str, Any]
    problems: list[Problem]
    #: (table, record id) of records whose problems are reported (see ``RawData``).
    reported: set[tuple[str, str]]
    #: (item, table, record id or None): evidence quoting another article.
    waiting: list[tuple[Waiting, str, str | None]]
    #: source_id -> the article's source as read (normally one).
    sources: dict[str, Source]
    #: False when a source text could not be read or has changed: the result then
    #: depends on more than the bytes of the file and its text, and is not cached.
    cacheable: bool

    def encode(self) -> bytes:
        """The result as bytes, without the texts (they stay in ``raw/sources``)."""
        batches = {name: batch.serialize().to_pybytes() for name, batch in self.batches.items()}
        sources = {
            key: dataclasses.replace(source, text=None) for key, source in self.sources.items()
        }
        fields = {**vars(self), "batches": batches, "sources": sources}
        return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def decode(cls, data: bytes, builders: dict[str, TableBuilder]) -> ArticleResult:
        """Rebuild a result from :meth:`encode`; its sources hold no text."""
        import pyarrow as pa

        fields = pickle.loads(data)
        fields["batches"] = {
            name: pa.ipc.read_record_batch(pa.py_buffer(batch), builders[name].row_schema)
            for name, batch in fields["batches"].items()
        }
        return cls(**fields)


class ArticleReader:
    """Read article files one at a time; one per process, its table builders reused."""

    def __init__(self, root: Path, schemas: dict[str, Table]):
        self.root = Path(root)
        self.schemas = schemas
        self.builders = {name: TableBuilder(schemas[name]) for name in schemas}

    def read(self, path: Path, content: bytes | None = None) -> ArticleResult:
        """Read the article file at ``path`` (in ``root/raw/articles``), whose bytes are
        ``content`` if already read."""
        reader = RecordReader(self.root, self.schemas, self.builders)
        content = reader.load(path, dict, content)
        if content is not None and (source_id := reader.source(path, content)):
            reader.article(path, content, source_id)
        data = reader.finish()
        batches = {
            name: builder.drain() for name, builder in self.builders.items() if builder.pending
        }
        return ArticleResult(
            file=reader.relative(path),
            batches=batches,
            problems=data.problems,
            reported=data.reported,
            waiting=reader.finder.waiting,
            sources=reader.sources,
            cacheable=not data.text_unread,
        )
