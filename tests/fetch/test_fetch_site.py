"""`fetch --crawl` over the whole sandbox media site, with real Chromium and real yt-dlp.

One crawl-and-fetch run is shared by the module (it takes seconds); each test states one
thing a user would notice about it. A second run and a `process` run follow the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from automation.sandbox.server import SandboxServer
from creatives import ffmpeg
from tests.fetch.conftest import QUICK, MediaSite, final_rows, rows_of, run_tool
from tests.fixtures.env import CliResult
from tracking import downloads

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class SiteRun:
    """The first fetch of the whole site: its result, workspace, and the server's view."""

    site: MediaSite
    workspace: Path
    result: CliResult
    rows: list[dict[str, str]]
    inbox: list[Path]
    busy_hits: list[float]
    flaky_hits: list[float]
    placeholder_hits: int


@pytest.fixture(scope="module")
def first_run(
    sandbox_server: SandboxServer, generated_media: Path, tmp_path_factory: pytest.TempPathFactory
) -> SiteRun:
    sandbox_server.state.reset()
    site = MediaSite(sandbox_server)
    root = tmp_path_factory.mktemp("site-fetch")
    ws = root / "workspace"
    result = run_tool(
        root / "cwd", "--workspace", ws, "fetch", "--crawl", site.listing,
        "--link-selector", "a.item", *QUICK,
    )  # fmt: skip
    rows = downloads.load(ws / "records" / "downloads.csv")
    inbox = sorted(p for p in (ws / "inbox").rglob("*") if p.is_file())
    hits = len(site.hits("placeholder"))
    return SiteRun(site, ws, result, rows, inbox, site.hits("busy"), site.hits("flaky"), hits)


@pytest.fixture(scope="module")
def second_run(first_run: SiteRun) -> CliResult:
    ws = first_run.workspace
    return run_tool(
        ws.parent / "cwd", "--workspace", ws, "fetch", "--crawl", first_run.site.listing,
        "--link-selector", "a.item", *QUICK,
    )  # fmt: skip


def test_the_inbox_holds_exactly_the_valid_unique_media(first_run: SiteRun) -> None:
    keep = [url for url, expect in first_run.site.expected().items() if expect == "keep"]
    assert len(first_run.inbox) == len(keep) == 8
    assert {p.parent.name for p in first_run.inbox} == {"localhost"}
    digests = {downloads_hash(p) for p in first_run.inbox}
    assert len(digests) == len(first_run.inbox), "a duplicate reached the inbox"
    names = {p.name for p in first_run.inbox}
    assert "Sunrise_run_on_the_beach.mp4" in names  # the page's title names the file
    assert {"photo-1.jpg", "photo-2.jpg", "clip-3.mp4"} <= names
    assert not any(".part" in p.name for p in first_run.inbox)
    assert not (first_run.workspace / ".partial").exists()


def downloads_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_url_is_explained_in_downloads_csv(first_run: SiteRun) -> None:
    final = final_rows(first_run.workspace)
    for url, expect in first_run.site.expected().items():
        row = final[url]
        if expect == "keep":
            assert row["status"] == "downloaded", row
            assert (first_run.workspace / row["file"]).is_file()
            assert row["sha256"] == downloads_hash(first_run.workspace / row["file"])
            assert int(row["bytes"]) == (first_run.workspace / row["file"]).stat().st_size
        elif expect == "placeholder-url":
            assert (row["status"], row["reason"]) == ("skipped", expect)
        elif expect.startswith("http-"):
            assert (row["status"], row["reason"]) == ("failed", expect)
        else:
            assert (row["status"], row["reason"]) == ("rejected", expect), url


def test_the_placeholder_is_never_requested(first_run: SiteRun) -> None:
    placeholder = [u for u, e in first_run.site.expected().items() if e == "placeholder-url"]
    assert rows_of(first_run.workspace, placeholder[0])[0]["bytes"] == ""
    assert first_run.placeholder_hits == 0  # not even the crawl's browser asked for it


def test_the_duplicate_names_the_file_it_repeats(first_run: SiteRun) -> None:
    repeated = "duplicate: same content as inbox/fetched/localhost/clip-3.mp4"
    assert repeated in first_run.result.stdout


def test_the_flaky_endpoint_is_retried_until_it_works(first_run: SiteRun) -> None:
    rows = rows_of(first_run.workspace, first_run.site.url("/flaky/clip-5.mp4"))
    assert [(r["status"], r["reason"], r["attempt"]) for r in rows] == [
        ("retry", "http-500", "1"),
        ("retry", "http-500", "2"),
        ("downloaded", "", "3"),
    ]


def test_429_waits_for_retry_after_before_asking_again(first_run: SiteRun) -> None:
    rows = rows_of(first_run.workspace, first_run.site.url("/busy/clip-6.mp4"))
    assert [(r["status"], r["reason"]) for r in rows] == [
        ("retry", "http-429"),
        ("downloaded", ""),
    ]
    first, second = first_run.busy_hits[:2]
    # The backoff is 0.01-0.05 s here: only the server's Retry-After: 1 explains the wait.
    assert second - first >= 1.0


def test_the_run_exits_partial_with_one_line_per_failed_url(first_run: SiteRun) -> None:
    assert first_run.result.exit_code == 7, first_run.result.output
    failed = [line for line in first_run.result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1
    assert "missing-clip.mp4: http-404" in failed[0]


def test_every_fetched_file_is_valid_media(first_run: SiteRun) -> None:
    for path in first_run.inbox:
        if path.suffix == ".jpg":
            with Image.open(path) as image:
                image.load()
                assert min(image.size) >= 360
        else:
            info = ffmpeg.probe_json(path)
            kinds = {s["codec_type"] for s in info["streams"]}
            assert kinds == {"video", "audio"}
            assert float(info["format"]["duration"]) >= 5.5


def test_fetch_stats_match_the_attempts(first_run: SiteRun) -> None:
    result = run_tool(
        first_run.workspace.parent / "cwd", "--workspace", first_run.workspace,
        "fetch-stats", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (stats,) = json.loads(result.stdout)["sources"]
    rows = first_run.rows
    assert stats["source"] == "localhost"
    assert stats["attempts"] == sum(r["status"] != "skipped" for r in rows) == 16
    assert stats["urls"] == 14
    assert stats["files"] == 8
    assert stats["rejected"] == 4 and stats["failed"] == 1 and stats["skipped"] == 1
    assert stats["bytes"] == sum(p.stat().st_size for p in first_run.inbox)
    assert stats["success_rate"] == round(8 / 13, 3)
    assert stats["tier"] == "medium"
    assert stats["top_reasons"][0] == {"reason": "http-500", "count": 2}


def test_fetch_stats_table_sorts_sources_into_tiers(first_run: SiteRun) -> None:
    result = run_tool(
        first_run.workspace.parent / "cwd", "--workspace", first_run.workspace, "fetch-stats"
    )
    assert result.exit_code == 0
    assert "medium" in result.stdout and "localhost" in result.stdout and "62%" in result.stdout
    assert "localhost: http-500 x2" in result.stdout


def test_a_second_run_downloads_nothing(first_run: SiteRun, second_run: CliResult) -> None:
    assert second_run.exit_code == 0, second_run.output  # the 404 failed for good: settled
    assert "0 kept" in second_run.stdout
    assert "13 settled earlier" in second_run.stdout
    rows = downloads.load(first_run.workspace / "records" / "downloads.csv")
    assert len(rows) == len(first_run.rows)
    after = sorted(p for p in (first_run.workspace / "inbox").rglob("*") if p.is_file())
    assert after == first_run.inbox


def test_process_accepts_everything_fetched(first_run: SiteRun, second_run: CliResult) -> None:
    ws = first_run.workspace
    result = run_tool(ws.parent / "cwd", "--workspace", ws, "process", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["processed"]) == len(first_run.inbox)
    assert report["failed"] == [] and report["skipped"] == []
