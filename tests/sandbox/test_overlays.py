"""Tour guides and cookie banners over the app's pages, as the `tour_overlay` and `cookie_banner`
switches say."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.sandbox import Sandbox

pytestmark = pytest.mark.browser
GUIDE = "#pendo-base"
CLOSE = "button.pendo-close-guide, div._pendo-close-guide_"


@pytest.fixture
def bare_page(browser: Browser, sandbox: Sandbox) -> Iterator[Page]:
    """A signed-in page nobody closes overlays on: these tests are about them."""
    context = browser.new_context()
    context.add_cookies([sandbox.session_cookie()])  # type: ignore[list-item]
    yield context.new_page()
    context.close()


def _guides_over(sandbox: Sandbox, loads: int) -> list[bool]:
    cookie = sandbox.session_cookie()
    with httpx.Client(base_url=sandbox.app_url, trust_env=False) as client:
        client.cookies.set(cookie["name"], cookie["value"])
        return ['id="pendo-base"' in client.get("/media-library").text for _ in range(loads)]


def test_sometimes_is_every_third_page_load_and_repeatable(sandbox: Sandbox) -> None:
    assert _guides_over(sandbox, 7) == [False, True, False, False, True, False, False]
    sandbox.control("reset", {})
    assert _guides_over(sandbox, 7) == [False, True, False, False, True, False, False]


@pytest.mark.parametrize(("mode", "shown"), [("off", 0), ("always", 4)])
def test_off_and_always(sandbox: Sandbox, mode: str, shown: int) -> None:
    sandbox.switches(tour_overlay=mode)
    assert sum(_guides_over(sandbox, 4)) == shown


def test_no_guide_on_signed_out_pages_or_the_sign_in_site(sandbox: Sandbox) -> None:
    sandbox.switches(tour_overlay="always")
    with httpx.Client(trust_env=False) as client:
        assert "pendo-base" not in client.get(f"{sandbox.app_url}/media-library").text
        assert "pendo-base" not in client.get(sandbox.signin_url).text


def test_the_guides_backdrop_swallows_clicks_until_the_guide_is_closed(
    bare_page: Page, sandbox: Sandbox
) -> None:
    sandbox.switches(tour_overlay="always", cookie_banner=False)
    bare_page.goto(f"{sandbox.app_url}/media-library")
    expect(bare_page.locator(GUIDE)).to_be_visible()  # a moment after the page loaded
    expect(bare_page.locator(".modal-backdrop")).to_be_visible()
    bare_page.locator("button#newImage").click(force=True)  # lands on the backdrop
    expect(bare_page.locator("#uploadArea")).to_be_hidden()
    bare_page.locator(CLOSE).first.click()
    expect(bare_page.locator(GUIDE)).to_have_count(0)
    expect(bare_page.locator(".modal-backdrop")).to_have_count(0)
    bare_page.locator("button#newImage").click()
    expect(bare_page.locator("#uploadArea")).to_be_visible()


def test_the_close_control_takes_both_seen_forms(bare_page: Page, sandbox: Sandbox) -> None:
    sandbox.switches(tour_overlay="always")
    seen = set()
    for _ in range(2):
        bare_page.goto(f"{sandbox.app_url}/campaigns")
        expect(bare_page.locator(CLOSE)).to_be_visible()
        seen.add(bare_page.locator(CLOSE).evaluate("e => e.tagName"))
    assert seen == {"BUTTON", "DIV"}


def test_each_site_keeps_its_own_cookie_consent(bare_page: Page, sandbox: Sandbox) -> None:
    sandbox.switches(tour_overlay="off")
    accept = bare_page.get_by_role("button", name="Accept All")
    bare_page.goto(f"{sandbox.app_url}/media-library")
    accept.click()
    expect(accept).to_have_count(0)
    bare_page.reload()
    expect(bare_page.locator("button#newImage")).to_be_visible()
    expect(accept).to_have_count(0)  # accepted on the app site: gone there for good
    bare_page.goto(sandbox.signin_url)
    expect(accept).to_be_visible()  # the sign-in site asks again
    sandbox.switches(cookie_banner=False)
    bare_page.goto(sandbox.signin_url)
    expect(bare_page.locator("#submitBtn")).to_be_visible()
    expect(accept).to_have_count(0)
