"""Browser work a worker runs: one campaign of a mass-create, one batch of an upload.

Each job opens its own browser in the saved session, within the platform account's limits
(Redis slots shared by every worker on every machine): a few mass-create sessions at once, and
one upload at a time into one media-library tab, because a batch proves its IDs by reading the
tab before and after and must not see another batch's new cards. A job given back after its
worker died goes through the same journals as an interrupted run: what the platform already
holds is found and recorded, never created twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from automation.settings import Settings
from automation.uploaders import registry
from automation.uploaders.base import UploadOptions
from automation.uploaders.batch import BatchRunner
from automation.uploaders.plan import Batch, UploadItem, item_from_row
from automation.uploaders.reconcile import reconcile_interrupted
from automation.uploaders.records import FileResult, RunRecords
from tracking import inventory, upload_status
from tracking.journal import Journal, journal_path
from tracking.schemas import PLATFORM_LABELS
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

# hold(slot name, limit): a context manager that holds one of `limit` slots of that name.
Hold = Callable[[str, int], AbstractContextManager[Any]]


def account_key(settings: Settings) -> str:
    """The platform account as slot names carry it (hashed: no URL or name in Redis).

    A workspace has one saved session per platform, and one Redis database serves one
    workspace, so the app's address names the account: a worker that was given no user name
    (it needs only the saved session) must count against the same limit as one that was.
    """
    text = settings.tj_app_url.rstrip("/").lower()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def mass_create_slot(settings: Settings) -> str:
    """The semaphore of an account's mass-create browsers."""
    return f"trafficjunky:{account_key(settings)}:mass-create"


def library_slot(settings: Settings, platform: str, target: str) -> str:
    """The semaphore of uploads into one library target (tab) of an account."""
    return f"{platform}:{account_key(settings)}:library:{target}"


@dataclass(frozen=True)
class BatchJob:
    """One upload batch as a job carries it: the run, the batch and its files' unique IDs."""

    platform: str
    run_id: str
    label: str
    target: str
    unique_ids: tuple[str, ...]
    retries: int = 2
    archive: bool = False

    @property
    def key(self) -> str:
        """The batch's own name in the run: journal and artifacts are kept under it."""
        return f"{self.run_id}-{self.platform}-{self.label}-{self.target}"


@dataclass
class BatchOutcome:
    """What a batch job did: every file's final result (earlier attempts' ones included)."""

    results: list[FileResult] = field(default_factory=list)
    already: int = 0  # files an earlier attempt of this job had settled

    def as_dict(self) -> dict[str, Any]:
        files = [
            {
                "unique_id": r.item.unique_id,
                "file": r.item.path.name,
                "target": r.item.target,
                "status": str(r.status),
                "creative_id": r.proven_id,
                "message": r.message,
                "retries": r.retries,
            }
            for r in self.results
        ]
        return {"files": files, "already": self.already, "detail": f"{len(files)} file(s)"}


def _earlier_rows(records: RunRecords) -> dict[str, dict[str, str]]:
    """unique_id -> this run's status row of that file on this platform (an earlier attempt)."""
    label = PLATFORM_LABELS.get(records.platform, records.platform)
    return {
        row["unique_id"]: row
        for row in upload_status.load(records.status_csv)
        if row["platform"] in (label, records.platform) and row["unique_id"]
    }


def _items(ws: Workspace, job: BatchJob, skip: set[str]) -> list[UploadItem]:
    """The batch's files from the inventory, less those already settled."""
    rows = {r["unique_id"]: r for r in inventory.load(ws.inventory_csv)}
    items = []
    for unique_id in job.unique_ids:
        if unique_id in skip:
            continue
        if unique_id not in rows:
            log.warning("%s: %s is no longer in the inventory; left out", job.key, unique_id)
            continue
        items.append(item_from_row(rows[unique_id], ws.processed, job.target))
    return items


def run_batch(settings: Settings, job: BatchJob, hold: Hold) -> BatchOutcome:
    """Upload one batch into its target, holding the target's slot for upload and read-back.

    An earlier attempt of the same job (its worker died) is settled first: files with a status
    row in the run are done; files its journal still shows `submitting` are looked for by name.
    """
    uploader = registry.uploader_for(job.platform, settings)
    records = RunRecords(uploader.workspace, job.platform, job.run_id)
    journal = Journal(journal_path(uploader.workspace.uploads_dir, job.key))
    outcome = BatchOutcome()
    limit = max(1, settings.library_upload_sessions)
    with hold(library_slot(settings, job.platform, job.target), limit):
        earlier = _earlier_rows(records)
        mine = set(job.unique_ids)
        outcome.already = len(mine & set(earlier))
        items = _items(uploader.workspace, job, set(earlier))
        pending = [(journal, entry) for entry in journal.unresolved(job.platform)]
        if not items and not pending:
            return outcome
        options = UploadOptions(live=True, retries=job.retries, archive=job.archive)
        with uploader.connect(job.key, retries=job.retries) as connection:
            transport = connection.transport
            if pending:
                recorded = {u: row["tj_creative_id"] for u, row in earlier.items()}
                proven = reconcile_interrupted(
                    transport, job.platform, records, job.run_id, recorded, pending=pending
                )
                outcome.results.extend(proven)
                found = {r.item.unique_id for r in proven}
                items = [i for i in items if i.unique_id not in found]
            if items:
                runner = BatchRunner(transport, records, journal, options, outcome.results.extend)
                runner.run(Batch(job.label, job.target, items))
        journal.remove_if_resolved()
    return outcome
