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
import resource
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchlib import CLI, cli_env, raw_argv, raw_ffmpeg, report, stopwatch
from PIL import Image

from automation.uploaders.trafficjunky.specs import SPECS
from creatives.compress import png_within
from creatives.native import pick_frame
from creatives.probe import MediaInfo, probe
from tests.fixtures.media import make_video

SOURCES = 8
SECONDS = 6.0
ROUNDS = 5


def make_sources(folder: Path) -> list[Path]:
    """N different 1080p clips with sound."""
    return [
        make_video(folder / f"source{i}.mp4", width=1920, height=1080, seconds=SECONDS, seed=i + 1)
        for i in range(SOURCES)
    ]


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(action: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds of `action`, and the CPU seconds its child processes used."""
    cpu = children_cpu()
    with stopwatch() as elapsed:
        action()
    return elapsed(), children_cpu() - cpu


def tool_run(sources: list[Path], work: Path, jobs: int) -> None:
    """`creative-flow process --native --jobs N` on fresh copies of the sources."""
    ws = work / f"ws-jobs{jobs}-{os.urandom(3).hex()}"
    (ws / "inbox").mkdir(parents=True)
    for source in sources:
        shutil.copyfile(source, ws / "inbox" / source.name)
    argv = [*CLI, "--workspace", str(ws), "process", "--native", "--jobs", str(jobs), "--json"]
    env = cli_env(work / "pycache")
    subprocess.run(argv, check=True, capture_output=True, cwd=work, env=env)
    produced = [p for p in (ws / "processed").iterdir() if not p.name.startswith(".")]
    assert len(produced) == 2 * len(sources), f"expected {2 * len(sources)} files in {ws}"


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
        runs: dict[str, Callable[[], object]] = {
            "raw1": lambda: raw_ffmpeg(infos, work / "raw"),
            "raw2": lambda: raw_ffmpeg(infos, work / "raw", workers=2),
            "ours1": lambda: tool_run(sources, work, 1),
            "ours2": lambda: tool_run(sources, work, 2),
        }
        wall: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(ROUNDS):
            for name, action in runs.items():
                seconds, cpu_seconds = measured(action)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
        frames = [raw_frames(info, work / "raw") for info in infos]
        per_image, plain_save = compression(frames)
    w = {name: statistics.median(times) for name, times in wall.items()}
    c = {name: statistics.median(times) for name, times in cpu.items()}
    note = f"{SOURCES} x {SECONDS:g} s 1080p sources, median of {ROUNDS} interleaved rounds"
    report("process --native vs raw ffmpeg one at a time", w["ours1"], w["raw1"], unit="s",
           target="<= 1.05x", note=note)  # fmt: skip
    report("process --native --jobs 2 vs raw ffmpeg two at a time", w["ours2"], w["raw2"],
           unit="s", target="<= 1.1x", note=note)  # fmt: skip
    report("process --native: CPU time vs raw ffmpeg's", c["ours1"], c["raw1"], unit="s",
           target="report", note="user + system of all processes; steady under load")  # fmt: skip
    ceiling = w["raw1"] / w["raw2"]
    report("process --native --jobs 2 speed-up over --jobs 1", w["ours1"] / w["ours2"], 1.0,
           unit="x", target="report", better="higher",
           note=f"raw ffmpeg two at a time: {ceiling:.2f}x over one at a time")  # fmt: skip
    report("native image compression per image", per_image, plain_save, unit="s",
           target="report", note="fit under the byte limit vs a plain PNG save")  # fmt: skip


def raw_frames(info: MediaInfo, out: Path) -> bytes:
    """The still's candidate frames the raw command prints for a source."""
    argv = raw_argv(info, out / "frames.mp4")
    return subprocess.run(argv, check=True, capture_output=True).stdout


if __name__ == "__main__":
    main()
