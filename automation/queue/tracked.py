"""The base of every queued task: it keeps the job board right and runs a job only once at a time.

A task message can arrive twice: the broker gives a task back when its worker died, and again when
a slow job outlived the visibility timeout. So a job first takes its lease (one slot, renewed while
it runs); a copy that finds the lease taken comes back later, and a copy of a job the board already
shows finished returns that result without running anything.
"""

from __future__ import annotations

import logging
import time
from functools import cached_property
from typing import Any, NoReturn

import redis
from celery import Task
from celery.exceptions import Retry

from automation.queue import redis_keys
from automation.queue.jobs import FINISHED, JobBoard, JobState
from automation.queue.slots import SlotsBusy, slots
from automation.settings import Settings

log = logging.getLogger(__name__)


class JobFailed(Exception):
    """A job that ended in a failure to record (one line, no traceback on the board)."""


class TrackedTask(Task):
    """A Celery task whose `run` works on one job of the board."""

    abstract = True

    @cached_property
    def settings(self) -> Settings:
        """The worker's settings (its workspace, timeouts, credentials)."""
        settings = self.app.conf.creative_flow_settings
        assert isinstance(settings, Settings), "the worker app was built without settings"
        return settings

    @cached_property
    def redis(self) -> redis.Redis:
        return redis_keys.connect(self.settings.broker_url)

    @property
    def board(self) -> JobBoard:
        return JobBoard(self.redis)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        job_id = str(self.request.id or "")
        if not job_id:  # called directly, not from a message
            return self.run(*args, **kwargs)
        lease_s = self.settings.queue_lease_s
        try:
            with slots(self.redis, redis_keys.lease(job_id), 1, lease_s, wait=False):
                # Looked at under the lease: a copy that finished just before cannot slip by.
                known = self.board.get(job_id)
                if known is not None and known.state in FINISHED:
                    log.info("job %s already %s; not running it again", job_id, known.state)
                    return known.result or {}
                return self._run_tracked(job_id, *args, **kwargs)
        except SlotsBusy:
            # Another copy runs it, or did until it died: look again once its lease ran out.
            log.info("job %s is held by another worker; looking again in %.0f s", job_id, lease_s)
            raise self.retry(countdown=lease_s, max_retries=None) from None

    def _run_tracked(self, job_id: str, *args: Any, **kwargs: Any) -> Any:
        self.board.move(job_id, JobState.RUNNING)
        try:
            result = self.run(*args, **kwargs)
        except Retry:
            raise  # requeue() already put it on the board
        except JobFailed as exc:
            self.board.move(job_id, JobState.FAILED, detail=str(exc), result={"error": str(exc)})
            return {"error": str(exc)}
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"
            self.board.move(job_id, JobState.FAILED, detail=detail, result={"error": detail})
            raise
        self.board.move(job_id, JobState.DONE, detail=_detail(result), result=_as_dict(result))
        return result

    def requeue(self, countdown: float, detail: str) -> NoReturn:
        """Put this job back on its queue to run again in `countdown` seconds (raises Retry)."""
        job_id = str(self.request.id)
        run_at = time.time() + countdown
        self.board.move(job_id, JobState.RETRYING, detail=detail, run_at=run_at)
        raise self.retry(countdown=countdown, max_retries=None)


def _as_dict(result: Any) -> dict[str, Any]:
    return result if isinstance(result, dict) else {"value": result}


def _detail(result: Any) -> str:
    return str(result.get("detail", "")) if isinstance(result, dict) else ""
