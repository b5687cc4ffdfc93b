"""`creative-flow fetch URL...` options against the sandbox media site (real yt-dlp, no browser)."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.fetch.conftest import QUICK, MediaSite, final_rows, rows_of
from tracking import downloads, inventory


def inbox_files(ws: Path) -> list[Path]:
    return sorted(p for p in (ws / "inbox").rglob("*") if p.is_file())


def test_source_option_and_url_file_decide_the_inbox_folder(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, tmp_path: Path
) -> None:
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"# weekly picks\n{site.url('/media/clip-3.mp4')}\n\n")
    result = cli(
        "--workspace", workspace, "fetch", site.url("/watch/city-lights"),
        "--from-file", url_file, "--source", "Weekly Picks", *QUICK,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [p.relative_to(workspace).as_posix() for p in inbox_files(workspace)] == [
        "inbox/fetched/Weekly-Picks/City_lights_at_night.mp4",
        "inbox/fetched/Weekly-Picks/clip-3.mp4",
    ]
    assert {r["source"] for r in final_rows(workspace).values()} == {"Weekly-Picks"}


def test_no_images_skips_stills_without_requesting_them(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    photo = site.url("/media/photo-1.jpg")
    result = cli(
        "--workspace", workspace, "fetch", photo, site.url("/media/clip-3.mp4"),
        "--no-images", *QUICK,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [p.name for p in inbox_files(workspace)] == ["clip-3.mp4"]
    assert (final_rows(workspace)[photo]["status"], final_rows(workspace)[photo]["reason"]) == (
        "skipped",
        "image-excluded",
    )
    assert site.hits("media/photo-1.jpg") == []
    # Images were only excluded, not judged: a later run with images fetches them.
    again = cli("--workspace", workspace, "fetch", photo, *QUICK)
    assert again.exit_code == 0
    assert "photo-1.jpg" in [p.name for p in inbox_files(workspace)]


def test_circuit_breaker_stops_hammering_a_failing_source(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    missing = [site.url(f"/media/gone-{n}.mp4") for n in range(4)]
    result = cli("--workspace", workspace, "fetch", *missing, "--breaker", "2", *QUICK)
    assert result.exit_code == 7
    final = final_rows(workspace)
    assert [final[u]["status"] for u in missing] == ["failed", "failed", "skipped", "skipped"]
    assert final[missing[2]]["reason"] == "circuit-open"
    assert site.hits("media/gone-2.mp4") == [] and site.hits("media/gone-3.mp4") == []
    assert "circuit breaker open for localhost" in result.stderr
    assert sum(line.startswith("failed:") for line in result.stderr.splitlines()) == 4


def test_retries_give_up_after_the_last_attempt(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    url = site.url("/flaky/clip-5.mp4")  # fails twice: one retry is not enough
    result = cli("--workspace", workspace, "fetch", url, "--retries", "1", *QUICK)
    assert result.exit_code == 7
    assert [(r["status"], r["attempt"]) for r in rows_of(workspace, url)] == [
        ("retry", "1"),
        ("failed", "2"),
    ]
    # A 5xx may pass later: the next run tries the URL again, and it works.
    again = cli("--workspace", workspace, "fetch", url, *QUICK)
    assert again.exit_code == 0, again.output
    assert rows_of(workspace, url)[-1]["status"] == "downloaded"


def test_a_permanent_failure_is_retried_only_when_asked(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    url = site.url("/media/missing-clip.mp4")
    assert cli("--workspace", workspace, "fetch", url, *QUICK).exit_code == 7
    second = cli("--workspace", workspace, "fetch", url, *QUICK)
    assert second.exit_code == 0 and len(site.hits("media/missing-clip.mp4")) == 1
    third = cli("--workspace", workspace, "fetch", url, "--retry-failed", *QUICK)
    assert third.exit_code == 7 and len(site.hits("media/missing-clip.mp4")) == 2


def test_content_already_in_the_inventory_is_a_duplicate(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, generated_media: Path
) -> None:
    digest = hashlib.sha256((generated_media / "clip-3.mp4").read_bytes()).hexdigest()
    inventory.append(
        workspace / "records" / "inventory.csv",
        [{"unique_id": "ID-C7060008", "new_filename": "x.mp4", "content_sha256": digest}],
    )
    url = site.url("/media/clip-3.mp4")
    result = cli("--workspace", workspace, "fetch", url, *QUICK)
    assert result.exit_code == 0
    assert inbox_files(workspace) == []
    row = final_rows(workspace)[url]
    assert (row["status"], row["reason"], row["sha256"]) == ("rejected", "duplicate", digest)
    assert "same content as ID-C7060008" in result.stdout


def test_user_known_fakes_and_placeholder_patterns_apply(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, generated_media: Path
) -> None:
    records = workspace / "records"
    records.mkdir()
    digest = hashlib.sha256((generated_media / "photo-2.jpg").read_bytes()).hexdigest()
    (records / "known_fakes.csv").write_text(f"sha256,label\n{digest},stock watermark\n")
    (records / "placeholder_patterns.txt").write_text("# ours\n/watch/city-\n")
    photo, page = site.url("/media/photo-2.jpg"), site.url("/watch/city-lights")
    clip = site.url("/media/clip-3.mp4")
    result = cli(
        "--workspace", workspace, "fetch", photo, page, clip, "--skip-pattern", r"clip-3\.mp4$",
        *QUICK,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    final = final_rows(workspace)
    assert (final[photo]["reason"], final[page]["reason"], final[clip]["reason"]) == (
        "known-fake",
        "placeholder-url",
        "placeholder-url",
    )
    assert "known-fake: stock watermark" in result.stdout
    assert inbox_files(workspace) == []


def test_rate_limit_spaces_requests_to_a_source(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    names = ["photo-1.jpg", "photo-2.jpg", "plc.gif"]
    urls = [site.url(f"/media/{n}") for n in names]
    result = cli("--workspace", workspace, "fetch", *urls, "--rate", "60", "--backoff", "0")
    assert result.exit_code == 0, result.output
    starts = [site.hits(f"media/{n}")[0] for n in names]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # 60/min: one request a second (measured at the server, so allow for connection jitter).
    assert all(gap >= 0.8 for gap in gaps), gaps


def test_json_output_lists_every_outcome(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    urls = [site.url("/media/clip-3.mp4"), site.url("/media/corrupt.mp4")]
    result = cli("--workspace", workspace, "fetch", *urls, "--json", *QUICK)
    assert result.exit_code == 0, result.output
    outcomes = json.loads(result.stdout)["outcomes"]
    assert [(o["status"], o["reason"], o["kind"]) for o in outcomes] == [
        ("downloaded", "", "video"),
        ("rejected", "corrupt", ""),
    ]
    assert outcomes[0]["file"] == "inbox/fetched/localhost/clip-3.mp4"


def test_max_stops_early_and_a_rerun_fetches_the_rest_once(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    urls = [site.url(p) for p in ("/media/clip-3.mp4", "/media/photo-1.jpg", "/media/photo-2.jpg")]
    first = cli("--workspace", workspace, "fetch", *urls, "--max", "2", *QUICK)
    assert first.exit_code == 0
    assert "stopped at --max" in first.stdout
    assert len(inbox_files(workspace)) == 2
    second = cli("--workspace", workspace, "fetch", *urls, *QUICK)
    assert second.exit_code == 0
    assert len(inbox_files(workspace)) == 3
    for url in urls:
        assert [r["status"] for r in rows_of(workspace, url)] == ["downloaded"]
    assert len(site.hits("media/clip-3.mp4")) == 2  # one yt-dlp look, one download: not again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to fetch"),
        (("--crawl", "http://127.0.0.1:9/list"), "--crawl needs --link-selector"),
        (("--from-file", "no-such-list.txt"), "no-such-list.txt: cannot read the URL list"),
        (("http://127.0.0.1:9/x.mp4", "--skip-pattern", "(oops"), "not a valid regular"),
    ],
)
def test_bad_options_fail_in_one_line(  # type: ignore[no-untyped-def]
    cli, workspace: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("--workspace", workspace, "fetch", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (workspace / "records" / "downloads.csv").exists()


def test_subtitles_land_next_to_their_video(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", site.url("/watch/city-lights"), "--subtitles", "en,es",
        *QUICK,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [p.name for p in inbox_files(workspace)] == [
        "City_lights_at_night.en.vtt",
        "City_lights_at_night.mp4",
    ]
    subtitles = workspace / "inbox/fetched/localhost/City_lights_at_night.en.vtt"
    assert "WEBVTT" in subtitles.read_text()
    # process takes the video and carries its subtitles along; they are not a bad source.
    processed = cli("--workspace", workspace, "process")
    assert processed.exit_code == 0, processed.output
    assert "failed" not in processed.stderr and not inbox_files(workspace)
    originals = sorted(p.name for p in (workspace / "originals").rglob("*") if p.is_file())
    assert originals == ["City_lights_at_night.en.vtt", "City_lights_at_night.mp4"]


def test_a_format_the_item_lacks_fails_that_url_without_retrying(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    url = site.url("/media/clip-3.mp4")
    result = cli("--workspace", workspace, "fetch", url, "--format", "bv[height>=2000]", *QUICK)
    assert result.exit_code == 7
    assert [(r["status"], r["reason"]) for r in rows_of(workspace, url)] == [
        ("failed", "format-unavailable")
    ]
    assert "requested --format is not available" in result.stderr
    # Not settled: the same URL with a format it has works.
    assert cli("--workspace", workspace, "fetch", url, *QUICK).exit_code == 0


@pytest.mark.slow
def test_a_slow_server_gets_retries_with_growing_timeouts(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, sandbox
) -> None:
    sandbox.switches(latency_ms=2000)  # every answer takes 2 s; the first attempt waits 1.2 s
    url = site.url("/media/photo-1.jpg")
    result = cli(
        "--workspace", workspace, "fetch", url, "--timeout", "1.2", "--rate", "0",
        "--backoff", "0.01", "--backoff-max", "0.05",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = rows_of(workspace, url)
    assert (rows[0]["status"], rows[0]["reason"]) == ("retry", "timeout")
    assert rows[-1]["status"] == "downloaded" and int(rows[-1]["attempt"]) >= 2


def test_yt_dlp_archive_alone_prevents_a_second_download(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    url = site.url("/watch/sunrise-run")
    assert cli("--workspace", workspace, "fetch", url, *QUICK).exit_code == 0
    archive = workspace / "records" / "ytdlp-archive.txt"
    assert archive.read_text().startswith("html5mediaembed ")
    (workspace / "records" / "downloads.csv").unlink()  # records lost: the archive remembers
    downloads_before = len(site.hits("media/clip-1.mp4"))
    again = cli("--workspace", workspace, "fetch", url, *QUICK)
    assert again.exit_code == 0, again.output
    assert (final_rows(workspace)[url]["status"], final_rows(workspace)[url]["reason"]) == (
        "skipped",
        "archived",
    )
    assert len(site.hits("media/clip-1.mp4")) == downloads_before
    assert len(inbox_files(workspace)) == 1


def test_fetch_stats_days_leaves_out_older_attempts(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    old = (datetime.now().astimezone() - timedelta(days=3)).isoformat(timespec="milliseconds")
    record = downloads.DownloadRecord(
        "https://example.com/a.mp4", "example.com", downloads.DownloadStatus.DOWNLOADED,
        file="inbox/example.com/a.mp4", bytes=1000, seconds=1.5, attempt=1, timestamp=old,
    )  # fmt: skip
    downloads.append(workspace / "records" / "downloads.csv", [record])
    recent = cli("--workspace", workspace, "fetch-stats", "--days", "1")
    assert recent.exit_code == 0
    assert "no fetch attempts recorded in the last 1 day(s)" in recent.stdout
    everything = cli("--workspace", workspace, "fetch-stats", "--days", "7")
    assert "example.com" in everything.stdout and "100%" in everything.stdout
