"""`creative-flow site-check trafficjunky`: a read-only canary for TrafficJunky's pages.

With the saved session it walks the sign-in page (in a context without cookies), every media
library tab (page 2 where there is one, both native sub-types), the upload area (opened, never
given a file) and, with a campaign, its ad settings in "Mass create with CSV" mode (no CSV set).
On every page it probes the selectors that selectors.SEEN_ON says must show there, and saves a
sanitized snapshot. It never uploads or creates anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from playwright.sync_api import Browser, Page

from automation.browser import BrowserRun, browser_run
from automation.errors import AuthRequiredError, ConfigError
from automation.settings import Settings
from automation.uploaders.site_check import Probe, SiteCheckReport
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.page_settle import WATCH_SCRIPT
from automation.uploaders.trafficjunky.session import LOGIN_HINT
from automation.uploaders.trafficjunky.site_probes import (
    SelectorEntry,
    Visit,
    excuse_empty_tabs,
    not_tried,
    probe_visit,
    selector_entries,
)
from automation.uploaders.trafficjunky.site_snapshot import sanitize_html, save_snapshot, ui_texts
from automation.uploaders.trafficjunky.site_walker import SiteWalker
from tracking.workspace import Workspace

log = logging.getLogger(__name__)
PLATFORM = "trafficjunky"
SNAPSHOT_FOLDER = "snapshots"
# Why a page kind may go unvisited; shown as the detail of its "not tried" probes.
NOT_REACHED = {
    "ad_settings": "needs --campaign ID",
    "ad_settings_csv": "needs --campaign ID",
    "library_paged": "no tab has a second page",
    "library_native": "the Native tab did not open",
    "upload_area": "the upload area did not open",
}


class _Checker:
    """Probes and snapshots of one run, page by page."""

    def __init__(self, settings: Settings, run_id: str, campaign: str | None) -> None:
        self.entries: list[SelectorEntry] = selector_entries(sel)
        self.keep_texts = ui_texts(sel)
        self.private = _private_words(settings, campaign)
        # A folder of their own: only sanitized pages in it (a --trace zip holds raw pages).
        self.folder = Workspace(settings.workspace).artifacts_dir(run_id) / SNAPSHOT_FOLDER
        self.report = SiteCheckReport(PLATFORM)
        self.visits: list[Visit] = []

    def check(self, page: Page, visit: Visit) -> None:
        """Probe the page as it is now and save its sanitized snapshot."""
        log.info("site-check: %s", visit.where)
        self.visits.append(visit)
        self.report.probes.extend(probe_visit(page, visit, self.entries))
        clean = sanitize_html(page.content(), self.keep_texts, self.private)
        index = len(self.visits)
        self.report.artifacts.append(save_snapshot(self.folder, index, visit.where, clean))

    def finish(self) -> SiteCheckReport:
        """Add what was not tried, excuse empty tabs, and return the report."""
        visited = {kind for v in self.visits for kind in v.kinds}
        probes: list[Probe] = excuse_empty_tabs(self.report.probes, self.visits)
        self.report.probes = probes + not_tried(self.entries, visited, NOT_REACHED)
        return self.report


def _private_words(settings: Settings, campaign: str | None) -> list[str]:
    """The account's own words, removed from snapshots wherever they show."""
    words = [settings.tj_username, settings.tj_username.partition("@")[0]]
    return [w for w in (*words, campaign or "") if w]


def _walk_signin(browser: Browser, settings: Settings, checker: _Checker) -> None:
    """The public sign-in page, as someone signed out sees it (its own cookie-less context)."""
    context = browser.new_context(accept_downloads=False)
    try:
        context.set_default_timeout(settings.timeout_ms)
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        walker = SiteWalker(page, settings.tj_app_url, settings.timeout_ms)
        page.goto(settings.tj_signin_url, wait_until="domcontentloaded")
        walker.settle()
        checker.check(page, walker.visit("sign-in page", "signin"))
    finally:
        context.close()


def _app_visits(walker: SiteWalker, campaign: str | None) -> Iterator[Visit]:
    """The app's pages in the saved session: the library, then the campaign if one was given."""
    yield from walker.library_visits()
    if campaign:
        yield from walker.ad_settings_visits(campaign)


def site_check(settings: Settings, run_id: str, *, campaign: str | None = None) -> SiteCheckReport:
    """Walk TrafficJunky read-only and report every selector: found, missing, absent, not tried.

    No saved session: AuthRequiredError, as for an upload.
    """
    if campaign is not None and not campaign.strip().isdigit():
        raise ConfigError(f"site-check {PLATFORM}: --campaign {campaign!r} must be a campaign ID")
    campaign = campaign.strip() if campaign else None
    session = Workspace(settings.workspace).session_file(PLATFORM)
    if not session.exists():
        raise AuthRequiredError(f"{PLATFORM}: no saved session; {LOGIN_HINT}")
    checker = _Checker(settings, run_id, campaign)
    with browser_run(settings, PLATFORM, run_id) as run:
        _walk(run, settings, checker, campaign)
    return checker.finish()


def _walk(run: BrowserRun, settings: Settings, checker: _Checker, campaign: str | None) -> None:
    """Sign-in page first (no cookies), then the app's pages; each one probed and saved."""
    assert run.browser is not None and run.page is not None
    _walk_signin(run.browser, settings, checker)
    run.page.add_init_script(WATCH_SCRIPT)
    walker = SiteWalker(run.page, settings.tj_app_url, settings.timeout_ms)
    for visit in _app_visits(walker, campaign):
        checker.check(run.page, visit)
    checker.report.probes.extend(walker.problems)
