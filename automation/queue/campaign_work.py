"""One campaign of a queued mass-create: the run's work for one campaign, on its own browser.

The checkpoint and the mass-create journal decide, as for a rerun, whether a campaign given back
by a dead worker was done, half done (its ads are read and only the missing ones submitted) or not
started. The run's summary keeps one row per campaign whichever attempt wrote it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from automation.queue.browser_work import Hold, mass_create_slot
from automation.settings import Settings
from automation.uploaders.trafficjunky.campaign_pages import CsvIssue
from automation.uploaders.trafficjunky.mass_create import MassCreate
from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobResult, JobStatus
from tracking import mass_create_records as records
from tracking.csvstore import Row, update_rows
from tracking.workspace import Workspace


def job_to_json(ws: Workspace, job: CampaignJob) -> dict[str, Any]:
    """A campaign job as a queued job carries it (its CSV relative to the workspace when in it)."""
    try:
        csv_file = job.csv_file.absolute().relative_to(ws.root.absolute()).as_posix()
    except ValueError:
        csv_file = str(job.csv_file.absolute())
    return {
        "campaign_id": job.campaign_id,
        "csv_file": csv_file,
        "campaign_name": job.campaign_name,
        "enabled": job.enabled,
    }


def job_from_json(ws: Workspace, data: dict[str, Any]) -> CampaignJob:
    """The job back, its CSV found under this machine's workspace folder."""
    return CampaignJob(
        str(data["campaign_id"]),
        ws.root.absolute() / str(data["csv_file"]),
        str(data.get("campaign_name", "")),
        bool(data.get("enabled", True)),
    )


def result_to_json(result: JobResult) -> dict[str, Any]:
    """A campaign's outcome as the board keeps it."""
    return {
        "status": result.status.value,
        "submitted": result.submitted,
        "ads_created": result.ads_created,
        "error": result.error,
        "notes": list(result.notes),
        "invalid": [asdict(issue) for issue in result.invalid],
        "cleaned_csv": str(result.cleaned_csv) if result.cleaned_csv else None,
        "detail": f"{result.status.value}: {result.ads_created} of {result.submitted} ad(s)",
    }


def result_from_json(job: CampaignJob, data: dict[str, Any]) -> JobResult:
    """A campaign's outcome back from the board, for the command to show."""
    cleaned = data.get("cleaned_csv")
    return JobResult(
        job,
        JobStatus(data["status"]),
        submitted=int(data.get("submitted", 0)),
        ads_created=int(data.get("ads_created", 0)),
        error=str(data.get("error", "")),
        notes=list(data.get("notes", [])),
        invalid=[CsvIssue(i["message"], i.get("creative_id")) for i in data.get("invalid", [])],
        cleaned_csv=Path(cleaned) if cleaned else None,
    )


def run_campaign(
    settings: Settings, run_id: str, job: CampaignJob, options: dict[str, bool], hold: Hold
) -> JobResult:
    """Mass-create one campaign live, holding one of the account's mass-create sessions."""
    ws = Workspace(settings.workspace)
    fresh = bool(options.get("fresh")) and not _done_by(ws, run_id, job)
    runner = MassCreate(
        settings, run_id, live=True, require_approved=bool(options.get("require_approved")),
        retry_failed=bool(options.get("retry_failed")), fresh=fresh,
    )  # fmt: skip
    with hold(mass_create_slot(settings), max(1, settings.mass_create_sessions)):
        runner.run([job])
    [result] = runner.results
    return _one_row_per_campaign(ws, run_id, job, result)


def _done_by(ws: Workspace, run_id: str, job: CampaignJob) -> bool:
    """Whether this very run checkpointed the campaign (an attempt whose worker then died)."""
    if not job.csv_file.is_file():
        return False
    key = records.checkpoint_key(job.campaign_id, job.csv_file)
    entry = records.load_checkpoint(ws.records).get(key)
    return entry is not None and entry.run_id == run_id


def _one_row_per_campaign(
    ws: Workspace, run_id: str, job: CampaignJob, result: JobResult
) -> JobResult:
    """Keep one summary row for the campaign: an earlier attempt's outcome over 'skipped'.

    An attempt killed after writing its row is followed by one that finds the work done (and
    says skipped) or reconciles it (and says so again): the run must still show it once.
    """
    kept: list[Row] = []

    def keep_one(rows: list[Row]) -> list[Row]:
        mine = [r for r in rows if _is_job(r, job)]
        if len(mine) <= 1:
            kept.extend(mine)
            return rows
        worked = [r for r in mine if r["status"] != JobStatus.SKIPPED.value]
        kept.append((worked or mine)[-1])
        return [r for r in rows if not _is_job(r, job) or r is kept[0]]

    update_rows(records.summary_path(ws.records, run_id), records.UPLOAD_SUMMARY, keep_one)
    update_rows(records.invalid_path(ws.records, run_id), records.INVALID_CREATIVES, _unique)
    if kept and kept[0]["status"] != result.status.value:
        row = kept[0]
        result.status = JobStatus(row["status"])
        result.ads_created = int(row["ads_created"] or 0)
        result.error = row["error"]
        result.notes.append("an earlier attempt of this job, whose worker stopped, did this")
    return result


def _is_job(row: Row, job: CampaignJob) -> bool:
    return row["campaign_id"] == job.campaign_id and Path(row["csv_file"]).name == job.csv_file.name


def _unique(rows: list[Row]) -> list[Row]:
    """Refused creatives listed once per campaign (a second attempt may list them again)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for row in rows:
        key = (row["campaign_id"], row["creative_id"], row["error"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
