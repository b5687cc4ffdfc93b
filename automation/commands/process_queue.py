"""`process` with a broker: one job per source for the workers, followed until each is settled."""

from __future__ import annotations

from datetime import datetime

from automation.settings import Settings
from creatives.plan import ProcessOptions
from creatives.results import BatchReport, ItemResult, Outcome
from creatives.sources import SourceFile
from tracking.workspace import Workspace


def run_queued(
    settings: Settings,
    sources: list[SourceFile],
    platform: str,
    options: ProcessOptions,
    *,
    detach: bool,
    as_json: bool,
) -> BatchReport | None:
    """Queue one process job per source; unless detached, wait and report as a local run does."""
    # Loaded here, not at start: a run without a broker needs none of the queue's pieces.
    from automation.commands.queue_follow import queue_and_follow
    from automation.queue.client import Request
    from automation.queue.jobs import JobState
    from automation.queue.tasks_process import options_to_json, source_arg

    ws = Workspace(settings.workspace)
    queued_at = datetime.now().isoformat(timespec="seconds")
    requests = [
        Request("process", "source", shown(ws, s), {
            "source": source_arg(ws, s.path), "platform": platform,
            "options": options_to_json(options), "queued_at": queued_at,
        })
        for s in sources
    ]  # fmt: skip
    jobs = queue_and_follow(
        settings, requests, "source", "processing", detach=detach, as_json=as_json
    )
    if jobs is None:
        return None
    items = []
    for job in jobs:
        if job.state is JobState.DONE and job.result:
            items.append(item_from_json(job.result))
        else:
            items.append(ItemResult(job.label, Outcome.FAILED, job.detail or str(job.state)))
    return BatchReport(items)


def shown(ws: Workspace, source: SourceFile) -> str:
    """A source as messages name it (as the pipeline does): its path under the workspace."""
    try:
        return source.path.resolve().relative_to(ws.root.resolve()).as_posix()
    except ValueError:
        return str(source.path)


def item_from_json(data: dict[str, object]) -> ItemResult:
    """An ItemResult back from a job's JSON answer."""
    fields = dict(data)
    fields["outcome"] = Outcome(str(fields["outcome"]))
    return ItemResult(**fields)  # type: ignore[arg-type]
