"""The download consumer: takes URLs, fetches each politely, keeps only valid unique media.

Per URL: placeholder check, rate limit, attempts with backoff (Retry-After honoured) until a
success, a non-retryable failure, the last retry or an open circuit breaker; then every file
is judged (empty, fake, duplicate, corrupt, excluded) and either moved into inbox/fetched/<source>/
or deleted. Every attempt is one row of records/downloads.csv, written as it happens.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tenacity

from automation.scrapers import intake, junk, per_source, ytdlp
from automation.scrapers.direct import download_direct, is_image_url
from automation.scrapers.outcomes import FetchReport, Outcome, Planned, ProgressSink, Silent
from automation.scrapers.resilience import (
    CircuitBreaker,
    FetchFailure,
    RateLimiter,
    RetryPolicy,
)
from tracking import downloads, inventory
from tracking.csvstore import Row, locked
from tracking.downloads import DownloadRecord, DownloadStatus
from tracking.fetch_sources import DEFAULT_SUBTITLES, SourceSettings
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

# The lock (in records/.locks/) held while a download's files are judged and moved in.
INTAKE_LOCK = "fetch-intake"


@dataclass(frozen=True)
class FetchOptions:
    """Everything a fetch run was asked to do."""

    ytdlp: ytdlp.YtdlpOptions
    source: str | None = None
    max_files: int | None = None
    images: bool = True
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    rate_per_minute: float = 30.0
    breaker: int = 5
    retry_failed: bool = False
    url_rules: junk.UrlRules = field(default_factory=junk.UrlRules)
    # Rows of records/sources.csv by source or host; they win over the options above.
    sources: Mapping[str, SourceSettings] = field(default_factory=dict)
    # Record URL, title and duration only (a source's row can say so too).
    link_only: bool = False
    # Subtitles of a source listed in sources.csv whose row leaves them blank.
    listed_subtitles: tuple[str, ...] = DEFAULT_SUBTITLES
    listed_auto_captions: bool = True


def unique_urls(urls: Iterable[str]) -> list[str]:
    """URLs without blanks and repeats, in their first order."""
    seen: dict[str, None] = {}
    for url in urls:
        url = url.strip()
        if url and url not in seen:
            seen[url] = None
    return list(seen)


class Fetcher:
    """Fetches URLs into one workspace; one instance per run."""

    def __init__(
        self,
        workspace: Workspace,
        options: FetchOptions,
        *,
        progress: ProgressSink | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.ws = workspace
        self.options = options
        self.progress = progress or Silent()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.limiter = RateLimiter(options.rate_per_minute, sleep=sleep)
        self.breaker = CircuitBreaker(options.breaker)
        rows = downloads.load(workspace.downloads_csv)
        self.settled = downloads.settled_urls(rows, retry_failed=options.retry_failed)
        self.noted_skips = {(r["url"], r["reason"]) for r in rows if r["status"] == "skipped"}
        self.linked = downloads.linked_urls(rows)
        self.seen: dict[str, str] = self._recorded_hashes(rows)
        self.fakes = junk.known_fakes(workspace.records / "known_fakes.csv")

    def _recorded_hashes(self, rows: list[Row] | None = None) -> dict[str, str]:
        """sha256 -> file of everything the inventory and downloads.csv already hold."""
        if rows is None:
            rows = downloads.load(self.ws.downloads_csv)
        return {
            **inventory.known_hashes(self.ws.inventory_csv),
            **downloads.downloaded_hashes(rows),
        }

    def source_of(self, url: str) -> str:
        if self.options.source:
            return intake.clean_source(self.options.source)
        return intake.source_name(url)

    def plan(self, urls: Iterable[str]) -> list[Planned]:
        """What a run would do with each URL, decided without any request (the dry run)."""
        return [self._plan_one(url) for url in unique_urls(urls)]

    def _plan_one(self, url: str) -> Planned:
        source = self.source_of(url)
        options = per_source.for_url(self.options, url, source)
        if url in self.settled:
            return Planned(url, source, "already-fetched", f"{self.settled[url]} in an earlier run")
        if options.link_only and url in self.linked:
            return Planned(url, source, "already-fetched", "linked in an earlier run")
        marker = self.options.url_rules.placeholder(url)
        if marker:
            return Planned(url, source, "placeholder-url", f"matches {marker}")
        if not options.images and is_image_url(url):
            return Planned(url, source, "image-excluded", "still images are excluded")
        return Planned(url, source)

    def run(self, urls: Iterable[str]) -> FetchReport:
        """Fetch every URL in order (stopping at --max kept files); nothing raises per URL."""
        report = FetchReport()
        kept = 0
        for planned in self.plan(urls):
            if self.options.max_files is not None and kept >= self.options.max_files:
                report.stopped_at_max = True
                break
            outcomes = self._handle(planned)
            for outcome in outcomes:
                self.progress.finished(outcome)
            report.outcomes.extend(outcomes)
            kept += sum(o.status == DownloadStatus.DOWNLOADED for o in outcomes)
        report.open_breakers = list(self.breaker.opened)
        return report

    def _handle(self, planned: Planned) -> list[Outcome]:
        url, source = planned.url, planned.source
        if planned.skip is None and self.breaker.is_open(source):
            planned = Planned(url, source, "circuit-open", f"{source} failed too often")
        if planned.skip is None:
            return self._fetch_as_source_says(url, source)
        if planned.skip == "already-fetched":
            # A run interrupted after the move may have left the URL's (empty) temp folder.
            intake.discard(intake.partial_folder(self.ws, source, url))
        elif (url, planned.skip) not in self.noted_skips:
            self.record(url, source, DownloadStatus.SKIPPED, planned.skip)
            self.noted_skips.add((url, planned.skip))
        return [Outcome(url, source, DownloadStatus.SKIPPED, planned.skip, planned.detail)]

    def _fetch_as_source_says(self, url: str, source: str) -> list[Outcome]:
        """Fetch (or only describe) one URL with its source's settings in force."""
        run_options = self.options
        # The steps below read self.options: the source's own settings hold for this URL only.
        self.options = per_source.for_url(run_options, url, source)
        try:
            if self.options.link_only:
                return per_source.record_link(self, url, source)
            return self._fetch(url, source)
        finally:
            self.options = run_options

    def record(self, url: str, source: str, status: DownloadStatus, reason: str, **kw: Any) -> None:
        """Append one attempt's row to downloads.csv."""
        record = DownloadRecord(url, source, status, reason)
        downloads.append(self.ws.downloads_csv, [replace(record, **kw)])

    def _fetch(self, url: str, source: str) -> list[Outcome]:
        """Attempts at one URL until it is kept, refused for good, or the retries run out."""
        folder = intake.partial_folder(self.ws, source, url)
        try:
            for attempt in self._retrying(url, source):
                with attempt:
                    return self._attempt(url, source, folder, attempt.retry_state.attempt_number)
        except FetchFailure as failure:
            status = DownloadStatus.FAILED
            self.record(
                url,
                source,
                status,
                failure.reason,
                seconds=failure.seconds,
                attempt=failure.attempt,
            )
            intake.discard(folder)
            return [
                Outcome(url, source, status, failure.reason, str(failure), None, failure.attempt)
            ]
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _retrying(self, url: str, source: str) -> tenacity.Retrying:
        """tenacity's loop with our policy: backoff with jitter, Retry-After, circuit breaker."""
        policy = self.options.retry

        def worth_retrying(exc: BaseException) -> bool:
            return (
                isinstance(exc, FetchFailure) and exc.retryable and not self.breaker.is_open(source)
            )

        def backoff(state: tenacity.RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            retry_after = failure.retry_after if isinstance(failure, FetchFailure) else None
            return policy.delay_after(state.attempt_number, retry_after, self.rng)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            failure = state.outcome.exception() if state.outcome else None
            assert isinstance(failure, FetchFailure)
            self.record(
                url, source, DownloadStatus.RETRY, failure.reason,
                seconds=failure.seconds, attempt=failure.attempt,
            )  # fmt: skip
            delay = state.next_action.sleep if state.next_action else 0.0
            self.progress.waiting(url, delay, failure.reason)

        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(policy.attempts),
            retry=tenacity.retry_if_exception(worth_retrying),
            wait=backoff,
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )

    def _attempt(self, url: str, source: str, folder: Path, attempt: int) -> list[Outcome]:
        """One attempt: rate limit, download, then intake; FetchFailure when it failed."""
        self.limiter.wait(source)
        self.progress.started(url, attempt)
        started = time.monotonic()
        try:
            fetched = self._download(url, folder, self.options.retry.timeout_for(attempt))
        except FetchFailure as failure:
            failure.seconds, failure.attempt = time.monotonic() - started, attempt
            if failure.junk:
                return [self._junk_answer(url, source, failure, attempt, failure.seconds, folder)]
            self.breaker.record(source, ok=False)
            raise
        self.breaker.record(source, ok=True)
        return self._intake(fetched, source, attempt, started, folder)

    def _junk_answer(
        self,
        url: str,
        source: str,
        failure: FetchFailure,
        attempt: int,
        seconds: float,
        folder: Path,
    ) -> Outcome:
        """The server answered, but with junk (an empty body): rejected, the source is fine."""
        self.breaker.record(source, ok=True)
        self.record(
            url, source, DownloadStatus.REJECTED, failure.reason, seconds=seconds, attempt=attempt
        )
        intake.discard(folder)
        return Outcome(
            url, source, DownloadStatus.REJECTED, failure.reason, str(failure), None, attempt
        )

    def _download(self, url: str, folder: Path, timeout: float) -> ytdlp.Download:
        report = self.progress.advanced
        if is_image_url(url):
            return download_direct(url, folder, timeout=timeout, on_progress=report)
        try:
            return ytdlp.download(
                url, folder, self.options.ytdlp, timeout=timeout, on_progress=report
            )
        except FetchFailure as failure:
            if failure.reason != "unsupported":
                raise
            # Not a page yt-dlp knows: maybe a plain media link (e.g. an image without .jpg).
            log.debug("%s: yt-dlp does not take it, trying a plain download", url)
            return download_direct(url, folder, timeout=timeout, on_progress=report)

    def _intake(
        self, fetched: ytdlp.Download, source: str, attempt: int, started: float, folder: Path
    ) -> list[Outcome]:
        url = fetched.url
        if fetched.archived or not fetched.files:
            status = DownloadStatus.SKIPPED if fetched.archived else DownloadStatus.FAILED
            reason = "archived" if fetched.archived else "no-media"
            detail = "in the download archive" if fetched.archived else "no media found at the URL"
            self.record(url, source, status, reason, attempt=attempt)
            intake.discard(folder)
            return [Outcome(url, source, status, reason, detail, None, attempt)]
        # One intake at a time per workspace: other fetch runs or workers may keep a file of
        # the same content, or of the same name, at the same moment.
        with locked(self.ws.records / INTAKE_LOCK):
            self.seen.update(self._recorded_hashes())
            outcomes = [self._judge(fetched, f, source, attempt, started) for f in fetched.files]
            ytdlp.record_archive(self.options.ytdlp, fetched)
        intake.discard(folder)
        return outcomes

    def _judge(
        self, fetched: ytdlp.Download, file: Path, source: str, attempt: int, started: float
    ) -> Outcome:
        url = fetched.url
        verdict = junk.inspect_file(
            file, fakes=self.fakes, seen=self.seen, images=self.options.images
        )
        stats = {"bytes": verdict.bytes, "sha256": verdict.sha256, "attempt": attempt}
        if verdict.reason is not None:
            file.unlink(missing_ok=True)
            seconds = time.monotonic() - started
            self.record(
                url, source, DownloadStatus.REJECTED, verdict.reason, seconds=seconds, **stats
            )
            return Outcome(
                url, source, DownloadStatus.REJECTED, verdict.reason, verdict.detail, None, attempt
            )
        title = fetched.title if len(fetched.files) == 1 else file.stem
        stem = intake.file_stem(title, file.stem)
        target = intake.move_into_inbox(file, self.ws, source, stem, verdict.sha256)
        for subtitle in fetched.subtitles:
            if subtitle.exists() and subtitle.name.startswith(file.stem + "."):
                intake.move_companion(subtitle, target)
        relative = target.relative_to(self.ws.root).as_posix()
        self.seen[verdict.sha256] = relative
        seconds = time.monotonic() - started
        self.record(
            url, source, DownloadStatus.DOWNLOADED, "", file=relative, seconds=seconds, **stats
        )
        return Outcome(
            url, source, DownloadStatus.DOWNLOADED, "", "", target, attempt, verdict.kind
        )
