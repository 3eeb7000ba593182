"""One transfer of a release archive, bounded by what the registry records.

The downloader pooch calls: it reads the body as it arrives (over HTTP(S), or from a
``file://`` mirror), stops at the release's size and at the overall deadline, and checks
the sha256 itself. :mod:`koreasec_data.download` decides what to fetch, retries what
may recover, and unpacks.

While a transfer writes its partial file (pooch's ``tmp*`` beside the archive), a file
named after it with ``.owner`` holds the host and process id writing it, so that a later
download can tell a partial whose process was killed from one still being written
(:func:`abandoned`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from pathlib import Path

from koreasec_data import settings
from koreasec_data.hashes import running_sha256

__all__ = ["OWNER", "Bounded", "DownloadError", "abandoned"]

#: The suffix of the file naming the process that writes a partial download.
OWNER = ".owner"


class DownloadError(Exception):
    """A version could not be fetched; the message says why and what to do."""


class Bounded:
    """A pooch downloader bounded by what the registry knows: it stops at the release's
    recorded size and at the overall deadline, and checks the sha256 itself, since no
    retry can mend a file that is not the release (releases never change)."""

    def __init__(self, version: str, entry: dict, override: str):
        self.version, self.entry, self.override = version, entry, override
        self.config = settings.current()

    def __call__(self, url: str, output_file, pooch_instance=None, check_only=False):
        size, deadline = self.entry["size"], time.monotonic() + self.config.deadline
        digest, written = running_sha256(), 0
        with (
            _owned(Path(output_file)),
            _body(url, self.config.timeout, self.override) as (chunks, kind),
            _progress(size, self.version) as bar,
            open(output_file, "wb") as out,
        ):
            for chunk in chunks:
                written += len(chunk)
                if written > size:
                    self._not_a_page(url, kind, f"{kind} page of more than {size} bytes")
                    raise DownloadError(
                        f"{url} sent more than the {size} bytes of release {self.version}; "
                        f"stopped, nothing was cached; {self.override}"
                    )
                if time.monotonic() > deadline:
                    raise DownloadError(
                        f"downloading {url} took longer than {self.config.deadline:g} s "
                        f"({settings.ENV['deadline']}); stopped; {self.override}"
                    )
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
        if written < size or digest.hexdigest() != self.entry["sha256"]:
            self._not_a_page(url, kind, f"{written}-byte {kind} page")
        if written < size:  # cut short: a retry may get it whole
            import requests

            raise requests.exceptions.ConnectionError(f"got {written} of {size} bytes")
        if digest.hexdigest() != self.entry["sha256"]:
            raise DownloadError(
                f"{url} is not the published file of version {self.version}: its sha256 is "
                f"{digest.hexdigest()}, the release's {self.entry['sha256']}. The download was "
                "deleted and nothing was cached. Releases never change: retry later, "
                f"{self.override}, or report it to the maintainers"
            )

    def _not_a_page(self, url: str, kind: str | None, what: str) -> None:
        """Raise if the server sent text (a captive portal's or a wrong mirror's page):
        never a release archive, and no retry mends it."""
        if kind and kind.startswith("text/"):
            raise DownloadError(
                f"the server at {url} sent a {what}, not the release file of version "
                f"{self.version} (a captive portal or a wrong mirror?): sign in to the "
                f"network if it asks you to, check {settings.ENV['base_url']} "
                f"({self.config.base_url}), then retry; nothing was cached"
            )


@contextlib.contextmanager
def _body(url: str, timeout: float, override: str):
    """(chunks, media type or None) of the body at ``url``: over HTTP(S), or from a local
    mirror (``file://``)."""
    if url.startswith("file:"):
        from urllib.parse import urlparse
        from urllib.request import url2pathname

        path = Path(url2pathname(urlparse(url).path))
        if not path.is_file():  # no retry mends it
            raise DownloadError(f"could not read {url} (no such file); {override}")
        with open(path, "rb") as file:
            yield iter(lambda: file.read(1 << 16), b""), None
        return
    import requests

    with requests.get(url, stream=True, timeout=timeout) as response:
        if 400 <= response.status_code < 500:  # not found, forbidden: no retry mends it
            status = response.status_code
            raise DownloadError(f"could not download {url} (HTTP {status}); {override}")
        response.raise_for_status()
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        yield _chunks(response), kind or None


def _chunks(response):
    """The body as it arrives, decoded if sent compressed: each read returns what one
    receive got, so a server sending a byte at a time is seen, and can be stopped."""
    import requests
    import urllib3

    read = getattr(response.raw, "read1", None)  # urllib3 2
    if read is None:
        yield from response.iter_content(1 << 16)
        return
    try:
        while chunk := read(1 << 16, decode_content=True):
            yield chunk
    except urllib3.exceptions.HTTPError as error:  # what requests would wrap: retried
        raise requests.exceptions.ConnectionError(error) from None


def _progress(size: int, version: str):
    """A progress bar on a terminal (tqdm, when installed); silent otherwise."""

    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if tqdm is None or not sys.stderr.isatty():
        return contextlib.nullcontext(type("Silent", (), {"update": lambda self, n: None})())
    return tqdm(total=size, unit="B", unit_scale=True, desc=f"koreasec-data {version}")


@contextlib.contextmanager
def _owned(partial: Path):
    """While the transfer runs, ``partial.owner`` names this host and process."""
    owner = partial.with_name(partial.name + OWNER)
    owner.write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8", newline="\n")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            owner.unlink()


def abandoned(partial: Path) -> bool:
    """Whether the process that wrote ``partial`` is gone: its ``.owner`` names this host
    and a process id no longer running. False when it cannot be told (no owner file yet,
    another host, a platform without ``os.kill(pid, 0)``): the deadline decides then."""
    try:
        host, pid = partial.with_name(partial.name + OWNER).read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return False
    if os.name != "posix" or host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: is it there? (sends nothing)
    except ProcessLookupError:
        return True
    except OSError:  # there, but another user's
        return False
    return False
