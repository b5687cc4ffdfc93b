"""Page object of a campaign's ad settings: the ads table and "Mass create with CSV"."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from automation.errors import PlatformError
from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.session import require_session

log = logging.getLogger(__name__)
_TOTAL = re.compile(sel.ADS_TABLE_TOTAL_PATTERN)
# An issue line without the ID attribute still names the creative: a 6+ digit number.
_ID_IN_TEXT = re.compile(r"\b(\d{6,})\b")


@dataclass(frozen=True)
class CsvIssue:
    """One line of the validation banner; `creative_id` when a creative is what is wrong."""

    message: str
    creative_id: str | None = None


class AdSettingsPage:
    """`/campaign/{id}/ad-settings`, with the verbs a person uses there."""

    def __init__(self, page: Page, app_url: str, timeout_ms: float = 30_000) -> None:
        self.page = overlays.guard(page)
        self.app_url = app_url.rstrip("/")
        self.timeout_ms = timeout_ms
        self.campaign_id = ""

    def open(self, campaign_id: str) -> None:
        """Go to the campaign's ad settings; a logged-out page raises AuthRequiredError."""
        self.campaign_id = campaign_id
        url = self.app_url + sel.AD_SETTINGS_PATH.format(campaign_id=campaign_id)
        response = self.page.goto(url, wait_until="domcontentloaded")
        require_session(self.page)
        if response is not None and response.status == 404:
            raise PlatformError(f"trafficjunky: campaign {campaign_id} was not found (HTTP 404)")
        if response is not None and response.status >= 400:
            raise PlatformError(
                f"trafficjunky: ad settings of campaign {campaign_id} answered HTTP "
                f"{response.status}"
            )
        self._info().wait_for(state="visible")

    def _info(self) -> Locator:
        return self.page.locator(sel.ADS_TABLE_INFO)

    def show_rows(self, rows: int = 100) -> None:
        """Set the ads table's page length (10/25/50/100)."""
        self.page.locator(sel.ADS_TABLE_LENGTH).first.select_option(str(rows))

    def count_ads(self) -> int:
        """Every ad of the campaign, from the table's "of N entries" (all pages)."""
        info = self._info()
        expect(info).to_have_text(_TOTAL, timeout=self.timeout_ms)
        match = _TOTAL.search(info.inner_text())
        assert match is not None  # the expect above waited for it
        return int(match.group(1).replace(",", ""))

    def choose_mass_csv(self) -> None:
        """Pick the "Mass create with CSV" mode (its file input then shows)."""
        self.page.get_by_label(sel.MODE_CSV_LABEL).check()
        expect(self.page.locator(sel.MASS_CSV_INPUT)).to_be_visible(timeout=self.timeout_ms)

    def _preview_button(self, *, enabled: bool | None = None) -> Locator:
        if enabled is None:
            return self.page.get_by_role("button", name=sel.CSV_PREVIEW_BUTTON_TEXT)
        return self.page.get_by_role(
            "button", name=sel.CSV_PREVIEW_BUTTON_TEXT, disabled=not enabled
        )

    def set_csv(self, path: Path) -> list[CsvIssue]:
        """Give the page a CSV and wait for its check: [] when accepted, else every issue."""
        self.page.set_input_files(sel.MASS_CSV_INPUT, str(path))
        # The hidden banner is in the page from the start: wait for a visible one.
        banner = self.page.locator(sel.VALIDATION_BANNER).locator("visible=true")
        settled = banner.or_(self._preview_button(enabled=True))
        settled.first.wait_for(state="visible")
        return self.validation_issues()

    def validation_issues(self) -> list[CsvIssue]:
        """The validation banner's lines (none when it is hidden)."""
        if not self.page.locator(sel.VALIDATION_BANNER).is_visible():
            return []
        issues = []
        for item in self.page.locator(sel.VALIDATION_ISSUE_ITEMS).all():
            text = " ".join(item.inner_text().split())
            found = item.get_attribute(sel.VALIDATION_ISSUE_ID_ATTR)
            if not found:
                match = _ID_IN_TEXT.search(text)
                found = match.group(1) if match else None
            issues.append(CsvIssue(text, found))
        return issues

    def open_preview(self) -> int:
        """Open "Create CSV Preview"; returns the number of ads it lists."""
        self._preview_button(enabled=True).click()
        modal = self.page.locator(sel.CSV_PREVIEW_MODAL)
        expect(modal).to_be_visible(timeout=self.timeout_ms)
        return self.page.locator(sel.CSV_PREVIEW_ROWS).count()

    def confirm(self) -> None:
        """Press the preview's confirm button and wait for the page that follows."""
        modal = self.page.locator(sel.CSV_PREVIEW_MODAL)
        button = modal.get_by_role("button", name=sel.CSV_CONFIRM_BUTTON_TEXT, exact=True)
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            button.click()
        require_session(self.page)
