"""Browser jobs: one mass-create campaign, or one upload batch of ten, each on its own browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import shared_task

from automation.errors import CreativeFlowError
from automation.queue.app import task_name
from automation.queue.slots import Slot, slots
from automation.queue.tracked import JobFailed, TrackedTask
from tracking.workspace import Workspace

MASS_CREATE_CAMPAIGN = task_name("browser", "mass_create")
UPLOAD_BATCH = task_name("browser", "upload")


def _hold(task: TrackedTask) -> Any:
    """The slot holder of a task: waits for a free session of the account, renewing its lease."""

    @contextmanager
    def hold(name: str, limit: int) -> Iterator[Slot]:
        with slots(task.redis, name, limit, task.settings.queue_lease_s) as slot:
            yield slot

    return hold


@shared_task(bind=True, base=TrackedTask, name=MASS_CREATE_CAMPAIGN)
def mass_create_campaign(
    self: TrackedTask, run_id: str, job: dict[str, Any], options: dict[str, bool]
) -> dict[str, Any]:
    """Apply one campaign's CSV with "Mass create with CSV" and verify the ads."""
    from automation.queue.campaign_work import job_from_json, result_to_json, run_campaign

    settings = self.settings
    campaign = job_from_json(Workspace(settings.workspace), job)
    try:
        result = run_campaign(settings, run_id, campaign, options, _hold(self))
    except CreativeFlowError as exc:  # expected: the session ended, records are locked, ...
        raise JobFailed(str(exc)) from None
    return result_to_json(result)


@shared_task(bind=True, base=TrackedTask, name=UPLOAD_BATCH)
def upload_batch(self: TrackedTask, batch: dict[str, Any]) -> dict[str, Any]:
    """Upload one batch (at most ten files) into one library target and record proven IDs."""
    from automation.queue.browser_work import BatchJob, run_batch

    job = BatchJob(**{**batch, "unique_ids": tuple(batch["unique_ids"])})
    try:
        outcome = run_batch(self.settings, job, _hold(self))
    except CreativeFlowError as exc:  # expected: the session ended, records are locked, ...
        raise JobFailed(str(exc)) from None
    return outcome.as_dict()
