"""The benchmark protocol: every benchmark prints result lines that run_all.py collects.

A result line is `BENCH {json}` with: benchmark, ours, baseline, unit, target, better
("lower" or "higher"), and optional note. The ratio is computed here so every script agrees.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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
