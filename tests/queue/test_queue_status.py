"""`creative-flow worker` and `creative-flow queue status` on a real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.queue import redis_keys
from automation.queue.app import make_app
from automation.queue.client import QueueClient, Request
from automation.queue.jobs import JobBoard, JobState
from automation.settings import Settings
from tests.fixtures.redis import StartWorker


def test_status_counts_jobs_by_kind_and_names_the_failed(cli, broker: str) -> None:  # type: ignore[no-untyped-def]
    board = JobBoard(redis_keys.connect(broker))
    for n in range(3):
        board.add("fetch", f"f{n}", f"https://media.example/v/{n}")
    board.move("f0", JobState.DONE)
    board.move("f1", JobState.FAILED, detail="HTTP 404: the video is gone")
    board.add("process", "p0", "inbox/a.mp4")
    board.move("p0", JobState.RUNNING)

    shown = cli("queue", "status", "--queue", broker)
    assert shown.exit_code == 0, shown.output
    assert "failed: fetch https://media.example/v/1: HTTP 404: the video is gone" in shown.stdout
    # Running on the board, yet no worker holds its lease: its worker died.
    assert "worker lost: process inbox/a.mp4" in shown.stdout

    data = json.loads(cli("queue", "status", "--queue", broker, "--json").stdout)
    assert data["counts"]["fetch"] == {"queued": 1, "running": 0, "retrying": 0, "failed": 1,
                                       "done": 1}  # fmt: skip
    assert data["counts"]["process"]["running"] == 1
    assert data["counts"]["browser"] == dict.fromkeys(data["counts"]["browser"], 0)


def test_status_without_a_broker_says_how_to_set_one(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("queue", "status")
    assert shown.exit_code == 2
    assert "CREATIVE_FLOW_BROKER" in shown.stderr


def test_status_of_a_broker_that_is_down_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    from tests.fixtures.redis import free_port

    shown = cli("queue", "status", "--queue", f"redis://:pw-9@127.0.0.1:{free_port()}/0")
    assert shown.exit_code == 2
    assert "cannot reach the broker" in shown.stderr
    assert "pw-9" not in shown.output


def test_a_worker_takes_the_queues_it_was_given(
    celery_worker: StartWorker, broker: str, workspace: Path
) -> None:
    worker = celery_worker(workspace, queues=("fetch",), concurrency=1)
    app = make_app(broker)
    try:
        queues = app.control.inspect(destination=[worker.name], timeout=5).active_queues()
    finally:
        app.close()
    assert queues is not None
    assert [q["name"] for q in queues[worker.name]] == ["fetch"]


def test_a_worker_without_a_broker_or_with_an_unknown_queue_says_what_to_do(cli) -> None:  # type: ignore[no-untyped-def]
    no_broker = cli("worker")
    assert no_broker.exit_code == 2
    assert "a worker needs a broker: set CREATIVE_FLOW_BROKER" in no_broker.stderr
    unknown = cli("worker", "--queues", "fetch,uploads", "--queue", "redis://127.0.0.1:1/0")
    assert unknown.exit_code == 2
    assert "--queues 'fetch,uploads': use a comma list of fetch, process, browser" in unknown.stderr


def test_jobs_that_never_reached_the_broker_are_failed_not_left_queued(
    broker: str, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = QueueClient(Settings(workspace=workspace, broker_url=broker))
    sent: list[str] = []

    def send_task(name: str, *, task_id: str, **_: object) -> None:
        if len(sent) == 1:
            raise ConnectionError("broker gone")
        sent.append(task_id)

    monkeypatch.setattr(client.app, "send_task", send_task)
    requests = [Request("fetch", "download", f"https://example.test/{i}", {}) for i in range(3)]
    with pytest.raises(ConnectionError):
        client.enqueue(requests)
    jobs = {job.label: job for job in client.board.all()}
    client.close()
    assert jobs["https://example.test/0"].state is JobState.QUEUED
    for label in ("https://example.test/1", "https://example.test/2"):
        assert jobs[label].state is JobState.FAILED
        assert "never reached the broker" in jobs[label].detail
