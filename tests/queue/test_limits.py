"""The fetch rate limit and circuit breaker hold across workers (each worker its own objects)."""

from __future__ import annotations

from automation.queue import redis_keys
from automation.queue.limits import SharedCircuitBreaker, SharedRateLimiter


def test_two_workers_share_one_source_s_rate_limit(broker: str) -> None:
    waits: list[float] = []
    first, second = (
        SharedRateLimiter(redis_keys.connect(broker), per_minute=60, sleep=waits.append)
        for _ in range(2)
    )
    assert first.wait("media-site") == 0
    # One request a second for the source: the other worker waits most of that second.
    assert 0.9 < second.wait("media-site") <= 1.0
    assert 1.9 < first.wait("media-site") <= 2.0
    assert second.wait("another-site") == 0
    assert len(waits) == 2  # only real waits sleep


def test_a_breaker_opened_by_one_worker_is_open_for_the_others(broker: str) -> None:
    one, other = (SharedCircuitBreaker(redis_keys.connect(broker), 3, 60) for _ in range(2))
    one.record("media-site", ok=False)
    other.record("media-site", ok=False)
    assert not other.is_open("media-site")
    one.record("media-site", ok=False)
    assert other.is_open("media-site") and one.opened == ["media-site"]
    other.record("media-site", ok=True)
    assert not one.is_open("media-site")


def test_an_open_breaker_closes_after_its_cooldown(broker: str) -> None:
    client = redis_keys.connect(broker)
    breaker = SharedCircuitBreaker(client, 1, cooldown_s=60)
    breaker.record("media-site", ok=False)
    assert breaker.is_open("media-site")
    ttl_ms = client.pttl(redis_keys.breaker("media-site"))
    assert 55_000 < ttl_ms <= 60_000
