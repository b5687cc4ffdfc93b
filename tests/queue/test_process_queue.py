"""`process` through the queue: every source recorded once, whichever worker ran it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.queue import redis_keys
from automation.queue.jobs import JobBoard
from tests.fixtures.media import make_image, make_video
from tests.fixtures.redis import StartWorker
from tracking import inventory
from tracking.workspace import Workspace


def small_inbox(workspace: Path) -> Workspace:
    ws = Workspace(workspace)
    make_video(ws.inbox / "EN" / "clip-a.mp4", width=320, height=180, seconds=1.5, seed=1)
    make_video(ws.inbox / "EN" / "clip-b.mp4", width=320, height=180, seconds=1.5, seed=2)
    make_image(ws.inbox / "EN" / "still.png", width=400, height=300)
    # The same content as clip-a under another name: recorded once, never twice.
    (ws.inbox / "EN" / "clip-a-copy.mp4").write_bytes((ws.inbox / "EN" / "clip-a.mp4").read_bytes())
    return ws


@pytest.mark.slow
def test_two_workers_process_the_inbox_and_record_each_content_once(
    cli, celery_worker: StartWorker, broker: str, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    ws = small_inbox(workspace)
    celery_worker(workspace, queues=("process",))
    celery_worker(workspace, queues=("process",))

    done = cli("-w", workspace, "process", "--queue", broker, "--json")

    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert len(result["processed"]) == 3
    assert [s["source"] for s in result["skipped"]] in (
        ["inbox/EN/clip-a-copy.mp4"], ["inbox/EN/clip-a.mp4"]
    )  # fmt: skip
    rows = inventory.load(ws.inventory_csv)
    assert len(rows) == 3
    assert len({r["content_sha256"] for r in rows}) == 3
    assert sorted(p.name for p in ws.processed.iterdir() if not p.name.startswith(".")) == sorted(
        r["new_filename"] for r in rows
    )
    counts = json.loads(cli("queue", "status", "--queue", broker, "--json").stdout)["counts"]
    assert counts["process"]["done"] == 4


@pytest.mark.slow
def test_a_worker_killed_after_the_commit_point_leaves_the_source_recorded_once(
    cli, celery_worker: StartWorker, broker: str, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(workspace)
    make_video(ws.inbox / "clip.mp4", width=320, height=180, seconds=1.5, seed=3)
    doomed = celery_worker(
        workspace, queues=("process",), kill_at=("creatives.commit", "finish", 1, "before")
    )
    queued = cli("-w", workspace, "process", "--queue", broker, "--detach")
    assert queued.exit_code == 0, queued.output
    assert "queued 1 source" in queued.stdout
    doomed.process.wait(timeout=120)  # it dies as it starts placing the files
    rows = inventory.load(ws.inventory_csv)
    assert len(rows) == 1 and not (ws.processed / rows[0]["new_filename"]).exists()

    celery_worker(workspace, queues=("process",))
    board = JobBoard(redis_keys.connect(broker))
    (job_id,) = board.client.smembers(redis_keys.JOBS)
    from automation.queue.client import QueueClient
    from automation.settings import Settings

    client = QueueClient(Settings(workspace=workspace, broker_url=broker))
    (job,) = client.follow([str(job_id)], timeout=90)
    client.close()

    assert job.state == "done", job
    assert job.attempts == 2
    assert job.result is not None and job.result["outcome"] == "processed"
    rows = inventory.load(ws.inventory_csv)
    assert len(rows) == 1
    assert (ws.processed / rows[0]["new_filename"]).is_file()
    assert not list(ws.inbox.rglob("*.mp4"))
    assert [p.name for p in ws.originals.rglob("*.mp4")] == ["clip.mp4"]
    leftovers = [p for p in ws.processed.rglob(".*") if p.is_file()]
    assert leftovers == []
