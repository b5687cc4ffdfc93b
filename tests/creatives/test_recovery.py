"""A run stopped at any step leaves the old state or the new one once the next run starts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from automation.uploaders.trafficjunky.specs import SPECS
from creatives.pipeline import Outcome, Pipeline
from creatives.plan import ProcessOptions
from creatives.sources import discover, pid_alive
from tests.creatives.conftest import sha256
from tracking import inventory
from tracking.errors import RecordsError
from tracking.workspace import Workspace


class Crash(BaseException):
    """Stands for the process dying: nothing catches it, nothing cleans up after it."""


def crash(*_: Any, **__: Any) -> None:
    raise Crash


def run(ws: Workspace) -> Any:
    return Pipeline(ws, SPECS, ProcessOptions(native=True)).run(discover([ws.inbox], ws.inbox))


def assert_consistent(ws: Workspace, source_hash: str) -> None:
    """Rows and files match one to one; no temporary file or journal is left; source archived."""
    rows = inventory.load(ws.inventory_csv)
    assert sorted(r["unique_id"][-4:] for r in rows) == ["-IMG", "-VID"]
    assert sorted(p.name for p in ws.processed.iterdir()) == sorted(r["new_filename"] for r in rows)
    assert not list(ws.inbox.rglob("*.mp4"))
    (original,) = ws.originals.rglob("*.mp4")
    assert sha256(original) == source_hash
    assert all(r["source_path"] == original.relative_to(ws.root).as_posix() for r in rows)


STEPS = {
    "while converting": "creatives.produce.verify",
    "before the rows are written": "creatives.commit.write_rows",
    "after the rows, before the files are placed": "creatives.commit.finish",
    "after the files, before the source moves": "creatives.commit.move_source",
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_crash_at_any_step_is_settled_by_the_next_run(
    step: str, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(workspace)
    source = put("square.mp4")
    source_hash = sha256(source)
    with monkeypatch.context() as patch:
        patch.setattr(STEPS[step], crash)
        with pytest.raises(Crash):
            run(ws)
    leftovers = [p.name for p in ws.processed.iterdir() if p.name.startswith(".")]
    assert leftovers, "the crash left work in progress behind"
    assert sha256(source) == source_hash, "the source is never modified"

    report = run(ws)
    assert_consistent(ws, source_hash)
    assert report.recovered
    outcomes = [item.outcome for item in report.items]
    if step in ("while converting", "before the rows are written"):
        assert outcomes == [Outcome.PROCESSED]  # the old state: done again from scratch
    else:
        assert outcomes == []  # the new state: the next run only finished it


def test_a_records_error_fails_the_source_and_leaves_nothing_behind(
    put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(workspace)
    source = put("square.mp4")

    def locked_out(*_: Any) -> None:
        raise RecordsError("inventory.csv: another creative-flow run holds its lock")

    monkeypatch.setattr("creatives.commit.write_rows", locked_out)
    report = run(ws)
    (item,) = report.items
    assert item.outcome is Outcome.FAILED and "holds its lock" in item.reason
    assert list(ws.processed.iterdir()) == []
    assert source.exists() and not ws.inventory_csv.exists()


def test_temporary_files_of_a_live_run_are_left_alone(put: Any, workspace: Path) -> None:
    ws = Workspace(workspace).ensure()
    live = ws.processed / f".tmp-{os.getppid()}-0a0b0c0d.mp4"
    dead_pid = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    dead = ws.processed / f".tmp-{dead_pid}-0a0b0c0d.mp4"
    live.write_bytes(b"in progress")
    dead.write_bytes(b"abandoned")
    report = run(ws)
    assert live.exists() and not dead.exists()
    assert report.recovered == [f"removed leftover temporary file {dead.name}"]


def test_a_commit_journal_killed_while_being_written_is_removed(put: Any, workspace: Path):
    ws = Workspace(workspace).ensure()
    dead_pid = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    half = ws.processed / f"..commit-{dead_pid}-f80aaf68.json.b_liwaqb.tmp"
    live = ws.processed / f"..commit-{os.getppid()}-f80aaf68.json.c_abcdef.tmp"
    half.write_text('{"rows": [')
    live.write_text('{"rows": [')
    report = run(ws)
    assert not half.exists() and live.exists()
    assert report.recovered == [f"removed leftover temporary file {half.name}"]


def test_an_interrupted_batch_stops_converting_and_the_next_run_settles_it(
    put: Any, workspace: Path
) -> None:
    """Ctrl-C after the first source: the queued conversions are dropped, not run first."""
    names = ["landscape.mp4", "noaudio.mp4", "portrait.mp4", "square.mp4", "rotated.mp4"]
    for name in names:
        put(name)
    ws = Workspace(workspace)
    produced: list[str] = []

    def interrupt(result: Any) -> None:
        produced.append(result.source)
        raise KeyboardInterrupt

    pipeline = Pipeline(ws, SPECS, ProcessOptions(native=True, jobs=1))
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(discover([ws.inbox], ws.inbox), on_result=interrupt)
    # The first source is recorded; only the sources in a worker at Ctrl-C (jobs + 1: one
    # converting, one being measured) left outputs, not the whole queue.
    assert len(produced) == 1 and len(inventory.load(ws.inventory_csv)) == 2
    assert len(list(ws.processed.glob(".tmp-*"))) <= 2 * (pipeline.jobs + 1)
    report = run(ws)
    assert sorted(i.outcome for i in report.items) == [Outcome.PROCESSED] * (len(names) - 1)
    rows = inventory.load(ws.inventory_csv)
    assert sorted(p.name for p in ws.processed.iterdir()) == sorted(r["new_filename"] for r in rows)
