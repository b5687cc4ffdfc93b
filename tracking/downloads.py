"""What fetch did, one row per attempt (records/downloads.csv), and per-source statistics.

Statuses, per row:
- `downloaded`: the file was valid and unique and now lives in the inbox (`file`).
- `rejected`: the file was downloaded but thrown away as junk (`reason`: empty, known-fake,
  corrupt, duplicate, tiny, not-media, image-excluded).
- `retry`: the attempt failed with a retryable error; another attempt follows.
- `failed`: the URL could not be fetched (non-retryable error, or retries exhausted). A
  permanent failure (404, unsupported, private) settles the URL; a passing one does not.
- `queued`: with a queue (`creative-flow worker`), the URL failed after its retries and was
  queued to be tried again later, with a growing wait (`reason`: the last failure).
- `linked`: the source is link-only (records/sources.csv): the URL, its `title` and `duration`
  (seconds) are recorded, the media is not downloaded.
- `skipped`: not downloaded: placeholder-url and image-excluded (decided from the URL, no
  request), circuit-open (the source was failing), archived (yt-dlp's archive has the item
  under another URL). A URL settled by an earlier run gets no new row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from tracking.csvstore import Row, append_rows, read_rows
from tracking.schemas import Schema

DOWNLOADS = Schema(
    name="downloads",
    columns=(
        "url", "source", "status", "reason", "file", "bytes", "sha256", "seconds", "attempt",
        "timestamp", "title", "duration",
    ),
    required=("url", "source", "status"),
    numeric=("bytes", "seconds", "attempt", "duration"),
)  # fmt: skip

KNOWN_FAKES = Schema(name="known fakes", columns=("sha256", "label"), required=("sha256",))


class DownloadStatus(StrEnum):
    """Outcome of one fetch attempt."""

    DOWNLOADED = "downloaded"
    REJECTED = "rejected"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"
    QUEUED = "queued"
    LINKED = "linked"


# Outcomes that settle a URL for good: a later run does not fetch it again.
FINAL_STATUSES = frozenset({DownloadStatus.DOWNLOADED, DownloadStatus.REJECTED})


# Failure reasons that will not change by trying again (besides HTTP 4xx other than 408/429).
PERMANENT_REASONS = frozenset(
    {"unsupported", "private", "geo-restricted", "unavailable", "no-media"}
)
# Skip reasons that only mean "done in an earlier run".
RESUME_REASONS = frozenset({"already-fetched", "archived"})


@dataclass(frozen=True)
class DownloadRecord:
    """One row of downloads.csv: one attempt at one URL."""

    url: str
    source: str
    status: DownloadStatus
    reason: str = ""
    file: str = ""
    bytes: int = 0
    sha256: str = ""
    seconds: float = 0.0
    attempt: int = 0
    timestamp: str = field(default_factory=lambda: now_stamp())
    title: str = ""
    duration: float | None = None

    def as_row(self) -> dict[str, str]:
        row = {k: str(v) for k, v in asdict(self).items()}
        row["duration"] = "" if self.duration is None else f"{self.duration:.3f}"
        row["status"] = str(self.status)
        row["seconds"] = f"{self.seconds:.3f}"
        row["bytes"] = str(self.bytes) if self.bytes else ""
        row["attempt"] = str(self.attempt) if self.attempt else ""
        return row


def now_stamp(when: datetime | None = None) -> str:
    """A local timestamp with the offset, to the millisecond."""
    return (when or datetime.now().astimezone()).isoformat(timespec="milliseconds")


def load(path: Path) -> list[Row]:
    """Every row of downloads.csv (empty when the file does not exist)."""
    return read_rows(path, DOWNLOADS)


def append(path: Path, records: Iterable[DownloadRecord]) -> None:
    """Add rows atomically under the file's lock."""
    append_rows(path, DOWNLOADS, [r.as_row() for r in records])


def is_permanent(reason: str) -> bool:
    """Whether a failure reason means the URL will not work later either (404, private...)."""
    if reason.startswith("http-4"):
        return reason not in ("http-408", "http-425", "http-429")
    return reason in PERMANENT_REASONS


def settled_urls(
    rows: Iterable[Mapping[str, str]], *, retry_failed: bool = False
) -> dict[str, str]:
    """URL -> what settled it, for every URL a later run must not fetch again.

    Kept files, junk, archived items and permanent failures (404, unsupported, private) are
    settled; failures that may pass later (timeouts, 5xx) are not, nor are images rejected
    only because images were excluded in that run. With `retry_failed`, permanent failures
    are tried again too.
    """
    settled: dict[str, str] = {}
    for r in rows:
        status, reason = r["status"], r.get("reason", "")
        if status in FINAL_STATUSES and reason != "image-excluded":
            settled[r["url"]] = str(status)
        elif status == DownloadStatus.SKIPPED and reason == "archived":
            settled[r["url"]] = "archived"
        elif status == DownloadStatus.FAILED and is_permanent(reason) and not retry_failed:
            settled[r["url"]] = f"failed ({reason})"
        elif status == DownloadStatus.FAILED:
            settled.pop(r["url"], None)  # the latest word on the URL is a passing failure
    return settled


def linked_urls(rows: Iterable[Mapping[str, str]]) -> set[str]:
    """URLs already recorded link-only (a link-only source does not record them twice)."""
    return {r["url"] for r in rows if r["status"] == DownloadStatus.LINKED}


def downloaded_hashes(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """sha256 -> inbox file of every file kept by an earlier fetch."""
    return {
        r["sha256"]: r["file"]
        for r in rows
        if r["status"] == DownloadStatus.DOWNLOADED and r.get("sha256")
    }


def load_known_fakes(*paths: Path) -> dict[str, str]:
    """sha256 -> label from known-fake lists (missing files are skipped)."""
    fakes: dict[str, str] = {}
    for path in paths:
        for row in read_rows(path, KNOWN_FAKES):
            digest = row["sha256"].strip().lower()
            if digest:
                fakes[digest] = row.get("label", "") or "known fake"
    return fakes


@dataclass
class SourceStats:
    """How one source performed over the rows considered."""

    source: str
    urls: int = 0
    attempts: int = 0
    files: int = 0
    rejected: int = 0
    failed: int = 0
    skipped: int = 0
    # URLs whose latest word is "queued to try again later" (they are not settled yet).
    queued: int = 0
    # Link-only URLs recorded without their media: apart from the download figures.
    linked: int = 0
    bytes: int = 0
    download_seconds: float = 0.0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def settled(self) -> int:
        """URLs that reached a final outcome after a request (kept, rejected or failed)."""
        return self.files + self.rejected + self.failed

    @property
    def success_rate(self) -> float:
        """Share of requested URLs that gave a kept file."""
        return self.files / self.settled if self.settled else 0.0

    @property
    def avg_seconds(self) -> float:
        """Average time of the attempts that gave a kept file."""
        return self.download_seconds / self.files if self.files else 0.0

    @property
    def tier(self) -> str:
        """high (>= 80 % success), medium (>= 50 %) or low."""
        if self.success_rate >= 0.8:
            return "high"
        return "medium" if self.success_rate >= 0.5 else "low"

    def top_reasons(self, n: int = 3) -> list[tuple[str, int]]:
        return self.reasons.most_common(n)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "tier": self.tier,
            "success_rate": round(self.success_rate, 3),
            "urls": self.urls,
            "attempts": self.attempts,
            "files": self.files,
            "bytes": self.bytes,
            "avg_seconds": round(self.avg_seconds, 3),
            "rejected": self.rejected,
            "failed": self.failed,
            "skipped": self.skipped,
            "queued": self.queued,
            "linked": self.linked,
            "top_reasons": [{"reason": r, "count": c} for r, c in self.top_reasons()],
        }


def _parse_stamp(text: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.astimezone()


def recent(rows: Iterable[Row], days: float | None, now: datetime | None = None) -> list[Row]:
    """Rows of the last `days` days (all rows when days is None; undated rows are dropped)."""
    if days is None:
        return list(rows)
    cutoff = (now or datetime.now().astimezone()) - timedelta(days=days)
    kept = []
    for row in rows:
        stamp = _parse_stamp(row.get("timestamp", ""))
        if stamp is not None and stamp >= cutoff:
            kept.append(row)
    return kept


def _add(stats: SourceStats, row: Row) -> None:
    status = row["status"]
    if status == DownloadStatus.QUEUED:
        return  # the failed attempt before it is counted; see summarize for the URL
    if status == DownloadStatus.LINKED:
        stats.linked += 1
        return
    if status != DownloadStatus.SKIPPED:
        stats.attempts += 1
    if status == DownloadStatus.DOWNLOADED:
        stats.files += 1
        stats.bytes += int(row.get("bytes") or 0)
        stats.download_seconds += float(row.get("seconds") or 0)
        return
    if status == DownloadStatus.REJECTED:
        stats.rejected += 1
    elif status == DownloadStatus.FAILED:
        stats.failed += 1
    elif status == DownloadStatus.SKIPPED:
        stats.skipped += 1
        if row.get("reason") in RESUME_REASONS:
            return  # a URL settled earlier is not a failure of the source
    stats.reasons[row.get("reason") or status] += 1


def summarize(rows: Iterable[Row]) -> list[SourceStats]:
    """Per-source statistics, best performers first (then by name)."""
    by_source: dict[str, SourceStats] = {}
    urls: dict[str, dict[str, str]] = {}  # source -> url -> its latest status
    for row in rows:
        source = row["source"] or "unknown"
        stats = by_source.setdefault(source, SourceStats(source))
        urls.setdefault(source, {})[row["url"]] = row["status"]
        _add(stats, row)
    for source, stats in by_source.items():
        stats.urls = sum(status != DownloadStatus.LINKED for status in urls[source].values())
        stats.queued = sum(s == DownloadStatus.QUEUED for s in urls[source].values())
    return sorted(by_source.values(), key=lambda s: (-s.success_rate, -s.files, s.source))
