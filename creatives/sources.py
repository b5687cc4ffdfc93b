"""Finding source files and identifying them by content."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

NATIVE_FOLDER = "native"
# Files a user's system leaves behind; never sources.
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# Subtitles travel with their video (clip.mp4 -> clip.vtt, clip.en.vtt); never sources.
SUBTITLE_EXTENSIONS = frozenset({".vtt", ".srt", ".ass", ".ssa"})


@dataclass(frozen=True)
class SourceFile:
    """A file to process. `relative` is its path under the inbox (just the name when outside)."""

    path: Path
    relative: PurePosixPath

    @property
    def under_native_folder(self) -> bool:
        return bool(self.relative.parts) and self.relative.parts[0].lower() == NATIVE_FOLDER


def relative_to_inbox(path: Path, inbox: Path) -> PurePosixPath:
    """A file's path under the inbox, or its bare name when it lives elsewhere."""
    try:
        return PurePosixPath(path.resolve().relative_to(inbox.resolve()).as_posix())
    except ValueError:
        return PurePosixPath(path.name)


def _wanted(path: Path) -> bool:
    return (
        not path.name.startswith(".")
        and path.name not in IGNORED_NAMES
        and path.suffix.lower() not in SUBTITLE_EXTENSIONS
    )


def companions(source: Path) -> list[Path]:
    """The subtitle files beside a source that belong to it: `clip.vtt`, `clip.en.vtt`."""
    if not source.parent.is_dir():
        return []
    pattern = re.compile(rf"{re.escape(source.stem)}(\.[A-Za-z0-9_-]{{1,20}})?")
    return sorted(
        p
        for p in source.parent.iterdir()
        if p.suffix.lower() in SUBTITLE_EXTENSIONS and pattern.fullmatch(p.name[: -len(p.suffix)])
    )


def discover(paths: list[Path], inbox: Path) -> list[SourceFile]:
    """Every file under `paths` (files or folders, any depth), in a stable order, once each."""
    found: dict[Path, SourceFile] = {}
    for root in paths:
        if not root.exists():
            continue
        if root.is_dir():
            candidates = sorted(p for p in root.rglob("*") if p.is_file())
            files = [p for p in candidates if not _hidden_below(p, root)]
        else:
            files = [root]
        for path in files:
            if _wanted(path) and path.resolve() not in found:
                found[path.resolve()] = SourceFile(path, relative_to_inbox(path, inbox))
    return list(found.values())


def _hidden_below(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes (read only, never modified)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (used to tell stale temp files from live ones)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
