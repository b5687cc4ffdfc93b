"""mass-create and upload through the queue: real Redis and workers, Chromium, the sandbox."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from automation.queue import slots
from automation.queue.browser_work import mass_create_slot
from automation.queue.client import QueueClient
from automation.settings import Settings
from tests.campaigns.test_mass_create import (
    add_campaign,
    ads_on_platform,
    prepare,
    rows_of,
    seed_pairs,
    summary_of,
    write_csv,
)
from tests.fixtures.redis import RedisServer, StartWorker
from tests.fixtures.sandbox import Sandbox
from tests.upload.workspace import TJWorkspace
from tracking import mass_create_records as records

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FIRST_CAMPAIGN = 3000001
PAGES = "automation.uploaders.trafficjunky.campaign_pages"


def sandbox_env(sandbox: Sandbox) -> dict[str, str]:
    """What points a worker (or the command) at the sandbox."""
    return {"TJ_APP_URL": sandbox.app_url, "TJ_SIGNIN_URL": sandbox.signin_url,
            "TJ_USERNAME": sandbox.username, "CREATIVE_FLOW_UPLOAD_TIMEOUT_S": "30"}  # fmt: skip


def env_file(workspace: Path, sandbox: Sandbox) -> Path:
    path = workspace / "sandbox.env"
    path.write_text("".join(f"{k}={v}\n" for k, v in sandbox_env(sandbox).items()))
    return path


@contextmanager
def most_holders(redis_server: RedisServer, name: str) -> Iterator[list[int]]:
    """The largest number of holders `name` had at once while the block ran (sampled)."""
    seen = [0]
    stop = threading.Event()
    client = redis_server.client()

    def watch() -> None:
        while not stop.wait(0.05):
            seen[0] = max(seen[0], slots.holders(client, name))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        stop.set()
        watcher.join()


def campaigns_with_one_csv(
    cli, sandbox: Sandbox, workspace: Path, count: int, ads: int = 2
) -> Path:  # fmt: skip
    """`count` campaigns on the platform and one CSV of `ads` native ads for all of them."""
    prepare(sandbox, workspace, seed_pairs(sandbox, ads))
    for n in range(count):
        add_campaign(sandbox, FIRST_CAMPAIGN + n)
    [path] = write_csv(cli, workspace)
    return path


def test_four_workers_create_forty_campaigns_exactly_as_the_platform_holds_them(
    cli, sandbox: Sandbox, workspace: Path, celery_worker: StartWorker, broker: str,
    redis_server: RedisServer,
) -> None:  # fmt: skip
    path = campaigns_with_one_csv(cli, sandbox, workspace, 40, ads=1)
    # Tour guides and the cookie banner have tests of their own; here they only cost time.
    sandbox.switches(tour_overlay="off", cookie_banner=False)
    wanted = [[int(r["Video Creative ID"]), int(r["Thumbnail Creative ID"])] for r in rows_of(path)]
    for _ in range(4):
        celery_worker(workspace, queues=("browser",), env=sandbox_env(sandbox))
    pairs = [a for n in range(40) for a in ("--campaign", str(FIRST_CAMPAIGN + n), "--csv", path)]
    slot = mass_create_slot(sandbox.settings(workspace))

    with most_holders(redis_server, slot) as most:
        done = cli("-w", workspace, "--env-file", env_file(workspace, sandbox), "mass-create",
                   *pairs, "--live", "--queue", broker, "--json")  # fmt: skip

    assert done.exit_code == 0, done.output
    assert [c["status"] for c in json.loads(done.stdout)["campaigns"]] == ["success"] * 40
    for n in range(40):
        assert [a["creative_ids"] for a in ads_on_platform(sandbox, FIRST_CAMPAIGN + n)] == wanted
    summary = summary_of(workspace)
    assert sorted(r["campaign_id"] for r in summary) == [str(FIRST_CAMPAIGN + n) for n in range(40)]
    assert {(r["status"], r["ads_created"]) for r in summary} == {("success", "1")}
    assert len(records.load_checkpoint(workspace / "records")) == 40
    assert 2 <= most[0] <= 3, f"{most[0]} mass-create browsers at once (limit 3)"
    status = json.loads(cli("queue", "status", "--queue", broker, "--json").stdout)
    assert status["counts"]["browser"]["done"] == 40 and status["failed"] == []


def test_a_worker_killed_after_creating_ads_leaves_them_created_once(
    cli, sandbox: Sandbox, workspace: Path, celery_worker: StartWorker, broker: str
) -> None:
    path = campaigns_with_one_csv(cli, sandbox, workspace, 2)
    wanted = Counter(r["Ad Name"] for r in rows_of(path))
    env = sandbox_env(sandbox)
    # Dies as the first confirm returns: the ads exist, nothing has counted or recorded them.
    doomed = celery_worker(workspace, queues=("browser",), env=env,
                           kill_at=(PAGES, "AdSettingsPage.confirm", 1, "after"))  # fmt: skip
    queued = cli("-w", workspace, "--env-file", env_file(workspace, sandbox), "mass-create",
                 "--campaign", str(FIRST_CAMPAIGN), "--csv", path, "--campaign",
                 str(FIRST_CAMPAIGN + 1), "--csv", path, "--live", "--queue", broker,
                 "--detach", "--json")  # fmt: skip
    assert queued.exit_code == 0, queued.output
    doomed.process.wait(timeout=120)
    created = [Counter(a["name"] for a in ads_on_platform(sandbox, FIRST_CAMPAIGN + n))
               for n in range(2)]  # fmt: skip
    assert wanted in created, "the kill came after one campaign's ads were created"

    celery_worker(workspace, queues=("browser",), env=env)
    client = QueueClient(Settings(workspace=workspace, broker_url=broker))
    jobs = client.follow(json.loads(queued.stdout)["jobs"], timeout=180)
    client.close()

    assert [j.state.value for j in jobs] == ["done", "done"], jobs
    notes = [" ".join(j.result["notes"]) for j in jobs if j.result]
    assert any("was interrupted while creating 2 ad(s)" in n for n in notes), notes
    for n in range(2):
        assert Counter(a["name"] for a in ads_on_platform(sandbox, FIRST_CAMPAIGN + n)) == wanted
    summary = summary_of(workspace)
    assert sorted((r["campaign_id"], r["status"], r["ads_created"]) for r in summary) == [
        (str(FIRST_CAMPAIGN + n), "success", "2") for n in range(2)
    ]


def upload_workspace(workspace: Path, sandbox: Sandbox) -> TJWorkspace:
    sandbox.write_session(workspace)
    made = TJWorkspace(workspace, sandbox)
    made.ws.ensure()
    return made


def test_two_workers_take_turns_in_one_library_tab_and_prove_every_id(
    cli, sandbox: Sandbox, workspace: Path, celery_worker: StartWorker, broker: str
) -> None:
    tj = upload_workspace(workspace, sandbox)
    ids = tj.banners(20)  # two batches of ten, both into Static Banner
    sandbox.switches(latency_ms=300)  # long enough sessions that two batches would overlap
    for _ in range(2):
        celery_worker(workspace, queues=("browser",), env=sandbox_env(sandbox))

    done = cli("-w", workspace, "--env-file", env_file(workspace, sandbox), "upload", "--live",
               "--queue", broker, "--json")  # fmt: skip

    assert done.exit_code == 0, done.output
    [run] = json.loads(done.stdout)  # one platform, as a local run shows it
    assert run["counts"]["success"] == 20
    assert tj.recorded_ids() == tj.expected_ids()
    assert all(tj.recorded_ids()[i] for i in ids)
    assert tj.duplicates_in_sandbox() == []
    assert Counter(r["unique_id"] for r in tj.status_rows()) == Counter(ids)
    # One batch after the other: the platform took each batch's ten files together.
    order = {c["name"]: c["upload_order"] for c in tj.truth()}
    blocks = [sorted(order[Path(r["new_filename"]).stem] for r in rows)
              for rows in (tj.rows[:10], tj.rows[10:])]  # fmt: skip
    first, second = sorted(blocks)
    assert first[-1] < second[0], f"the two batches were uploaded at once: {blocks}"


def test_a_worker_killed_after_sending_a_batch_records_each_file_once(
    cli, sandbox: Sandbox, workspace: Path, celery_worker: StartWorker, broker: str
) -> None:
    tj = upload_workspace(workspace, sandbox)
    ids = tj.banners(3)
    env = sandbox_env(sandbox)
    pages = "automation.uploaders.trafficjunky.pages"
    doomed = celery_worker(workspace, queues=("browser",), env=env,
                           kill_at=(pages, "MediaLibraryPage.upload", 1, "after"))  # fmt: skip
    queued = cli("-w", workspace, "--env-file", env_file(workspace, sandbox), "upload", "--live",
                 "--queue", broker, "--detach", "--json")  # fmt: skip
    assert queued.exit_code == 0, queued.output
    doomed.process.wait(timeout=120)
    assert len(tj.truth()) == 3 and not any(tj.recorded_ids().values())

    celery_worker(workspace, queues=("browser",), env=env)
    client = QueueClient(Settings(workspace=workspace, broker_url=broker))
    [job] = client.follow(json.loads(queued.stdout)["jobs"], timeout=180)
    client.close()

    assert job.state.value == "done", job
    assert tj.recorded_ids() == tj.expected_ids()
    assert all(tj.recorded_ids()[i] for i in ids)
    assert tj.duplicates_in_sandbox() == [] and len(tj.truth()) == 3
    assert Counter(r["unique_id"] for r in tj.status_rows()) == Counter(ids)
    assert tj.journals() == []
