"""Overlays that cover TrafficJunky's pages (tour guides, the cookie banner) are closed whenever
they appear, so that no click of the tool lands on them.

The real site shows Pendo tour guides (over a backdrop that swallows clicks) and a cookie banner
at unpredictable times; Playwright's locator handlers run before any action, assertion or
locator wait that an overlay could spoil. Reads do not trigger them: call `close_now` first.
"""

from __future__ import annotations

import logging
import weakref

from playwright.sync_api import Page

from automation.uploaders.trafficjunky import selectors as sel

log = logging.getLogger(__name__)
_GUARDED: weakref.WeakSet[Page] = weakref.WeakSet()
CLOSE_TIMEOUT_MS = 2_000
# Topmost first: a guide's backdrop covers the cookie banner until the guide is closed.
_IN_ORDER = (sel.TOUR_CLOSE_BUTTONS, sel.COOKIE_ACCEPT_BUTTON)


def _close_one(page: Page) -> bool:
    """Close the topmost overlay showing; False when none shows."""
    for selector in _IN_ORDER:
        button = page.locator(selector).locator("visible=true")
        if not button.count():
            continue
        try:
            button.first.click(timeout=CLOSE_TIMEOUT_MS)
        except Exception as exc:  # it may have gone by itself; the next action tells
            log.debug("could not close an overlay: %s", exc)
        return True
    return False


def guard(page: Page) -> Page:
    """Close tour guides and the cookie banner on this page whenever they show (idempotent)."""
    if page in _GUARDED:
        return page
    closer = page.locator(sel.OVERLAY_CLOSE_BUTTONS).locator("visible=true")
    page.add_locator_handler(closer.first, lambda: close_now(page), no_wait_after=True)
    _GUARDED.add(page)
    return page


def close_now(page: Page) -> None:
    """Close every overlay showing right now (before reading the page, not only before clicks)."""
    for _ in range(4):
        if not _close_one(page):
            return
