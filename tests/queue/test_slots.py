"""The Redis semaphore: a limit holds across holders, and a killed holder frees its slot."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import pytest

from automation.queue import redis_keys
from automation.queue.slots import SlotsBusy, holders, slots


def test_two_slots_hold_two_at_once_and_the_rest_wait(broker: str) -> None:
    client = redis_keys.connect(broker)
    inside, most = [0], [0]
    lock = threading.Lock()
    # Holders meet in pairs inside: a limit of one would never let a pair meet.
    pair = threading.Barrier(2, timeout=10)

    def hold() -> None:
        with slots(client, "account:demo", limit=2, ttl=5, poll=0.02):
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
        slots(client, "account:killed", limit=1, ttl=5, timeout=2.5, poll=0.1),
    ):
        pass
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    with slots(client, "account:killed", limit=1, ttl=5, timeout=5, poll=0.1):
        assert holders(client, "account:killed") == 1
