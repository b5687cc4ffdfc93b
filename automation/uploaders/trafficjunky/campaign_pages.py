"""Page object of a campaign's ad settings: the ads table and "Mass create with CSV".

Nothing on this page navigates after it loads: the table, the CSV check, the preview and the
creation all happen by XHR, so every step waits on what the page shows (the step heading, the
table's info line, the issues banner or the enabled preview button, the modal) or, for the
creation, on the end of its request.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.errors import PlatformError
from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.session import require_session

log = logging.getLogger(__name__)
_TOTAL = re.compile(sel.ADS_TABLE_TOTAL_PATTERN)
_CREATIVE_ID = re.compile(sel.CREATIVE_ID_PATTERN)
# The banner's heading sentence, with the "Review the following ..." that follows it.
_HEADING = re.compile(
    re.escape(sel.VALIDATION_BANNER_TEXT) + r"\.?(\s*Review the following[^.\n]*?the CSV\.?)?",
    re.IGNORECASE,
)
_PREFERRED_LENGTHS = ("100", "All")
_SELECT2_ATTEMPTS = 3
_SELECT2_STEP_MS = 10_000


@dataclass(frozen=True)
class CsvIssue:
    """One issue of the validation banner; `creative_id` when it names a refused creative.

    A sentence naming several creatives gives one CsvIssue per creative, with the same message.
    """

    message: str
    creative_id: str | None = None


def issues_from_banner(text: str) -> list[CsvIssue]:
    """The issues in the validation banner's text: every creative ID of every sentence.

    The IDs are only in the text (several in one sentence; no attribute carries them). A line
    without an ID just before a line with IDs is read as its lead-in ("You can only use
    creatives that match ..."), so the reason stays with the IDs however the page breaks lines.
    """
    lines = [" ".join(line.split()) for line in _HEADING.sub("\n", text).splitlines()]
    issues: list[CsvIssue] = []
    lead_in = ""
    for line in filter(None, lines):
        ids = _CREATIVE_ID.findall(line)
        if not ids:
            if lead_in:
                issues.append(CsvIssue(lead_in))
            lead_in = line
            continue
        message = f"{lead_in} {line}".strip()
        issues.extend(CsvIssue(message, creative_id) for creative_id in dict.fromkeys(ids))
        lead_in = ""
    if lead_in:
        issues.append(CsvIssue(lead_in))
    return issues


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
        ready = self.page.locator(sel.AD_SETTINGS_READY).locator("visible=true").first
        ready.wait_for(state="visible", timeout=self.timeout_ms)

    def _info(self) -> Locator:
        return self.page.locator(sel.ADS_TABLE_INFO)

    def show_rows(self, rows: int = 100) -> None:
        """Show `rows` ads a page (else "All"), through the Select2 widget or the plain select."""
        select = self.page.locator(sel.ADS_TABLE_LENGTH).first
        select.wait_for(state="attached", timeout=self.timeout_ms)
        widget = self.page.locator(sel.ADS_TABLE_LENGTH_SELECT2).locator("visible=true")
        if not widget.count():
            select.select_option(str(rows))
            return
        wanted = (str(rows), *(n for n in _PREFERRED_LENGTHS if n != str(rows)))
        pattern = re.compile(r"^\s*(" + "|".join(map(re.escape, wanted)) + r")\s*$")
        options = self.page.locator(sel.ADS_TABLE_LENGTH_OPTION).filter(has_text=pattern)
        option = options.locator("visible=true").first
        # A tour guide closed while the list is open closes the list too (a click outside
        # a Select2 closes it): open it again and pick once more.
        for _ in range(_SELECT2_ATTEMPTS):
            overlays.close_now(self.page)
            try:
                widget.first.click()
                option.wait_for(state="visible", timeout=_SELECT2_STEP_MS)
                option.click(timeout=_SELECT2_STEP_MS)
                expect(widget.first).to_have_text(pattern, timeout=_SELECT2_STEP_MS)
            except (PlaywrightTimeout, AssertionError) as exc:
                log.info("page length: %s; trying again", str(exc).splitlines()[0])
                continue
            return
        raise self._unexpected(f"the page length did not change to {wanted[0]}")

    def count_ads(self) -> int:
        """Every ad of the campaign, from the table's "of N entries" (all pages)."""
        overlays.close_now(self.page)
        info = self._info()
        try:
            expect(info).to_have_text(_TOTAL, timeout=self.timeout_ms)
        except AssertionError:
            raise self._unexpected("the ads table shows no 'of N entries' line") from None
        match = _TOTAL.search(info.inner_text())
        assert match is not None  # the expect above waited for it
        return int(match.group(1).replace(",", ""))

    def ad_names(self) -> list[str]:
        """The name of every ad of the campaign, page after page of the table.

        Raises PlatformError unless the names read add up to the table's total: a list that
        may miss an ad can never prove that ad absent.
        """
        total = self.count_ads()
        headers = [
            " ".join(t.split()) for t in self.page.locator(sel.ADS_TABLE_HEADERS).all_inner_texts()
        ]
        if sel.AD_NAME_HEADER not in headers:
            raise self._unexpected(f"the ads table has no {sel.AD_NAME_HEADER!r} column")
        column = headers.index(sel.AD_NAME_HEADER)
        names: list[str] = []
        while True:
            names += self._names_on_page(column)
            following = self.page.locator(sel.ADS_TABLE_NEXT).first
            if len(names) >= total or not following.count() or _is_disabled(following):
                break
            shown = self._info().inner_text()
            following.click()
            expect(self._info()).not_to_have_text(shown, timeout=self.timeout_ms)
        if len(names) != total:
            raise self._unexpected(f"read {len(names)} ad names of the {total} the table counts")
        return names

    def _names_on_page(self, column: int) -> list[str]:
        """The ad names of the table's rows as shown (the empty table's placeholder has none)."""
        texts: list[str] = self.page.locator(sel.ADS_TABLE_ROWS).evaluate_all(
            "(rows, column) => rows.filter(r => r.cells.length > column)"
            ".map(r => r.cells[column].innerText)",
            column,
        )
        return [" ".join(t.split()) for t in texts]

    def choose_mass_csv(self) -> None:
        """Pick the "Mass create with CSV" mode (its file input then shows)."""
        self.page.get_by_text(sel.MODE_CSV_LABEL).locator("visible=true").first.click()
        csv_input = self.page.locator(sel.MASS_CSV_INPUT)
        csv_input.wait_for(state="visible", timeout=self.timeout_ms)

    def _preview_button(self, *, enabled: bool | None = None) -> Locator:
        if enabled is None:
            return self.page.get_by_role("button", name=sel.CSV_PREVIEW_BUTTON_TEXT)
        return self.page.get_by_role(
            "button", name=sel.CSV_PREVIEW_BUTTON_TEXT, disabled=not enabled
        )

    def _banner_heading(self) -> Locator:
        return self.page.get_by_text(sel.VALIDATION_BANNER_TEXT).locator("visible=true")

    def set_csv(self, path: Path) -> list[CsvIssue]:
        """Give the page a CSV and wait for its check: [] when accepted, else every issue."""
        self.give_csv(path)
        return self.csv_check()

    def give_csv(self, path: Path) -> None:
        """Give the page a CSV without waiting: the platform checks it meanwhile."""
        self.page.locator(sel.MASS_CSV_INPUT).set_input_files(str(path))

    def csv_check(self) -> list[CsvIssue]:
        """Wait for the check of the CSV given last: [] when accepted, else every issue."""
        settled = self._banner_heading().or_(self._preview_button(enabled=True))
        settled.first.wait_for(state="visible", timeout=self.timeout_ms)
        return self.validation_issues()

    def validation_issues(self) -> list[CsvIssue]:
        """The validation banner's issues (none when it is hidden)."""
        heading = self._banner_heading()
        if not heading.count():
            return []
        text = heading.first.inner_text()
        if not _HEADING.sub("", text).strip():  # the heading alone: the issues are beside it
            text = heading.first.locator("xpath=..").inner_text()
        issues = issues_from_banner(text)
        log.info("the page refused the CSV: %s", "; ".join(i.message for i in issues))
        return issues

    def open_preview(self) -> int | None:
        """Press "Create CSV Preview" and wait for it; the ads the modal lists (None: no modal)."""
        self._preview_button(enabled=True).click()
        modal = self.page.locator(sel.CSV_PREVIEW_MODAL_OPEN)
        confirm = self.page.locator(sel.CSV_CONFIRM_BUTTON).locator("visible=true")
        modal.or_(confirm).first.wait_for(state="visible", timeout=self.timeout_ms)
        if not modal.count():
            return None
        return self.page.locator(sel.CSV_PREVIEW_ROWS).count()

    def confirm(self) -> int:
        """Confirm the preview and wait for the creating request to end; its HTTP status.

        The ads are created by an XHR of the app (no navigation): the wait is on that request's
        answer, whatever the page shows meanwhile. The modal, when there is one, hides.
        """
        button = self.page.locator(sel.CSV_CONFIRM_BUTTON).locator("visible=true").first
        with self.page.expect_response(self._is_app_post, timeout=self.timeout_ms) as answer:
            button.click()
        response = answer.value
        response.finished()
        modal = self.page.locator(sel.CSV_PREVIEW_MODAL_OPEN).first
        modal.wait_for(state="hidden", timeout=self.timeout_ms)
        log.info("creating ads answered HTTP %s", response.status)
        return response.status

    def _unexpected(self, what: str) -> PlatformError:
        return PlatformError(f"trafficjunky: ad settings of campaign {self.campaign_id}: {what}")

    def _is_app_post(self, response: Response) -> bool:
        """A POST by the app's own scripts (tour guides and trackers post to other hosts)."""
        request = response.request
        return (
            request.method == "POST"
            and request.resource_type in ("xhr", "fetch")
            and response.url.startswith(self.app_url)
        )


def _is_disabled(link: Locator) -> bool:
    """A DataTables paging link that leads nowhere (class, attribute or ARIA say so)."""
    state: bool = link.evaluate(
        "e => e.classList.contains('disabled') || e.hasAttribute('disabled')"
        " || e.getAttribute('aria-disabled') === 'true'"
        " || (e.parentElement && e.parentElement.classList.contains('disabled'))"
    )
    return state
