"""TrafficJunky upload workflow: each batch goes into its library tab, and what it created is proven
by reading the tab before and after (the platform drops same-name files silently).

Inventory creative types map to library tabs: native_image -> native_static (Native Static
Banner), native_video -> native_rollover (Native Rollover), preroll -> in_stream_video, banner and
image -> static_banner, video and short_video -> video_banner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from automation.browser import browser_run
from automation.errors import AuthRequiredError
from automation.scrapers import library as scraper
from automation.uploaders import validation
from automation.uploaders.base import Connection, FileOutcome, Outcome, Uploader
from automation.uploaders.plan import Batch, UploadItem
from automation.uploaders.trafficjunky import PLATFORM
from automation.uploaders.trafficjunky.pages import MediaLibraryPage
from automation.uploaders.trafficjunky.previews import PreviewResult, PreviewState
from automation.uploaders.trafficjunky.session import LOGIN_HINT
from automation.uploaders.trafficjunky.specs import SPECS
from tracking.library_cache import LibraryEntry

log = logging.getLogger(__name__)

TAB_FOR_TYPE = {
    "native_image": "native_static",
    "native_video": "native_rollover",
    "preroll": "in_stream_video",
    "banner": "static_banner",
    "image": "static_banner",
    "video": "video_banner",
    "short_video": "video_banner",
}
TARGETS = ("static_banner", "video_banner", "in_stream_video", "native_static", "native_rollover")
# Tabs a refresh reads when the page shows them, beyond the ones uploads go to.
OPTIONAL_TARGETS = ("short_video",)


class TrafficJunkyLibrary:
    """The transport: the media library driven in a browser."""

    def __init__(self, library: MediaLibraryPage, uploader: Uploader) -> None:
        self.library = library
        self.uploader = uploader

    def upload_batch(self, batch: Batch, before_submit: Callable[[], None]) -> list[FileOutcome]:
        """Read the tab's first page, submit, then accept only new cards of exactly each name.

        The new cards show on page 1 of the open tab without a reload: that is read first. Only
        when a file the platform accepted has no new card there is the library loaded anew
        (which lands on Static Banner, so the tab is selected again) and read once more.
        """
        self.library.open(batch.target)  # in place when the page shows the tab already
        known = {card.creative_id for card in self.library.cards_on_page()}
        self.library.open_upload()
        before_submit()
        previews = self.library.upload([item.path for item in batch.items])
        newer = scraper.entries_newer_than(self.library, batch.target, known, in_place=True)
        if _accepted_without_card(batch, previews, newer):
            newer = scraper.entries_newer_than(self.library, batch.target, known, fresh=True)
        by_name: dict[str, list[LibraryEntry]] = {}
        for entry in newer:
            by_name.setdefault(entry.key, []).append(entry)
        return [
            self._outcome(item, preview, by_name.get(item.name, []))
            for item, preview in zip(batch.items, previews, strict=True)
        ]

    def _outcome(
        self, item: UploadItem, preview: PreviewResult, new: list[LibraryEntry]
    ) -> FileOutcome:
        if len(new) == 1:
            return FileOutcome(item, Outcome.CREATED, new[0])
        if len(new) > 1:
            ids = ", ".join(e.creative_id for e in new)
            return FileOutcome(
                item, Outcome.UNPROVEN, message=f"{len(new)} new creatives named it ({ids})"
            )
        if preview.state is PreviewState.SUCCESS:
            return FileOutcome(item, Outcome.EXISTING)
        if preview.state is PreviewState.ERROR:
            kind = (
                Outcome.TRANSIENT
                if self.uploader.is_transient(preview.message)
                else Outcome.REJECTED
            )
            return FileOutcome(item, kind, message=preview.message or "refused without a message")
        wait = f"{self.uploader.settings.upload_timeout_s:g} s"
        note = (
            "no preview appeared"
            if preview.state is PreviewState.MISSING
            else f"no answer within {wait}"
        )
        return FileOutcome(item, Outcome.TRANSIENT, message=note)

    def find_names(self, target: str, names: Collection[str]) -> dict[str, list[LibraryEntry]]:
        return scraper.find_names(self.library, target, names)

    def library_pages(self, target: str) -> Iterator[list[LibraryEntry]]:
        return scraper.iter_pages(self.library, target)

    def has_target(self, target: str) -> bool:
        """Whether the library page offers this target (optional tabs may be absent)."""
        self.library.open("static_banner")
        return self.library.has_tab(target)


def _accepted_without_card(
    batch: Batch, previews: list[PreviewResult], newer: list[LibraryEntry]
) -> bool:
    """Whether a file the platform accepted has no new card among `newer`."""
    shown = {entry.key for entry in newer}
    return any(
        preview.state is PreviewState.SUCCESS and item.name not in shown
        for item, preview in zip(batch.items, previews, strict=True)
    )


class TrafficJunkyUploader(Uploader):
    """TrafficJunky through its web UI (its API cannot create creatives)."""

    platform = PLATFORM
    label = "TrafficJunky"
    targets = TARGETS
    optional_targets = OPTIONAL_TARGETS

    def target_for(self, creative_type: str) -> str | None:
        return TAB_FOR_TYPE.get(creative_type)

    def check(self, item: UploadItem) -> str | None:
        return validation.spec_problem(item.path, item.creative_type, SPECS)

    @contextmanager
    def connect(self, run_id: str, *, retries: int | None = None) -> Iterator[Connection]:
        """A headless browser in the saved session; no session file -> log in first.

        Page loads keep their own few reloads whatever `retries` says: a batch's retries are
        the shared run's, around whole submissions.
        """
        session = self.workspace.session_file(self.platform)
        if not session.exists():
            raise AuthRequiredError(f"trafficjunky: no saved session; {LOGIN_HINT}")
        connection: Connection | None = None
        try:
            with browser_run(self.settings, self.platform, run_id) as run:
                assert run.page is not None
                library = MediaLibraryPage(
                    run.page, self.settings.tj_app_url, self.settings.upload_timeout_s
                )
                connection = Connection(TrafficJunkyLibrary(library, self))
                yield connection
        finally:
            # The trace zip is written when the browser closes, so it is named only now.
            folder = self.workspace.artifacts_dir(run_id)
            if connection is not None and folder.is_dir():
                connection.artifacts.extend(sorted(folder.iterdir()))
