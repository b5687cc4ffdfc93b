"""Benchmark queued `process --native`: 24 sources on 1 and on 2 worker processes of this machine.

The ceiling is raw ffmpeg: the tool's own ffmpeg commands for the same sources, run directly one
at a time and 2 at a time. Reports:
- scaling: the 2-process run against the 1-process run sped up as much as raw ffmpeg speeds up
  from 1 to 2 at a time (target within 1.1x: the queue loses nothing when work spreads out);
- the 2-process run against raw ffmpeg 2 at a time (the pipeline also probes, checks that each
  output decodes and compresses the native image, which raw ffmpeg does not: reported).
Starts its own redis-server and `creative-flow worker`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

from benchlib import CLI, ROOT, raw_ffmpeg, report, start_redis, stopwatch

from automation.queue import redis_keys
from automation.queue.app import make_app
from creatives.probe import MediaInfo, probe
from tests.fixtures.media import make_video

SOURCES = 24
SECONDS = 4.0
ROUNDS = 2


def start_worker(broker: str, workspace: Path, processes: int) -> subprocess.Popen[bytes]:
    """`creative-flow worker` with `processes` pool processes, once it answers Celery's ping."""
    name = f"bench-{os.getpid()}-{processes}@{socket.gethostname()}"
    env = {**os.environ, "CREATIVE_FLOW_BROKER": broker, "CREATIVE_FLOW_WORKSPACE": str(workspace)}
    argv = [*CLI, "worker", "--queues", "process", "--concurrency", str(processes), "--name", name]
    worker = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    app = make_app(broker)
    try:
        while not app.control.ping(destination=[name], timeout=0.5):
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited with {worker.returncode}")
    finally:
        app.close()
    return worker


def queued_run(sources: list[Path], work: Path, broker: str, processes: int) -> float:
    """`creative-flow process --native --queue` on fresh copies, with `processes` to run it."""
    ws = work / f"ws-{processes}"
    (ws / "inbox").mkdir(parents=True)
    redis_keys.connect(broker).flushall()  # each run's jobs alone on the board
    for source in sources:
        shutil.copyfile(source, ws / "inbox" / source.name)
    worker = start_worker(broker, ws, processes)
    try:
        argv = [*CLI, "--workspace", str(ws), "process", "--native", "--queue", broker, "--json"]
        with stopwatch() as elapsed:
            subprocess.run(argv, check=True, capture_output=True, cwd=work)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()
    produced = [p for p in (ws / "processed").iterdir() if not p.name.startswith(".")]
    assert len(produced) == 2 * len(sources), f"expected {2 * len(sources)} files in {ws}"
    return elapsed()


def raw_two_at_once(infos: list[MediaInfo], out: Path, at_once: int = 2) -> float:
    """Seconds of the tool's ffmpeg command for every source, run directly `at_once` at a time."""
    with stopwatch() as elapsed:
        raw_ffmpeg(infos, out, workers=at_once)
    return elapsed()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        work = Path(tmp)
        sources = [
            make_video(work / "sources" / f"source{i}.mp4", width=1280, height=720,
                       seconds=SECONDS, seed=i + 1)
            for i in range(SOURCES)
        ]  # fmt: skip
        infos = [probe(s) for s in sources]
        (work / "raw").mkdir()
        server, broker = start_redis(work)
        # Rounds interleave the three measures, so load from elsewhere hits them alike.
        raw_serial, raw, ones, twos = [], [], [], []
        try:
            raw_two_at_once(infos[:2], work / "raw")  # warm the file cache
            for round_number in range(ROUNDS):
                raw_serial.append(raw_two_at_once(infos, work / "raw", at_once=1))
                raw.append(raw_two_at_once(infos, work / "raw"))
                ones.append(queued_run(sources, work / f"r{round_number}", broker, 1))
                twos.append(queued_run(sources, work / f"r{round_number}", broker, 2))
        finally:
            server.terminate()
            server.wait()
        ceiling, one, two = min(raw), min(ones), min(twos)
        raw_speedup = min(raw_serial) / ceiling
    note = (
        f"{SOURCES} x {SECONDS:g} s 720p sources, --native, queued; 1 process {one:.1f} s, "
        f"2 processes {two:.1f} s ({one / two:.2f}x); raw ffmpeg 2-at-once {raw_speedup:.2f}x"
    )
    report("queued process: 2 worker processes vs 1 process at raw ffmpeg's speed-up", two,
           one / raw_speedup, unit="s", target="<= 1.1x", note=note)  # fmt: skip
    report("queued process on 2 worker processes vs raw ffmpeg 2-at-once", two, ceiling,
           unit="s", target="report", note=note)  # fmt: skip


if __name__ == "__main__":
    main()
