"""Cite the exact version of the data, from the CITATION.cff shipped with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from koreasec_data.arguments import choose, typed

__all__ = ["STYLES", "cite"]

STYLES = ("bibtex", "apa", "cff")


def _citation_file(directory: str | Path | None) -> Path:
    from koreasec_data.loader import folder

    path = folder(directory) / "CITATION.cff"
    if path.is_file():
        return path
    raise FileNotFoundError(
        f"{path.parent} holds no CITATION.cff: give the folder of a built package, a "
        "downloaded version or an export (koreasec-data export writes one into each)"
    )


def _authors(citation: dict[str, Any], style: str) -> list[str]:
    names = []
    for author in citation["authors"]:
        if "name" in author:
            names.append(f"{{{author['name']}}}" if style == "bibtex" else author["name"])
        elif style == "bibtex":
            names.append(f"{author['family-names']}, {author['given-names']}")
        else:
            initials = " ".join(f"{part[0]}." for part in author["given-names"].split())
            names.append(f"{author['family-names']}, {initials}")
    return names


@typed
def cite(
    style: str = "bibtex", directory: str | Path | None = None, version: str | None = None
) -> str:
    """Return a citation of the installed data version, or of the one you loaded.

    Parameters
    ----------
    style : {"bibtex", "apa", "cff"}
        In any case (``APA``, ``BibTeX``). ``cff`` returns the CITATION.cff file itself.
    directory : path, optional
        A folder to cite instead of the installed data: a built package, a downloaded
        version or an export of any format (each carries its ``CITATION.cff``).
    version : str, optional
        A released version to cite (as loaded with ``load(..., version=...)``), from the
        CITATION.cff that version carries.

    Examples
    --------
    >>> from koreasec_data import __version__
    >>> f"version = {{{__version__}}}" in cite("bibtex")
    True
    >>> f"(Version {__version__}) [Data set]" in cite("APA")
    True
    """
    style = choose("citation style", style.lower(), STYLES)
    if version is not None:
        from koreasec_data.loader import version_dir

        directory = version_dir(version, directory)
    path = _citation_file(directory)
    text = path.read_text(encoding="utf-8")
    if style == "cff":
        return text
    citation = _read_citation(path, text)
    version = str(citation["version"])
    year = citation["date-released"].year
    # One URL in every style: the release of this version (as in CITATION.cff's
    # identifiers), else the project's home page.
    release = [i["value"] for i in citation.get("identifiers", []) if i["type"] == "url"]
    url = (release or [citation.get("url") or citation.get("repository-code", "")])[0]
    doi = next((i["value"] for i in citation.get("identifiers", []) if i["type"] == "doi"), None)
    if style == "apa":
        authors = ", ".join(_authors(citation, style))
        locator = f"https://doi.org/{doi}" if doi else url
        authors += "" if authors.endswith(".") else "."  # APA: "Group name. (2026)."
        return f"{authors} ({year}). {citation['title']} (Version {version}) [Data set]. {locator}"
    key = f"koreasec_data_{version.replace('.', '_')}"
    fields = {
        "title": f"{{{citation['title']}}}",
        "author": " and ".join(_authors(citation, style)),
        "year": str(year),
        "version": version,
        "url": url,
        "doi": doi,
        "note": f"Dataset, version {version}, licensed {citation.get('license', 'see source')}",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@misc{{{key},\n{body}\n}}\n"


def _read_citation(path, text: str) -> dict:
    """CITATION.cff's fields, or :class:`~koreasec_data.damage.DamagedPackageError`
    naming the file when it is not YAML holding a version, date, title and authors.

    Examples
    --------
    >>> _read_citation("CITATION.cff", "version: [")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    koreasec_data.damage.DamagedPackageError: CITATION.cff is damaged (not YAML: ...
    """
    import datetime as dt

    import yaml

    from koreasec_data.damage import damaged

    try:
        citation = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise damaged(path, f"not YAML: {str(error).splitlines()[0]}") from None
    needed = {"version": object, "date-released": dt.date, "title": str, "authors": list}
    if not isinstance(citation, dict) or not all(
        isinstance(citation.get(key), kind) for key, kind in needed.items()
    ):
        raise damaged(path, f"it lacks one of {', '.join(needed)}")
    return citation
