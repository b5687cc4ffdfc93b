"""Finding source files and identifying them by content."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from creatives.errors import MediaError

NATIVE_FOLDER = "native"
# Files a user's system leaves behind; never sources.
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# Subtitles travel with their video (clip.mp4 -> clip.vtt, clip.en.vtt); never sources.
SUBTITLE_EXTENSIONS = frozenset({".vtt", ".srt", ".ass", ".ssa"})


@dataclass(frozen=True)
class SourceFile:
    """A file to process. `relative` is its path under the inbox (just the name when outside,
    `inside` False); a linked file or folder keeps the place the link has in the inbox."""

    path: Path
    relative: PurePosixPath
    inside: bool = True

    @property
    def under_native_folder(self) -> bool:
        return bool(self.relative.parts) and self.relative.parts[0].lower() == NATIVE_FOLDER


@dataclass
class Discovery:
    """The sources found, and lines for the user about what was found (linked folders)."""

    sources: list[SourceFile]
    notes: list[str] = field(default_factory=list)


def inbox_relative(path: Path, inbox: Path) -> PurePosixPath | None:
    """Where a file lies under the inbox, by the link's own place (not its target); None when
    it lies outside."""
    here = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(inbox)), inbox.resolve()):
        for candidate in (here, here.parent.resolve() / here.name):
            try:
                return PurePosixPath(candidate.relative_to(base).as_posix())
            except ValueError:
                continue
    return None


def relative_to_inbox(path: Path, inbox: Path) -> PurePosixPath:
    """A file's path under the inbox, or its bare name when it lives elsewhere."""
    return inbox_relative(path, inbox) or PurePosixPath(path.name)


def source_file(path: Path, inbox: Path) -> SourceFile:
    """A SourceFile for `path`, placed by where it (or its link) lies in the inbox."""
    relative = inbox_relative(path, inbox)
    return SourceFile(path, relative or PurePosixPath(path.name), relative is not None)


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
    return scan(paths, inbox).sources


def scan(paths: list[Path], inbox: Path) -> Discovery:
    """Like `discover`, with a line for each linked folder followed (each real folder is read
    once, so a link loop or two links to one folder never repeat a source)."""
    found: dict[Path, SourceFile] = {}
    notes: list[str] = []
    visited: set[Path] = set()
    for root in paths:
        if root.is_dir():
            files = list(_walk(root, visited, notes))
        elif root.exists() or root.is_symlink():
            files = [root]
        else:
            continue
        for path in files:
            key = path.resolve()
            if _wanted(path) and key not in found:
                found[key] = source_file(path, inbox)
    return Discovery(list(found.values()), notes)


def _walk(root: Path, visited: set[Path], notes: list[str]) -> Iterator[Path]:
    """The files under `root`, following linked folders once; hidden folders are skipped."""
    if root.resolve() in visited:
        return
    visited.add(root.resolve())
    for folder, dirs, files in os.walk(root, followlinks=True):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            sub = here / name
            real = sub.resolve()
            if name.startswith(".") or real in visited:
                if not name.startswith(".") and sub.is_symlink():
                    notes.append(f"{sub}: links to {real}, which is read already; skipped")
                continue
            visited.add(real)
            if sub.is_symlink():
                notes.append(f"{sub}: following the linked folder {real}")
            kept.append(name)
        dirs[:] = kept
        yield from (here / name for name in sorted(files))


def check_movable(path: Path) -> None:
    """MediaError when a source could be processed but not moved to originals/ afterwards: its
    folder is read-only (a folder without write permission counts as read-only even for a user
    the system would let through, so a folder someone locked is never changed)."""
    folder = Path(os.path.abspath(path)).parent
    if path.is_symlink() and not path.exists():
        raise MediaError(
            f"{path}: is a link to {os.readlink(path)}, which does not exist; "
            "fix or remove the link"
        )
    try:
        locked = not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        locked = True
    if locked:
        raise MediaError(
            f"{path}: cannot be moved to originals/ after processing: its folder {folder} is "
            f"read-only; make it writable (chmod u+w '{folder}') or copy the file to a writable "
            "folder of the inbox, then run again"
        )


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
