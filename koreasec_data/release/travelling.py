"""The texts that travel without the README, regenerated from the coverage statement
(:mod:`koreasec_data.coverage`) of a build: PyPI's summary (``pyproject.toml``), the
abstract of ``CITATION.cff``, ``.zenodo.json`` and the package's docstring.

``python -m koreasec_data.release.travelling [BUILD]`` rewrites them from ``BUILD``
(default ``build``, the checkout's); a test fails when a committed one has drifted.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

__all__ = ["FILES", "travelling_texts"]

#: The files rewritten, relative to the repository's root.
FILES = ("pyproject.toml", "CITATION.cff", ".zenodo.json", "koreasec_data/__init__.py")

_DESCRIPTION = re.compile(r'^description = ".*"$', re.MULTILINE)
#: The docstring's second paragraph, between its first line and "Load a table".
_DOCSTRING = re.compile(r'\A("""[^\n]*\n\n)(.*?)(\n\nLoad a table)', re.DOTALL)


def travelling_texts(root: str | Path, directory: str | Path) -> dict[str, str]:
    """Each file of :data:`FILES` in ``root`` as it should read for the build in
    ``directory``: its text stating the coverage that build has, the rest unchanged.

    Raises
    ------
    ValueError
        If a file no longer has the place its text is written in.
    """
    import yaml

    from koreasec_data.compile.shipped_citation import with_abstract
    from koreasec_data.coverage import coverage
    from koreasec_data.loader import read_descriptor
    from koreasec_data.release.zenodo import zenodo_metadata

    root = Path(root)
    found = coverage(directory)
    current = {name: (root / name).read_text(encoding="utf-8") for name in FILES}
    summary = f"description = {json.dumps(found.one_line())}"
    pyproject, count = _DESCRIPTION.subn(lambda _: summary, current["pyproject.toml"], count=1)
    paragraph = textwrap.fill(found.summary(), width=88, break_on_hyphens=False)
    module, found_doc = _DOCSTRING.subn(
        lambda match: match[1] + paragraph + match[3], current["koreasec_data/__init__.py"]
    )
    if not (count and found_doc):
        raise ValueError("pyproject.toml's description or the package docstring has moved")
    cff = with_abstract(current["CITATION.cff"], read_descriptor(directory)["description"])
    zenodo = zenodo_metadata(yaml.safe_load(cff))
    return {
        "pyproject.toml": pyproject,
        "CITATION.cff": cff,
        ".zenodo.json": json.dumps(zenodo, indent=2, ensure_ascii=False) + "\n",
        "koreasec_data/__init__.py": module,
    }


def main(argv: list[str]) -> None:
    directory = Path(argv[0] if argv else "build")
    for name, text in travelling_texts(Path("."), directory).items():
        path = Path(name)
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            sys.stdout.write(f"rewrote {name} from the coverage of {directory}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
