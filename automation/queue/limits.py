"""The fetcher's rate limit and circuit breaker kept in Redis, so they hold across workers."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis

from automation.queue import redis_keys
from automation.scrapers.resilience import CircuitBreaker, RateLimiter

# KEYS[1] = the source's next free start; ARGV[1] = interval in seconds. Reserves the next
# start for the caller and returns how long it must wait for it (Redis clock, shared by all).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, free)
local interval = tonumber(ARGV[1])
local keep_ms = math.ceil((start - now + interval) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', keep_ms)
return tostring(start - now)
"""


class SharedRateLimiter(RateLimiter):
    """At most `per_minute` request starts per source, counted over every worker."""

    def __init__(
        self,
        client: redis.Redis,
        per_minute: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(per_minute, sleep=sleep)
        self.client = client

    def wait(self, source: str) -> float:
        """Reserve the source's next start, then wait for it; returns the seconds waited."""
        if not self.interval_s:
            return 0.0
        waited = float(self.client.eval(_RESERVE, 1, redis_keys.rate(source), self.interval_s))
        if waited > 0:
            self.sleep(waited)
        return waited


class SharedCircuitBreaker(CircuitBreaker):
    """Opens for a source after `threshold` failed attempts in a row on any worker.

    It closes again after `cooldown_s` without a new failure (a queue outlives one run, so an
    open breaker must not stay open for good); a success closes it at once.
    """

    def __init__(self, client: redis.Redis, threshold: int, cooldown_s: float) -> None:
        super().__init__(threshold)
        self.client = client
        self.cooldown_ms = max(1000, round(cooldown_s * 1000))

    def failures(self, source: str) -> int:
        return int(self.client.get(redis_keys.breaker(source)) or 0)

    def is_open(self, source: str) -> bool:
        return bool(self.threshold) and self.failures(source) >= self.threshold

    def record(self, source: str, ok: bool) -> None:
        key = redis_keys.breaker(source)
        if ok:
            self.client.delete(key)
            return
        pipe = self.client.pipeline()
        pipe.incr(key)
        pipe.pexpire(key, self.cooldown_ms)
        pipe.execute()
        if self.is_open(source) and source not in self.opened:
            self.opened.append(source)
