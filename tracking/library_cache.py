"""The local cache of a platform's media library: creative IDs by displayed name and tab.

Every writer and reader goes through `library_key`, so a name with or without its extension,
or with a folder in front, always finds the same row.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from tracking.csvstore import (
    atomic_write_text,
    header_of,
    locked,
    parse_rows,
    plain_lines,
    read_text,
    row_renderer,
    write_rows,
)
from tracking.errors import RecordsError
from tracking.schemas import LIBRARY

REBUILD_HINT = "run 'creative-flow refresh-library --rebuild' to replace it from the platform"
# Extensions the platforms strip from a displayed name; anything else is part of the name.
MEDIA_EXTENSIONS = frozenset(
    {".mp4", ".mov", ".webm", ".m4v", ".avi", ".mkv", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
)


def library_key(name: str) -> str:
    """The one normalised key of a creative name: no folder, no media extension, no padding."""
    # A name with none of ". / \\ :" is its own key: loading a cache relies on that to skip
    # this call per row (see `LibraryCache._index_lines`); keep the two in step.
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
        return {**{name: getattr(self, name) for name in _FIELDS}, "filename": self.key}


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


class _NotPlain(Exception):
    """The fast reading met a row only the csv module reads the way it always has."""


class LibraryCache:
    """In-memory index of a library cache file: O(1) lookups by id and by (name, tab).

    A loaded row stays the text it was read from until something asks for it: a duplicate
    check of a few names against a large cache builds a few entries, not all of them, and a
    save writes the rows nobody changed as that text (see `save`). A row kept as text always
    holds its name in the written form (its own key); any other row is an entry from the start.
    """

    def __init__(self, path: Path, entries: Iterable[LibraryEntry] = ()) -> None:
        self.path = path
        self._by_id: dict[str, LibraryEntry | str] = {}  # an entry, or its line as read
        self._by_key: dict[str, list[str]] = {}  # key -> creative IDs, in the file's order
        for entry in entries:
            self._put(entry)

    @classmethod
    def load(cls, path: Path) -> LibraryCache:
        """Read the cache file (missing = empty); a broken row raises, naming its line."""
        cache = cls(path)
        text = read_text(path, LIBRARY)
        if not text:
            return cache
        with _collector_paused():
            lines = plain_lines(text, LIBRARY.columns)
            if lines is not None:
                try:
                    cache._index_lines(lines)
                    return cache
                except _NotPlain:
                    cache = cls(path)
            rows = parse_rows(path, LIBRARY, text, repair_hint=REBUILD_HINT)
            for line, row in enumerate(rows, start=2):
                _check(path, line, row["creative_id"].strip(), row["filename"].strip())
                cache._put(LibraryEntry(**{k: row[k].strip() for k in _FIELDS}))
        return cache

    def _index_lines(self, lines: list[str]) -> None:
        """Index plain lines (see `plain_lines`): the hot loop of every load, kept lean."""
        by_id, by_key = self._by_id, self._by_key
        for line, text in enumerate(lines, start=2):
            creative_id, name, _ = text.split(",", 2)
            creative_id, name = creative_id.strip(), name.strip()
            # Names as the tool writes them are already keys: skip the normalising.
            dotted = "." in name or "/" in name or "\\" in name or ":" in name
            key = library_key(name) if dotted else name
            if not creative_id.isdigit() or not key:
                if not text.replace(",", "").strip():
                    raise _NotPlain  # a blank row: csv skips it (and counts lines its way)
                _check(self.path, line, creative_id, name)
            if creative_id in by_id:
                self._unkey(creative_id)
            # A name the writer would write otherwise (a folder, an extension): an entry now,
            # so every row kept as text is written back as it was read.
            by_id[creative_id] = text if key == name else self._line_entry(creative_id, text)
            ids = by_key.get(key)
            if ids is None:
                by_key[key] = [creative_id]
            else:
                ids.append(creative_id)

    def _entry(self, creative_id: str) -> LibraryEntry:
        """The entry of a cached ID, made from its line on first use."""
        value = self._by_id[creative_id]
        if isinstance(value, LibraryEntry):
            return value
        entry = self._line_entry(creative_id, value)
        self._by_id[creative_id] = entry
        return entry

    @staticmethod
    def _line_entry(creative_id: str, text: str) -> LibraryEntry:
        """The entry of a plain line (see `plain_lines`) of this ID."""
        _, name, *rest = (v.strip() for v in text.split(","))
        return LibraryEntry(creative_id, library_key(name), *rest)

    def _key_of(self, creative_id: str) -> str:
        value = self._by_id[creative_id]
        return value.filename if isinstance(value, LibraryEntry) else self._entry(creative_id).key

    def _unkey(self, creative_id: str) -> None:
        """Drop a cached ID from its name's list (before it is replaced)."""
        key = self._key_of(creative_id)
        self._by_key[key] = [c for c in self._by_key[key] if c != creative_id]

    def _put(self, entry: LibraryEntry) -> None:
        key = entry.key
        if key != entry.filename:
            entry = replace(entry, filename=key)
        if entry.creative_id in self._by_id:
            self._unkey(entry.creative_id)
        self._by_id[entry.creative_id] = entry
        self._by_key.setdefault(key, []).append(entry.creative_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[LibraryEntry]:
        return (self._entry(creative_id) for creative_id in list(self._by_id))

    def by_id(self, creative_id: str) -> LibraryEntry | None:
        """The entry with this creative ID, if cached."""
        key = str(creative_id).strip()
        return self._entry(key) if key in self._by_id else None

    def lookup_all(self, name: str, creative_type: str | None = None) -> list[LibraryEntry]:
        """Every cached creative with this name (in this tab, when given)."""
        found = [self._entry(c) for c in self._by_key.get(library_key(name), [])]
        if creative_type is None:
            return found
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
        return [self._entry(creative_id).as_row() for creative_id in list(self._by_id)]

    def save(self) -> None:
        """Replace the cache file atomically with these rows (hold its lock).

        The file is byte for byte what `write_rows` makes of `rows()`: rows kept as the text
        they were read from are written as that text when the csv writer would give exactly
        it, so a save renders only the rows that were added or changed.
        """
        extra = [c for c in header_of(self.path) if c not in LIBRARY.columns]
        text = None if extra else self._text()
        if text is None:
            write_rows(self.path, LIBRARY, self.rows())
        else:
            atomic_write_text(self.path, text)

    def _text(self) -> str | None:
        """The file's text under the cache's own columns; None when no row is kept as text."""
        as_read = [value for value in self._by_id.values() if isinstance(value, str)]
        if not as_read:
            return None
        trusted = _all_written_as_read(as_read)
        render = row_renderer(LIBRARY.columns)
        lines = [render(dict(zip(LIBRARY.columns, LIBRARY.columns, strict=True)))[:-2]]
        for creative_id, value in self._by_id.items():
            if isinstance(value, str):
                if trusted or _written_as_read(value):
                    lines.append(value)
                    continue
                value = self._line_entry(creative_id, value)
            lines.append(render(value.as_row())[:-2])  # without the writer's line end
        lines.append("")
        return "\r\n".join(lines)


def _written_as_read(line: str) -> bool:
    """Whether the csv writer gives a plain line of a row kept as text back unchanged.

    A plain line needs no quoting (no quote, comma or line break in a value); the writer
    gives each value stripped, and the name as its key, which such a row already holds.
    """
    return line == ",".join([value.strip() for value in line.split(",")])


def _all_written_as_read(lines: list[str]) -> bool:
    """`_written_as_read` of every line at once, by C-level scans; False means "ask each".

    Only whitespace at a value's edge changes a line (see `_written_as_read`). Besides the
    space, every character `str.strip` removes is a control or separator character, never
    printable; in ASCII text those are the few in `_ASCII_SPACES`.
    """
    block = "\n".join(lines)
    if block.isascii():
        if any(space in block for space in _ASCII_SPACES):
            return False
    elif not all(map(str.isprintable, lines)):
        return False
    if " " not in block:
        return True
    edges = (", ", " ,", "\n ", " \n")
    return not (block[:1] == " " or block[-1:] == " " or any(e in block for e in edges))


# What `str.strip` removes from ASCII text, but the space and the line break between lines.
_ASCII_SPACES = [c for c in map(chr, range(128)) if c.isspace() and c not in " \n"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk load: the rows make no reference cycles, yet
    every few hundred new objects would start a collection (measured: 40 % of a large load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(path: Path, line: int, creative_id: str, filename: str) -> None:
    """Refuse a row whose creative ID is not a number or whose name is empty."""
    if not creative_id.isdigit():
        raise RecordsError(
            f"{path}:{line}: creative_id {creative_id!r} is not a number; "
            f"fix the row or {REBUILD_HINT}"
        )
    if not library_key(filename):
        raise RecordsError(f"{path}:{line}: filename is empty; fix the row or {REBUILD_HINT}")


def record_entries(path: Path, entries: Iterable[LibraryEntry]) -> LibraryCache:
    """Merge proven entries into the cache file under its lock; returns the cache as saved."""
    new = list(entries)
    with locked(path):
        cache = LibraryCache.load(path)
        cache.add(new)
        cache.save()
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
