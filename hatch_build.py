"""Hatchling build hook: put the built data package inside the wheel.

In a checkout (raw/sources present) the hook runs the real build into
``koreasec_data/data/`` (git-ignored) and ships it as an artifact. From an sdist,
which carries the built data but not the article texts, it ships the data as built.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DATA = Path("koreasec_data") / "data"


class DataBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        if (root / "raw" / "sources").is_dir():
            sys.path.insert(0, str(root))
            from koreasec_data.compile.build import build
            from koreasec_data.problems import ProblemReport

            try:
                build(root, root / DATA, say=self.app.display_info)
            except ProblemReport as report:
                if version != "editable":
                    raise
                # A curator must still be able to install the command that explains it.
                self.app.display_warning(f"no data packaged; fix raw/ first:\n{report}")
                return
        elif not (root / DATA / "datapackage.json").is_file():
            message = f"{root} has neither raw/sources/ to build from nor built data in {DATA}/"
            raise RuntimeError(message)
        build_data["artifacts"].append(f"/{DATA.as_posix()}/")
