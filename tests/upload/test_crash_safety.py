"""Killing an upload at any moment, then running it again: no duplicate, no lost or wrong ID."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.upload.workspace import TJWorkspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CLI = Path(sys.executable).with_name("creative-flow")


def _start_upload(tj: TJWorkspace) -> subprocess.Popen[bytes]:
    env = {**os.environ, **tj.env()}
    return subprocess.Popen(
        [str(CLI), "--workspace", str(tj.root), "upload", "--live"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group: the kill takes its browser down with it
    )


def _new_journal_says_submitting(tj: TJWorkspace, old: set[Path]) -> bool:
    """The run just started has journalled a batch as on its way."""
    return any("submitting" in p.read_text(errors="replace") for p in tj.journals() if p not in old)


def _wait_until(condition, proc: subprocess.Popen[bytes], limit_s: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None and not condition():
        time.sleep(0.02)  # polling a file's state, not waiting out a race


def _kill_at_random_moment(tj: TJWorkspace, rng: random.Random) -> None:
    old = set(tj.journals())
    proc = _start_upload(tj)
    if rng.random() < 0.6:
        # Around the dangerous window: right after the journal says a batch is on its way.
        _wait_until(lambda: _new_journal_says_submitting(tj, old), proc, 60)
        pause = rng.uniform(0.0, 1.5)
    else:
        pause = rng.uniform(0.3, 6.0)
    _wait_until(lambda: False, proc, pause)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_kills_at_random_moments_then_a_rerun_record_exactly_the_truth(tj: TJWorkspace):
    tj.banners(12)
    tj.pairs(2)
    tj.sandbox.switches(processing_delay_ms=300)  # a wide window between submit and card
    rng = random.Random(20261121)

    for _ in range(5):
        _kill_at_random_moment(tj, rng)
        assert not tj.duplicates_in_sandbox()

    final = _start_upload(tj)
    _, stderr = final.communicate(timeout=240)

    assert final.returncode == 0, stderr.decode()
    expected = tj.expected_ids()
    assert all(expected.values()), "every file exists on the platform"
    assert tj.recorded_ids() == expected, "no lost and no wrong ID"
    assert not tj.duplicates_in_sandbox(), "nothing was uploaded twice"
    assert len(tj.truth()) == len(tj.rows)
    assert not tj.journals(), "every interrupted entry was reconciled"
