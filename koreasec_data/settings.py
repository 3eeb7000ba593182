"""Every setting a user can change, declared once: its environment variable and default.

Settings are read from the environment each time they are asked for (:func:`current`),
so a test or a long-running session that changes a variable is heard at once.

==========================  =========================================================
variable                    meaning
==========================  =========================================================
KOREASEC_DATA_BASE_URL      a mirror of the release page, https:// or file:// (default: GitHub)
KOREASEC_DATA_CACHE         the download cache folder (default: the user cache)
KOREASEC_DATA_OFFLINE       ``1``: never use the network, read only what is cached
KOREASEC_DATA_TIMEOUT       seconds without data before a download is abandoned (30)
KOREASEC_DATA_RETRIES       further tries after a failed download (2)
KOREASEC_DATA_DEADLINE      seconds one download may take in all, however slow (600)
KOREASEC_DATA_BUILD_CACHE   the build cache folder (default: ROOT/.buildcache)
KOREASEC_DATA_WORKERS       processes that read articles in a build (default: one per core)
KOREASEC_DATA_RELEASE_API   the GitHub REST API releases are published to (maintainers)
==========================  =========================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BASE_URL", "BUILD_CACHE", "ENV", "REPOSITORY", "Settings", "current"]

#: The GitHub repository whose releases are the published versions.
REPOSITORY = "koreasec-data/koreasec-data"
BASE_URL = f"https://github.com/{REPOSITORY}/releases/download"

#: Setting name -> its environment variable.
ENV = {
    "base_url": "KOREASEC_DATA_BASE_URL",
    "cache": "KOREASEC_DATA_CACHE",
    "offline": "KOREASEC_DATA_OFFLINE",
    "timeout": "KOREASEC_DATA_TIMEOUT",
    "retries": "KOREASEC_DATA_RETRIES",
    "deadline": "KOREASEC_DATA_DEADLINE",
    "build_cache": "KOREASEC_DATA_BUILD_CACHE",
    "workers": "KOREASEC_DATA_WORKERS",
    "release_api": "KOREASEC_DATA_RELEASE_API",
}
#: The build cache's folder in a project (``ROOT/.buildcache``) when not set: not
#: ``.build-*``, the temporary folders a build removes beside ``build/``.
BUILD_CACHE = ".buildcache"


@dataclass(frozen=True)
class Settings:
    """The settings in force: see the module's table."""

    base_url: str = BASE_URL
    cache: Path | None = None  # None: the platform's user cache
    offline: bool = False
    timeout: float = 30.0
    retries: int = 2
    deadline: float = 600.0
    build_cache: Path | None = None  # None: ROOT/.buildcache
    workers: int | None = None  # None: one per core, when the corpus is large enough
    release_api: str = "https://api.github.com"


def _number(name: str, kind: type, default):
    text = os.environ.get(ENV[name], "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0:
        message = f"{ENV[name]}={text!r} must be a number of at least 0 (default {default})"
        raise ValueError(message)
    return value


def current() -> Settings:
    """Return the settings in force now, from the environment.

    Examples
    --------
    >>> import os
    >>> os.environ["KOREASEC_DATA_RETRIES"] = "0"
    >>> current().retries
    0
    >>> del os.environ["KOREASEC_DATA_RETRIES"]
    >>> current().retries
    2
    """
    defaults = Settings()
    cache = os.environ.get(ENV["cache"])
    build_cache = os.environ.get(ENV["build_cache"])
    return Settings(
        base_url=(os.environ.get(ENV["base_url"]) or defaults.base_url).rstrip("/"),
        cache=Path(cache) if cache else None,
        offline=os.environ.get(ENV["offline"], "") not in ("", "0"),
        timeout=_number("timeout", float, defaults.timeout),
        retries=_number("retries", int, defaults.retries),
        deadline=_number("deadline", float, defaults.deadline),
        build_cache=Path(build_cache) if build_cache else None,
        workers=_number("workers", int, defaults.workers),
        release_api=(os.environ.get(ENV["release_api"]) or defaults.release_api).rstrip("/"),
    )
