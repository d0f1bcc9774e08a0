"""A Taza site's public API as the witness and the auditor read it: plain HTTP with the standard
library, nothing of the site's database or code (the proofs and notes are checked with the pure
modules merkle.py, note.py and witness.py)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class RemoteError(Exception):
    """The site could not be read, or answered with an error."""


class Site:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        base = url.rstrip("/")
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise RemoteError(f"Give the site's http:// or https:// address, not {base!r}.")
        self.base, self.timeout = base, timeout

    def _open(self, path: str, body: dict | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json", "Accept-Language": "en"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers)
        try:
            # The scheme is checked above: only http(s) is opened, never file: or ftp:.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            try:
                answer = json.load(error)["error"]
                said = [str(m) for messages in (answer.get("fields") or {}).values() for m in messages]
                said = [m for m in said if m != answer["message"]]
                detail = " ".join([f"{answer['code']}: {answer['message']}", *said])
            except (ValueError, KeyError, TypeError):
                detail = str(error)
            raise RemoteError(f"{self.base}{path} answered {error.code} ({detail})") from error
        except (OSError, ValueError) as error:
            raise RemoteError(f"Cannot read {self.base}{path}: {error}") from error

    def get(self, path: str, **query: Any) -> Any:
        suffix = f"?{urllib.parse.urlencode(query)}" if query else ""
        return self._open(path + suffix)[1]

    def post(self, path: str, body: dict) -> tuple[int, Any]:
        return self._open(path, body)

    # --- The log -------------------------------------------------------------------------------------

    def latest_checkpoint(self) -> dict:
        return self.get("/api/v1/log/checkpoints/latest/")

    def checkpoint(self, size: int) -> dict:
        return self.get(f"/api/v1/log/checkpoints/{size}/")

    def log_key(self) -> str:
        return self.get("/api/v1/log/key/")["vkey"]

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        answer = self.get("/api/v1/log/proofs/consistency/", first=first, second=second)
        return [base64.b64decode(node) for node in answer["proof"]]

    def inclusion_proof(self, index: int, size: int) -> tuple[bytes, list[bytes]]:
        """The log's hash of leaf `index`, and its audit path in the tree of `size` leaves."""
        answer = self.get("/api/v1/log/proofs/inclusion/", leaf_index=index, tree_size=size)
        return base64.b64decode(answer["leaf_hash"]), [base64.b64decode(node) for node in answer["proof"]]

    def cosign(self, size: int, line: str) -> tuple[int, dict]:
        return self.post("/api/v1/log/cosignatures/", {"tree_size": size, "cosignature": line})
