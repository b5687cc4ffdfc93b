"""`upload --live` with a broker: plan here, one browser job per batch of ten for the workers.

The plan, the files it leaves out and the reconciliation of earlier interrupted runs happen here
as in a local run; each batch then goes to whichever worker takes it. The run's status file is
the one record every batch writes into, so the result is read back from it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from automation.commands.common import console, err_console, print_json
from automation.commands.queue_follow import queue_and_follow
from automation.errors import PartialFailure
from automation.settings import Settings
from automation.uploaders import registry
from automation.uploaders.base import UploadOptions
from automation.uploaders.plan import Plan
from automation.uploaders.run import UploadRun
from automation.wording import plural
from tracking import upload_status
from tracking.csvstore import Row
from tracking.schemas import PLATFORM_LABELS, UploadStatus
from tracking.workspace import Workspace


def batch_jobs(platform: str, run_id: str, plan: Plan, options: UploadOptions) -> list[Any]:
    """One job per batch of the plan (a native pair's two batches are two jobs)."""
    from automation.queue.browser_work import BatchJob

    return [
        BatchJob(platform, run_id, batch.label, batch.target,
                 tuple(item.unique_id for item in batch.items), options.retries, options.archive)
        for batch in plan.batches
    ]  # fmt: skip


def run_queued(
    settings: Settings,
    platforms: list[str],
    run_id: str,
    options: UploadOptions,
    *,
    detach: bool,
    as_json: bool,
) -> None:
    """Plan every platform here, queue its batches, and unless detached report the run."""
    from automation.queue.client import Request

    requests: list[Request] = []
    stopped: list[str] = []
    for name in platforms:
        run = UploadRun(registry.uploader_for(name, settings), run_id, options)
        plan = run.plan()
        # Left-out files are recorded and earlier runs reconciled here, before any batch goes.
        local = run.execute(Plan(plan.files, [], plan.held_back))
        if local.stopped is not None:
            stopped.append(str(local.stopped))
            continue
        for job in batch_jobs(name, run_id, plan, options):
            label = f"{name} {job.label} {job.target} ({plural(len(job.unique_ids), 'file')})"
            requests.append(Request("browser", "upload", label, {"batch": asdict(job)}))
    jobs = queue_and_follow(settings, requests, "batch", "upload", detach=detach, as_json=as_json)
    if jobs is None:
        return
    stopped += [f"{job.label}: {job.detail}" for job in jobs if job.state.value == "failed"]
    report(Workspace(settings.workspace), run_id, platforms, stopped, as_json=as_json)


def _platform_json(run_id: str, platform: str, path: Path, rows: list[Row]) -> dict[str, Any]:
    """One platform's part of the run, shaped as a local run's --json shows it."""
    label = PLATFORM_LABELS.get(platform, platform)
    mine = [r for r in rows if r["platform"] in (label, platform)]
    return {
        "run_id": run_id, "platform": platform, "live": True, "status_csv": str(path),
        "counts": {str(s): sum(1 for r in mine if r["status"] == s) for s in UploadStatus},
        "files": [
            {"unique_id": r["unique_id"], "file": r["file_name"], "status": r["status"],
             "creative_id": r["tj_creative_id"], "message": r["error_message"],
             "retries": int(r["retries"] or 0)}
            for r in mine
        ],
    }  # fmt: skip


def report(
    ws: Workspace, run_id: str, platforms: list[str], stopped: list[str], *, as_json: bool
) -> None:
    """The run's counts and failed files, from its status file; a failure exits non-zero."""
    path = upload_status.status_path(ws.uploads_dir, run_id)
    rows = upload_status.load(path)
    failed = [r for r in rows if r["status"] == UploadStatus.FAILED]
    if as_json:
        print_json([_platform_json(run_id, name, path, rows) for name in platforms])
    else:
        counts = {str(s): sum(1 for r in rows if r["status"] == s) for s in UploadStatus}
        shown = ", ".join(f"{s}: {n}" for s, n in counts.items() if n)
        console.print(f"upload: {shown or 'nothing to upload'}", markup=False)
        for row in failed:
            err_console.print(f"failed: {row['file_name']}: {row['error_message']}", markup=False)
        console.print(f"status: {path}", markup=False, soft_wrap=True)
    for line in stopped:
        err_console.print(f"error: {line}", markup=False, soft_wrap=True)
    if stopped or failed:
        raise PartialFailure(
            f"{plural(len(stopped), 'batch')} stopped, {plural(len(failed), 'file')} failed; "
            f"see {path}"
        )
