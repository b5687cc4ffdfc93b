"""A fetch's options for one URL: the command's, with its source's row of sources.csv on top."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from automation.scrapers import ytdlp
from automation.scrapers.outcomes import Outcome
from automation.scrapers.resilience import FetchFailure
from tracking import fetch_sources
from tracking.downloads import DownloadStatus
from tracking.fetch_sources import FetchMode

if TYPE_CHECKING:
    from automation.scrapers.fetcher import Fetcher, FetchOptions


def for_url(options: FetchOptions, url: str, source: str) -> FetchOptions:
    """`options` with the blanks-aside values of the row for `source` or the URL's host."""
    entry = fetch_sources.lookup(dict(options.sources), source, urlsplit(url).hostname or "")
    if entry is None:
        return options
    given = options.ytdlp
    chosen = replace(
        given,
        format=entry.format if entry.format is not None else given.format,
        subtitles=options.listed_subtitles if entry.subtitles is None else entry.subtitles,
        auto_captions=(
            options.listed_auto_captions if entry.auto_captions is None else entry.auto_captions
        ),
    )
    return replace(
        options,
        ytdlp=chosen,
        images=entry.images if entry.images is not None else options.images,
        link_only=(entry.mode is FetchMode.LINK_ONLY) if entry.mode else options.link_only,
    )


def record_link(fetcher: Fetcher, url: str, source: str) -> list[Outcome]:
    """Link-only: record the URL's title and duration in downloads.csv; nothing is downloaded."""
    fetcher.limiter.wait(source)
    fetcher.progress.started(url, 1)
    started = time.monotonic()
    try:
        title, duration = ytdlp.describe(
            url, fetcher.options.ytdlp, timeout=fetcher.options.retry.timeout_s
        )
    except FetchFailure as failure:
        fetcher.breaker.record(source, ok=False)
        seconds = time.monotonic() - started
        fetcher.record(url, source, DownloadStatus.FAILED, failure.reason, seconds=seconds)
        return [Outcome(url, source, DownloadStatus.FAILED, failure.reason, str(failure))]
    fetcher.breaker.record(source, ok=True)
    seconds = time.monotonic() - started
    fetcher.record(
        url, source, DownloadStatus.LINKED, "link-only", seconds=seconds, title=title,
        duration=duration,
    )  # fmt: skip
    fetcher.linked.add(url)
    length = "" if duration is None else f", {duration:.1f} s"
    return [Outcome(url, source, DownloadStatus.LINKED, "link-only", f"{title}{length}")]
