"""The job board: what was queued, what runs, what failed or is done, by kind (fetch, process, ...).

Celery's broker knows only what waits; the board is what `queue status` and a waiting command read.
Each job is a Redis hash written by whoever moves it on: the command that queues it, then the
worker that runs it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import redis

from automation.queue import redis_keys

KINDS = ("fetch", "process", "browser")


class JobState(StrEnum):
    """Where a job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    # Failed for now; queued again to run later (a download with backoff).
    RETRYING = "retrying"
    FAILED = "failed"
    DONE = "done"


# States a waiting command stops waiting on.
SETTLED = frozenset({JobState.RETRYING, JobState.FAILED, JobState.DONE})
FINISHED = frozenset({JobState.FAILED, JobState.DONE})
FINISHED_KEPT_S = 7 * 24 * 3600


@dataclass(frozen=True)
class Job:
    """One job as the board holds it. `result` is the task's JSON answer once settled."""

    id: str
    kind: str
    label: str
    state: JobState
    updated: float
    detail: str = ""
    attempts: int = 0
    run_at: float | None = None
    result: dict[str, Any] | None = None

    @classmethod
    def from_hash(cls, job_id: str, data: dict[str, str]) -> Job:
        return cls(
            id=job_id,
            kind=data.get("kind", ""),
            label=data.get("label", ""),
            state=JobState(data.get("state", JobState.QUEUED)),
            updated=float(data.get("updated", 0) or 0),
            detail=data.get("detail", ""),
            attempts=int(data.get("attempts", 0) or 0),
            run_at=float(data["run_at"]) if data.get("run_at") else None,
            result=json.loads(data["result"]) if data.get("result") else None,
        )


class JobBoard:
    """Read and move jobs on the board kept in the broker's Redis."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def add(self, kind: str, job_id: str, label: str) -> None:
        """Record a job as queued (before its message is sent, so no worker can outrun it)."""
        self.add_many([(kind, job_id, label)])

    def add_many(self, jobs: Sequence[tuple[str, str, str]]) -> None:
        """Record each (kind, job id, label) as queued, all in one round trip to Redis."""
        for kind, _, _ in jobs:
            if kind not in KINDS:
                raise ValueError(f"unknown job kind {kind!r}; use one of {', '.join(KINDS)}")
        pipe = self.client.pipeline()
        for kind, job_id, label in jobs:
            pipe.hset(
                redis_keys.job(job_id),
                mapping={
                    "kind": kind,
                    "label": label,
                    "state": JobState.QUEUED,
                    "updated": time.time(),
                },
            )
            pipe.sadd(redis_keys.JOBS, job_id)
        pipe.execute()

    def move(
        self,
        job_id: str,
        state: JobState,
        *,
        detail: str = "",
        run_at: float | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        """Set a job's state (and what goes with it); running counts an attempt."""
        key = redis_keys.job(job_id)
        pipe = self.client.pipeline()
        pipe.hset(
            key,
            mapping={
                "state": str(state),
                "updated": time.time(),
                "detail": detail,
                "run_at": "" if run_at is None else run_at,
            },
        )
        if result is not None:
            pipe.hset(key, "result", json.dumps(result))
        if state is JobState.RUNNING:
            pipe.hincrby(key, "attempts", 1)
        # Finished jobs leave the board after a week (as Celery's results do); the rest stay.
        if state in FINISHED:
            pipe.expire(key, FINISHED_KEPT_S)
        else:
            pipe.persist(key)
        pipe.publish(redis_keys.MOVES, job_id)
        pipe.execute()

    def get(self, job_id: str) -> Job | None:
        data = self.client.hgetall(redis_keys.job(job_id))
        return Job.from_hash(job_id, data) if data else None  # type: ignore[arg-type]

    def many(self, job_ids: list[str]) -> list[Job]:
        """The jobs of `job_ids` the board knows, in that order."""
        pipe = self.client.pipeline()
        for job_id in job_ids:
            pipe.hgetall(redis_keys.job(job_id))
        found = dict(zip(job_ids, pipe.execute(), strict=True))
        gone = [job_id for job_id, data in found.items() if not data]
        if gone:
            self.client.srem(redis_keys.JOBS, *gone)  # expired: forget them in the index too
        return [Job.from_hash(job_id, data) for job_id, data in found.items() if data]

    def all(self) -> list[Job]:
        """Every job on the board, oldest change first."""
        ids = sorted(str(job_id) for job_id in self.client.smembers(redis_keys.JOBS))
        return sorted(self.many(ids), key=lambda job: job.updated)


def counts(jobs: Sequence[Job]) -> dict[str, dict[str, int]]:
    """Per kind, how many of `jobs` are in each state."""
    table = {kind: {state.value: 0 for state in JobState} for kind in KINDS}
    for job in jobs:
        table.setdefault(job.kind, {state.value: 0 for state in JobState})
        table[job.kind][job.state.value] += 1
    return table
