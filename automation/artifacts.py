"""Run artifacts (traces, screenshots, page HTML): private to the user, with no session in them.

A Playwright trace records every request with its headers, so a trace taken while signed in
holds the session cookie, and that cookie alone is a signed-in session. Before a trace is kept,
its network log loses every cookie and authorization header, and every secret value the run
knows (cookie values, stored tokens, password, API token) is blanked wherever it appears.
"""

from __future__ import annotations

import io
import json
import logging
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracking.csvstore import atomic_write_bytes

log = logging.getLogger(__name__)

REMOVED = "[removed]"
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
# Shorter values (a flag, "1", "true") are no secret and would blank harmless text.
MIN_SECRET_LENGTH = 6
# The trace's event logs: JSON, one event a line.
EVENT_SUFFIXES = (".trace", ".network")


def private_dir(path: Path) -> Path:
    """Create a folder (and missing parents) readable only by the user (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def make_private(folder: Path) -> None:
    """Folders 0700, files 0600, everything under `folder` (a run's artifacts)."""
    if not folder.is_dir():
        return
    os.chmod(folder, 0o700)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(Path(root, name), 0o700)
        for name in files:
            os.chmod(Path(root, name), 0o600)


def secret_values(values: Iterable[str]) -> list[str]:
    """The values worth blanking, each also as it looks URL-encoded; longest first."""
    found: set[str] = set()
    for value in values:
        if value and len(value) >= MIN_SECRET_LENGTH:
            found.update({value, quote(value, safe="")})
    return sorted(found, key=len, reverse=True)


def storage_secrets(state: dict[str, Any]) -> list[str]:
    """Cookie values and stored values of a storage_state (what a session consists of)."""
    values = [str(c.get("value", "")) for c in state.get("cookies", [])]
    for origin in state.get("origins", []):
        values += [str(item.get("value", "")) for item in origin.get("localStorage", [])]
    return values


def _scrub_headers(node: Any) -> Any:
    """The JSON node with cookie and authorization headers blanked and cookie lists emptied."""
    if isinstance(node, list):
        return [_scrub_headers(item) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get("name")
    if isinstance(name, str) and name.lower() in SECRET_HEADERS and "value" in node:
        return {**node, "value": REMOVED}
    cleaned: dict[str, Any] = {}
    for key, value in node.items():
        if key == "cookies" and isinstance(value, list):
            cleaned[key] = []
        elif isinstance(key, str) and key.lower() in SECRET_HEADERS and isinstance(value, str):
            cleaned[key] = REMOVED
        else:
            cleaned[key] = _scrub_headers(value)
    return cleaned


def _scrub_events(data: bytes) -> bytes:
    lines = []
    for line in data.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        lines.append(json.dumps(_scrub_headers(event), separators=(",", ":")).encode())
    return b"\n".join(lines) + b"\n"


def scrub_trace(raw: bytes, secrets: Iterable[str]) -> bytes:
    """A trace zip without session headers, cookies, or any of `secrets` in any member."""
    blanks = [s.encode() for s in secret_values(secrets)]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(EVENT_SUFFIXES):
                data = _scrub_events(data)
            for secret in blanks:
                data = data.replace(secret, REMOVED.encode())
            target.writestr(info.filename, data)
    return out.getvalue()


def scrub_file(path: Path, secrets: Iterable[str]) -> None:
    """Scrub a file in place (a trace zip, or page HTML), leaving it 0600."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(path):
        cleaned = scrub_trace(raw, secrets)
    else:
        cleaned = raw
        for secret in secret_values(secrets):
            cleaned = cleaned.replace(secret.encode(), REMOVED.encode())
    atomic_write_bytes(path, cleaned, mode=0o600)
