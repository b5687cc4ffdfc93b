"""The fetch rules that need no server: retries, rate limit, breaker, junk, names, statistics."""

from __future__ import annotations

import hashlib
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from yt_dlp.networking import Response
from yt_dlp.networking.exceptions import HTTPError
from yt_dlp.utils import DownloadError, ExtractorError

from automation.scrapers import intake, junk
from automation.scrapers.resilience import CircuitBreaker, RateLimiter, RetryPolicy
from automation.scrapers.ytdlp import classify
from tests.fixtures.media import make_image, make_video
from tracking import downloads

# -- retries, rate limit, breaker -------------------------------------------------------------


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(retries=5, backoff_s=1.0, backoff_max_s=5.0, timeout_s=10.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (5, 5.0)]:
        delays = [policy.delay_after(attempt, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len({round(d, 6) for d in delays}) > 1  # jittered, not a fixed wait
    assert [policy.timeout_for(n) for n in (1, 2, 3)] == [10.0, 15.0, 20.0]
    assert policy.attempts == 6


def test_retry_after_wins_over_a_shorter_backoff() -> None:
    policy = RetryPolicy(backoff_s=0.01, backoff_max_s=0.05)
    assert policy.delay_after(1, retry_after=3.0) == 3.0


def test_rate_limiter_spaces_requests_per_source() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(per_minute=30, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait("a") == 0.0
    assert limiter.wait("b") == 0.0  # another source has its own budget
    now[0] += 0.5
    assert limiter.wait("a") == pytest.approx(1.5)  # 30/min: every 2 s
    assert slept == [pytest.approx(1.5)]
    assert RateLimiter(per_minute=0, clock=lambda: now[0], sleep=sleep).wait("a") == 0.0


def test_breaker_opens_after_consecutive_failures_and_a_success_resets_it() -> None:
    breaker = CircuitBreaker(threshold=3)
    for ok in (False, False, True, False, False):
        breaker.record("site", ok)
    assert not breaker.is_open("site")
    breaker.record("site", False)
    assert breaker.is_open("site") and breaker.opened == ["site"]
    assert not breaker.is_open("other")
    assert not CircuitBreaker(threshold=0).is_open("site")


# -- yt-dlp errors ----------------------------------------------------------------------------


def _http_error(status: int, headers: dict[str, str] | None = None) -> DownloadError:
    response = Response(io.BytesIO(b""), "http://127.0.0.1/x", headers or {}, status=status)
    cause = HTTPError(response)
    error = ExtractorError("Unable to download webpage", cause=cause)
    try:
        raise error
    except ExtractorError:
        import sys

        return DownloadError(f"ERROR: [generic] x: {error}", sys.exc_info())


@pytest.mark.parametrize(
    ("status", "headers", "reason", "retryable", "retry_after"),
    [
        (500, {}, "http-500", True, None),
        (503, {}, "http-503", True, None),
        (429, {"Retry-After": "3"}, "http-429", True, 3.0),
        (429, {"Retry-After": "86400"}, "http-429", False, 86400.0),
        (404, {}, "http-404", False, None),
        (403, {}, "http-403", False, None),
    ],
)
def test_http_errors_are_classified_by_status(
    status: int, headers: dict[str, str], reason: str, retryable: bool, retry_after: float | None
) -> None:
    failure = classify(_http_error(status, headers))
    assert (failure.reason, failure.retryable, failure.retry_after) == (
        reason,
        retryable,
        retry_after,
    )
    assert not str(failure).startswith("ERROR")


@pytest.mark.parametrize(
    ("message", "reason", "retryable"),
    [
        ("ERROR: [youtube] abc: Private video. Sign in if you've been granted access", "private",
         False),
        ("ERROR: Unsupported URL: http://127.0.0.1/page", "unsupported", False),
        ("ERROR: [download] Did not get any data blocks", "empty", False),
        ("ERROR: [generic] x: The read operation timed out", "timeout", True),
    ],
)  # fmt: skip
def test_other_errors_are_classified_by_kind(message: str, reason: str, retryable: bool) -> None:
    failure = classify(DownloadError(message))
    assert (failure.reason, failure.retryable) == (reason, retryable)


# -- junk -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://via.placeholder.com/640x360.png",
        "https://placehold.it/300x250",
        "https://dummyimage.com/600x400/000/fff",
        "https://cdn.example.com/img.png?text=Photo+12",
        "https://cdn.example.com/img.png?size=2&text=Image%2012",
        "https://example.com/assets/placeholder.jpg",
        "https://example.com/no-image.png",
    ],
)
def test_placeholder_urls_are_recognised(url: str) -> None:
    assert junk.UrlRules().placeholder(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/videos/beach-photo-12.mp4",
        "https://example.com/watch?v=123&text=great+holiday",
        "https://example.com/photos/sunset.jpg",
    ],
)
def test_real_media_urls_are_not_placeholders(url: str) -> None:
    assert junk.UrlRules().placeholder(url) is None


def _judge(path: Path, **kw: object) -> junk.Verdict:
    fakes = junk.known_fakes(path.parent / "none.csv")
    return junk.inspect_file(path, fakes=fakes, seen=kw.get("seen", {}), images=True)  # type: ignore[arg-type]


def test_files_are_judged_empty_fake_duplicate_corrupt_tiny_or_kept(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    assert _judge(tmp_path / "empty.mp4").reason == "empty"
    pixel = tmp_path / "pixel.gif"
    pixel.write_bytes(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    assert _judge(pixel).reason == "known-fake"
    tiny = make_image(tmp_path / "icon.png", width=16, height=16)
    assert _judge(tiny).reason == "tiny"
    photo = make_image(tmp_path / "photo.jpg", width=640, height=360)
    kept = _judge(photo)
    assert (kept.reason, kept.kind) == (None, "image")
    assert _judge(photo, seen={kept.sha256: "inbox/a/photo.jpg"}).detail.endswith("photo.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(photo.read_bytes()[: photo.stat().st_size // 2])
    assert _judge(broken).reason == "corrupt"


def test_a_truncated_video_is_corrupt_even_when_its_header_is_whole(tmp_path: Path) -> None:
    video = make_video(tmp_path / "clip.mp4", width=320, height=180, seconds=3)
    assert _judge(video).kind == "video" and _judge(video).reason is None
    # Move the index to the front (as web video is served), then cut the file short.
    from creatives.ffmpeg import run_ffmpeg

    fast = tmp_path / "fast.mp4"
    run_ffmpeg(["-i", str(video), "-c", "copy", "-movflags", "+faststart", str(fast)], subject=fast)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(fast.read_bytes()[: int(fast.stat().st_size * 0.6)])
    assert _judge(cut).reason == "corrupt"


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("http://127.0.0.1:5123/media-site/videos", "localhost"),
        ("http://[::1]:80/x", "localhost"),
        ("https://www.Example.com/v/1", "example.com"),
        ("https://cdn_1.media.example.org/a.mp4", "cdn-1.media.example.org"),
    ],
)
def test_sources_are_named_after_the_host(url: str, source: str) -> None:
    assert intake.source_name(url) == source


def test_moving_into_the_inbox_never_overwrites(tmp_path: Path) -> None:
    from tracking.workspace import Workspace

    ws = Workspace(tmp_path)
    first, second = tmp_path / "a.mp4", tmp_path / "b.mp4"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    kept = intake.move_into_inbox(first, ws, "site", "clip", "aaaa1111" * 8)
    other = intake.move_into_inbox(second, ws, "site", "clip", "bbbb2222" * 8)
    assert (kept.name, other.name) == ("clip.mp4", "clip-bbbb2222.mp4")
    assert kept.read_bytes() == b"one" and other.read_bytes() == b"two"


def test_a_file_already_moved_by_a_stopped_run_is_not_copied_twice(tmp_path: Path) -> None:
    """A run stopped between the move and its record fetches the URL again: one file stays."""
    from tracking.workspace import Workspace

    ws = Workspace(tmp_path)
    digest = hashlib.sha256(b"clip").hexdigest()
    (tmp_path / "a.mp4").write_bytes(b"clip")
    first = intake.move_into_inbox(tmp_path / "a.mp4", ws, "site", "clip", digest)
    (tmp_path / "b.mp4").write_bytes(b"clip")
    again = intake.move_into_inbox(tmp_path / "b.mp4", ws, "site", "clip", digest)
    assert again == first and first.read_bytes() == b"clip"
    assert [p.name for p in (ws.inbox / "fetched" / "site").iterdir()] == ["clip.mp4"]
    assert not (tmp_path / "b.mp4").exists()


# -- statistics -------------------------------------------------------------------------------


def _row(url: str, status: str, reason: str = "", **kw: str) -> dict[str, str]:
    return {"url": url, "source": kw.pop("source", "s"), "status": status, "reason": reason, **kw}


def test_stats_count_urls_attempts_files_and_failure_reasons() -> None:
    rows = [
        _row("u1", "downloaded", bytes="100", seconds="2.0"),
        _row("u2", "retry", "http-500"),
        _row("u2", "downloaded", bytes="300", seconds="4.0"),
        _row("u3", "rejected", "duplicate", bytes="300"),
        _row("u4", "failed", "http-404"),
        _row("u5", "skipped", "placeholder-url"),
        _row("u6", "downloaded", source="good", bytes="5"),
    ]
    by_source = {s.source: s for s in downloads.summarize(rows)}
    s = by_source["s"]
    assert (s.urls, s.attempts, s.files, s.bytes) == (5, 5, 2, 400)
    assert (s.rejected, s.failed, s.skipped) == (1, 1, 1)
    assert s.success_rate == pytest.approx(0.5) and s.tier == "medium"
    assert s.avg_seconds == pytest.approx(3.0)
    assert dict(s.top_reasons()) == {"http-500": 1, "duplicate": 1, "http-404": 1}
    assert by_source["good"].tier == "high"
    assert [x.source for x in downloads.summarize(rows)] == ["good", "s"]


def test_stats_of_the_last_days_only() -> None:
    now = datetime.now().astimezone()
    old = _row("u1", "failed", "http-500", timestamp=(now - timedelta(days=10)).isoformat())
    new = _row("u2", "downloaded", timestamp=(now - timedelta(hours=2)).isoformat())
    assert downloads.recent([old, new], days=7) == [new]
    assert downloads.recent([old, new], days=None) == [old, new]


def test_settled_urls_keep_what_a_rerun_must_not_fetch() -> None:
    rows = [
        _row("kept", "downloaded"),
        _row("junk", "rejected", "corrupt"),
        _row("gone", "failed", "http-404"),
        _row("busy", "failed", "http-503"),
        _row("photo", "rejected", "image-excluded"),
        _row("elsewhere", "skipped", "archived"),
        _row("ad", "skipped", "placeholder-url"),
    ]
    assert set(downloads.settled_urls(rows)) == {"kept", "junk", "gone", "elsewhere"}
    assert set(downloads.settled_urls(rows, retry_failed=True)) == {"kept", "junk", "elsewhere"}
