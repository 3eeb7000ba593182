"""A built package read for the review site: its records, their evidence, and their links.

Which tables get a page, which are shown inside their parent's page, and which records
point at which, all follow from ``datapackage.json``: a table whose records cite
evidence (the vocabulary of ``evidence.record_table``) and whose key is one column has
a page per record; one whose key has several columns (a participant, a statement's
link to an event) is shown on the page of the record its first key column refers to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Link", "Package", "read_package"]


@dataclass(frozen=True)
class Link:
    """A column of ``table`` that refers to a record of ``target``."""

    table: str
    column: str
    target: str


@dataclass
class Package:
    """A built package, as rows, with what the pages need to find and link them."""

    directory: Path
    descriptor: dict[str, Any]
    #: table -> rows (column -> value), in the package's order.
    rows: dict[str, list[dict[str, Any]]]
    #: table -> column -> description.
    descriptions: dict[str, dict[str, str]]
    #: table -> its primary key columns.
    keys: dict[str, tuple[str, ...]]
    #: The tables whose records cite evidence, in package order.
    cited: tuple[str, ...]
    links: tuple[Link, ...]
    #: source_id -> full text; empty when the package carries no texts.
    texts: dict[str, str] = field(default_factory=dict)
    #: (table, record id) -> its evidence rows; each row also has ``number``, its place
    #: in the evidence table, which names its span on the article page.
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    #: source_id -> the evidence rows quoting it.
    by_source: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: (table, column, value) -> the rows of ``table`` whose ``column`` is ``value``.
    referring: dict[tuple[str, str, Any], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def description(self, table: str) -> str:
        """What a row of ``table`` is, from ``datapackage.json``."""
        return _resource(self.descriptor, table).get("description", "")

    def record_id(self, table: str, row: dict[str, Any]) -> str:
        from koreasec_data.schemas import ID_SEPARATOR

        return ID_SEPARATOR.join(str(row[key]) for key in self.keys[table])

    def has_page(self, table: str) -> bool:
        """Whether each record of ``table`` has a page of its own."""
        return table in self.cited and len(self.keys[table]) == 1

    def parent(self, table: str) -> Link | None:
        """For a table shown inside another's pages: the link to that record."""
        if table not in self.cited or self.has_page(table):
            return None
        found = self.link_of.get((table, self.keys[table][0]))
        if found is None:
            raise ValueError(
                f"{table} cites evidence but its first key column refers to no record, so the "
                "site has no page to show it on: give that column a foreign key in schemas/"
            )
        return found

    def by_id(self, table: str, record_id: str) -> dict[str, Any] | None:
        return self._index[table].get(record_id)

    def url(self, table: str, row: dict[str, Any]) -> str:
        """Where a record is shown, relative to the site's root."""
        if table == "sources":
            return f"articles/{row['source_id']}.html"
        if self.has_page(table):
            return f"records/{table}/{row[self.keys[table][0]]}.html"
        parent = self.parent(table)
        if parent is None:
            return f"tables/{table}.html"
        owner = self.url(parent.target, {self.keys[parent.target][0]: row[parent.column]})
        return f"{owner}#{anchor(table, self.record_id(table, row))}"

    def referrers(self, table: str, row: dict[str, Any]) -> list[tuple[Link, list[dict]]]:
        """The cited rows that refer to this record, by the column that refers to it."""
        found = []
        for link in self.links:
            if link.target == table and link.table in self.cited:
                rows = self.referring.get((link.table, link.column, row[self.keys[table][0]]))
                if rows and not (link.table == table and rows == [row]):
                    found.append((link, rows))
        return found

    def __post_init__(self):
        #: (table, column) -> the link of a column that refers to a record.
        self.link_of = {(link.table, link.column): link for link in self.links}
        self._index = {
            table: {self.record_id(table, row): row for row in rows}
            for table, rows in self.rows.items()
        }


def anchor(table: str, record_id: str) -> str:
    """The HTML id of a record shown inside another page."""
    return f"{table}-{record_id.replace('/', '--')}"


def read_package(directory: str | Path | None, texts: str | Path | None = None) -> Package:
    """Read the package in ``directory`` (default: the installed data).

    ``texts`` is a folder of the articles' texts (``raw/sources`` of a checkout); each is
    used only if its sha256 is the one the package records.
    """
    from koreasec_data.loader import folder, load, read_descriptor

    root = folder(directory)
    descriptor = read_descriptor(root)
    rows, descriptions, keys, links = {}, {}, {}, []
    for resource in descriptor["resources"]:
        name, schema = resource["name"], resource["schema"]
        rows[name] = load(name, backend="arrow", directory=root).to_pylist()
        descriptions[name] = {
            item["name"]: item.get("description", "") for item in schema["fields"]
        }
        keys[name] = tuple(schema["primaryKey"])
        for foreign in schema.get("foreignKeys", []):
            target = foreign["reference"]["resource"] or name
            links += [Link(name, column, target) for column in foreign["fields"]]
    record_tables = next(
        item
        for item in _resource(descriptor, "evidence")["schema"]["fields"]
        if item["name"] == "record_table"
    )["constraints"]["enum"]
    cited = tuple(name for name in rows if name in record_tables)
    package = Package(root, descriptor, rows, descriptions, keys, cited, tuple(links))
    if texts is not None:
        package.texts = read_texts(Path(texts), rows["sources"])
    for number, item in enumerate(rows["evidence"]):
        item["number"] = number
        package.evidence.setdefault((item["record_table"], item["record_id"]), []).append(item)
        package.by_source.setdefault(item["source_id"], []).append(item)
    referring = defaultdict(list)
    for link in links:
        for row in rows[link.table]:
            if row[link.column] is not None:
                referring[(link.table, link.column, row[link.column])].append(row)
    package.referring = dict(referring)
    return package


def _resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in descriptor["resources"] if item["name"] == name)


def read_texts(folder: Path, sources: list[dict[str, Any]]) -> dict[str, str]:
    """The texts of ``sources`` in ``folder``, each checked against its recorded sha256.

    Raises
    ------
    ValueError
        If a text is missing or is not the one the package was built from.
    """
    from koreasec_data.hashes import sha256_of

    texts = {}
    for source in sources:
        path = folder / source["file_name"]
        if not path.is_file():
            raise ValueError(
                f"{path} is missing: give --texts the raw/sources folder of the checkout "
                "the package was built from, or leave it out for a report without texts"
            )
        data = path.read_bytes()
        if sha256_of(data) != source["sha256"]:
            raise ValueError(
                f"{path} is not the text {source['source_id']} was coded from (its sha256 "
                "differs): rebuild the package from this checkout, or leave --texts out"
            )
        texts[source["source_id"]] = data.decode("utf-8")
    return texts
