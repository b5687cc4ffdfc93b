"""Retries, rate limits and circuit breakers for fetching: the generic part of being polite."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from automation.errors import CreativeFlowError

# Longest Retry-After we wait for; a server asking for more is treated as a failure.
MAX_RETRY_AFTER_S = 600.0


class FetchFailure(CreativeFlowError):
    """One attempt at one URL failed; `reason` is the short word recorded in downloads.csv.

    `junk` marks an answer that is itself junk (an empty body): recorded as rejected, not
    as a failure of the source.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        junk: bool = False,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.junk = junk
        # Filled in by the fetcher: how long the attempt took and which attempt it was.
        self.seconds = 0.0
        self.attempt = 0


def http_failure(status: int, message: str, retry_after: float | None = None) -> FetchFailure:
    """The failure for an HTTP status: 5xx, 408 and 429 are worth retrying, other 4xx are not."""
    retryable = status >= 500 or status in (408, 425, 429)
    if retry_after is not None and retry_after > MAX_RETRY_AFTER_S:
        retryable = False
    return FetchFailure(f"http-{status}", message, retryable=retryable, retry_after=retry_after)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form; an HTTP date counts as 60 s)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        return 60.0 if text else None


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently one URL is tried.

    Attempt n (1-based) gets a socket timeout of timeout_s * (1 + (n-1)/2), and the wait before
    attempt n+1 is an exponential backoff with "equal jitter" (random between half and all of
    base * 2**(n-1), capped at max), or the server's Retry-After when that is longer.
    """

    retries: int = 3
    backoff_s: float = 2.0
    backoff_max_s: float = 60.0
    timeout_s: float = 20.0

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def timeout_for(self, attempt: int) -> float:
        return self.timeout_s * (1 + (attempt - 1) / 2)

    def delay_after(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        ceiling = min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1))
        delay = (rng or random).uniform(ceiling / 2, ceiling)
        return max(delay, retry_after or 0.0)


@dataclass
class RateLimiter:
    """At most `per_minute` request starts per source (0 means no limit)."""

    per_minute: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)

    @property
    def interval_s(self) -> float:
        return 60.0 / self.per_minute if self.per_minute > 0 else 0.0

    def wait(self, source: str) -> float:
        """Block until `source` may get its next request; returns the seconds waited."""
        now = self.clock()
        last = self._last.get(source)
        waited = 0.0
        if last is not None and self.interval_s:
            waited = max(0.0, last + self.interval_s - now)
            if waited:
                self.sleep(waited)
        self._last[source] = now + waited
        return waited


@dataclass
class CircuitBreaker:
    """Opens for a source after `threshold` consecutive failed attempts (0 disables it)."""

    threshold: int
    _failures: dict[str, int] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)

    def is_open(self, source: str) -> bool:
        return bool(self.threshold) and self._failures.get(source, 0) >= self.threshold

    def record(self, source: str, ok: bool) -> None:
        """Count an attempt's outcome; a success closes the count again."""
        if ok:
            self._failures[source] = 0
            return
        self._failures[source] = self._failures.get(source, 0) + 1
        if self.is_open(source) and source not in self.opened:
            self.opened.append(source)

    def failures(self, source: str) -> int:
        return self._failures.get(source, 0)
