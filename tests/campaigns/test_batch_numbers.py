"""Batch numbers are never reused, also when two processes write campaign CSVs at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from tests.campaigns.builders import many_pairs, write_inventory
from tests.campaigns.conftest import BATCH_FILE, URL, campaign_files
from tracking.campaign_csv import AdText, generate
from tracking.campaign_formats import CampaignFormat
from tracking.campaign_select import Selection, inventory_frame

RUNS_PER_PROCESS = 8


def write_batches(workspace: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    """One process: several campaign-csv runs of three categories each, started together."""
    root = Path(workspace)
    frame = inventory_frame(root / "records" / "inventory.csv")
    barrier.wait()
    for _ in range(RUNS_PER_PROCESS):
        folder = root / "records" / "campaigns"
        text = AdText(URL, brand="Acme")
        generate(
            frame, CampaignFormat.NATIVE, text, folder, selection=Selection(), by_category=True
        )


def test_two_processes_never_share_a_batch_number(workspace: Path) -> None:
    write_inventory(workspace, many_pairs(6, categories=("Teen", "Milf", "Ebony")))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    procs = [context.Process(target=write_batches, args=(str(workspace), barrier))
             for _ in range(2)]  # fmt: skip
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    files = campaign_files(workspace)
    assert len(files) == 2 * RUNS_PER_PROCESS * 3
    batches = [int(BATCH_FILE.match(f.name)["batch"]) for f in files]  # type: ignore[index]
    assert sorted(batches) == list(range(1, len(files) + 1))


def test_numbers_continue_after_the_counter_file_is_lost(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(2))
    args = ("--workspace", workspace, "campaign-csv", "--target-url", URL, "--brand", "Acme")
    assert cli(*args).exit_code == 0
    assert cli(*args).exit_code == 0
    (workspace / "records" / "campaigns" / ".batch_counter").unlink()
    assert cli(*args).exit_code == 0
    batches = sorted(int(BATCH_FILE.match(f.name)["batch"])  # type: ignore[index]
                     for f in campaign_files(workspace))  # fmt: skip
    assert batches == [1, 2, 3]
