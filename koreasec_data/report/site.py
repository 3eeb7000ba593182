"""``koreasec-data report``: the static review site of a built package, written whole.

Plain HTML, one stylesheet and one small script, no network: it works from ``file://``
and from any static host. Pages (paths relative to the site's root):

- ``index.html``: coverage, counts, version and citation, links to everything;
- ``articles/<source_id>.html``: an article, its text with every evidence span marked
  (only when the texts are given: a checkout keeps them, a package does not carry them),
  and the list of its spans with their records;
- ``records/<table>/<id>.html``: a record, every column with its description, its
  evidence in context, and the records that refer to it (participants, statements,
  deals);
- ``tables/<table>.html``: a whole table, filtered as you type;
- ``contested.html``: contested and denied events, who asserts and who denies;
- ``timeline.html``: the dated events on one axis, by event type or by actor.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from koreasec_data.folders import holds_other_files, write_atomically
from koreasec_data.report import pages, values
from koreasec_data.report.model import Package, read_package

__all__ = ["write_report"]

STATIC = Path(__file__).parent / "static"
#: Written into every site: only a folder holding it is replaced by a new site.
MARKER = ".koreasec-data-report"


def _environment():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("koreasec_data.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=values.visible,  # every value a template prints
    )
    environment.filters["shown"] = values.shown
    environment.filters["when"] = values.when
    return environment


def write_report(
    dest: str | Path, directory: str | Path | None = None, texts: str | Path | None = None
) -> list[Path]:
    """Write the review site of the package in ``directory`` (default: installed) to ``dest``.

    Parameters
    ----------
    dest : path
        The site's folder: new, empty, or an earlier site, which is replaced whole once
        every page is written.
    directory : path, optional
        A built package folder (default: the installed data).
    texts : path, optional
        The folder of the article texts (``raw/sources`` of the checkout the package was
        built from). Without it, pages show the quotes but no article's full text.

    Returns
    -------
    list of Path
        Every file written, relative to ``dest``.
    """
    dest = Path(dest)
    _check_dest(dest)
    package = read_package(directory, texts)
    written: list[Path] = []

    def write(folder: Path) -> None:
        environment, common = _environment(), _common(package)
        for path, template, context in pages.every_page(package):
            depth = path.count("/")
            html = environment.get_template(template).render(
                package=package, base="../" * depth, page=path, **context, **common
            )
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8", newline="\n")
            written.append(Path(path))
        for asset in sorted(STATIC.iterdir()):
            shutil.copyfile(asset, folder / asset.name)
            written.append(Path(asset.name))
        (folder / MARKER).write_text(
            f"koreasec-data {package.version} review site\n", encoding="utf-8", newline="\n"
        )
        written.append(Path(MARKER))

    write_atomically(dest, write)
    return written


def _check_dest(dest: Path) -> None:
    """A site replaces only an earlier site: never a file, a folder of other files, or the
    folder the command runs in."""
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} is a file: choose a new folder for the site, e.g. --dest site")
    if dest.resolve() == Path.cwd().resolve():
        raise ValueError(f"{dest} is the current folder: choose a new folder, e.g. --dest site")
    if holds_other_files(dest, MARKER):
        raise ValueError(
            f"{dest} holds files that are not a review site, which writing the site would "
            "remove: choose a new or empty folder, e.g. --dest site"
        )


def _common(package: Package) -> dict[str, Any]:
    """What every page shows: the version, the tables, whether the texts are in."""
    return {
        "version": package.version,
        "title": package.descriptor.get("title", package.descriptor["name"]),
        "with_texts": bool(package.texts),
        "tables": list(package.rows),
    }
