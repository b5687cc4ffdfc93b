"""Benchmark `creative-flow process --native` against the same ffmpeg commands run directly.

Reports: the serial overhead of the tool over raw ffmpeg (target within 1.15x), the speed-up of
`--jobs 2` over `--jobs 1` (target at least 1.5x on two cores), and the native-image compression
step's time per image (against a plain PNG save of the same frames).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from benchlib import report, stopwatch  # noqa: E402
from PIL import Image  # noqa: E402

from automation.uploaders.trafficjunky.specs import SPECS  # noqa: E402
from creatives.compress import png_within  # noqa: E402
from creatives.native import native_pair_args, pick_frame  # noqa: E402
from creatives.probe import probe  # noqa: E402
from tests.fixtures.media import make_video  # noqa: E402

SOURCES = 8
SECONDS = 6.0
ROUNDS = 2
CLI = [sys.executable, "-c", "from automation.cli import run; run()"]


def make_sources(folder: Path) -> list[Path]:
    """N different 1080p clips with sound."""
    return [
        make_video(folder / f"source{i}.mp4", width=1920, height=1080, seconds=SECONDS, seed=i + 1)
        for i in range(SOURCES)
    ]


def raw_ffmpeg(sources: list[Path], out: Path) -> tuple[float, list[bytes]]:
    """The tool's ffmpeg command for every source, run directly one after the other."""
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    base = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    infos = [probe(s) for s in sources]
    frames: list[bytes] = []
    with stopwatch() as elapsed:
        for i, info in enumerate(infos):
            args = native_pair_args(info, out / f"clip{i}.mp4", SPECS.native)
            frames.append(subprocess.run([*base, *args], check=True, capture_output=True).stdout)
    return elapsed(), frames


def raw_ffmpeg_parallel(sources: list[Path], out: Path, workers: int = 2) -> float:
    """The same raw commands, `workers` at a time: the ceiling for what --jobs can gain."""
    from concurrent.futures import ThreadPoolExecutor

    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    base = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    infos = [probe(s) for s in sources]

    def one(i: int) -> None:
        args = native_pair_args(infos[i], out / f"par{i}.mp4", SPECS.native)
        subprocess.run([*base, *args], check=True, capture_output=True)

    with stopwatch() as elapsed, ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(len(infos))))
    return elapsed()


def tool_run(sources: list[Path], work: Path, jobs: int) -> float:
    """`creative-flow process --native --jobs N` on fresh copies of the sources."""
    ws = work / f"ws-jobs{jobs}-{os.urandom(3).hex()}"
    (ws / "inbox").mkdir(parents=True)
    for source in sources:
        shutil.copyfile(source, ws / "inbox" / source.name)
    argv = [*CLI, "--workspace", str(ws), "process", "--native", "--jobs", str(jobs), "--json"]
    with stopwatch() as elapsed:
        subprocess.run(argv, check=True, capture_output=True, cwd=work)
    produced = [p for p in (ws / "processed").iterdir() if not p.name.startswith(".")]
    assert len(produced) == 2 * len(sources), f"expected {2 * len(sources)} files in {ws}"
    return elapsed()


def compression(raw_frames: list[bytes]) -> tuple[float, float]:
    """Seconds per image: the compression step, and a plain PNG save of the same frames."""
    frames = [pick_frame(raw, SPECS.native.size)[0] for raw in raw_frames]
    noise = Image.frombytes("RGB", (640, 360), os.urandom(640 * 360 * 3))
    frames.append(noise)  # the worst case: needs fewer colours to fit
    with stopwatch() as ours:
        for frame in frames:
            png_within(frame, SPECS.native.image_max_bytes, subject="bench")
    with stopwatch() as plain:
        for frame in frames:
            frame.save(io.BytesIO(), "PNG")
    return ours() / len(frames), plain() / len(frames)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-process-") as tmp:
        work = Path(tmp)
        sources = make_sources(work / "sources")
        (work / "raw").mkdir()
        tool_run(sources[:1], work, 1)  # warm caches (imports, disk) before timing
        # Rounds interleave the three measures, so load from elsewhere hits them alike.
        raw_times, raw_parallel, serial, parallel = [], [], [], []
        for _ in range(ROUNDS):
            seconds, frames = raw_ffmpeg(sources, work / "raw")
            raw_times.append(seconds)
            raw_parallel.append(raw_ffmpeg_parallel(sources, work / "raw"))
            serial.append(tool_run(sources, work, 1))
            parallel.append(tool_run(sources, work, 2))
        baseline, ours_serial, ours_parallel = min(raw_times), min(serial), min(parallel)
        ceiling = baseline / min(raw_parallel)
        per_image, plain_save = compression(frames)
    note = f"{SOURCES} x {SECONDS:g} s 1080p sources, --native"
    report("process --native vs raw ffmpeg (serial)", ours_serial, baseline, unit="s",
           target="<= 1.15x", note=note)  # fmt: skip
    report("process --native --jobs 2 speed-up over --jobs 1", ours_serial / ours_parallel, 1.0,
           unit="x", target=">= 1.5x", better="higher",
           note=f"{note}; raw ffmpeg 2-at-once: {ceiling:.2f}x (ceiling)")  # fmt: skip
    report("native image compression per image", per_image, plain_save, unit="s",
           target="report", note="optimise + colour reduction vs a plain PNG save")  # fmt: skip


if __name__ == "__main__":
    main()
