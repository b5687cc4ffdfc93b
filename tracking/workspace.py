"""The workspace folder: where every kind of user data lives (DESIGN section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workspace:
    """Paths inside one workspace; nothing here creates files except `ensure()`."""

    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def records(self) -> Path:
        return self.root / "records"

    @property
    def inventory_csv(self) -> Path:
        return self.records / "inventory.csv"

    @property
    def folder_defaults_csv(self) -> Path:
        return self.records / "folder_defaults.csv"

    @property
    def uploads_dir(self) -> Path:
        return self.records / "uploads"

    @property
    def campaigns_dir(self) -> Path:
        return self.records / "campaigns"

    @property
    def downloads_csv(self) -> Path:
        return self.records / "downloads.csv"

    @property
    def sources_csv(self) -> Path:
        return self.records / "sources.csv"

    @property
    def sessions_dir(self) -> Path:
        return self.root / "sessions"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def library_csv(self, platform: str) -> Path:
        return self.records / "library" / f"{platform}.csv"

    def archive_dir(self, platform: str, batch: str) -> Path:
        return self.root / "archive" / platform / batch

    def artifacts_dir(self, run_id: str) -> Path:
        return self.root / "artifacts" / run_id

    def session_file(self, platform: str) -> Path:
        return self.sessions_dir / f"{platform}.json"

    def ensure(self) -> Workspace:
        """Create the standard folders (idempotent)."""
        for folder in (self.inbox, self.processed, self.originals, self.records):
            folder.mkdir(parents=True, exist_ok=True)
        return self
