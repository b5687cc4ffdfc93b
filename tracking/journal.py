"""The run journal: which files were handed to a platform, written before they are submitted.

One JSON line per event, appended and fsynced, in `records/uploads/<run-id>.journal.jsonl`. A file
is `submitting` from just before its batch is sent until the run has recorded what happened to it
(`confirmed`, `failed`) or a later run has looked for it on the platform by name (`found`,
`absent`). An entry whose last state is still `submitting` belongs to a run that was interrupted:
the next run must reconcile it against the platform before uploading anything again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from tracking.csvstore import locked
from tracking.jsonlines import append_lines, read_lines

SUFFIX = ".journal.jsonl"


class JournalState(StrEnum):
    """Where a file stands between being handed to the platform and its ID being recorded."""

    SUBMITTING = "submitting"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    FOUND = "found"
    ABSENT = "absent"


@dataclass(frozen=True)
class JournalEntry:
    """One event of one file: identified on the platform by its library name and target tab."""

    run_id: str
    platform: str
    name: str
    target: str
    unique_id: str
    state: JournalState
    file_path: str = ""
    attempt: int = 0
    creative_id: str = ""
    at: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.platform, self.target, self.name)

    def moved_to(self, state: JournalState, creative_id: str = "") -> JournalEntry:
        """The same file in a new state (stamped now)."""
        return replace(self, state=state, creative_id=creative_id, at=_now())


def _now() -> str:
    return datetime.now().isoformat(timespec="milliseconds")


def journal_path(uploads_dir: Path, run_id: str) -> Path:
    """Where a run keeps its journal."""
    return uploads_dir / f"{run_id}{SUFFIX}"


def _decode(data: dict[str, Any]) -> JournalEntry:
    return JournalEntry(**{**data, "state": JournalState(data["state"])})


class Journal:
    """The journal of one run: append-only, each append durable before it returns."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def _lock_target(self) -> Path:
        # One lock for every journal of the folder, so no lock file is left per run.
        return self.path.parent / ".journals"

    def write(self, entries: Iterable[JournalEntry]) -> None:
        """Append events and fsync them, so a crash right after still leaves them on disk."""
        lines = [
            json.dumps({**asdict(e), "at": e.at or _now()}, sort_keys=True) + "\n" for e in entries
        ]
        append_lines(self.path, lines, self._lock_target)

    def entries(self) -> list[JournalEntry]:
        """Every event in order; a line torn by a crash or not UTF-8 is skipped with a warning."""
        return read_lines(self.path, _decode, "journal")

    def latest(self) -> dict[tuple[str, str, str], JournalEntry]:
        """The last event of every file in this journal."""
        last: dict[tuple[str, str, str], JournalEntry] = {}
        for entry in self.entries():
            last[entry.identity] = entry
        return last

    def unresolved(self, platform: str | None = None) -> list[JournalEntry]:
        """Files whose last state is still `submitting` (of one platform, when given)."""
        return [
            e
            for e in self.latest().values()
            if e.state is JournalState.SUBMITTING and platform in (None, e.platform)
        ]

    def remove_if_resolved(self) -> bool:
        """Delete the journal once nothing in it waits for reconciliation."""
        with locked(self._lock_target):
            if self.path.exists() and not self.unresolved():
                self.path.unlink()
                return True
        return False


def journals(uploads_dir: Path) -> list[Journal]:
    """Every run journal in the uploads folder, oldest run first."""
    if not uploads_dir.is_dir():
        return []
    return [Journal(p) for p in sorted(uploads_dir.glob(f"*{SUFFIX}"))]


def remove_resolved(uploads_dir: Path) -> int:
    """Delete every journal with nothing left to reconcile (a crash can leave one behind)."""
    return sum(1 for journal in journals(uploads_dir) if journal.remove_if_resolved())


def unresolved_entries(
    uploads_dir: Path, platform: str, *, exclude_run: str | None = None
) -> list[tuple[Journal, JournalEntry]]:
    """Interrupted files of earlier runs of a platform, with the journal each belongs to."""
    found: list[tuple[Journal, JournalEntry]] = []
    for journal in journals(uploads_dir):
        if exclude_run is not None and journal.path == journal_path(uploads_dir, exclude_run):
            continue
        found.extend((journal, entry) for entry in journal.unresolved(platform))
    return found
