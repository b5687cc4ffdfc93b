"""What every platform's uploader shares: the transport contract and the run's workflow.

A platform implements `Uploader` (which library target each creative type goes to, its offline
spec check, how to connect) and a `Transport` (upload one batch and prove what was created; find
creatives by name; page through a target). The shared `UploadRun` (in run.py) does the rest:
planning, dedup against the cache, the journal, retries with backoff (batch.py), records and
archiving.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import ClassVar, Protocol

from automation.errors import PlatformError
from automation.settings import Settings
from automation.uploaders.plan import Batch, UploadItem
from tracking.library_cache import LibraryEntry
from tracking.workspace import Workspace


class TransientError(PlatformError):
    """A failure worth retrying: a server error, a navigation timeout, a stuck preview."""


class Outcome(StrEnum):
    """What the platform did with one submitted file, as far as the transport could prove."""

    CREATED = "created"  # a new creative of exactly this name appeared: `entry` is proven
    EXISTING = "existing"  # accepted, but nothing new: the platform already had the name
    REJECTED = "rejected"  # refused with a message that a retry will not change
    TRANSIENT = "transient"  # server error, timeout or stuck: retry after reconciling
    UNPROVEN = "unproven"  # something appeared but not provably this file's: record no ID


@dataclass
class FileOutcome:
    """One file's outcome in one submission."""

    item: UploadItem
    outcome: Outcome
    entry: LibraryEntry | None = None
    message: str = ""
    retries: int = 0  # resubmits the transport already made itself (e.g. an API client's)


class Transport(Protocol):
    """How one platform is reached (a browser for TrafficJunky, an API for ExoClick)."""

    def upload_batch(self, batch: Batch, before_submit: Callable[[], None]) -> list[FileOutcome]:
        """Submit the batch's files and prove what was created.

        `before_submit` must be called once, right before the files leave the machine (the
        journal is written there); an exception before that call means nothing was sent.
        """
        ...

    def find_names(self, target: str, names: Collection[str]) -> dict[str, list[LibraryEntry]]:
        """Every creative of `target` (all pages) whose name is one of `names`."""
        ...

    def library_pages(self, target: str) -> Iterator[list[LibraryEntry]]:
        """The creatives of `target`, page by page, to the last page."""
        ...


@dataclass(frozen=True)
class UploadOptions:
    """A run's options, as the `upload` command takes them."""

    files: tuple[str, ...] = ()
    limit: int | None = None
    force: bool = False
    live: bool = False
    retries: int = 2
    archive: bool = False
    backoff_s: float = 1.0


@dataclass
class Connection:
    """An open transport plus whatever the connection produced for the user (a trace zip)."""

    transport: Transport
    artifacts: list[Path] = field(default_factory=list)


class Uploader(ABC):
    """One platform: where each creative type goes, how files are checked, how to connect."""

    platform: ClassVar[str]  # records key: "trafficjunky"
    label: ClassVar[str]  # as users write it: "TrafficJunky"
    targets: ClassVar[tuple[str, ...]]  # every library target, in refresh order
    # Targets a refresh reads only when the transport's `has_target(name)` says they exist.
    optional_targets: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.workspace = Workspace(settings.workspace)

    @abstractmethod
    def target_for(self, creative_type: str) -> str | None:
        """The library target of an inventory creative type (None: this platform takes none)."""

    @abstractmethod
    def check(self, item: UploadItem) -> str | None:
        """Why the file would be refused (offline, against the specs), or None."""

    @abstractmethod
    def connect(
        self, run_id: str, *, retries: int | None = None
    ) -> AbstractContextManager[Connection]:
        """Open the platform for one run (raises AuthRequiredError without a session).

        `retries`: the run's `--retries`, for a transport that retries requests itself.
        """

    def is_transient(self, message: str) -> bool:
        """Whether an error message a platform returned is worth a retry."""
        text = message.lower()
        return any(word in text for word in TRANSIENT_WORDS)

    @property
    def cache_path(self) -> Path:
        return self.workspace.library_csv(self.platform)

    @property
    def run_lock(self) -> Path:
        """Held by a live upload or a refresh of this platform, so they never interleave."""
        return self.workspace.uploads_dir / f".{self.platform}.run"


TRANSIENT_WORDS = (
    " 500",
    " 502",
    " 503",
    " 504",
    "server error",
    "timed out",
    "timeout",
    "network",
    "try again",
    "unavailable",
    "could not be reached",
    "connection",
)
