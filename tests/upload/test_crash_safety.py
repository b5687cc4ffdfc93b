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

from tests.upload.workspace import TJWorkspace, arm_request_counter, sandbox_requests_seen
from tracking import inventory
from tracking.journal import Journal, JournalEntry, JournalState, journal_path

pytestmark = pytest.mark.browser
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


@pytest.mark.slow
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


def test_a_settled_journal_left_by_a_kill_goes_even_when_nothing_is_left_to_upload(
    cli, tj: TJWorkspace
):
    # Killed after its last confirmation, before it could delete its own journal.
    [unique_id] = tj.banners(1)
    inventory.set_platform_fields(
        tj.ws.inventory_csv, "trafficjunky", {unique_id: {"creative_id": "1000000010"}}
    )
    entry = JournalEntry(
        "20260101-000000-dead",
        "trafficjunky",
        Path(tj.rows[0]["new_filename"]).stem,
        "static_banner",
        unique_id,
        JournalState.SUBMITTING,
    )
    journal = Journal(journal_path(tj.ws.uploads_dir, entry.run_id))
    journal.write([entry, entry.moved_to(JournalState.CONFIRMED, "1000000010")])
    arm_request_counter(tj.sandbox)

    result = cli("--workspace", tj.root, "upload", "--live")

    assert result.exit_code == 0, result.output
    assert not tj.journals()
    assert sandbox_requests_seen(tj.sandbox) == 0, "nothing to do on the platform"
    assert tj.recorded_ids() == {unique_id: "1000000010"}


def test_a_file_the_cache_already_proves_gets_one_status_row_after_a_crash(cli, tj: TJWorkspace):
    [unique_id] = tj.banners(1)
    assert cli("--workspace", tj.root, "upload", "--live").exit_code == 0
    [truth_id] = tj.expected_ids().values()
    # As if killed after the cache was written but before the inventory and the journal were.
    inventory.set_platform_fields(
        tj.ws.inventory_csv, "trafficjunky", {unique_id: {"creative_id": ""}}
    )
    for path in tj.ws.uploads_dir.glob("*.csv"):
        path.unlink()
    entry = JournalEntry(
        "20260101-000000-dead",
        "trafficjunky",
        Path(tj.rows[0]["new_filename"]).stem,
        "static_banner",
        unique_id,
        JournalState.SUBMITTING,
    )
    Journal(journal_path(tj.ws.uploads_dir, entry.run_id)).write([entry])

    result = cli("--workspace", tj.root, "upload", "--live")

    assert result.exit_code == 0, result.output
    assert tj.recorded_ids() == {unique_id: truth_id}
    rows = tj.status_rows()
    assert [(r["unique_id"], r["tj_creative_id"]) for r in rows] == [(unique_id, truth_id)]
    assert not tj.journals()
