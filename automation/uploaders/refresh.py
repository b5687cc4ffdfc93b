"""Refreshing the library cache from the platform; pulling review statuses into the inventory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from automation.uploaders.base import Uploader
from automation.uploaders.run import RUN_LOCK_WAIT_S
from tracking import inventory
from tracking.csvstore import Row, locked
from tracking.library_cache import (
    LibraryCache,
    LibraryDiff,
    LibraryEntry,
    preview_rebuild,
    rebuild,
    set_aside,
)
from tracking.schemas import ReviewStatus

log = logging.getLogger(__name__)

# (target, page number, creatives on that page) after every page read.
PageListener = Callable[[str, int, int], None]


@dataclass
class RefreshReport:
    """Creatives per target as read now, and what changed since the last refresh."""

    counts: dict[str, int]
    diff: LibraryDiff
    pages: int
    artifacts: list = field(default_factory=list)
    set_aside: Path | None = None  # the old cache file, kept beside the rebuilt one
    # A dry run writes nothing: the cache as a refresh would have written it, in memory.
    preview: LibraryCache | None = None


def refresh_library(
    uploader: Uploader,
    run_id: str,
    on_page: PageListener | None = None,
    *,
    replace: bool = False,
    dry_run: bool = False,
) -> RefreshReport:
    """Page through every target to its last page and rebuild the cache from what was read.

    `dry_run`: read the same, and report what would change, but write nothing.

    Holds the platform's run lock: an upload recording IDs while the library is read would
    have its new rows replaced by a snapshot taken before them.
    """
    notify = on_page or (lambda target, page, count: None)
    entries: list[LibraryEntry] = []
    counts: dict[str, int] = {}
    pages = 0
    with locked(uploader.run_lock, timeout=RUN_LOCK_WAIT_S):
        with uploader.connect(run_id) as connection:
            transport = connection.transport
            for target in _targets(uploader, transport):
                counts[target] = 0
                for number, page in enumerate(transport.library_pages(target), 1):
                    entries.extend(page)
                    counts[target] += len(page)
                    pages += 1
                    notify(target, number, len(page))
        if dry_run:
            preview, diff = preview_rebuild(uploader.cache_path, entries, tabs=list(counts))
            return RefreshReport(counts, diff, pages, connection.artifacts, preview=preview)
        # A cache that cannot be read is rebuilt from what was read, the damaged file kept.
        old = set_aside(uploader.cache_path, damaged_only=not replace)
        diff = rebuild(uploader.cache_path, entries, tabs=list(counts))
    return RefreshReport(counts, diff, pages, connection.artifacts, old)


def _targets(uploader: Uploader, transport: object) -> list[str]:
    targets = list(uploader.targets)
    has_target = getattr(transport, "has_target", None)
    for optional in uploader.optional_targets:
        if has_target is not None and has_target(optional):
            targets.append(optional)
    return targets


@dataclass
class StatusChange:
    """One inventory creative whose review status moved."""

    unique_id: str
    file_name: str
    creative_id: str
    before: str
    after: str


@dataclass
class SyncReport:
    """What sync-status changed, and which recorded IDs the library no longer shows."""

    refresh: RefreshReport
    changes: list[StatusChange]
    missing: list[Row]

    def newly(self, status: ReviewStatus) -> list[StatusChange]:
        return [c for c in self.changes if c.after == status]


def sync_statuses(
    uploader: Uploader, refresh: RefreshReport, *, dry_run: bool = False
) -> SyncReport:
    """Write the cache's review statuses into the inventory by creative ID.

    `dry_run` (after a dry-run refresh): the same changes, found and reported, not written.
    """
    cache = refresh.preview or LibraryCache.load(uploader.cache_path)
    id_column = inventory.platform_field(uploader.platform, "creative_id")
    status_column = inventory.platform_field(uploader.platform, "review_status")
    changes: list[StatusChange] = []
    missing: list[Row] = []
    updates: dict[str, dict[str, str]] = {}
    path = uploader.workspace.inventory_csv
    for row in inventory.load(path):
        creative_id = row.get(id_column, "").strip()
        if not creative_id:
            continue
        entry = cache.by_id(creative_id)
        if entry is None:
            missing.append(row)
            continue
        before = row.get(status_column, "")
        if entry.review_status and entry.review_status != before:
            updates[row["unique_id"]] = {"review_status": entry.review_status}
            changes.append(
                StatusChange(
                    row["unique_id"], row["new_filename"], creative_id, before, entry.review_status
                )
            )
    if updates and not dry_run:
        inventory.set_platform_fields(path, uploader.platform, updates)
    return SyncReport(refresh, changes, missing)
