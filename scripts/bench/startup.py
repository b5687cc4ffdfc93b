"""Start-up time of `creative-flow --help`, `--version` and `COMMAND --help` vs `yt-dlp --version`.

ours = wall time of a fresh `creative-flow ...` process; baseline = `yt-dlp --version`, a
command-line tool people already find quick, measured in the same run, interleaved with ours,
median of ROUNDS runs each. Help and version must not import pandas, yt-dlp or Playwright.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import ROOT, report

ROUNDS = 15
# The console script's own code path, run with this interpreter from this checkout.
OURS = [sys.executable, "-c", "import sys; from automation.cli import run; run()"]
CASES = {
    "--help": ["--help"],
    "--version": ["--version"],
    "upload --help": ["upload", "--help"],
    "fetch --help": ["fetch", "--help"],
    "campaign-csv --help": ["campaign-csv", "--help"],
}


def ytdlp_command() -> list[str]:
    """yt-dlp next to this interpreter (the project's venv), else on PATH."""
    beside = Path(sys.executable).with_name("yt-dlp")
    found = str(beside) if beside.exists() else shutil.which("yt-dlp")
    if found is None:
        raise SystemExit("yt-dlp not found: run make setup")
    return [found, "--version"]


def wall_time(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    baseline_argv = ytdlp_command()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    baseline: list[float] = []
    for argv in [baseline_argv, *[OURS + a for a in CASES.values()]]:
        wall_time(argv)  # warm the file cache once
    for _ in range(ROUNDS):
        baseline.append(wall_time(baseline_argv))
        for name, args in CASES.items():
            times[name].append(wall_time(OURS + args))
    base = statistics.median(baseline)
    for name, samples in times.items():
        report(
            f"start-up: creative-flow {name} vs yt-dlp --version",
            statistics.median(samples),
            base,
            unit="s",
            target="<= 2x",
            note=f"median of {ROUNDS} runs each",
        )


if __name__ == "__main__":
    main()
