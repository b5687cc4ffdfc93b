"""`fetch` with a broker: one download job per URL for the workers, followed until settled."""

from __future__ import annotations

from automation.commands.fetch_run import FetchParams
from automation.commands.queue_follow import queue_and_follow
from automation.errors import ConfigError
from automation.scrapers.fetcher import unique_urls
from automation.scrapers.outcomes import FetchReport, Outcome
from automation.settings import Settings
from tracking.downloads import DownloadStatus
from tracking.workspace import Workspace


def run_queued(
    settings: Settings,
    urls: list[str],
    params: FetchParams,
    source_of: dict[str, str],
    *,
    detach: bool,
    as_json: bool,
) -> FetchReport | None:
    """Queue one download per URL; unless detached, wait and report as a local run does."""
    from automation.queue.client import Request
    from automation.queue.jobs import JobState
    from automation.queue.tasks_fetch import outcome_from_json

    if params.max_files is not None:
        raise ConfigError(
            "--max-downloads counts kept files in one run; with a queue the URLs are fetched "
            "apart: leave it out, or give fewer URLs"
        )
    ws = Workspace(settings.workspace)
    wanted = unique_urls(urls)
    requests = [Request("fetch", "download", url, {"url": url, "params": params.to_json()})
                for url in wanted]  # fmt: skip
    jobs = queue_and_follow(settings, requests, "URL", "fetching", detach=detach, as_json=as_json)
    if jobs is None:
        return None
    report = FetchReport()
    for url, job in zip(wanted, jobs, strict=True):
        if job.state is JobState.DONE and job.result:
            report.outcomes.extend(outcome_from_json(o, ws) for o in job.result["outcomes"])
            report.open_breakers.extend(
                b for b in job.result["open_breakers"] if b not in report.open_breakers
            )
        else:
            # Queued to try again later, or the job itself failed (the worker says why).
            status = (
                DownloadStatus.QUEUED if job.state is JobState.RETRYING else DownloadStatus.FAILED
            )
            reason = "requeued" if status is DownloadStatus.QUEUED else "worker-error"
            report.outcomes.append(Outcome(url, source_of.get(url, ""), status, reason, job.detail))
    return report
