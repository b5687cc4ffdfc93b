"""One source processed on its own, as a queued job does, beside other jobs on the same workspace.

The batch pipeline plans a whole batch at once under the workspace's process lock. A job plans and
converts its one source without it (many run at once, on several machines), then takes the lock
only to check the plan still holds and commit: the content may have been recorded meanwhile by
another job (then it is skipped), or its 8-hex ID taken by other content (then it is planned and
converted again, the ID being the join key of every record).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path, PurePosixPath

from creatives.commit import recover
from creatives.pipeline import Pipeline
from creatives.plan import Plan, taken_ids
from creatives.produce import TEMP_PREFIX, Produced, produce
from creatives.results import ItemResult, Outcome
from creatives.sources import SourceFile, pid_alive
from tracking import inventory
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

# Plans redone when the ID was taken meanwhile; each redo takes the next 8 hex digits.
REPLANS = 3
CommitLock = Callable[[], AbstractContextManager[object]]


def staging_folder(processed: Path) -> Path:
    """Where this machine's jobs write their outputs before commit (beside processed/'s files).

    Per machine: a temporary file is told stale by its process id, which only means something
    on the machine that wrote it.
    """
    return processed / ".staging" / socket.gethostname()


def clear_stale(staging: Path) -> None:
    """Remove the temporary files that jobs of this machine killed mid-conversion left."""
    if not staging.is_dir():
        return
    for temp in staging.glob(f"{TEMP_PREFIX}*"):
        pid_text = temp.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not pid_alive(int(pid_text)):
            temp.unlink(missing_ok=True)
            log.info("removed leftover temporary file %s", temp.name)


def process_one(pipeline: Pipeline, source: SourceFile, commit_lock: CommitLock) -> ItemResult:
    """Process one source; the commit happens under `commit_lock` (the workspace's process lock)."""
    staging = staging_folder(pipeline.ws.processed)
    staging.mkdir(parents=True, exist_ok=True)
    with commit_lock():
        # A job whose worker died after its commit point is finished here, before planning;
        # only then are the dead jobs' files unused (a journal may still place one).
        recover(pipeline.ws)
        clear_stale(staging)
    for _ in range(REPLANS):
        plan_or_result = _plan(pipeline, source)
        if isinstance(plan_or_result, ItemResult):
            return plan_or_result
        plan = plan_or_result
        future: Future[list[Produced]] = Future()
        try:
            future.set_result(produce(plan, pipeline.specs, staging, pipeline.threads))
        except Exception as exc:  # reported by _commit_one, as in a batch
            future.set_exception(exc)
        with commit_lock():
            recover(pipeline.ws)
            verdict = _recheck(pipeline, plan, future)
            if verdict is None:
                old = {row["unique_id"]: row for row in inventory.load(pipeline.ws.inventory_csv)}
                return pipeline._commit_one(future, plan, old)
        if isinstance(verdict, ItemResult):
            return verdict
    reason = f"its ID was taken by other content {REPLANS} times in a row; run process again"
    return ItemResult(pipeline.shown(source), Outcome.FAILED, reason)


def recorded_since(ws: Workspace, relative: PurePosixPath, since: datetime) -> ItemResult | None:
    """The result of a source an earlier attempt of the same job recorded (its worker died
    before it could answer), or None."""
    folder = PurePosixPath("originals") / relative.parent
    rows = [
        r
        for r in inventory.load(ws.inventory_csv)
        if r["original_filename"] == relative.name
        and PurePosixPath(r["source_path"]).parent == folder
        and r["date_processed"] >= since.isoformat(timespec="seconds")
    ]
    if not rows:
        return None
    return ItemResult(
        (PurePosixPath("inbox") / relative).as_posix(),
        Outcome.PROCESSED,
        unique_ids=[r["unique_id"] for r in rows],
        outputs=[r["new_filename"] for r in rows],
        creative_types=[r["creative_type"] for r in rows],
        notes=["recorded by an earlier attempt whose worker stopped"],
    )


def _plan(pipeline: Pipeline, source: SourceFile) -> Plan | ItemResult:
    """The source's plan against the inventory as it is now, or why there is nothing to do."""
    if not (source.path.exists() or source.path.is_symlink()):
        reason = "no longer in the inbox (processed by another job, or moved away)"
        return ItemResult(pipeline.shown(source), Outcome.SKIPPED, reason)
    answers: list[ItemResult] = []
    planned = pipeline._plan_all(
        [source], [pipeline._identify(source)], lambda _, r: answers.append(r)
    )
    return answers[0] if answers else planned.plans[0]


def _recheck(
    pipeline: Pipeline, plan: Plan, future: Future[list[Produced]]
) -> ItemResult | str | None:
    """Under the lock: None when the plan still holds, else a skip or 'replan' (temps removed)."""
    if future.exception() is not None:
        return None  # nothing was made: _commit_one reports the failure
    rows = inventory.load(pipeline.ws.inventory_csv)
    recorded = [r for r in rows if r.get("content_sha256", "").lower() == plan.sha256.lower()]
    newcomers = [r["unique_id"] for r in recorded if r["unique_id"] not in plan.replaces]
    clash = taken_ids(rows).get(plan.id8, plan.sha256.upper()) != plan.sha256.upper()
    if not newcomers and not clash:
        return None
    for item in future.result():
        item.temp.unlink(missing_ok=True)
    if newcomers:
        reason = f"already processed as {', '.join(newcomers)} (by another job meanwhile)"
        shown = pipeline.shown(plan.source)
        return ItemResult(shown, Outcome.SKIPPED, reason, unique_ids=newcomers)
    log.info("ID-%s was taken by other content meanwhile; planning %s again", plan.id8, plan.source)
    return "replan"
