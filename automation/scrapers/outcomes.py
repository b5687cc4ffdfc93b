"""What a fetch run reports: each URL's outcome, the plan of a dry run, progress callbacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tracking.downloads import DownloadStatus


@dataclass(frozen=True)
class Outcome:
    """The final word on one URL (or one file of it) in this run."""

    url: str
    source: str
    status: DownloadStatus
    reason: str = ""
    detail: str = ""
    file: Path | None = None
    attempts: int = 0
    kind: str = ""  # "video" or "image" for a kept file


class ProgressSink(Protocol):
    """What the fetcher tells whoever shows progress (the CLI's rich bars)."""

    def started(self, url: str, attempt: int) -> None: ...
    def advanced(self, done: int, total: int | None) -> None: ...
    def waiting(self, url: str, seconds: float, reason: str) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...


class Silent:
    """A ProgressSink that shows nothing."""

    def started(self, url: str, attempt: int) -> None: ...
    def advanced(self, done: int, total: int | None) -> None: ...
    def waiting(self, url: str, seconds: float, reason: str) -> None: ...
    def finished(self, outcome: Outcome) -> None: ...


@dataclass
class FetchReport:
    """Every URL's outcome in order, plus what stopped the run early."""

    outcomes: list[Outcome] = field(default_factory=list)
    open_breakers: list[str] = field(default_factory=list)
    stopped_at_max: bool = False

    def having(self, status: DownloadStatus) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def problems(self) -> list[Outcome]:
        """URLs that could not be fetched: failures, and URLs cut off by a breaker."""
        return [
            o
            for o in self.outcomes
            if o.status == DownloadStatus.FAILED
            or (o.status == DownloadStatus.SKIPPED and o.reason == "circuit-open")
        ]


@dataclass(frozen=True)
class Planned:
    """A URL as the run sees it before any request: fetch it, or skip it and why."""

    url: str
    source: str
    skip: str | None = None
    detail: str = ""
