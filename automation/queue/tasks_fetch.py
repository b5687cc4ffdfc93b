"""Fetch jobs: one URL each; a URL that still fails after its retries comes back later.

The wait before the next try doubles each time (CREATIVE_FLOW_FETCH_REQUEUE_BASE_S, then twice
that, ...), up to CREATIVE_FLOW_FETCH_REQUEUES times; each requeue is a `queued` row in
downloads.csv. Rate limit and circuit breaker are the shared ones in Redis.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from automation.queue.app import task_name
from automation.queue.limits import SharedCircuitBreaker, SharedRateLimiter
from automation.queue.tracked import TrackedTask
from automation.scrapers.outcomes import FetchReport, Outcome
from tracking import downloads
from tracking.downloads import DownloadRecord, DownloadStatus
from tracking.workspace import Workspace

FETCH_DOWNLOAD = task_name("fetch", "download")


def outcome_to_json(outcome: Outcome, ws: Workspace) -> dict[str, Any]:
    """One URL's outcome as a job answers it (the file relative to the workspace)."""
    file = outcome.file.relative_to(ws.root).as_posix() if outcome.file else None
    return {
        "url": outcome.url, "source": outcome.source, "status": str(outcome.status),
        "reason": outcome.reason, "detail": outcome.detail, "file": file,
        "attempts": outcome.attempts, "kind": outcome.kind,
    }  # fmt: skip


def outcome_from_json(data: dict[str, Any], ws: Workspace) -> Outcome:
    file = ws.root / data["file"] if data.get("file") else None
    fields = {**data, "status": DownloadStatus(data["status"]), "file": file}
    return Outcome(**fields)


def worth_requeueing(report: FetchReport) -> Outcome | None:
    """The outcome that may pass later (a passing failure, an open breaker), or None."""
    for outcome in report.problems:
        if outcome.status is DownloadStatus.SKIPPED or not downloads.is_permanent(outcome.reason):
            return outcome
    return None


@shared_task(bind=True, base=TrackedTask, name=FETCH_DOWNLOAD)
def download(self: TrackedTask, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Fetch one URL into the workspace's inbox, as `creative-flow fetch` does."""
    from automation.commands.fetch_run import FetchParams, fetch_options
    from automation.scrapers.fetcher import Fetcher

    ws = Workspace(self.settings.workspace)
    wanted = FetchParams.from_json(params)
    fetcher = Fetcher(ws, fetch_options(ws, wanted))
    fetcher.limiter = SharedRateLimiter(self.redis, wanted.rate_per_minute)
    # An open breaker closes once the first requeue wait has passed without a new failure.
    cooldown = self.settings.fetch_requeue_base_s
    fetcher.breaker = SharedCircuitBreaker(self.redis, wanted.breaker, cooldown)
    report = fetcher.run([url])
    again = worth_requeueing(report)
    if again is not None:
        _maybe_requeue(self, ws, again)
    return {
        "outcomes": [outcome_to_json(o, ws) for o in report.outcomes],
        "open_breakers": report.open_breakers,
    }


def _maybe_requeue(task: TrackedTask, ws: Workspace, outcome: Outcome) -> None:
    """Queue the URL again after base * 2**(n-1) s when it has tries left (raises Retry)."""
    job = task.board.get(str(task.request.id))
    runs = job.attempts if job else 1
    limit = task.settings.fetch_requeues
    if runs > limit:
        return
    # Capped below the visibility timeout: Redis would hand a longer-waiting task out twice.
    delay = min(
        task.settings.fetch_requeue_base_s * 2 ** (runs - 1), task.settings.queue_visibility_s / 2
    )
    at = (dt.datetime.now() + dt.timedelta(seconds=delay)).isoformat(timespec="seconds")
    record = DownloadRecord(outcome.url, outcome.source, DownloadStatus.QUEUED, outcome.reason)
    downloads.append(ws.downloads_csv, [record])
    detail = f"{outcome.reason}: {outcome.detail}; try {runs + 1} of {limit + 1} at {at}"
    task.requeue(delay, detail)
