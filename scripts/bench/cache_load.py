"""Loading a 100,000-row library cache and checking a 10-file batch against it.

ours = `LibraryCache.load` (header check, every row validated and indexed by name) and the
10 lookups an upload's duplicate check makes; baselines, measured in the same run with the
rounds interleaved (median of ROUNDS): `pandas.read_csv` of the same file (no validation, no
index) and the csv module's reader alone (the stdlib tokenizer, no validation, no index).
The cache is written by the tool's own writer (`rebuild`, as refresh-library writes it).

Recording: `record_entries` of 10 new entries (an upload batch) into the same cache, against a
floor of what any cache write must do: load the cache and write the file's bytes back
atomically (`LibraryCache.load` + `read_bytes` + temp file, fsync, rename), rounds interleaved.
"""

from __future__ import annotations

import csv
import functools
import gc
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pandas as pd  # noqa: E402
from benchlib import CACHE_ROWS, make_library_cache, report, stopwatch  # noqa: E402

from tracking.csvstore import atomic_write_bytes, locked  # noqa: E402
from tracking.library_cache import LibraryCache, LibraryEntry, record_entries  # noqa: E402

BATCH = 10
ROUNDS = 15


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes; what it built is dropped (and collected) outside the timing."""
    with stopwatch() as elapsed:
        built = action()
    seconds = elapsed()
    del built
    gc.collect()
    return seconds


def csv_reader_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def rewrite_floor(path: Path) -> LibraryCache:
    """The floor of a cache write: load it and write its own bytes back atomically."""
    with locked(path):
        cache = LibraryCache.load(path)
        atomic_write_bytes(path, path.read_bytes())
    return cache


def batch_entries(round_no: int) -> list[LibraryEntry]:
    """One upload batch of proven entries, new to the cache."""
    return [
        LibraryEntry(str(2_000_000_000 + 100 * round_no + n), f"Bench_Round{round_no}_Clip{n}",
                     "2026-03-03", "640x360", ".mp4", "static_banner", "pending")
        for n in range(BATCH)
    ]  # fmt: skip


def measure_records(path: Path) -> tuple[list[float], list[float]]:
    """Seconds of recording a batch and of the floor, interleaved round by round."""
    records, floors = [], []
    for round_no in range(ROUNDS):
        entries = batch_entries(round_no)
        floors.append(timed(lambda: rewrite_floor(path)))
        records.append(timed(functools.partial(record_entries, path, entries)))
    return records, floors


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        path = Path(tmp) / "library" / "trafficjunky.csv"
        wanted = random.Random(5).sample(make_library_cache(path), BATCH)
        records, floors = measure_records(path)
        loads, checks, pandas_reads, csv_reads = [], [], [], []
        for _ in range(ROUNDS):
            loads.append(timed(lambda: LibraryCache.load(path)))
            cache = LibraryCache.load(path)
            with stopwatch() as check:
                hits = [cache.lookup(name, "static_banner") for name in wanted]
            checks.append(check())
            assert all(hits), "every name of the batch is in the cache"
            del cache, hits
            pandas_reads.append(timed(lambda: pd.read_csv(path)))
            csv_reads.append(timed(lambda: csv_reader_rows(path)))
    load, lookups = statistics.median(loads), statistics.median(checks)
    note = f"{CACHE_ROWS:,} rows, median of {ROUNDS} interleaved rounds"
    report("cache: load vs pandas.read_csv of the same file", load,
           statistics.median(pandas_reads), unit="s", target="< 0.3x", note=note)  # fmt: skip
    report("cache: load vs csv.reader alone (no checks, no index)", load,
           statistics.median(csv_reads), unit="s", target="report", note=note)  # fmt: skip
    report("cache: load, in seconds (target 0.3 s)", load, 1.0, unit="s", target="< 0.3x",
           note="baseline is 1 s, so the ratio reads as seconds")  # fmt: skip
    record, floor = statistics.median(records), statistics.median(floors)
    report(f"cache: record {BATCH} entries vs load + atomic write of the same bytes", record,
           floor, unit="s", target="<= 1.5x", note=note)  # fmt: skip
    report(f"cache: {BATCH}-file check, in ms (target 1 ms)", lookups * 1000, 1.0, unit="ms",
           target="< 1x", note="cache in memory; baseline is 1 ms")  # fmt: skip


if __name__ == "__main__":
    main()
