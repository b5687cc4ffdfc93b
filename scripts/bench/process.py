"""Benchmark `creative-flow process --native` against the same ffmpeg commands run directly.

The floor is the ffmpeg command the tool issues for each source (the native clip, its still's
frames and the black watch, in one decode; see creatives.native.encode_native_pair), run
directly from this process: one at a time, and two at a time. Rounds interleave the four
measures (raw one at a time, raw two at a time, the tool with --jobs 1, with --jobs 2) so load
from elsewhere hits them alike; each figure is the median of ROUNDS.

Reports: the tool with --jobs 1 against raw one at a time (target 1.05x), with --jobs 2 against
raw two at a time (target 1.1x), the --jobs 2 speed-up beside raw ffmpeg's own, and the
native-image compression step's time per image (against a plain PNG save of the same frames).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from benchlib import report, stopwatch  # noqa: E402
from PIL import Image  # noqa: E402

from automation.uploaders.trafficjunky.specs import SPECS  # noqa: E402
from creatives.compress import png_within  # noqa: E402
from creatives.native import native_pair_args, pick_frame  # noqa: E402
from creatives.probe import MediaInfo, probe  # noqa: E402
from tests.fixtures.media import make_video  # noqa: E402

SOURCES = 8
SECONDS = 6.0
ROUNDS = 3
CLI = [sys.executable, "-c", "from automation.cli import run; run()"]


def make_sources(folder: Path) -> list[Path]:
    """N different 1080p clips with sound."""
    return [
        make_video(folder / f"source{i}.mp4", width=1920, height=1080, seconds=SECONDS, seed=i + 1)
        for i in range(SOURCES)
    ]


def raw_argv(info: MediaInfo, out: Path) -> list[str]:
    """The ffmpeg command line the tool runs for a source whose clip starts at 0 s."""
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    base = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "level+info", "-y", "-nostats"]
    return [*base, *native_pair_args(info, out, SPECS.native, watch_black=True)]


def raw_ffmpeg(infos: list[MediaInfo], out: Path) -> tuple[float, list[bytes]]:
    """The tool's ffmpeg command for every source, run directly one after the other."""
    frames: list[bytes] = []
    with stopwatch() as elapsed:
        for i, info in enumerate(infos):
            argv = raw_argv(info, out / f"clip{i}.mp4")
            frames.append(subprocess.run(argv, check=True, capture_output=True).stdout)
    return elapsed(), frames


def raw_ffmpeg_parallel(infos: list[MediaInfo], out: Path, workers: int = 2) -> float:
    """The same raw commands, `workers` at a time: the floor for --jobs `workers`."""

    def one(i: int) -> None:
        subprocess.run(raw_argv(infos[i], out / f"par{i}.mp4"), check=True, capture_output=True)

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
        infos = [probe(s) for s in sources]
        (work / "raw").mkdir()
        tool_run(sources[:1], work, 1)  # warm caches (imports, disk) before timing
        raw_serial, raw_parallel, serial, parallel = [], [], [], []
        for _ in range(ROUNDS):
            seconds, frames = raw_ffmpeg(infos, work / "raw")
            raw_serial.append(seconds)
            raw_parallel.append(raw_ffmpeg_parallel(infos, work / "raw"))
            serial.append(tool_run(sources, work, 1))
            parallel.append(tool_run(sources, work, 2))
        per_image, plain_save = compression(frames)
    raw1, raw2 = statistics.median(raw_serial), statistics.median(raw_parallel)
    ours1, ours2 = statistics.median(serial), statistics.median(parallel)
    note = f"{SOURCES} x {SECONDS:g} s 1080p sources, median of {ROUNDS} interleaved rounds"
    report("process --native vs raw ffmpeg one at a time", ours1, raw1, unit="s",
           target="<= 1.05x", note=note)  # fmt: skip
    report("process --native --jobs 2 vs raw ffmpeg two at a time", ours2, raw2, unit="s",
           target="<= 1.1x", note=note)  # fmt: skip
    report("process --native --jobs 2 speed-up over --jobs 1", ours1 / ours2, 1.0, unit="x",
           target="report", better="higher",
           note=f"raw ffmpeg two at a time: {raw1 / raw2:.2f}x over one at a time")  # fmt: skip
    report("native image compression per image", per_image, plain_save, unit="s",
           target="report", note="fit under the byte limit vs a plain PNG save")  # fmt: skip


if __name__ == "__main__":
    main()
