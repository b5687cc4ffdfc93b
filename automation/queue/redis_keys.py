"""Every Redis key the tool writes, named in one place (Celery's own keys aside)."""

from __future__ import annotations

import logging

import redis
from redis.client import PubSub

log = logging.getLogger(__name__)
# How long a listener gives the server to confirm its subscription.
CONFIRM_S = 30.0

PREFIX = "creative-flow"
# Set of every job id the board knows.
JOBS = f"{PREFIX}:jobs"
# Channel: the id of each job whose state just changed (what a following command waits on).
MOVES = f"{PREFIX}:moves"


def job(job_id: str) -> str:
    """Hash of one job: kind, label, state, detail, times, result."""
    return f"{PREFIX}:job:{job_id}"


def slots(name: str) -> str:
    """Sorted set of the holders of a named semaphore, scored by when each lease runs out."""
    return f"{PREFIX}:slots:{name}"


def slot_freed(name: str) -> str:
    """Channel: the token of each slot of `name` given back (what a waiter for one waits on)."""
    return f"{PREFIX}:slot-freed:{name}"


def lease(job_id: str) -> str:
    """The semaphore (of one slot) a running job holds while a worker works on it."""
    return f"lease:{job_id}"


def breaker(source: str) -> str:
    """Hash of one source's circuit breaker: consecutive failures and when it opened."""
    return f"{PREFIX}:breaker:{source}"


def rate(source: str) -> str:
    """The time (Redis clock) before which the next request to `source` must not start."""
    return f"{PREFIX}:rate:{source}"


def connect(url: str) -> redis.Redis:
    """A client of the broker's Redis, answering str, not bytes."""
    return redis.Redis.from_url(url, decode_responses=True)


def listen(client: redis.Redis, channel: str) -> PubSub:
    """A subscription to `channel`, confirmed by the server before it is returned: whatever
    is published after this returns reaches it (a wait that follows a read misses nothing)."""
    listener = client.pubsub()
    listener.subscribe(channel)
    reply = listener.get_message(timeout=CONFIRM_S)
    if reply is None or reply["type"] != "subscribe":
        # Still safe, only slower: every listener also looks again on a timeout of its own.
        log.warning("no confirmation of listening on %s", channel)
    return listener
