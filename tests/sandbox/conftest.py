"""Helpers for driving the sandbox's pages in the tests of this folder."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.fixtures.sandbox import Sandbox

TAB_LINKS = {
    "static_banner": "static_tab",
    "video_banner": "video_tab",
    "in_stream_video": "in_stream_video_tab",
    "native": "native_tab",
    "short_video": "short_video_tab",
}


@pytest.fixture
def signed_in(page: Page, sandbox: Sandbox) -> Page:
    """A page whose browser holds a live session of the demo account."""
    page.context.add_cookies([sandbox.session_cookie()])  # type: ignore[list-item]
    return page


def open_library(
    page: Page, sandbox: Sandbox, tab: str = "static_banner", native: str = ""
) -> None:
    """Open the media library on a tab by clicking, like a person (native: "0" or "1")."""
    page.goto(f"{sandbox.app_url}/media-library")
    page.locator(f"a#{TAB_LINKS[tab]}").click()
    page.wait_for_url(f"**/media-library?tab={tab}*")
    if native:
        radio = page.locator(f'input[name="native_type"][value="{native}"]')
        if not radio.is_checked():
            radio.check()
            page.wait_for_url(f"**native_type={native}*")


def card_ids(page: Page) -> list[int]:
    """IDs of the cards on the current page, in page order."""
    ids = page.locator("div.creativeContainer[data-id]").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"
    )
    return [int(i) for i in ids]
