"""refresh-library pages per second, versus the old loop that clicked Next and slept 1 s a page.

ours = `refresh_library` (every tab to its last page, state-based waits, cache rebuilt) over a
sandbox library of 240 creatives; baseline = a reference loop in the same run that visits the
same tabs and pages, clicking Next and waiting a fixed second per page as the tools before did.
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


def ours(settings: Settings) -> tuple[float, int, int, int]:
    with stopwatch() as elapsed:
        result = refresh_library(TrafficJunkyUploader(settings), "bench-refresh")
    return elapsed(), result.pages, sum(result.counts.values()), len(result.counts)


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        server.state.seed_creatives(CREATIVES)
        session = server.write_session(root)
        settings = Settings(
            workspace=root, tj_app_url=server.app_url, tj_signin_url=server.signin_url
        )
        seconds, pages, creatives, shown = ours(settings)
        assert creatives == CREATIVES, f"refresh read {creatives} of {CREATIVES} creatives"
        tabs = [*TrafficJunkyUploader.targets, *TrafficJunkyUploader.optional_targets]
        ref_seconds, ref_pages = reference_loop(settings, session, tabs)
        assert ref_pages == pages, f"reference read {ref_pages} pages, ours {pages}"
        report(
            "refresh-library pages/s vs click+sleep 1 s",
            pages / seconds,
            ref_pages / ref_seconds,
            unit="pages/s",
            target="> 2x",
            better="higher",
            note=f"{pages} pages, {creatives} creatives over {shown} tabs",
        )


if __name__ == "__main__":
    main()
