"""The benchmark protocol: every benchmark prints result lines that run_all.py collects.

A result line is `BENCH {json}` with: benchmark, ours, baseline, unit, target, better
("lower" or "higher"), and optional note. The ratio is computed here so every script agrees.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

# Benchmarks measure this checkout's code, whichever checkout the environment was installed
# from: the scripts import benchlib before the product's packages.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from creatives.probe import MediaInfo

# The tool's command line, this checkout's code.
CLI = [sys.executable, "-c", "from automation.cli import run; run()"]


def cli_env(cache: Path) -> dict[str, str]:
    """The environment to run CLI on this checkout's code as a user's machine runs it.

    A user's Python keeps the bytecode it compiles, so only a first run compiles the tool's
    modules; a machine that sets PYTHONDONTWRITEBYTECODE would make every run recompile them
    (about 30 ms of start-up). Bytecode goes to `cache` (out of the checkout): a warm-up run
    fills it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(cache)}


def ratio(ours: float, baseline: float) -> float:
    """ours / baseline (inf when the baseline is zero)."""
    return ours / baseline if baseline else float("inf")


def report(
    benchmark: str,
    ours: float,
    baseline: float,
    *,
    unit: str,
    target: str,
    better: str = "lower",
    note: str = "",
) -> None:
    """Print one result line (stdout) in the protocol's format."""
    line = {
        "benchmark": benchmark,
        "ours": ours,
        "baseline": baseline,
        "unit": unit,
        "ratio": round(ratio(ours, baseline), 3),
        "target": target,
        "better": better,
        "note": note,
    }
    print("BENCH " + json.dumps(line), flush=True)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """`with stopwatch() as elapsed: ...; elapsed()` -> seconds (monotonic)."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def rounds_from_argv(doc: str, default: int = 3) -> int:
    """The `--rounds N` option of a benchmark script (at least 1; `default` when not given)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=default, help=f"interleaved rounds (default {default})"
    )
    return max(1, parser.parse_args().rounds)


def interleaved(rounds: int, sides: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Run every side once per round, the order turning each round; each side's seconds.

    Interleaving puts both sides under the same load of a shared, noisy machine; turning the
    order cancels what running first or second costs (warm caches, a busier neighbour).
    """
    names = list(sides)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            seconds[name].append(sides[name]())
    return seconds


def median_rates(work: float, seconds: list[float]) -> float:
    """The median rate (work per second) over rounds."""
    return statistics.median(work / s for s in seconds)


def round_ratios(ours: list[float], baseline: list[float], *, rates: bool = True) -> str:
    """Per-round ratios (ours / baseline of rates, or of times), for the note."""
    pairs = zip(ours, baseline, strict=True)
    values = [(b / o if rates else o / b) for o, b in pairs]
    return "rounds " + " ".join(f"{v:.2f}" for v in values)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A throw-away redis-server; returns it and its URL once it accepts connections."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: run make setup")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
            "no", "--dir", str(folder)]  # fmt: skip
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert server.stdout is not None
    for line in server.stdout:
        if b"Ready to accept connections" in line:
            break
    server.stdout.close()
    return server, f"redis://127.0.0.1:{port}/0"


CACHE_ROWS = 100_000
LIBRARY_TABS = (
    "static_banner", "video_banner", "in_stream_video", "native_static", "native_rollover"
)  # fmt: skip


def make_library_cache(path: Path) -> list[str]:
    """A CACHE_ROWS-row library cache written as refresh-library writes it (`rebuild`).

    Returns the names of its static banners, the tab a banner upload's duplicate check reads.
    """
    from tracking.library_cache import LibraryEntry, rebuild

    entries = [
        LibraryEntry(
            str(1_000_000_000 + 10 * n),
            f"EN_Cat_MFT_Both_NA_Clip{n:06d}_Creator_ID-{n:08X}",
            "2026-03-02",
            "640x360",
            ".mp4",
            LIBRARY_TABS[n % len(LIBRARY_TABS)],
            "approved",
        )
        for n in range(CACHE_ROWS)
    ]
    rebuild(path, entries)
    return [e.filename for e in entries if e.creative_type == "static_banner"]


def raw_argv(info: MediaInfo, out: Path) -> list[str]:
    """The ffmpeg command line the tool runs for a native source whose clip starts at 0 s."""
    from automation.uploaders.trafficjunky.specs import SPECS
    from creatives.native import native_pair_args

    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    base = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "level+info", "-y", "-nostats"]
    return [*base, *native_pair_args(info, out, SPECS.native, watch_black=True)]


def raw_ffmpeg(infos: list[MediaInfo], out: Path, workers: int = 1) -> None:
    """The tool's ffmpeg command for every source run directly, `workers` at a time."""

    def one(i: int) -> None:
        subprocess.run(raw_argv(infos[i], out / f"clip{i}.mp4"), check=True, capture_output=True)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(len(infos))))
