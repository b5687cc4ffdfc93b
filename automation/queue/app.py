"""The Celery application: queues by kind, Redis broker and results, tasks acknowledged late."""

from __future__ import annotations

from typing import TYPE_CHECKING

from celery import Celery
from kombu import Queue

from automation.queue.jobs import KINDS

if TYPE_CHECKING:
    from automation.settings import Settings

# Task names start with their kind; the kind is the queue (and what `worker --queues` picks).
TASK_PREFIX = "creative_flow"


def task_name(kind: str, verb: str) -> str:
    """A task's registered name, e.g. creative_flow.fetch.download."""
    return f"{TASK_PREFIX}.{kind}.{verb}"


def make_app(
    broker_url: str, *, visibility_s: float = 3600.0, settings: Settings | None = None
) -> Celery:
    """A Celery app on `broker_url` with the fetch, process and browser queues.

    Tasks are acknowledged only once they ran (acks_late) and given back when their worker
    process dies (reject_on_worker_lost), each worker process taking one task at a time:
    a killed worker loses no work. `visibility_s` is how long Redis waits before it gives a
    task taken by a worker that vanished altogether to another one.
    """
    app = Celery("creative_flow", broker=broker_url, backend=broker_url)
    transport = {
        "visibility_timeout": visibility_s,
        # Look for tasks of lost workers a few times per visibility timeout, not once in 100 s.
        "unacked_restore_interval": max(1, min(10, round(visibility_s / 3))),
        "unacked_restore_throttle": 1,
    }
    app.conf.update(
        task_queues=[Queue(kind) for kind in KINDS],
        task_default_queue="process",
        task_routes={f"{TASK_PREFIX}.{kind}.*": {"queue": kind} for kind in KINDS},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        # Flower and `celery events` see every task without extra flags.
        worker_send_task_events=True,
        task_send_sent_event=True,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        result_expires=7 * 24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.conf.creative_flow_settings = settings
    return app
