"""The GitHub REST calls a release needs, and nothing more: find a release by tag (a
draft too), create one, upload an asset, delete a broken one, publish the draft.

Standard library only (:mod:`urllib.request`). A 5xx answer or a dropped connection is
tried again; any other error is a :class:`ApiError` naming the call and GitHub's message.
The API's address is a setting (``KOREASEC_DATA_RELEASE_API``), so a test plays it.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from koreasec_data.hashes import stream_sha256
from koreasec_data.release.assets import ReleaseError

__all__ = ["ApiError", "GitHub"]

#: What a try may end with that another try can mend.
TRANSIENT = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)


class ApiError(ReleaseError):
    """GitHub refused a call; ``status`` is its HTTP status, ``errors`` its error list."""

    def __init__(self, message: str, status: int = 0, errors: list | None = None):
        super().__init__(message)
        self.status, self.errors = status, errors or []


class GitHub:
    """The releases of ``repo`` ("owner/name") at the REST API ``api``, as ``token``."""

    def __init__(self, api: str, repo: str, token: str | None, tries: int = 4, pause=1.0):
        self.api, self.repo, self.token = api.rstrip("/"), repo, token
        self.tries, self.pause = tries, pause

    def _call(self, method: str, url: str, body: Any = None, upload: Path | None = None):
        """Send one call, tried again on 5xx and dropped connections; return its JSON."""
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        if upload is not None:
            headers["Content-Type"] = "application/octet-stream"
        last = None
        for attempt in range(self.tries):
            if attempt:
                time.sleep(self.pause * attempt)
            data = json.dumps(body).encode() if body is not None else None
            if upload is not None:
                data = upload.read_bytes()
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    text = response.read()
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as error:
                answer = _json(error.read())
                if error.code < 500:
                    message = (
                        answer.get("message", error.reason) if isinstance(answer, dict) else ""
                    )
                    errors = answer.get("errors", []) if isinstance(answer, dict) else []
                    raise ApiError(
                        f"{method} {url}: HTTP {error.code} {message}", error.code, errors
                    ) from None
                last = f"HTTP {error.code}"
            except TRANSIENT as error:
                last = f"{type(error).__name__}: {error}"
            if upload is not None:
                raise _Interrupted(last)  # the caller looks at what the failed try left
        raise ApiError(f"{method} {url}: failed {self.tries} times (last: {last}); run again")

    def _repo(self, path: str) -> str:
        return f"{self.api}/repos/{self.repo}{path}"

    def find(self, tag: str) -> dict | None:
        """The release of ``tag``, published or a draft, or None."""
        try:
            return self._call("GET", self._repo(f"/releases/tags/{quote(tag)}"))
        except ApiError as error:
            if error.status != 404:
                raise
        drafts = self._call("GET", self._repo("/releases?per_page=100")) or []
        return next((release for release in drafts if release["tag_name"] == tag), None)

    def create(self, tag: str, body: str) -> dict:
        """Create the release of ``tag`` as a draft (published once its assets are all up)."""
        fields = {"tag_name": tag, "name": tag, "body": body, "draft": True}
        return self._call("POST", self._repo("/releases"), fields)

    def refresh(self, release: dict) -> dict:
        return self._call("GET", self._repo(f"/releases/{release['id']}"))

    def publish(self, release: dict) -> dict:
        return self._call("PATCH", self._repo(f"/releases/{release['id']}"), {"draft": False})

    def delete(self, asset: dict) -> None:
        self._call("DELETE", self._repo(f"/releases/assets/{asset['id']}"))

    def asset_sha256(self, asset: dict) -> str:
        """The sha256 of the bytes GitHub holds for ``asset``, downloaded."""
        headers = {"Accept": "application/octet-stream"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(asset["url"], headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:
            return stream_sha256(response)

    def upload(self, release: dict, path: Path) -> dict | None:
        """Upload ``path`` under its name; None when a try was cut off (see ``_call``)."""
        address = release["upload_url"].split("{", 1)[0] + f"?name={quote(path.name)}"
        try:
            return self._call("POST", address, upload=path)
        except _Interrupted:
            return None


class _Interrupted(Exception):
    """An upload try failed in a way another try can mend."""


def _json(text: bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
