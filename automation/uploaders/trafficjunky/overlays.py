"""Overlays that cover TrafficJunky's pages (tour guides, the cookie banner) are closed whenever
they appear, so that no click of the tool lands on them.

The real site shows Pendo tour guides and a cookie banner at unpredictable times; Playwright's
locator handlers run before any action that an overlay would block.
"""

from __future__ import annotations

import logging
import weakref

from playwright.sync_api import Locator, Page

from automation.uploaders.trafficjunky import selectors as sel

log = logging.getLogger(__name__)
_GUARDED: weakref.WeakSet[Page] = weakref.WeakSet()


def _close(button: Locator) -> None:
    try:
        button.first.click(timeout=2_000)
    except Exception as exc:  # it may have gone by itself; the next action tells
        log.debug("could not close an overlay: %s", exc)


def guard(page: Page) -> Page:
    """Close tour guides and the cookie banner on this page whenever they show (idempotent)."""
    if page in _GUARDED:
        return page
    closer = page.locator(sel.OVERLAY_CLOSE_BUTTONS).locator("visible=true")
    page.add_locator_handler(closer.first, lambda: _close(closer), no_wait_after=True)
    _GUARDED.add(page)
    return page


def close_now(page: Page) -> None:
    """Close any overlay showing right now (before reading the page, not only before clicks)."""
    closer = page.locator(sel.OVERLAY_CLOSE_BUTTONS).locator("visible=true")
    for _ in range(3):
        if not closer.count():
            return
        _close(closer)
