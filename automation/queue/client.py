"""The command's side of the queue: put jobs on the board and the broker, then follow them."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from celery import Celery
from redis.client import PubSub

from automation.queue import redis_keys
from automation.queue.app import make_app, task_name
from automation.queue.jobs import SETTLED, Job, JobBoard, JobState
from automation.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """One job to queue: the task's kind and verb, a label people read, its JSON arguments."""

    kind: str
    verb: str
    label: str
    kwargs: dict[str, Any]


class QueueClient:
    """Queues jobs for `creative-flow worker` and reads them back from the board."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app: Celery = make_app(settings.broker_url, visibility_s=settings.queue_visibility_s)
        self.board = JobBoard(redis_keys.connect(settings.broker_url))

    def enqueue(self, requests: Sequence[Request]) -> list[str]:
        """Queue every request (board first, then broker); returns their job ids in order."""
        queued = [(uuid.uuid4().hex, request) for request in requests]
        # One round trip for the whole batch: forty campaigns are one write, not forty.
        self.board.add_many([(request.kind, job_id, request.label) for job_id, request in queued])
        for sent, (job_id, request) in enumerate(queued):
            try:
                self.app.send_task(
                    task_name(request.kind, request.verb),
                    kwargs=request.kwargs,
                    task_id=job_id,
                    queue=request.kind,
                )
            except Exception:
                self._unsent([job_id for job_id, _ in queued[sent:]])
                raise
        return [job_id for job_id, _ in queued]

    def _unsent(self, job_ids: list[str]) -> None:
        """Jobs on the board that never reached the broker: failed, so none waits forever."""
        detail = "never reached the broker; run the command again"
        try:
            for job_id in job_ids:
                self.board.move(job_id, JobState.FAILED, detail=detail)
        except Exception:  # the broker is the board's Redis too: it may be gone altogether
            log.debug("could not mark unsent jobs failed", exc_info=True)

    def follow(
        self,
        job_ids: list[str],
        on_change: Callable[[list[Job]], None] | None = None,
        poll: float = 5.0,
        timeout: float | None = None,
        until: frozenset[JobState] = SETTLED,
    ) -> list[Job]:
        """Wait until every job is in a state of `until` (by default: done, failed or waiting
        for a later retry) or `timeout` s passed; returns them.

        Reads the board again each time one of the jobs moves, and at least every `poll` s (a
        job that runs out on the board moves without a word). `on_change` sees the jobs each
        time one of them moved (for a progress bar).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        wanted = set(job_ids)
        seen: list[tuple[str, str]] = []
        # Listening (confirmed) before the first read, so no move between a read and the wait
        # is missed.
        moves = redis_keys.listen(self.board.client, redis_keys.MOVES)
        try:
            while True:
                jobs = self.board.many(job_ids)
                now = [(job.id, job.state.value) for job in jobs]
                if now != seen and on_change is not None:
                    on_change(jobs)
                seen = now
                if len(jobs) == len(job_ids) and all(job.state in until for job in jobs):
                    return jobs
                wait = poll
                if deadline is not None:
                    wait = min(wait, deadline - time.monotonic())
                    if wait <= 0:
                        return jobs
                _await_move(moves, wanted, wait)
        finally:
            moves.close()

    def close(self) -> None:
        self.app.close()


def _await_move(moves: PubSub, wanted: set[str], wait: float) -> None:
    """Until one of the `wanted` jobs moves, or `wait` s passed."""
    end = time.monotonic() + wait
    while (left := end - time.monotonic()) > 0:
        message = moves.get_message(timeout=left)
        if message is not None and message["data"] in wanted:
            return
