"""`mass-create --live` with a broker: one browser job per campaign, followed until settled."""

from __future__ import annotations

from automation.commands.queue_follow import queue_and_follow
from automation.settings import Settings
from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobResult, JobStatus
from tracking import mass_create_records as records
from tracking.workspace import Workspace


def unique_jobs(jobs: list[CampaignJob]) -> list[CampaignJob]:
    """Each campaign + CSV once: two jobs of one submission would race on the same campaign."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for job in jobs:
        key = (job.campaign_id, str(job.csv_file.absolute()))
        if key not in seen:
            seen.add(key)
            kept.append(job)
    return kept


def run_queued(
    settings: Settings,
    run_id: str,
    jobs: list[CampaignJob],
    options: dict[str, bool],
    *,
    detach: bool,
    as_json: bool,
) -> list[JobResult] | None:
    """Queue one job per campaign; unless detached, wait and return every campaign's result."""
    from automation.queue.campaign_work import job_to_json, result_from_json
    from automation.queue.client import Request
    from automation.queue.jobs import JobState

    ws = Workspace(settings.workspace)
    jobs = unique_jobs(jobs)
    requests = [
        Request("browser", "mass_create", f"campaign {job.campaign_id} ({job.csv_file.name})",
                {"run_id": run_id, "job": job_to_json(ws, job), "options": options})
        for job in jobs
    ]  # fmt: skip
    settled = queue_and_follow(
        settings, requests, "campaign", "mass-create", detach=detach, as_json=as_json,
        # The run's file, even if nothing is refused.
        before=lambda: records.append_invalid(ws.records, run_id, []),
    )  # fmt: skip
    if settled is None:
        return None
    results = []
    for job, queued in zip(jobs, settled, strict=True):
        if queued.state is JobState.DONE and queued.result:
            results.append(result_from_json(job, queued.result))
        else:
            error = queued.detail or f"the job is {queued.state.value}"
            results.append(JobResult(job, JobStatus.FAILED, error=error))
    return results
