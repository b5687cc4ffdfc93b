"""A counting semaphore in Redis that outlives no holder: each slot is a lease renewed while held.

A holder killed mid-work stops renewing; its slot frees itself when the lease runs out, so a
limit such as "three browser sessions per account" holds across workers and machines without
ever staying stuck. Times come from the Redis server's clock, the one clock every machine shares.

A release says so on the semaphore's channel; a waiter listens there and tries again on each word,
and at the latest when the first lease would run out (a killed holder says nothing).
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import redis
from redis.client import PubSub

from automation.queue import redis_keys

log = logging.getLogger(__name__)

# Lua shared by both scripts: `now` from the server's clock, and a key that outlives lease `lease`.
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""
_KEEP_KEY = """
local ms = math.ceil(tonumber(lease) * 1000)
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('PEXPIRE', KEYS[1], ms)
end
"""
# KEYS[1] = the set; ARGV = limit, ttl seconds, token. Drops run-out leases, then takes a slot:
# 0 when taken, else the milliseconds (at least 1) until the first lease runs out.
_ACQUIRE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil((tonumber(first[2]) - now) * 1000))
end
local lease = ARGV[2]
redis.call('ZADD', KEYS[1], now + tonumber(lease), ARGV[3])
"""
    + _KEEP_KEY
    + "return 0\n"
)
# KEYS[1] = the set; ARGV = ttl seconds, token. Renews a lease still held; 0 when it was lost.
_RENEW = (
    _NOW
    + """
local until_ = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not until_ or tonumber(until_) < now then
  return 0
end
local lease = ARGV[1]
redis.call('ZADD', KEYS[1], now + tonumber(lease), ARGV[2])
"""
    + _KEEP_KEY
    + "return 1\n"
)


class SlotsBusy(Exception):
    """Every slot stayed taken (at once with wait=False, or for the whole timeout)."""


@dataclass
class Slot:
    """One held slot; `lost` turns true if a renewal found the lease had already run out."""

    name: str
    token: str
    lost: bool = False
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)


def holders(client: redis.Redis, name: str) -> int:
    """How many live leases `name` has now."""
    now = _server_time(client)
    return int(client.zcount(redis_keys.slots(name), f"({now}", "+inf"))


def _server_time(client: redis.Redis) -> float:
    seconds, micros = client.time()
    return float(seconds) + float(micros) / 1_000_000


def try_acquire(client: redis.Redis, name: str, limit: int, ttl: float, token: str) -> bool:
    """Take one of `limit` slots of `name` for `ttl` seconds if one is free."""
    return _attempt(client, name, limit, ttl, token) == 0


def _attempt(client: redis.Redis, name: str, limit: int, ttl: float, token: str) -> float:
    """Try for a slot: 0 when taken, else the seconds until the first lease of `name` ends."""
    reply = client.eval(_ACQUIRE, 1, redis_keys.slots(name), limit, ttl, token)
    return int(reply) / 1000


def release(client: redis.Redis, name: str, token: str) -> None:
    """Give a slot back and tell whoever waits for one of `name`."""
    pipe = client.pipeline()
    pipe.zrem(redis_keys.slots(name), token)
    pipe.publish(redis_keys.slot_freed(name), token)
    pipe.execute()


def _take(
    client: redis.Redis, slot: Slot, limit: int, ttl: float, freed: PubSub | None, deadline: float
) -> None:
    """Take a slot for `slot`, waiting on `freed` (None: not at all) until `deadline` (monotonic).

    Tries again on each release, and when the first lease would run out: a killed holder
    releases nothing, its lease just ends.
    """
    while (lapse := _attempt(client, slot.name, limit, ttl, slot.token)) > 0:
        left = deadline - time.monotonic()
        if freed is None or left <= 0:
            raise SlotsBusy(f"all {limit} slot(s) of {slot.name} are taken")
        freed.get_message(timeout=min(lapse, left))


def _keep_alive(client: redis.Redis, slot: Slot, ttl: float) -> None:
    # Renew three times per lease so one slow round trip never lets it run out.
    while not slot._stop.wait(ttl / 3):
        try:
            renewed = client.eval(_RENEW, 1, redis_keys.slots(slot.name), ttl, slot.token)
        except redis.RedisError as exc:
            log.warning("could not renew slot %s: %s", slot.name, exc)
            continue
        if not renewed:
            slot.lost = True
            log.warning("slot %s ran out before it was renewed", slot.name)
            return


@contextmanager
def slots(
    client: redis.Redis,
    name: str,
    limit: int,
    ttl: float,
    *,
    wait: bool = True,
    timeout: float | None = None,
) -> Iterator[Slot]:
    """Hold one of `limit` slots of `name` for the block, renewing its `ttl`-second lease.

    Waits for a free slot (woken by each release) unless `wait` is false; raises SlotsBusy when
    none came free (at once, or within `timeout` seconds).
    """
    if limit < 1 or ttl <= 0:
        raise ValueError(f"slots {name}: limit must be >= 1 and ttl > 0")
    slot = Slot(name=name, token=uuid.uuid4().hex)
    deadline = math.inf if timeout is None else time.monotonic() + timeout
    # Listening before the first try, so a release while it fails still wakes the wait.
    # Confirmed before the first try, so a release between a failed try and the wait that
    # follows is never missed.
    freed = redis_keys.listen(client, redis_keys.slot_freed(name)) if wait else None
    try:
        _take(client, slot, limit, ttl, freed, deadline)
    finally:
        if freed is not None:
            freed.close()
    keeper = threading.Thread(
        target=_keep_alive, args=(client, slot, ttl), name=f"slot-{name}", daemon=True
    )
    keeper.start()
    try:
        yield slot
    finally:
        slot._stop.set()
        keeper.join()
        release(client, name, slot.token)
