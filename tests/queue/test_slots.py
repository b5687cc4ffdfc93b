"""The Redis semaphore: a limit holds across holders, and a killed holder frees its slot."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable

import pytest
import redis

from automation.queue import redis_keys
from automation.queue.slots import SlotsBusy, holders, slots, try_acquire


def test_two_slots_hold_two_at_once_and_the_rest_wait(broker: str) -> None:
    client = redis_keys.connect(broker)
    inside, most = [0], [0]
    lock = threading.Lock()
    # Holders meet in pairs inside: a limit of one would never let a pair meet.
    pair = threading.Barrier(2, timeout=10)

    def hold() -> None:
        with slots(client, "account:demo", limit=2, ttl=5):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            pair.wait()
            with lock:
                most[0] = max(most[0], holders(client, "account:demo"))
                inside[0] -= 1

    threads = [threading.Thread(target=hold) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2
    assert not pair.broken
    assert holders(client, "account:demo") == 0


def test_a_busy_semaphore_refuses_without_waiting(broker: str) -> None:
    client = redis_keys.connect(broker)
    with (
        slots(client, "library:native", limit=1, ttl=5),
        pytest.raises(SlotsBusy, match="library:native"),
        slots(client, "library:native", limit=1, ttl=5, wait=False),
    ):
        pass
    with slots(client, "library:native", limit=1, ttl=5, wait=False):
        assert holders(client, "library:native") == 1


def _hold_forever(url: str, taken: multiprocessing.synchronize.Event) -> None:
    client = redis_keys.connect(url)
    with slots(client, "account:killed", limit=1, ttl=1.5):
        taken.set()
        threading.Event().wait()


def test_a_killed_holder_s_slot_frees_itself_when_its_lease_runs_out(broker: str) -> None:
    context = multiprocessing.get_context("spawn")
    taken = context.Event()
    holder = context.Process(target=_hold_forever, args=(broker, taken))
    holder.start()
    assert taken.wait(30)
    client = redis_keys.connect(broker)
    # Alive, it keeps renewing: its slot outlives the lease.
    with (
        pytest.raises(SlotsBusy),
        slots(client, "account:killed", limit=1, ttl=5, timeout=2.5),
    ):
        pass
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    with slots(client, "account:killed", limit=1, ttl=5, timeout=5):
        assert holders(client, "account:killed") == 1


def _until(check: Callable[[], bool], timeout: float = 30) -> bool:
    """Whether `check()` came true within `timeout` s (looking every 10 ms)."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            return False
        threading.Event().wait(0.01)
    return True


def _waiter(client: redis.Redis, name: str, events: list[str]) -> threading.Thread:
    """A thread waiting, without a timeout as a browser job does, for the one slot of `name`."""

    def wait() -> None:
        with slots(client, name, limit=1, ttl=5):
            events.append("taken")

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


def test_a_waiter_takes_the_slot_once_released_or_once_a_silent_lease_runs_out(
    broker: str,
) -> None:
    client = redis_keys.connect(broker)
    name = "account:waiting"

    def waiting() -> bool:
        return client.pubsub_numsub(redis_keys.slot_freed(name)) == [
            (redis_keys.slot_freed(name), 1)
        ]

    events: list[str] = []
    # Leased far longer than the waiter is given: only the release itself can let it in.
    with slots(client, name, limit=1, ttl=600):
        waiter = _waiter(client, name, events)
        assert _until(waiting)
        events.append("released")
    waiter.join(60)
    assert events == ["released", "taken"]

    # A killed holder's lease: nobody renews it, nobody says it is free; it just runs out.
    assert try_acquire(client, name, limit=1, ttl=3, token="killed")
    events.clear()
    waiter = _waiter(client, name, events)
    assert _until(waiting)
    waiter.join(60)
    assert events == ["taken"]
    assert holders(client, name) == 0
