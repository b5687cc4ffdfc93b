"""Per-run upload status records: `records/uploads/<run-id>.csv` (schema UPLOAD_STATUS)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from tracking.csvstore import Row, append_rows, read_rows
from tracking.schemas import UPLOAD_STATUS, UploadStatus


@dataclass
class StatusRow:
    """What happened to one file in one upload run.

    `creative_id` goes into the schema's `tj_creative_id` column whatever the platform (the
    column name is kept for the users' existing files); `retries` is the real count of resubmits.
    """

    unique_id: str
    file_name: str
    file_path: str
    platform: str
    status: UploadStatus
    creative_id: str = ""
    error_message: str = ""
    creative_type: str = ""
    native_pair_id: str = ""
    retries: int = 0
    at: datetime = field(default_factory=datetime.now)

    def as_row(self) -> dict[str, str]:
        data = asdict(self)
        return {
            "unique_id": self.unique_id,
            "file_name": self.file_name,
            "file_path": self.file_path,
            "upload_date": self.at.strftime("%Y-%m-%d"),
            "upload_time": self.at.strftime("%H:%M:%S"),
            "platform": self.platform,
            "tj_creative_id": self.creative_id,
            "status": str(self.status),
            "error_message": " ".join(self.error_message.split()),
            "creative_type": data["creative_type"],
            "native_pair_id": self.native_pair_id,
            "retries": str(self.retries),
        }


def status_path(uploads_dir: Path, run_id: str) -> Path:
    """The status CSV of a run."""
    return uploads_dir / f"{run_id}.csv"


def append(path: Path, rows: Iterable[StatusRow]) -> None:
    """Add rows to a run's status file (atomic rewrite under its lock)."""
    new = [r.as_row() for r in rows]
    if new:
        append_rows(path, UPLOAD_STATUS, new)


def load(path: Path) -> list[Row]:
    """Every row of a run's status file."""
    return read_rows(path, UPLOAD_STATUS)


def latest_by_file(path: Path) -> dict[str, Row]:
    """The last row of every file (by unique_id, else file name) in a status file."""
    last: dict[str, Row] = {}
    for row in load(path):
        last[row["unique_id"] or row["file_name"]] = row
    return last
