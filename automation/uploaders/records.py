"""Writing a run's results: status CSV, the inventory's platform fields, the cache, the archive.

Each store is written atomically under its lock. The order (cache, inventory, status, then the
journal's `confirmed`) means a crash at any point leaves at worst a journal entry still saying
`submitting`, which the next run reconciles by name: nothing proven is ever lost.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from automation.uploaders.plan import UploadItem
from tracking import inventory, upload_status
from tracking.library_cache import LibraryEntry, record_entries
from tracking.schemas import PLATFORM_LABELS, UploadStatus
from tracking.upload_status import StatusRow
from tracking.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    """The run's final word on one file: status, proven entry (if any), message, retries."""

    item: UploadItem
    status: UploadStatus
    entry: LibraryEntry | None = None
    message: str = ""
    retries: int = 0
    creative_id: str = ""  # an ID known without a fresh card (a cache hit)

    @property
    def proven_id(self) -> str:
        return self.entry.creative_id if self.entry is not None else self.creative_id

    def status_row(self, platform: str) -> StatusRow:
        return StatusRow(
            unique_id=self.item.unique_id,
            file_name=self.item.path.name,
            file_path=str(self.item.path),
            platform=PLATFORM_LABELS.get(platform, platform),
            status=self.status,
            creative_id=self.proven_id,
            error_message=self.message,
            creative_type=self.item.creative_type,
            native_pair_id=self.item.pair_id,
            retries=self.retries,
        )


class RunRecords:
    """The record files one run writes, for one platform."""

    def __init__(self, workspace: Workspace, platform: str, run_id: str) -> None:
        self.workspace = workspace
        self.platform = platform
        self.run_id = run_id

    @property
    def status_csv(self) -> Path:
        return upload_status.status_path(self.workspace.uploads_dir, self.run_id)

    def write(self, results: Iterable[FileResult], *, inventory_too: bool = True) -> None:
        """Record results: proven entries in the cache, IDs in the inventory, every status row."""
        results = list(results)
        entries = [r.entry for r in results if r.entry is not None]
        if entries:
            record_entries(self.workspace.library_csv(self.platform), entries)
        if inventory_too:
            self._write_inventory(results)
        upload_status.append(self.status_csv, (r.status_row(self.platform) for r in results))

    def _write_inventory(self, results: list[FileResult]) -> None:
        today = datetime.now().strftime("%Y-%m-%d")
        updates: dict[str, dict[str, str]] = {}
        for result in results:
            if not result.proven_id or not result.item.unique_id:
                continue
            fields = {"creative_id": result.proven_id}
            if result.entry is not None:
                fields["upload_date"] = result.entry.upload_date or today
                fields["review_status"] = result.entry.review_status
            updates[result.item.unique_id] = fields
        if updates and self.workspace.inventory_csv.exists():
            missing = inventory.set_platform_fields(
                self.workspace.inventory_csv, self.platform, updates
            )
            for unique_id in missing:
                log.warning("%s: %s is not in the inventory", self.platform, unique_id)

    def archive(self, batch_label: str, results: Iterable[FileResult]) -> list[Path]:
        """Move files whose IDs are recorded to archive/<platform>/<run>-<batch>/."""
        folder = self.workspace.archive_dir(self.platform, f"{self.run_id}-{batch_label}")
        moved = []
        for result in results:
            source = result.item.path
            if not result.proven_id or not source.exists():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / source.name
            shutil.move(str(source), str(target))
            moved.append(target)
        return moved
