"""`--jobs N` runs at most N conversions at once, and every source still ends up processed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from creatives import produce
from tracking import inventory

SOURCES = ("landscape.mp4", "portrait.mp4", "noaudio.mp4", "square.mp4")


class ConcurrencyMeter:
    """Wraps the native conversion and records the most that ran at the same time.

    The first `meet` conversions wait for each other at a barrier: if processing ran them one
    after the other, the barrier breaks (after its timeout) and so does the run.
    """

    def __init__(self, real: Any, meet: int) -> None:
        self.real = real
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.calls = 0
        self.barrier = threading.Barrier(meet, timeout=60)

    def __call__(self, *args: Any, **kwargs: Any) -> bytes:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.calls += 1
            first = self.calls <= self.barrier.parties
        if first:
            self.barrier.wait()  # state, not time: all `meet` are running together here
        try:
            result: bytes = self.real(*args, **kwargs)
            return result
        finally:
            with self.lock:
                self.running -= 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_jobs_bounds_the_conversions_running_at_once(
    jobs: int, cli: Any, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meter = ConcurrencyMeter(produce.encode_native_pair, meet=jobs)
    monkeypatch.setattr(produce, "encode_native_pair", meter)
    for name in SOURCES:
        put(name)

    result = cli("--workspace", workspace, "process", "--native", "--jobs", str(jobs))

    assert result.exit_code == 0, result.output
    assert meter.most == jobs, "as many conversions at once as --jobs allows, never more"
    rows = inventory.load(workspace / "records" / "inventory.csv")
    assert len(rows) == 2 * len(SOURCES)
    for row in rows:
        assert (workspace / "processed" / row["new_filename"]).is_file()
