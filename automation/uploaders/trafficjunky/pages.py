"""TrafficJunky page objects: user-level verbs over the sign-in and media-library pages.

Only this module clicks; only selectors.py knows markup. No workflow here: the uploader decides
what to do with what these verbs return. Every wait is on page state (a navigation's response, a
class on a preview), never a fixed sleep; a server error or a timed-out navigation is retried a
few times and then raised as TransientError.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Request, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.base import TransientError
from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.previews import PreviewResult, PreviewWatcher
from automation.uploaders.trafficjunky.session import require_session
from tracking.library_cache import LibraryEntry

log = logging.getLogger(__name__)

NAV_ATTEMPTS = 4
NAV_BACKOFF_S = 0.5
# The page's native sub-type of each native target; other targets are page tabs themselves.
NATIVE_TARGETS = ("native_static", "native_rollover")
_CARDS_JS = """(cards, s) => cards.map(c => {
  const text = q => { const e = c.querySelector(q); return e ? e.textContent.trim() : ""; };
  const status = c.querySelector(s.status);
  return {id: c.getAttribute(s.idAttr), name: text(s.name), dims: text(s.dims),
          type: text(s.type),
          status: (status && status.getAttribute(s.statusAttr))
                  || c.getAttribute(s.statusAttr) || ""};
})"""


_ACTIVE_JS = (
    "(el, cls) => el.classList.contains(cls) || el.getAttribute('aria-selected') === 'true'"
)


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


class _Navigator:
    """Navigations that check their response and retry server errors and timeouts.

    A page whose own scripts failed to load looks fine but does nothing when clicked (no
    upload area, no sub-type switch), so a script that failed counts as a failed load.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.broken: list[str] = []
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_response(self, response: Response) -> None:
        if response.status >= 500 and response.request.resource_type == "script":
            self.broken.append(f"a script of the page answered {response.status}")

    def _on_request_failed(self, request: Request) -> None:
        if request.resource_type == "script":
            self.broken.append("a script of the page did not load")

    def navigate(
        self, action: Callable[[], Response | None], what: str, *, signed_in: bool = True
    ) -> None:
        """Run a navigating action; on a 5xx or a timeout reload until it loads (or give up)."""
        problem = ""
        for attempt in range(NAV_ATTEMPTS):
            self.broken.clear()
            try:
                response = (
                    action() if attempt == 0 else self.page.reload(wait_until="domcontentloaded")
                )
            except PlaywrightTimeout:
                response, problem = None, "navigation timed out"
            else:
                if response is not None and response.status >= 500:
                    problem = f"server answered {response.status}"
                elif self.broken:
                    problem = self.broken[0]
                else:
                    if signed_in:
                        require_session(self.page)
                    return
            log.info("%s: %s (attempt %d)", what, problem, attempt + 1)
            time.sleep(NAV_BACKOFF_S * 2**attempt)
        raise TransientError(f"trafficjunky: {what}: {problem} after {NAV_ATTEMPTS} attempts")

    def click(self, link: Locator, what: str) -> None:
        """Click a link that loads a new page, and wait for that page."""

        def action() -> Response | None:
            with self.page.expect_navigation(wait_until="domcontentloaded") as nav:
                link.click()
            return nav.value

        self.navigate(action, what)


class MediaLibraryPage:
    """The media library: tabs and native sub-types, cards, pagination and the upload area."""

    def __init__(self, page: Page, app_url: str, upload_timeout_s: float) -> None:
        self.page = overlays.guard(page)
        self.url = app_url.rstrip("/") + sel.MEDIA_LIBRARY_PATH
        self.upload_timeout_s = upload_timeout_s
        self.nav = _Navigator(page)
        # The target whose first page was loaded last and not touched since (no upload, no
        # paging): its cards are as current as a new navigation would show.
        self._fresh_first_page: str | None = None

    # --- places -----------------------------------------------------------------------------
    def open(self, target: str, *, reuse: bool = False) -> None:
        """Show the first page of a target (a tab, or a native sub-type) of the library.

        `reuse`: keep the page as it is when it already shows that first page, freshly loaded.
        """
        if reuse and self._fresh_first_page == target:
            return
        self._fresh_first_page = None
        if not self._on_library():
            self.nav.navigate(
                lambda: self.page.goto(self.url, wait_until="domcontentloaded"), "media library"
            )
        self.open_tab(target, first_page=True)
        self._fresh_first_page = target

    def _on_library(self) -> bool:
        on_path = urlsplit(self.page.url).path.rstrip("/") == sel.MEDIA_LIBRARY_PATH
        return on_path and self.page.locator(sel.TAB_LINKS["static_banner"]).count() > 0

    def open_tab(self, kind: str, *, first_page: bool = False) -> None:
        """Select a tab (static_banner, ..., native_static, native_rollover) on the open page.

        `first_page`: click the tab even when it is selected already, which shows its page 1.
        """
        tab = "native" if kind in NATIVE_TARGETS else kind
        link = self.page.locator(sel.TAB_LINKS.get(tab) or sel.OPTIONAL_TAB_LINKS[tab]).first
        if first_page or not self._is_active(link):
            self.nav.click(link, f"{tab} tab")
        if kind in NATIVE_TARGETS:
            radio = self.page.locator(sel.NATIVE_SUBTYPE_INPUTS[kind]).first
            if not radio.is_checked():
                self.nav.click(radio, f"{kind} sub-type")
        if not self.showing(kind):
            raise TransientError(f"trafficjunky: the {kind} tab did not open")

    def has_tab(self, kind: str) -> bool:
        tab = "native" if kind in NATIVE_TARGETS else kind
        selector = sel.TAB_LINKS.get(tab) or sel.OPTIONAL_TAB_LINKS.get(tab)
        return bool(selector) and self.page.locator(str(selector)).count() > 0

    def showing(self, kind: str) -> bool:
        """Whether the page shows that target now."""
        tab = "native" if kind in NATIVE_TARGETS else kind
        link = self.page.locator(sel.TAB_LINKS.get(tab) or sel.OPTIONAL_TAB_LINKS[tab]).first
        if not self._is_active(link):
            return False
        return (
            kind not in NATIVE_TARGETS
            or self.page.locator(sel.NATIVE_SUBTYPE_INPUTS[kind]).first.is_checked()
        )

    def _is_active(self, link: Locator) -> bool:
        return bool(
            link.evaluate(
                _ACTIVE_JS,
                sel.ACTIVE_TAB_CLASS,
            )
        )

    def reload(self, first_page_of: str | None = None) -> None:
        """Load the current page again (new cards show only after a reload).

        `first_page_of`: the page is that target's first page (remembered for `open(reuse=)`).
        """
        self._fresh_first_page = None
        self.nav.navigate(lambda: self.page.reload(wait_until="domcontentloaded"), "library reload")
        self._fresh_first_page = first_page_of

    # --- cards and pages --------------------------------------------------------------------
    def cards_on_page(self) -> list[Card]:
        """Every card of the current page, newest first, read in one round trip."""
        spec = {
            "name": sel.CARD_NAME,
            "dims": sel.CARD_DIMENSIONS,
            "type": sel.CARD_FILE_TYPE,
            "status": sel.CARD_REVIEW_STATUS,
            "statusAttr": sel.CARD_STATUS_ATTR,
            "idAttr": sel.CARD_ID_ATTR,
        }
        raw = self.page.locator(sel.CARD).evaluate_all(_CARDS_JS, spec)
        return [
            Card(str(c["id"]).strip(), c["name"], c["dims"], c["type"], c["status"])
            for c in raw
            if str(c["id"]).strip()
        ]

    def has_next(self) -> bool:
        item = self.page.locator(sel.NEXT_ITEM).first
        if not item.count():
            return False
        classes = (item.get_attribute("class") or "").split()
        return sel.DISABLED_CLASS not in classes

    def next_page(self) -> bool:
        """Go to the next page and wait for it; False (staying put) on the last page."""
        if not self.has_next():
            return False
        self._fresh_first_page = None
        self.nav.click(self.page.locator(sel.NEXT_LINK).first, "next library page")
        return True

    # --- upload -----------------------------------------------------------------------------
    def open_upload(self) -> None:
        """Open the Dropzone area (its hidden file input appears then)."""
        file_input = self.page.locator(sel.DROPZONE_FILE_INPUT)
        if file_input.count():
            return
        self.page.locator(sel.UPLOAD_BUTTON).first.click()
        try:
            file_input.first.wait_for(state="attached")
        except PlaywrightTimeout:
            raise TransientError("trafficjunky: the upload area did not open") from None

    def upload(self, files: Sequence[Path]) -> list[PreviewResult]:
        """Put the files on the hidden input and wait for each preview to succeed or fail.

        Each file has its own deadline (settings' upload timeout) from when it starts
        processing; a file past it comes back as `stuck`.
        """
        self._fresh_first_page = None
        self.open_upload()
        watcher = PreviewWatcher(self.page, self.upload_timeout_s)
        watcher.mark()
        self.page.locator(sel.DROPZONE_FILE_INPUT).first.set_input_files([str(f) for f in files])
        return watcher.wait([f.name for f in files])


__all__ = ["Card", "MediaLibraryPage", "PreviewResult"]
