"""Metadata defaults per inbox folder (records/folder_defaults.csv)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path, PurePosixPath

from tracking.csvstore import Row, read_rows, update_rows
from tracking.schemas import FOLDER_DEFAULTS


@dataclass(frozen=True)
class FolderDefaults:
    """One folder's defaults. `folder_path` is relative to the inbox ('' is the inbox itself)."""

    folder_path: str
    category_name: str = ""
    model_sex: str = ""
    style: str = ""
    creator_name: str = ""
    language: str = ""
    content_type: str = ""
    creative_description: str = ""
    test_id: str = ""

    def as_row(self) -> dict[str, str]:
        return asdict(self)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.name != "folder_path")


_FIELDS = [f.name for f in fields(FolderDefaults)]


def folder_key(folder: str | Path, inbox: Path) -> str:
    """The one way folders are compared: posix path relative to the inbox, no ./ or trailing /.

    Accepts a path relative to the inbox ('cosplay'), to the workspace ('inbox/cosplay') or an
    absolute path; a folder outside the inbox keys by its absolute path.
    """
    text = str(folder).strip().replace("\\", "/")
    path = Path(text)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(inbox.resolve()).as_posix().strip(".")
        except ValueError:
            return path.resolve().as_posix()
    parts = [p for p in PurePosixPath(text).parts if p not in (".", "")]
    if parts and parts[0] == inbox.name:
        parts = parts[1:]
    return "/".join(parts)


def load(path: Path, inbox: Path) -> dict[str, FolderDefaults]:
    """Every folder's defaults by folder_key; later rows for the same folder win."""
    table: dict[str, FolderDefaults] = {}
    for row in read_rows(path, FOLDER_DEFAULTS):
        key = folder_key(row["folder_path"], inbox)
        table[key] = FolderDefaults(**{**{k: row.get(k, "").strip() for k in _FIELDS}})
    return table


def lookup(table: dict[str, FolderDefaults], key: str) -> FolderDefaults | None:
    """The defaults of a folder, or of its nearest parent that has some."""
    current = PurePosixPath(key) if key else None
    while current is not None:
        found = table.get(current.as_posix())
        if found is not None:
            return found
        current = (
            current.parent if current.parent != current and str(current.parent) != "." else None
        )
    return table.get("")


def save(path: Path, entry: FolderDefaults) -> None:
    """Add or replace one folder's defaults (atomic, under the file's lock)."""

    def upsert(rows: list[Row]) -> list[Row]:
        kept = [r for r in rows if r["folder_path"].strip() != entry.folder_path]
        return [*kept, entry.as_row()]

    update_rows(path, FOLDER_DEFAULTS, upsert)
