"""Waiting for the library's card table to be redrawn, however the site redraws it.

Tabs, sub-types and pages reload the table in-page by XHR on the real site (no navigation to
wait for), or by a full page load. Either way the cards and the pager drawn before are replaced:
the watcher marks them before an action, and the table counts as redrawn once none of them is
left in the page (or a new document has loaded) and the table's loading indicator is gone.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.uploaders.trafficjunky import selectors as sel

# Marks what is drawn; tells how much, and whether the pager's Next (not a card) is enabled.
_MARK_JS = """(els, s) => {
  window.__cfStale = els;
  const next = els.find(e => !e.matches(s.card));
  return {marked: els.length, hasNext: next !== undefined && !next.classList.contains(s.off)};
}"""
_REDRAWN_JS = """(loading) => {
  if (document.readyState === "loading") return false;
  const stale = window.__cfStale;
  if (stale !== undefined && stale.some(e => e.isConnected)) return false;
  const busy = Array.from(document.querySelectorAll(loading)).some(
    e => e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
  return !busy;
}"""
# A wait is sliced so that a failed request is noticed before the whole deadline passes.
SLICE_S = 0.5


@dataclass(frozen=True)
class Drawn:
    """What `TableWatch.mark` found drawn: how many cards and pager items, and whether the pager
    offers a next page."""

    marked: int
    has_next: bool


class TableWatch:
    """Marks the table as drawn now; tells when a later draw has replaced it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def mark(self) -> Drawn:
        """Mark the cards and pager shown now; what was drawn.

        With nothing marked (an empty tab without a pager) only the loading indicator tells.
        Cards and pager are marked, and Next looked at, in one read (a refresh does this before
        every page).
        """
        drawn = self.page.locator(sel.CARD).or_(self.page.locator(sel.NEXT_ITEM))
        found = drawn.evaluate_all(_MARK_JS, {"card": sel.CARD, "off": sel.DISABLED_CLASS})
        return Drawn(int(found["marked"]), bool(found["hasNext"]))

    def wait(self, timeout_s: float, failed: list[str]) -> str | None:
        """Wait until redrawn; the problem (a failed request, a timeout), or None when done.

        `failed` is filled by the page's listeners with requests that failed meanwhile.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            if failed:
                return failed[0]
            left = deadline - time.monotonic()
            if left <= 0:
                return f"the library table did not redraw within {timeout_s:g} s"
            # A timed-out slice, or a context replaced by a page load: look again.
            with contextlib.suppress(PlaywrightError):
                self.page.wait_for_function(
                    _REDRAWN_JS, arg=sel.TABLE_LOADING, timeout=min(left, SLICE_S) * 1000
                )
                if not failed:
                    return None
