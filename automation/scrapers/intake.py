"""Where fetched files go: per-URL temporary folders, and the move into inbox/fetched/<source>/."""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from creatives.metadata import FETCHED_FOLDER
from creatives.sources import sha256_file
from tracking.workspace import Workspace

PARTIAL_DIR = ".partial"  # under the workspace root; never scanned as inbox
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def source_name(url: str) -> str:
    """A folder name for the site a URL comes from: 'www.Example.com' -> 'example.com'.

    Loopback addresses (127.0.0.1, ::1, localhost) all become 'localhost', whatever the port,
    so a local site keeps one folder across restarts.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return "unknown"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return "localhost"
    except ValueError:
        pass
    if host in _LOOPBACK_NAMES:
        return "localhost"
    host = host.removeprefix("www.")
    return re.sub(r"[^a-z0-9.-]+", "-", host).strip(".-") or "unknown"


def clean_source(name: str) -> str:
    """A user-given source name made safe as one folder name."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()).strip(".-")
    return cleaned or "unknown"


def partial_folder(workspace: Workspace, source: str, url: str) -> Path:
    """The temporary folder of one URL (stable, so an interrupted download can continue)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return workspace.root / PARTIAL_DIR / source / digest


def file_stem(title: str, fallback: str) -> str:
    """A file name stem from a title: letters, digits, '-', '_' and '.', at most 80 chars."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", title).strip("._-")[:80].strip("._-")
    return stem or fallback


def fetched_folder(workspace: Workspace, source: str) -> Path:
    """Where a source's media lands: inbox/fetched/<source>/ (its name is never a category)."""
    return workspace.inbox / FETCHED_FOLDER / source


def move_into_inbox(file: Path, workspace: Workspace, source: str, stem: str, sha256: str) -> Path:
    """Move a validated file into inbox/fetched/<source>/ without overwriting anything there.

    A file of the same name and content already there is the same download, left by a run
    stopped before it recorded it: that one is kept and `file` dropped, never a second copy.
    """
    folder = fetched_folder(workspace, source)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = file.suffix.lower()
    names = itertools.chain(
        [f"{stem}{suffix}", f"{stem}-{sha256[:8]}{suffix}"],
        (f"{stem}-{sha256[:8]}-{n}{suffix}" for n in itertools.count(2)),
    )
    for name in names:
        target = folder / name
        if not target.exists():
            shutil.move(str(file), target)
            return target
        if target.stat().st_size == file.stat().st_size and sha256_file(target) == sha256:
            file.unlink()
            return target
    raise AssertionError("unreachable: the names never run out")


def move_companion(file: Path, media: Path) -> Path:
    """Move a subtitle next to its media file, named after it (clip.en.vtt for clip.mp4)."""
    languages = "".join(file.suffixes[-2:-1])  # ".en" of "id.en.vtt"
    target = media.with_name(f"{media.stem}{languages}{file.suffix}")
    shutil.move(str(file), target)
    return target


def discard(folder: Path) -> None:
    """Remove a URL's temporary folder and whatever is left in it."""
    shutil.rmtree(folder, ignore_errors=True)
    parent = folder.parent
    for candidate in (parent, parent.parent):
        try:
            candidate.rmdir()  # only when empty
        except OSError:
            break
