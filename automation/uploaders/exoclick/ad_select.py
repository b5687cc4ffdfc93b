"""Which uploaded creatives become ExoClick ads: the `campaign-csv` filters on the exo_* records.

Only a creative with a proven ExoClick file id (inventory `exo_creative_id`, or a proven row of
a chosen ExoClick upload run) can be an ad; every creative left out is reported with its reason.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from automation.uploaders.exoclick.specs import FILE_TYPES
from tracking import inventory
from tracking.campaign_select import PROVEN_RUN_STATUSES, Selection
from tracking.csvstore import Row, read_rows
from tracking.errors import RecordsError
from tracking.library_cache import LibraryCache, library_key
from tracking.schemas import PLATFORM_LABELS, UPLOAD_STATUS, ReviewStatus
from tracking.workspace import Workspace

PLATFORM = "exoclick"


@dataclass(frozen=True)
class AdCandidate:
    """A chosen creative with its proven ExoClick file id and library type."""

    unique_id: str
    file_name: str
    file_id: int
    file_type: str
    review_status: str = ""
    path: Path | None = None  # the file on disk, for an API that wants it sent with the ad


@dataclass(frozen=True)
class LeftOut:
    """A creative not made into an ad, and why."""

    unique_id: str
    reason: str


def _run_ids(workspace: Workspace, runs: tuple[str, ...]) -> dict[str, str]:
    """unique_id (or name key) -> file id, for the ExoClick rows an upload run proved."""
    proven: dict[str, str] = {}
    for run in runs:
        path = workspace.uploads_dir / f"{run}.csv"
        if not path.exists():
            raise RecordsError(f"{path}: no upload run {run!r}; see records/uploads/ for runs")
        for row in read_rows(path, UPLOAD_STATUS):
            if row["platform"].strip() != PLATFORM_LABELS[PLATFORM]:
                continue
            if row["status"].strip() in PROVEN_RUN_STATUSES and row["tj_creative_id"].strip():
                key = row["unique_id"].strip() or library_key(row["file_name"])
                proven.setdefault(key, row["tj_creative_id"].strip())
    return proven


def _chosen(row: Row, selection: Selection, run_ids: dict[str, str] | None) -> bool:
    if selection.since is not None and row["date_processed"][:10] < selection.since.isoformat():
        return False
    if run_ids is not None and not (
        row["unique_id"] in run_ids or library_key(row["new_filename"]) in run_ids
    ):
        return False
    return selection.ids is None or bool(
        {row["unique_id"], row.get("native_pair_id", "")} & selection.ids
    )


def local_file(workspace: Workspace, file_name: str) -> Path | None:
    """The creative's file on disk: in processed/, or archived after its upload."""
    found = workspace.processed / file_name
    if found.is_file():
        return found
    archive = workspace.root / "archive" / PLATFORM
    return (
        next(iter(sorted(archive.glob(f"*/{glob.escape(file_name)}"))), None)
        if archive.is_dir()
        else None
    )


def _candidate(
    row: Row, run_ids: dict[str, str] | None, cache: LibraryCache, workspace: Workspace
) -> AdCandidate | LeftOut:
    unique_id = row["unique_id"]
    file_id = row[inventory.platform_field(PLATFORM, "creative_id")].strip()
    if not file_id and run_ids is not None:
        file_id = run_ids.get(unique_id) or run_ids.get(library_key(row["new_filename"]), "")
    if not file_id.isdigit():
        return LeftOut(unique_id, "no ExoClick file id yet; run 'upload --platform exoclick'")
    cached = cache.by_id(file_id)
    file_type = cached.creative_type if cached else FILE_TYPES.get(row["creative_type"], "")
    status = row[inventory.platform_field(PLATFORM, "review_status")].strip().lower()
    if not status and cached:
        status = cached.review_status.lower()
    path = local_file(workspace, row["new_filename"])
    return AdCandidate(unique_id, row["new_filename"], int(file_id), file_type, status, path)


def choose_creatives(
    workspace: Workspace, selection: Selection
) -> tuple[list[AdCandidate], list[LeftOut]]:
    """The chosen creatives that can become ads, and the ones left out with their reasons."""
    rows = inventory.load(workspace.inventory_csv)
    run_ids = _run_ids(workspace, selection.runs) if selection.runs else None
    cache = LibraryCache.load(workspace.library_csv(PLATFORM))
    chosen: list[AdCandidate] = []
    left: list[LeftOut] = []
    if selection.ids is not None:
        known = {r["unique_id"] for r in rows} | {r.get("native_pair_id", "") for r in rows}
        left += [LeftOut(i, "not in the inventory") for i in sorted(selection.ids - known)]
    for row in rows:
        if not _chosen(row, selection, run_ids):
            continue
        found = _candidate(row, run_ids, cache, workspace)
        if isinstance(found, LeftOut):
            left.append(found)
        elif selection.approved_only and found.review_status != ReviewStatus.APPROVED:
            status = found.review_status or "unknown"
            left.append(LeftOut(found.unique_id, f"review status is {status}, not approved"))
        else:
            chosen.append(found)
    return chosen, left
