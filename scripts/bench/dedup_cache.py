"""Duplicate check of a 10-file batch against a 100,000-row cache, versus paging the library.

ours = load the 100,000-row cache (generated here) and look the 10 names up, as every upload run
does; baseline = what the tools before did: page the sandbox's library tab from the first page
to the last looking for the same names (in the same run, against a local sandbox of 600
creatives, 50 pages; the real library is far larger, so the real gap is wider).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from benchlib import make_library_cache, report, stopwatch

from automation.sandbox.server import SandboxServer
from automation.settings import Settings
from automation.uploaders.trafficjunky.uploader import TrafficJunkyUploader
from tracking.library_cache import LibraryCache

LIBRARY_CREATIVES = 600
BATCH = 10


def ours(path: Path, names: list[str]) -> tuple[float, float, int]:
    with stopwatch() as load_time:
        cache = LibraryCache.load(path)
    with stopwatch() as check_time:
        hits = sum(1 for n in names if cache.lookup(n, "static_banner") is not None)
    return load_time(), check_time(), hits


def baseline(server: SandboxServer, workspace: Path, names: list[str]) -> tuple[float, int]:
    settings = Settings(
        workspace=workspace, tj_app_url=server.app_url, tj_signin_url=server.signin_url
    )
    uploader = TrafficJunkyUploader(settings)
    with uploader.connect("bench-dedup") as connection, stopwatch() as elapsed:
        found = connection.transport.find_names("static_banner", names)
    return elapsed(), len(found)


def main() -> None:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        cache_names = make_library_cache(root / "cache.csv")
        wanted = rng.sample(cache_names, BATCH)
        load_s, check_s, hits = ours(root / "cache.csv", wanted)
        assert hits == BATCH, "every name is in the cache"
        seeded = server.state.seed_creatives(LIBRARY_CREATIVES, ["static_banner"])
        library_names = [c.name for c in rng.sample(seeded, BATCH)]
        server.write_session(root)
        started = time.perf_counter()
        page_s, found = baseline(server, root, library_names)
        assert found == BATCH, "paging found every name"
        note = f"baseline paged {LIBRARY_CREATIVES} creatives ({LIBRARY_CREATIVES // 12} pages)"
        # The headline includes the cache load: every upload run pays it.
        report(
            "dedup: load 100k-row cache + 10-file check vs paging",
            load_s + check_s,
            page_s,
            unit="s",
            target="< 1x",
            note=f"{note}; whole baseline run {time.perf_counter() - started:.1f} s",
        )
        report(
            "dedup: of which the 100k-row cache load",
            load_s,
            page_s,
            unit="s",
            target="< 1x",
            note=note,
        )
        report(
            "dedup: of which the 10 lookups (cache in memory)",
            check_s,
            page_s,
            unit="s",
            target="< 0.001x",
            note=note,
        )


if __name__ == "__main__":
    main()
