"""refresh-library over 50 pages (every tab), pages per second against the floor.

ours = `refresh_library` over a sandbox library of 600 creatives, ten pages in each of the five
tabs and sub-types: every read checked against the active tab, state-based waits, the cache
rebuilt. floor = the same tabs and pages shown with no checks at all: click the tab, sub-type or
Next, wait until the card table has been replaced, read its cards in one evaluate. Nothing can
page faster through the page's own controls, so ours / floor is what our checks and the cache
rebuild cost. Default sandbox; interleaved rounds; the figures are medians.

Usage: python scripts/bench/refresh_library.py [--rounds N]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchlib import interleaved, median_rates, report, round_ratios, rounds_from_argv, stopwatch
from playwright.sync_api import Page, sync_playwright

from automation.browser import launch_options
from automation.sandbox.server import SandboxServer
from automation.settings import Settings
from automation.uploaders.refresh import refresh_library
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.pages import NATIVE_TARGETS
from automation.uploaders.trafficjunky.uploader import TARGETS, TrafficJunkyUploader

CREATIVES = 600  # 120 a target: ten full pages in each of the five
PAGES = 50
_MARK_FIRST = "sel => { window.__benchOld = document.querySelector(sel); }"
_REPLACED = (
    "sel => { const c = document.querySelector(sel); return !!c && c !== window.__benchOld; }"
)
_READ = "cards => cards.map(c => [c.dataset.id, c.querySelector('label').textContent])"


def click_and_wait(page: Page, selector: str) -> None:
    """Click something that redraws the card table; wait until the first card is a new one."""
    page.evaluate(_MARK_FIRST, sel.CARD)
    page.click(selector)
    page.wait_for_function(_REPLACED, arg=sel.CARD)


def floor(settings: Settings, session: Path) -> tuple[float, int, int]:
    """Seconds, pages and cards read through the page's own controls, with no checks."""
    pages = cards = 0
    with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
        browser = p.chromium.launch(**launch_options(settings, p))
        page = browser.new_context(storage_state=str(session)).new_page()
        page.goto(settings.tj_app_url + sel.MEDIA_LIBRARY_PATH)  # shows Static Banner
        for target in TARGETS:
            if target == "native_rollover":
                click_and_wait(page, sel.NATIVE_SUBTYPE_LABELS[target])
            elif target in NATIVE_TARGETS:
                click_and_wait(page, sel.TAB_LINKS["native"])  # shows Native Static
            elif target != "static_banner":
                click_and_wait(page, sel.TAB_LINKS[target])
            while True:
                cards += len(page.locator(sel.CARD).evaluate_all(_READ))
                pages += 1
                item = page.locator(sel.NEXT_ITEM).first
                if sel.DISABLED_CLASS in (item.get_attribute("class") or "").split():
                    break
                click_and_wait(page, sel.NEXT_LINK)
        browser.close()
    return elapsed(), pages, cards


def main() -> None:
    rounds = rounds_from_argv(__doc__ or "")
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        server.state.seed_creatives(CREATIVES)
        # The floor does not close the product tour or the cookie banner as the tool's page
        # objects do; both sides get pages without them.
        server.state.set_switches(tour_overlay="off", cookie_banner=False)
        session = server.write_session(root)
        settings = Settings(
            workspace=root, tj_app_url=server.app_url, tj_signin_url=server.signin_url
        )

        def ours() -> float:
            with stopwatch() as elapsed:
                result = refresh_library(TrafficJunkyUploader(settings), "bench-refresh")
            read = sum(result.counts.values())
            assert (result.pages, read) == (PAGES, CREATIVES), (result.pages, read)
            return elapsed()

        def floor_run() -> float:
            seconds, pages, cards = floor(settings, session)
            assert (pages, cards) == (PAGES, CREATIVES), (pages, cards)
            return seconds

        seconds = interleaved(rounds, {"floor": floor_run, "ours": ours})
    mine, base = seconds["ours"], seconds["floor"]
    report(
        "refresh-library 50 pages (5 tabs): pages/s vs the floor (same pages, no checks)",
        median_rates(PAGES, mine),
        median_rates(PAGES, base),
        unit="pages/s",
        target=">= 0.8x",
        better="higher",
        note=f"cache rebuilt; median of {rounds}; {round_ratios(mine, base)}",
    )


if __name__ == "__main__":
    main()
