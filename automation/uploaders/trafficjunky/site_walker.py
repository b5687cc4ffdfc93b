"""A read-only walk over TrafficJunky's pages for `site-check`: it clicks tabs, sub-type labels,
"Next" and the upload button, and never sets a file or submits anything.

The real site switches tabs, sub-types and pages in-page by XHR (a DataTable reloads); an older
form loads a new page instead. The walker works with both because it waits on state, never on a
navigation: the clicked tab link active (or radio checked, or other creative IDs shown), then the
page settled (no request of its own scripts in flight, nothing changed for a moment).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.errors import PlatformError
from automation.uploaders.site_check import Probe, ProbeStatus
from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.page_settle import (
    creative_ids,
    mark,
    settle,
    wait_for_other_creatives,
)
from automation.uploaders.trafficjunky.session import require_session
from automation.uploaders.trafficjunky.site_probes import Visit

log = logging.getLogger(__name__)

# The library shows 12 cards a page (seen): a full page may well have a second one.
CARDS_PER_PAGE = 12


@dataclass(frozen=True)
class Tab:
    """A tab link to visit: its probe name (`TAB_LINKS[native]`), key and selector."""

    name: str
    key: str
    selector: str

    @property
    def where(self) -> str:
        return f"library {self.key}"


class SiteWalker:
    """Reaches, read-only, every page state a site check looks at.

    A step that did not work (a tab that never showed as selected, "Next" that showed no other
    creatives) is a change of the site too: it lands in `problems` as a missing probe.
    """

    def __init__(self, page: Page, app_url: str, timeout_ms: float) -> None:
        self.page = page
        self.app_url = app_url.rstrip("/")
        self.timeout_ms = timeout_ms
        self.problems: list[Probe] = []
        overlays.guard(page)

    def _fail(self, name: str, where: str, detail: str) -> bool:
        """Note a step that did not work; always False (the step's answer)."""
        log.info("%s at %s: %s", name, where, detail)
        self.problems.append(Probe(name, where, ProbeStatus.MISSING, detail))
        return False

    # --- waiting on state ---------------------------------------------------------------
    def settle(self) -> None:
        """Wait until the page settled after the last action (see page_settle)."""
        settle(self.page, self.timeout_ms)

    def _wait_for(self, locator: Locator, what: str) -> bool:
        """Wait until the locator matches; False (logged) when it never does."""
        try:
            locator.first.wait_for(state="attached", timeout=self.timeout_ms)
        except PlaywrightTimeout:
            log.info("%s did not happen", what)
            return False
        self.settle()
        return True

    def _click(self, locator: Locator, what: str) -> bool:
        """Click the first visible match (after marking the moment); False when none can be."""
        mark(self.page)
        try:
            locator.locator("visible=true").first.click(timeout=self.timeout_ms)
        except PlaywrightTimeout:
            log.info("could not click %s", what)
            return False
        return True

    def creatives_shown(self) -> int:
        """How many distinct creative IDs the page shows."""
        return len(creative_ids(self.page))

    def visit(self, where: str, *kinds: str) -> Visit:
        """The current page state as a Visit (overlays closed first: they hide what is read)."""
        overlays.close_now(self.page)
        return Visit(where, frozenset(kinds), self.creatives_shown())

    # --- the media library ----------------------------------------------------------------
    def open_library(self) -> None:
        """Load the media library; AuthRequiredError when the session is gone."""
        self.page.goto(self.app_url + sel.MEDIA_LIBRARY_PATH, wait_until="domcontentloaded")
        require_session(self.page)
        # Ready when a tab link or the hidden file input is there (seen); when neither ever
        # shows, the probes say what is missing instead.
        ready = self.page.locator(self._any_tab()).or_(self.page.locator(sel.DROPZONE_FILE_INPUT))
        self._wait_for(ready, "media library ready")

    def tabs(self) -> list[Tab]:
        """The tabs to visit: every required one, and the optional ones this page has."""
        optional = [
            Tab(f"OPTIONAL_TAB_LINKS[{key}]", key, value)
            for key, value in sel.OPTIONAL_TAB_LINKS.items()
            if self.page.locator(value).count()
        ]
        return [Tab(f"TAB_LINKS[{k}]", k, v) for k, v in sel.TAB_LINKS.items()] + optional

    def _any_tab(self) -> str:
        return ", ".join(sel.TAB_LINKS.values())

    def _active(self, selector: str) -> Locator:
        """The tab link, only while it shows as the selected one (its class or its item's)."""
        cls = sel.ACTIVE_TAB_CLASS
        marker = f'.{cls}, [aria-selected="true"], li.{cls} > *'
        return self.page.locator(selector).and_(self.page.locator(marker))

    def open_tab(self, tab: Tab) -> bool:
        """Select a tab and wait until it shows as selected and its table settled."""
        link = self.page.locator(tab.selector)
        if not link.count():
            return False
        if self._active(tab.selector).count():
            self.settle()
            return True
        if not self._click(link, f"the {tab.key} tab"):
            return self._fail(tab.name, tab.where, "found, but none of it can be clicked")
        if not self._wait_for(self._active(tab.selector), f"{tab.key} tab selected"):
            return self._fail(
                "ACTIVE_TAB_CLASS",
                tab.where,
                f"clicked {tab.name}: it never showed as selected (class "
                f"{sel.ACTIVE_TAB_CLASS!r}, aria-selected, or its item's class)",
            )
        return True

    def choose_subtype(self, subtype: str, selector: str) -> bool:
        """Check a native sub-type radio through its label, and wait until the table settled."""
        name, where = f"NATIVE_SUBTYPE_INPUTS[{subtype}]", f"library {subtype}"
        radio = self.page.locator(selector)
        if not radio.count():
            return False
        checked = radio.and_(self.page.locator(":checked"))
        if checked.count():
            self.settle()
            return True
        # Clicked through its label, as a person does (the radio itself may be styled away).
        label = self.page.locator("label").filter(has=self.page.locator(selector))
        radio_id = radio.first.get_attribute("id")
        if radio_id:
            label = self.page.locator(f'label[for="{radio_id}"]').or_(label)
        if not self._click(label.or_(radio), "a native sub-type"):
            return self._fail(name, where, "found, but neither it nor its label can be clicked")
        if not self._wait_for(checked, "native sub-type checked"):
            return self._fail(name, where, "clicked its label: it never became checked")
        return True

    def has_next_page(self) -> bool:
        """Whether "Next" leads somewhere (not disabled on the link or its item)."""
        link = self.page.locator(sel.NEXT_LINK).first
        if not link.count():
            return False
        off = sel.DISABLED_CLASS
        if (
            link.get_attribute("aria-disabled") == "true"
            or off in (link.get_attribute("class") or "").split()
        ):
            return False
        item = self.page.locator(sel.NEXT_ITEM).first
        return not (item.count() and off in (item.get_attribute("class") or "").split())

    def next_page(self, where: str) -> bool:
        """Click "Next" and wait until other creatives show; False when there is no next page."""
        if not self.has_next_page():
            return False
        before = creative_ids(self.page)
        if not self._click(self.page.locator(sel.NEXT_LINK), '"Next"'):
            return self._fail("NEXT_LINK", where, "found, but it cannot be clicked")
        if not wait_for_other_creatives(self.page, before, self.timeout_ms):
            return self._fail("NEXT_LINK", where, "clicked: no other creatives showed")
        self.settle()
        return True

    def is_paged(self, visit: Visit) -> bool:
        """A tab with a second page: "Next" leads on, or a full page of cards shows."""
        return self.has_next_page() or visit.creatives >= CARDS_PER_PAGE

    def open_upload_area(self) -> bool:
        """Click "Upload New Creatives" and wait for its file input (never given a file).

        True once clicked: whether the file input came, the probes of the area tell.
        """
        button = self.page.locator(sel.UPLOAD_BUTTON)
        if not button.count():
            return False
        if not self._click(button, "the upload button"):
            return self._fail("UPLOAD_BUTTON", "upload area", "found, but it cannot be clicked")
        self._wait_for(self.page.locator(sel.DROPZONE_FILE_INPUT), "upload area open")
        return True

    def library_visits(self) -> Iterator[Visit]:
        """Every tab (page 1, and page 2 where there is one), both native sub-types, then the
        upload area; yields each while the page shows it."""
        self.open_library()
        for tab in self.tabs():
            if not self.open_tab(tab):
                continue
            if tab.key == "native":
                for subtype, selector in sel.NATIVE_SUBTYPE_INPUTS.items():
                    if self.choose_subtype(subtype, selector):
                        yield from self._pages(f"library {subtype}", "library_native")
            else:
                yield from self._pages(f"library {tab.key}")
        if self.open_upload_area():
            yield self.visit("upload area", "upload_area")

    def _pages(self, where: str, *kinds: str) -> Iterator[Visit]:
        """Page 1 of the open tab, and page 2 when it has one."""
        first = self.visit(where, "library", *kinds)
        paged = self.is_paged(first)
        yield replace(first, kinds=first.kinds | {"library_paged"}) if paged else first
        if paged and self.next_page(f"{where} page 2"):
            yield self.visit(f"{where} page 2", "library", "library_paged", *kinds)

    # --- a campaign's ad settings ------------------------------------------------------------
    def ad_settings_visits(self, campaign_id: str) -> Iterator[Visit]:
        """The campaign's ad settings, then with "Mass create with CSV" chosen (no CSV set)."""
        url = self.app_url + sel.AD_SETTINGS_PATH.format(campaign_id=campaign_id)
        response = self.page.goto(url, wait_until="domcontentloaded")
        require_session(self.page)
        if response is not None and response.status >= 400:
            raise PlatformError(
                f"trafficjunky: ad settings of campaign {campaign_id} answered HTTP "
                f"{response.status}; check the campaign ID"
            )
        ready = self.page.get_by_text(sel.MODE_CSV_LABEL).or_(self.page.locator(sel.ADS_TABLE))
        self._wait_for(ready, "ad settings ready")
        yield self.visit(f"ad settings {campaign_id}", "ad_settings")
        where = f"ad settings {campaign_id} (CSV mode)"
        if self.choose_mass_csv(where):
            yield self.visit(where, "ad_settings_csv")

    def choose_mass_csv(self, where: str) -> bool:
        """Pick "Mass create with CSV" and wait for its file input; no file is ever set.

        True once picked: whether the file input came, the probes of that mode tell.
        """
        radio = self.page.get_by_label(sel.MODE_CSV_LABEL)
        option = radio if radio.count() else self.page.get_by_text(sel.MODE_CSV_LABEL)
        if not option.count():
            return self._fail("MODE_CSV_LABEL", where, "no such option on the page")
        if not self._click(option, sel.MODE_CSV_LABEL):
            return self._fail("MODE_CSV_LABEL", where, "found, but it cannot be clicked")
        self._wait_for(self.page.locator(sel.MASS_CSV_INPUT), "CSV mode chosen")
        return True
