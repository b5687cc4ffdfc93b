"""TrafficJunky page objects: user-level verbs over the media library.

Only this module clicks; only selectors.py knows markup. No workflow here: the uploader decides
what to do with what these verbs return. Nothing waits on a navigation: on the real site tabs,
native sub-types and pages redraw the card table in-page (some forms load a new page instead), so
every click waits on state: the tab marked active, the radio checked, the table redrawn
(table_wait.py), the previews final (previews.py). A server error, or a table that does not
redraw, is retried from a fresh load of the library a few times, then raised as TransientError.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.base import TransientError
from automation.uploaders.trafficjunky import library_reads as reads
from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.navigator import Navigator
from automation.uploaders.trafficjunky.previews import PreviewResult, PreviewState, PreviewWatcher
from automation.uploaders.trafficjunky.session import require_session
from automation.uploaders.trafficjunky.table_wait import TableWatch
from tracking.library_cache import LibraryEntry

log = logging.getLogger(__name__)

# A table reload is one small request; this only matters on a stalled platform.
REDRAW_TIMEOUT_S = 30.0
# Once processing has ended, the new cards show within seconds (their tools waited 5 s more).
CARDS_SETTLE_S = 10.0
# The page's native sub-type of each native target; other targets are page tabs themselves.
NATIVE_TARGETS = ("native_static", "native_rollover")
_UPLOAD_OPEN_JS = "() => window.__cfUploadOpen === true"
_UPLOAD_OPENED_JS = "() => { window.__cfUploadOpen = true; }"


@dataclass(frozen=True)
class Card:
    """One creative card as the library page shows it."""

    creative_id: str
    name: str
    dimensions: str
    file_type: str
    review_status: str

    def entry(self, target: str) -> LibraryEntry:
        """The card as a library-cache entry of `target`."""
        return LibraryEntry(
            creative_id=self.creative_id,
            filename=self.name,
            dimensions=self.dimensions,
            file_type=self.file_type,
            creative_type=target,
            review_status=self.review_status,
        )


def _tab_of(target: str) -> str:
    return "native" if target in NATIVE_TARGETS else target


# Every tab's link; a tab of both kinds takes its required form.
_TAB_LINKS = {**sel.OPTIONAL_TAB_LINKS, **sel.TAB_LINKS}


def _link_selector(tab: str) -> str:
    return _TAB_LINKS[tab]


def _radio_of(target: str) -> str | None:
    """The native sub-type radio that must be checked for `target` (None for a plain tab)."""
    return sel.NATIVE_SUBTYPE_INPUTS.get(target)


class MediaLibraryPage:
    """The media library: tabs and native sub-types, cards, pagination and the upload area."""

    def __init__(self, page: Page, app_url: str, upload_timeout_s: float) -> None:
        self.page = overlays.guard(page)
        self.url = app_url.rstrip("/") + sel.MEDIA_LIBRARY_PATH
        self.upload_timeout_s = upload_timeout_s
        self.nav = Navigator(page)
        self.table = TableWatch(page)
        self._target: str | None = None  # the target selected last: what every read must show
        self._page_number = 0  # which of its pages shows (1 = the first; 0 = not known)
        # The table shows what the platform has now (no upload since it was drawn).
        self._fresh = False
        # The cards read with the check that a page turn showed the target, for the
        # cards_on_page call that follows it (dropped by anything else done to the page).
        self._read_ahead: list[Card] | None = None

    # --- places -----------------------------------------------------------------------------
    def open(self, target: str, *, fresh: bool = False) -> None:
        """Show page 1 of a target (a tab, or a native sub-type) of the library.

        In place when possible (a tab or sub-type click); by loading the library anew (which
        shows Static Banner) and selecting the target when `fresh`, when page 1 of the open
        target is wanted again, or when the in-place switch failed.
        """
        if not fresh and self._fresh and self._on_library():
            shown = self.showing(target)
            if shown and self._page_number == 1:
                return
            if not shown and self._select(target) is None:
                return
        self._restore(target, 1)

    def open_tab(self, kind: str) -> None:
        """Select a target (a tab, or a native sub-type) on the library page already open."""
        if self._select(kind) is not None:
            self._restore(kind, 1)

    def _at_library_address(self) -> bool:
        """Whether the browser is at the library's address (its tabs may still not show)."""
        return urlsplit(self.page.url).path.rstrip("/") == sel.MEDIA_LIBRARY_PATH

    def _on_library(self) -> bool:
        """Whether the library shows: its address, with its tabs."""
        return self._at_library_address() and self._tab_link("static_banner").count() > 0

    def _tab_link(self, tab: str) -> Locator:
        return self.page.locator(_link_selector(tab)).first

    def _select(self, target: str) -> str | None:
        """Click the target's tab and sub-type where not selected yet; the problem, or None."""
        link = self._tab_link(_tab_of(target))
        if not link.count():
            return f"the page has no {_tab_of(target)} tab"
        if not reads.showing(self.page, _link_selector(_tab_of(target)), None):
            # A plain tab is read with the check that it opened; the Native tab may open on
            # either sub-type, which is looked at next.
            then = None if target in NATIVE_TARGETS else target
            problem = self._redraw(link.click, f"{_tab_of(target)} tab", showing=then)
            if problem:
                return problem
        if target in NATIVE_TARGETS:
            radio = self.page.locator(sel.NATIVE_SUBTYPE_INPUTS[target]).first
            if not radio.is_checked():
                label = self.page.locator(sel.NATIVE_SUBTYPE_LABELS[target]).first
                problem = self._redraw(label.click, f"{target} sub-type", showing=target)
                if problem:
                    return problem
        if self._read_ahead is None and not self.showing(target):
            return f"the {target} tab did not open"
        self._target, self._page_number, self._fresh = target, 1, True
        return None

    def _redraw(
        self,
        click: Callable[[], None],
        what: str,
        *,
        marked: bool = False,
        showing: str | None = None,
    ) -> str | None:
        """Click something that redraws the card table and wait until it has; the problem.

        `marked`: the table was marked just before (by the caller), with nothing done since.
        `showing`: the target the redrawn table must show; its cards are read with that check
        in one round trip and kept for the next `cards_on_page`.
        """
        self._read_ahead = None
        self.nav.failed.clear()
        if not marked:
            self.table.mark()
        click()
        problem = self.table.wait(REDRAW_TIMEOUT_S, self.nav.failed)
        if problem is None and showing is not None:
            self._read_ahead = self._read(showing)
            # The target's tab shows active only on the signed-in library: nothing else to ask.
            if self._read_ahead is None:
                problem = self._check_library() or f"the library does not show {showing}"
        elif problem is None:
            problem = self._check_library()
        if problem:
            log.info("%s: %s", what, problem)
        return problem

    def _check_library(self) -> str | None:
        """After a redraw: AuthRequiredError when signed out, else whether the library shows.

        An expired session shows the logged-out page (or the sign-in site); on the library's
        own address both questions are answered in one read.
        """
        on_path = self._at_library_address()
        signed_out, library = reads.session_and_library(self.page) if on_path else (True, False)
        if signed_out:
            require_session(self.page)
        return None if library else "the library page did not show"

    def _load(self) -> None:
        """Load the library anew: it shows its default tab (Static Banner), page 1."""
        self._fresh, self._target, self._read_ahead = False, None, None
        self.nav.navigate(
            lambda: self.page.goto(self.url, wait_until="domcontentloaded"), "media library"
        )
        self._page_number = 1

    def _restore(self, target: str, page_number: int) -> None:
        """Load the library anew and show that page of the target (after a failed redraw)."""

        def show(attempt: int) -> str | None:
            self._load()
            return self._select(target) or self._forward(page_number - 1)

        try:
            self.nav.retry(show, target)
        except TransientError:
            self._fresh = False
            raise

    def _forward(self, pages: int) -> str | None:
        """Click Next `pages` times; the problem, or None."""
        for _ in range(pages):
            if not self.has_next():
                return "the target has fewer pages than before"
            problem = self._redraw(self.page.locator(sel.NEXT_LINK).first.click, "next page")
            if problem:
                return problem
            self._page_number += 1
        return None

    def has_tab(self, kind: str) -> bool:
        """Whether the page has the target's tab (optional tabs may be absent; unknown: no)."""
        tab = _tab_of(kind)
        return tab in _TAB_LINKS and self._tab_link(tab).count() > 0

    def showing(self, kind: str) -> bool:
        """Whether the page shows that target now (its tab active, its sub-type checked)."""
        return reads.showing(self.page, _link_selector(_tab_of(kind)), _radio_of(kind))

    # --- cards and pages --------------------------------------------------------------------
    def cards_on_page(self) -> list[Card]:
        """Every card of the current page, newest first, read in one round trip.

        Raises TransientError when the page shows another target than the one selected.
        Right after a page turn, these are the cards read with the check that it showed the
        target (nothing has been done to the page since).
        """
        cards, self._read_ahead = self._read_ahead, None
        if cards is None and self._target is not None:
            cards = self._read(self._target)
        if cards is None:
            raise TransientError(f"trafficjunky: the library does not show {self._target}")
        return cards

    def _read(self, target: str) -> list[Card] | None:
        """The page's cards when it shows `target` (tab and sub-type), else None."""
        link = _link_selector(_tab_of(target))
        raw = reads.cards_if_showing(self.page, link, _radio_of(target))
        if raw is None:
            return None
        return [
            Card(str(c["id"]).strip(), c["name"], c["dims"], c["type"], c["status"])
            for c in raw
            if str(c["id"]).strip()
        ]

    def has_next(self) -> bool:
        return reads.has_next(self.page)

    def next_page(self) -> bool:
        """Go to the next page and wait for it; False (staying put) on the last page."""
        if not self.table.mark().has_next:  # one read marks the table and looks at Next
            return False
        assert self._target is not None, "open a target before paging"
        wanted = self._page_number + 1
        next_link = self.page.locator(sel.NEXT_LINK).first
        problem = self._redraw(next_link.click, "next page", marked=True, showing=self._target)
        if problem:
            self._restore(self._target, wanted)
        self._page_number = wanted
        return True

    # --- upload -----------------------------------------------------------------------------
    def open_upload(self) -> None:
        """Open the Dropzone area ("Upload New Creatives"), once per loaded page."""
        if self.page.evaluate(_UPLOAD_OPEN_JS):
            return
        self.page.locator(sel.UPLOAD_BUTTON).first.click()
        try:
            self.page.locator(sel.DROPZONE_FILE_INPUT).first.wait_for(state="attached")
        except PlaywrightTimeout:
            raise TransientError("trafficjunky: the upload area did not open") from None
        self.page.evaluate(_UPLOAD_OPENED_JS)

    def upload(self, files: Sequence[Path]) -> list[PreviewResult]:
        """Put the files on the hidden input; wait for each preview to succeed or fail, then
        for the platform to process them and show their cards on page 1 of the open tab.

        Each file has its own deadline (settings' upload timeout) from when it starts
        processing; a file past it comes back as `stuck`.
        """
        self.open_upload()
        self._read_ahead = None
        watcher = PreviewWatcher(self.page, self.upload_timeout_s)
        watcher.mark()
        self.table.mark()
        self._fresh = False
        self.page.locator(sel.DROPZONE_FILE_INPUT).first.set_input_files([str(f) for f in files])
        results = watcher.wait([f.name for f in files])
        if any(r.state is PreviewState.SUCCESS for r in results):
            self._fresh = self._wait_for_new_cards()
        return results

    def _wait_for_new_cards(self) -> bool:
        """Wait for processing to end and the table to redraw with the new cards; whether it did.

        Processing can take minutes for long videos: it gets the upload timeout; the redraw
        that follows is quick.
        """
        try:
            self.page.locator(sel.PROCESSING_MESSAGE).first.wait_for(
                state="hidden", timeout=self.upload_timeout_s * 1000
            )
        except PlaywrightTimeout:
            log.info("still processing after %g s", self.upload_timeout_s)
            return False
        self.nav.failed.clear()
        problem = self.table.wait(CARDS_SETTLE_S, self.nav.failed)
        if problem:
            log.info("new cards did not show in place: %s", problem)
            return False
        self._page_number = 1  # a redraw after an upload shows page 1
        # The new cards are read with the check that the tab still shows (only the signed-in
        # library shows it); the proof of each ID is made from them.
        if self._target is not None:
            self._read_ahead = self._read(self._target)
        if self._read_ahead is None:
            require_session(self.page)
        return self._read_ahead is not None


# The sign-in page object loads its page the same way.
_Navigator = Navigator

__all__ = ["Card", "MediaLibraryPage", "PreviewResult"]
