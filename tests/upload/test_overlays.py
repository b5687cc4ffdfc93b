"""The tool closes tour guides and cookie banners that cover what it must click or read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky.pages import MediaLibraryPage
from tests.fixtures.sandbox import Sandbox
from tests.upload.workspace import TJWorkspace

pytestmark = pytest.mark.browser
GUIDE = "#pendo-base"


@pytest.fixture
def tool_page(browser: Browser, sandbox: Sandbox) -> Iterator[Page]:
    """A signed-in page with nothing but the tool's own overlay handling."""
    context = browser.new_context()
    context.add_cookies([sandbox.session_cookie()])  # type: ignore[list-item]
    yield context.new_page()
    context.close()


def _wait_for_guide(page: Page) -> None:
    """Wait until the guide shows, without a locator wait (the tool's handlers would run first
    and close it)."""
    page.wait_for_function(
        "s => { const g = document.querySelector(s); return !!g && !g.hidden; }", arg=GUIDE
    )
    assert page.locator(".modal-backdrop").count() == 1


def test_a_guide_over_the_tabs_is_closed_before_the_tool_clicks_one(
    tool_page: Page, sandbox: Sandbox
) -> None:
    sandbox.switches(tour_overlay="always")
    sandbox.seed(2, tabs=["video_banner"])
    library = MediaLibraryPage(tool_page, sandbox.app_url, 30)
    library.open("static_banner")
    # The guide of that load may already be closed by the tool's own waits in open() on a busy
    # machine; a plain reload (no locator action, so no handler runs) brings a fresh one.
    tool_page.reload()
    _wait_for_guide(tool_page)  # the backdrop now covers every tab
    library.open_tab("video_banner")
    assert library.showing("video_banner")
    assert len(library.cards_on_page()) == 2
    expect(tool_page.get_by_role("button", name="Accept All")).to_have_count(0)


def test_close_now_clears_a_guide_before_a_read(tool_page: Page, sandbox: Sandbox) -> None:
    sandbox.switches(tour_overlay="always")
    tool_page.goto(f"{sandbox.app_url}/campaigns")
    _wait_for_guide(tool_page)
    overlays.close_now(tool_page)
    expect(tool_page.locator(GUIDE)).to_have_count(0)
    expect(tool_page.locator(".modal-backdrop")).to_have_count(0)


def test_an_upload_with_a_guide_on_every_page_records_the_real_ids(cli, tj: TJWorkspace) -> None:
    tj.sandbox.switches(tour_overlay="always")
    tj.banners(3)
    tj.pairs(1)

    result = cli("--workspace", tj.root, "upload", "--live")

    assert result.exit_code == 0, result.output
    assert tj.recorded_ids() == tj.expected_ids()
    assert all(tj.recorded_ids().values())
