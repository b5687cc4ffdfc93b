"""`fetch` through the queue: a download that keeps failing comes back later and is fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.queue import redis_keys
from automation.queue.client import QueueClient
from automation.queue.jobs import FINISHED, JobState
from automation.settings import Settings
from tests.fetch.conftest import QUICK, MediaSite
from tests.fixtures.redis import StartWorker
from tracking import downloads


@pytest.mark.slow
def test_a_download_failing_after_its_retries_is_queued_again_and_fetched_later(
    cli, site: MediaSite, celery_worker: StartWorker, broker: str, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    celery_worker(workspace, queues=("fetch",))
    url = site.url("/flaky/clip-5.mp4")  # 500 twice, then the file

    first = cli("-w", workspace, "fetch", url, "--queue", broker, *QUICK, "--retries", "1")

    assert first.exit_code == 7, first.output
    assert "1 URL queued to try again later" in first.stderr
    rows = [r for r in downloads.load(workspace / "records" / "downloads.csv") if r["url"] == url]
    assert [r["status"] for r in rows][-2:] == ["failed", "queued"]
    status = json.loads(cli("queue", "status", "--queue", broker, "--json").stdout)
    (waiting,) = status["retrying"]
    assert waiting["job"] == url and "http-500" in waiting["reason"]

    client = QueueClient(Settings(workspace=workspace, broker_url=broker))
    (job_id,) = client.board.client.smembers(redis_keys.JOBS)
    (job,) = client.follow([str(job_id)], until=FINISHED, timeout=60)
    client.close()

    assert job.state is JobState.DONE and job.attempts == 2
    final = downloads.load(workspace / "records" / "downloads.csv")[-1]
    assert (final["url"], final["status"]) == (url, "downloaded")
    assert (workspace / final["file"]).is_file()
    stats = json.loads(cli("-w", workspace, "fetch-stats", "--json").stdout)["sources"]
    assert [(s["files"], s["queued"]) for s in stats] == [(1, 0)]


@pytest.mark.slow
def test_two_worker_processes_keep_one_copy_of_the_same_content_and_one_row_per_url(
    cli, site: MediaSite, celery_worker: StartWorker, broker: str, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    celery_worker(workspace, queues=("fetch",), concurrency=2)  # two pool processes
    urls = [site.url(p) for p in ("/media/clip-3.mp4", "/mirror/clip-3-copy.mp4",
                                  "/media/photo-1.jpg", "/watch/sunrise-run")]  # fmt: skip

    done = cli("-w", workspace, "fetch", *urls, "--queue", broker, *QUICK, "--json")

    assert done.exit_code == 0, done.output
    rows = downloads.load(workspace / "records" / "downloads.csv")
    assert sorted(r["url"] for r in rows) == sorted(urls)  # one row each, none lost
    kept = [r for r in rows if r["status"] == "downloaded"]
    (rejected,) = [r for r in rows if r["status"] == "rejected"]
    assert rejected["reason"] == "duplicate"
    assert len(kept) == 3 and len({r["sha256"] for r in kept}) == 3
    inbox = sorted(p.relative_to(workspace).as_posix() for p in workspace.rglob("inbox/**/*.*"))
    assert inbox == sorted(r["file"] for r in kept)
