"""Helpers for driving the sandbox's pages in the tests of this folder."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox

TABLE = "#creativesTable"


@pytest.fixture
def signed_in(page: Page, sandbox: Sandbox) -> Page:
    """A page whose browser holds a live session of the demo account."""
    page.context.add_cookies([sandbox.session_cookie()])  # type: ignore[list-item]
    return page


def tab_link(page: Page, tab: str) -> object:
    """The link of a library tab ("static_banner", "in_stream_video", ...), whatever its form."""
    return page.locator(f'nav.tabs a[data-tab="{tab}"]')


def show_tab(page: Page, tab: str, native: str = "") -> None:
    """Click a tab (and a native sub-type, "0" or "1") like a person; wait for its cards."""
    link = page.locator(f'nav.tabs a[data-tab="{tab}"]')
    if "active" not in (link.get_attribute("class") or "").split():
        link.click()
    expect(page.locator(TABLE)).to_have_attribute("data-tab", tab)
    if native:
        radio = page.locator(f'input[name="native_type"][value="{native}"]')
        if not radio.is_checked():
            page.locator(f"label:has(> input[name='native_type'][value='{native}'])").click()
        expect(page.locator(TABLE)).to_have_attribute("data-native-type", native)
    expect(page.locator(".dataTables_processing")).to_be_hidden()


def open_library(
    page: Page, sandbox: Sandbox, tab: str = "static_banner", native: str = ""
) -> None:
    """Open the media library and then a tab by clicking, like a person (native: "0" or "1")."""
    page.goto(f"{sandbox.app_url}/media-library")
    show_tab(page, tab, native)


def card_ids(page: Page) -> list[int]:
    """IDs of the cards on the current page, in page order."""
    ids = page.locator("div.creativeContainer[data-id]").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"
    )
    return [int(i) for i in ids]
