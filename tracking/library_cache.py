"""The local cache of a platform's media library: creative IDs by displayed name and tab.

Every writer and reader goes through `library_key`, so a name with or without its extension,
or with a folder in front, always finds the same row.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from tracking.csvstore import locked, read_rows, write_rows
from tracking.errors import RecordsError
from tracking.schemas import LIBRARY

REBUILD_HINT = "run 'creative-flow refresh-library --rebuild' to replace it from the platform"
# Extensions the platforms strip from a displayed name; anything else is part of the name.
MEDIA_EXTENSIONS = frozenset(
    {".mp4", ".mov", ".webm", ".m4v", ".avi", ".mkv", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
)


def library_key(name: str) -> str:
    """The one normalised key of a creative name: no folder, no media extension, no padding."""
    text = name.strip()
    if "/" in text or "\\" in text or ":" in text:  # only then is there a folder to drop
        text = PureWindowsPath(PurePosixPath(text).name).name
    suffix = os.path.splitext(text)[1]
    if suffix.lower() in MEDIA_EXTENSIONS:
        text = text[: -len(suffix)]
    return text.strip()


@dataclass(frozen=True)
class LibraryEntry:
    """One creative on the platform, as its library page (or API) shows it.

    `creative_type` is the library tab the creative lives in (e.g. native_rollover); the same
    name in two tabs is two different creatives.
    """

    creative_id: str
    filename: str
    upload_date: str = ""
    dimensions: str = ""
    file_type: str = ""
    creative_type: str = ""
    review_status: str = ""

    @property
    def key(self) -> str:
        return library_key(self.filename)

    def as_row(self) -> dict[str, str]:
        return {**asdict(self), "filename": self.key}


_FIELDS = [f.name for f in fields(LibraryEntry)]


@dataclass(frozen=True)
class LibraryDiff:
    """What changed between two snapshots of a library."""

    added: list[LibraryEntry]
    removed: list[LibraryEntry]
    status_changed: list[tuple[LibraryEntry, LibraryEntry]]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.status_changed)


class LibraryCache:
    """In-memory index of a library cache file: O(1) lookups by id and by (name, tab)."""

    def __init__(self, path: Path, entries: Iterable[LibraryEntry] = ()) -> None:
        self.path = path
        self._by_id: dict[str, LibraryEntry] = {}
        self._by_key: dict[str, list[LibraryEntry]] = {}
        for entry in entries:
            self._put(entry)

    @classmethod
    def load(cls, path: Path) -> LibraryCache:
        """Read the cache file (missing = empty); a broken row raises, naming its line."""
        entries = []
        for line, row in enumerate(read_rows(path, LIBRARY, repair_hint=REBUILD_HINT), start=2):
            creative_id = row["creative_id"].strip()
            if not creative_id.isdigit():
                raise RecordsError(
                    f"{path}:{line}: creative_id {creative_id!r} is not a number; "
                    f"fix the row or {REBUILD_HINT}"
                )
            if not library_key(row["filename"]):
                raise RecordsError(
                    f"{path}:{line}: filename is empty; fix the row or {REBUILD_HINT}"
                )
            entries.append(LibraryEntry(**{k: row[k].strip() for k in _FIELDS}))
        return cls(path, entries)

    def _put(self, entry: LibraryEntry) -> None:
        key = entry.key
        if key != entry.filename:
            entry = replace(entry, filename=key)
        old = self._by_id.get(entry.creative_id)
        if old is not None:
            self._by_key[old.key] = [e for e in self._by_key[old.key] if e is not old]
        self._by_id[entry.creative_id] = entry
        self._by_key.setdefault(key, []).append(entry)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(self._by_id.values())

    def by_id(self, creative_id: str) -> LibraryEntry | None:
        """The entry with this creative ID, if cached."""
        return self._by_id.get(str(creative_id).strip())

    def lookup_all(self, name: str, creative_type: str | None = None) -> list[LibraryEntry]:
        """Every cached creative with this name (in this tab, when given)."""
        found = self._by_key.get(library_key(name), [])
        if creative_type is None:
            return list(found)
        return [e for e in found if e.creative_type == creative_type]

    def lookup(self, name: str, creative_type: str | None = None) -> LibraryEntry | None:
        """The one creative with this name (in this tab); None when absent or ambiguous."""
        found = self.lookup_all(name, creative_type)
        return found[0] if len(found) == 1 else None

    def add(self, entries: Iterable[LibraryEntry]) -> None:
        """Insert or replace entries in memory (by creative ID)."""
        for entry in entries:
            self._put(entry)

    def rows(self) -> list[dict[str, str]]:
        return [e.as_row() for e in self._by_id.values()]


def record_entries(path: Path, entries: Iterable[LibraryEntry]) -> LibraryCache:
    """Merge proven entries into the cache file under its lock; returns the cache as saved."""
    new = list(entries)
    with locked(path):
        cache = LibraryCache.load(path)
        cache.add(new)
        write_rows(path, LIBRARY, cache.rows())
    return cache


def diff_entries(old: Iterable[LibraryEntry], new: Iterable[LibraryEntry]) -> LibraryDiff:
    """Added, removed and status-changed creatives between two snapshots."""
    before = {e.creative_id: e for e in old}
    after = {e.creative_id: e for e in new}
    added = [e for cid, e in after.items() if cid not in before]
    removed = [e for cid, e in before.items() if cid not in after]
    changed = [
        (before[cid], e)
        for cid, e in after.items()
        if cid in before and before[cid].review_status != e.review_status
    ]
    return LibraryDiff(added, removed, changed)


def set_aside(path: Path, *, damaged_only: bool = True) -> Path | None:
    """Move the cache file beside itself (`<name>.damaged-<time>.csv`) so a refresh rebuilds it.

    With `damaged_only`, only a cache that cannot be read is moved (else any, as
    `<name>.replaced-<time>.csv`). Returns the new name.
    """
    if not path.exists():
        return None
    try:
        LibraryCache.load(path)
        label = "replaced"
    except RecordsError:
        label = "damaged"
    if damaged_only and label == "replaced":
        return None
    kept = path.with_name(f"{path.stem}.{label}-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")
    with locked(path):
        os.replace(path, kept)
    return kept


def rebuild(
    path: Path, entries: Iterable[LibraryEntry], tabs: Iterable[str] | None = None
) -> LibraryDiff:
    """Replace the cache with a full snapshot of the library (of `tabs`, when given).

    Rows of tabs that were not read are kept, so a partial refresh never drops records.
    """
    snapshot = list(entries)
    with locked(path):
        cache, diff = _rebuilt(path, snapshot, tabs)
        write_rows(path, LIBRARY, cache.rows())
    return diff


def preview_rebuild(
    path: Path, entries: Iterable[LibraryEntry], tabs: Iterable[str] | None = None
) -> tuple[LibraryCache, LibraryDiff]:
    """What `rebuild` would make of the cache and what would change, writing nothing."""
    return _rebuilt(path, list(entries), tabs)


def _rebuilt(
    path: Path, snapshot: list[LibraryEntry], tabs: Iterable[str] | None
) -> tuple[LibraryCache, LibraryDiff]:
    old = list(LibraryCache.load(path))
    read_tabs = set(tabs) if tabs is not None else None
    kept = [e for e in old if read_tabs is not None and e.creative_type not in read_tabs]
    scope = [e for e in old if e not in kept]
    return LibraryCache(path, [*kept, *snapshot]), diff_entries(scope, snapshot)
