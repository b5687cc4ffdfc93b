"""Mass-create of 40 campaigns through the queue: 4 workers against 1, the site's real latency on.

ours = `mass-create --live --queue` over 40 campaigns with 4 `creative-flow worker` processes
(at most 3 browsers at once, the default session limit); baseline = the same over 40 other
campaigns with 1 worker. The sandbox's ad settings pages take the 2-5 s per step the real site
takes (`ad_settings_timing=real`). A real redis-server on a free loopback port is the broker.
BENCH_CAMPAIGNS=N changes the count (the target stays the same).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ROOT, report, start_redis, stopwatch

from automation.queue.app import make_app
from automation.sandbox.server import SandboxServer

CAMPAIGNS = int(os.environ.get("BENCH_CAMPAIGNS", "40"))
FIRST = 4000001
CSV_NAME = "Batch001_20260101_000000_Native.csv"
HEADER = '"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",Headline,"Brand Name"'


def campaign_csv(folder: Path, pairs: list[tuple[int, int]]) -> Path:
    """One native campaign CSV: one ad per creative pair."""
    path = folder / CSV_NAME
    lines = [HEADER] + [
        f"EN_Bench_MFT_Both_R_Generic_Studio_1sec_ID-{n:08X}-VID,"
        f"https://acme.example/?c={{CampaignID}},{video},{thumb},Watch now,Acme"
        for n, (video, thumb) in enumerate(pairs)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_workers(
    count: int, env: dict[str, str], broker: str, logs: Path
) -> list[subprocess.Popen[bytes]]:
    """`count` browser workers, each answering Celery's ping before this returns."""
    workers, names = [], []
    for n in range(count):
        name = f"bench{n}-{os.getpid()}@{socket.gethostname()}"
        argv = [sys.executable, "-c", "from automation.cli import run; run()", "worker",
                "--queues", "browser", "--concurrency", "1", "--name", name,
                "--loglevel", "warning"]  # fmt: skip
        with (logs / f"worker{n}.log").open("wb") as sink:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        workers.append(process)
        names.append(name)
    app = make_app(broker)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answered = app.control.ping(destination=names, timeout=1.0)
        if len(answered) == count:
            app.close()
            return workers
    sys.exit("the workers did not start")


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def mass_create(
    ws: Path, env: dict[str, str], broker: str, campaigns: list[int], csv: Path
) -> float:
    """Seconds `mass-create --live --queue` took; every campaign must succeed."""
    pairs = [a for c in campaigns for a in ("--campaign", str(c), "--csv", str(csv))]
    argv = [sys.executable, "-c", "from automation.cli import run; run()", "--workspace", str(ws),
            "mass-create", *pairs, "--live", "--queue", broker, "--json"]  # fmt: skip
    with stopwatch() as elapsed:
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    statuses = [c["status"] for c in json.loads(done.stdout)["campaigns"]]
    assert statuses == ["success"] * len(campaigns), done.stdout + done.stderr
    return elapsed()


def run(workers: int, ws: Path, env: dict[str, str], broker: str, campaigns: list[int]) -> float:
    """Seconds the mass-create took with `workers` workers (started and stopped here)."""
    started = start_workers(workers, env, broker, ws)
    try:
        return mass_create(ws, env, broker, campaigns, ws / "records" / "campaigns" / CSV_NAME)
    finally:
        stop_workers(started)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        redis, broker = start_redis(root)
        try:
            state = server.state
            state.set_switches(ad_settings_timing="real")
            made = state.seed_creatives(4, ["native_rollover", "native_static"], status="approved")
            pairs = [(made[0].id, made[1].id), (made[2].id, made[3].id)]
            for n in range(2 * CAMPAIGNS):
                state.seed_campaign(f"Bench {n}", campaign_id=FIRST + n, ad_format="native")
            ws = root / "workspace"
            server.write_session(ws)
            campaign_csv(ws / "records" / "campaigns", pairs)
            env = {**os.environ, "CREATIVE_FLOW_BROKER": broker,
                   "CREATIVE_FLOW_WORKSPACE": str(ws), "TJ_APP_URL": server.app_url,
                   "TJ_SIGNIN_URL": server.signin_url}  # fmt: skip
            one = run(1, ws, env, broker, [FIRST + n for n in range(CAMPAIGNS)])
            four = run(4, ws, env, broker, [FIRST + CAMPAIGNS + n for n in range(CAMPAIGNS)])
        finally:
            redis.kill()
            redis.wait()
        report(
            f"mass-create {CAMPAIGNS} campaigns, real page latency: 4 workers vs 1",
            four,
            one,
            unit="s",
            target="<= 0.4x",
            note=f"4 workers (3 browsers at once) {four:.0f} s; 1 worker {one:.0f} s",
        )


if __name__ == "__main__":
    main()
