"""refresh-library pages per second, against the floor and against the old click+sleep loop.

ours = `refresh_library` (every tab to its last page, state-based waits, cache rebuilt) over a
sandbox library of 240 creatives. Two baselines, measured in the same run:
- the floor: the same tabs and pages loaded with no checks at all (click, wait until the first
  card changes, read nothing). Nothing can page faster, so ours / floor is what our checks and
  the cache rebuild cost; this is the headline.
- the old loop: clicking Next and waiting a fixed second per page as the tools before did
  (bound to lose; kept as context).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchlib import report, stopwatch
from playwright.sync_api import sync_playwright

from automation.browser import launch_options
from automation.sandbox.server import SandboxServer
from automation.settings import Settings
from automation.uploaders.refresh import refresh_library
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.uploader import TrafficJunkyUploader

CREATIVES = 240
FIXED_WAIT_S = 1.0


def ours(settings: Settings) -> tuple[float, int, int, list[str]]:
    """Seconds, pages, creatives, and the tabs read (an optional tab the site lacks is not)."""
    with stopwatch() as elapsed:
        result = refresh_library(TrafficJunkyUploader(settings), "bench-refresh")
    return elapsed(), result.pages, sum(result.counts.values()), list(result.counts)


def reference_loop(settings: Settings, session: Path, tabs: list[str]) -> tuple[float, int]:
    """Click each tab, then Next until it is disabled, sleeping a fixed second after each click."""
    pages = 0
    with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
        browser = p.chromium.launch(**launch_options(settings, p))
        page = browser.new_context(storage_state=str(session)).new_page()
        page.goto(settings.tj_app_url + sel.MEDIA_LIBRARY_PATH)
        for tab in tabs:
            link = sel.TAB_LINKS.get(tab) or sel.OPTIONAL_TAB_LINKS.get(tab, "")
            if tab not in sel.NATIVE_SUBTYPE_INPUTS and not page.locator(link).count():
                continue  # an optional tab this library does not show
            if tab in sel.NATIVE_SUBTYPE_INPUTS:
                page.click(sel.TAB_LINKS["native"])
                time.sleep(FIXED_WAIT_S)
                page.click(sel.NATIVE_SUBTYPE_INPUTS[tab])
            else:
                page.click(link)
            while True:
                time.sleep(FIXED_WAIT_S)
                page.locator(sel.CARD).evaluate_all("cards => cards.map(c => c.dataset.id)")
                pages += 1
                item = page.locator(sel.NEXT_ITEM).first
                if sel.DISABLED_CLASS in (item.get_attribute("class") or "").split():
                    break
                page.click(sel.NEXT_LINK)
        browser.close()
    return elapsed(), pages


_FIRST_CARD_ID = (
    "sel => { const c = document.querySelector(sel); return c ? c.dataset.id || '' : ''; }"
)
_FIRST_CARD_CHANGED = (
    "([sel, before]) => { const c = document.querySelector(sel); "
    "return (c ? c.dataset.id || '' : '') !== before; }"
)


def floor_loop(settings: Settings, session: Path, tabs: list[str]) -> tuple[float, int]:
    """The same tabs and pages with no checks: click, wait until the first card changes."""
    pages = 0
    with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
        browser = p.chromium.launch(**launch_options(settings, p))
        page = browser.new_context(storage_state=str(session)).new_page()
        page.goto(settings.tj_app_url + sel.MEDIA_LIBRARY_PATH)

        def click_and_wait(selector: str) -> None:
            before = page.evaluate(_FIRST_CARD_ID, sel.CARD)
            page.click(selector)
            page.wait_for_function(_FIRST_CARD_CHANGED, arg=[sel.CARD, before])

        for tab in tabs:
            if tab in sel.NATIVE_SUBTYPE_INPUTS:
                page.click(sel.TAB_LINKS["native"])
                click_and_wait(sel.NATIVE_SUBTYPE_INPUTS[tab])
            else:
                link = sel.TAB_LINKS.get(tab) or sel.OPTIONAL_TAB_LINKS[tab]
                if tab == tabs[0]:
                    page.click(link)
                    page.locator(sel.CARD).first.wait_for()
                else:
                    click_and_wait(link)
            while True:
                pages += 1
                item = page.locator(sel.NEXT_ITEM).first
                if sel.DISABLED_CLASS in (item.get_attribute("class") or "").split():
                    break
                click_and_wait(sel.NEXT_LINK)
        browser.close()
    return elapsed(), pages


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        server.state.seed_creatives(CREATIVES)
        # The raw loops below do not close the product tour or the cookie banner as the tool's
        # page objects do; both sides get pages without them.
        server.state.set_switches(tour_overlay="off", cookie_banner=False)
        session = server.write_session(root)
        settings = Settings(
            workspace=root, tj_app_url=server.app_url, tj_signin_url=server.signin_url
        )
        seconds, pages, creatives, read = ours(settings)
        assert creatives == CREATIVES, f"refresh read {creatives} of {CREATIVES} creatives"
        every = [*TrafficJunkyUploader.targets, *TrafficJunkyUploader.optional_targets]
        tabs = [t for t in every if t in read]
        floor_seconds, floor_pages = floor_loop(settings, session, tabs)
        assert floor_pages == pages, f"floor read {floor_pages} pages, ours {pages}"
        report(
            "refresh-library pages/s vs the floor (same pages, no checks)",
            pages / seconds,
            floor_pages / floor_seconds,
            unit="pages/s",
            target=">= 0.5x",
            better="higher",
            note=f"{pages} pages; what our checks and the cache rebuild cost",
        )
        ref_seconds, ref_pages = reference_loop(settings, session, tabs)
        assert ref_pages == pages, f"reference read {ref_pages} pages, ours {pages}"
        report(
            "refresh-library pages/s vs click+sleep 1 s",
            pages / seconds,
            ref_pages / ref_seconds,
            unit="pages/s",
            target="> 2x",
            better="higher",
            note=f"{pages} pages, {creatives} creatives over {len(read)} tabs",
        )


if __name__ == "__main__":
    main()
