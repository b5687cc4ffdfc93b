"""Sign-in with and without the captcha, wrong credentials, and sessions that end."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox

pytestmark = pytest.mark.browser


def _fill_credentials(page: Page, sandbox: Sandbox, password: str | None = None) -> None:
    page.locator('input[placeholder*="USERNAME"]').fill(sandbox.username)
    page.locator('input[type="password"]').fill(password or sandbox.password)


def test_sign_in_needs_the_captcha_ticked_then_opens_the_app(page: Page, sandbox: Sandbox) -> None:
    page.goto(sandbox.signin_url)
    page.get_by_role("button", name="Accept All").click()
    expect(page.get_by_role("button", name="Accept All")).to_have_count(0)
    _fill_credentials(page, sandbox)
    submit = page.locator("input#submitBtn")
    expect(submit).to_be_disabled()
    page.get_by_label("I'm not a robot").check()
    expect(submit).to_be_enabled()
    submit.click()
    expect(page.get_by_role("heading", name="Welcome back, demo")).to_be_visible()
    assert page.url.rstrip("/") == sandbox.app_url
    page.goto(f"{sandbox.app_url}/media-library")
    expect(page.locator("button#newImage")).to_be_visible()
    expect(page.get_by_role("heading", name="We missed you")).to_have_count(0)


def test_with_the_captcha_switched_off_the_submit_is_enabled_at_once(
    page: Page, sandbox: Sandbox
) -> None:
    sandbox.switches(captcha=False)
    page.goto(sandbox.signin_url)
    expect(page.get_by_label("I'm not a robot")).to_have_count(0)
    _fill_credentials(page, sandbox)
    expect(page.locator("input#submitBtn")).to_be_enabled()
    page.locator("input#submitBtn").click()
    expect(page.get_by_role("heading", name="Welcome back, demo")).to_be_visible()


def test_wrong_credentials_are_refused_and_leave_no_session(page: Page, sandbox: Sandbox) -> None:
    sandbox.switches(captcha=False)
    page.goto(sandbox.signin_url)
    _fill_credentials(page, sandbox, password="not-the-password")
    page.locator("input#submitBtn").click()
    expect(page.get_by_text("don't recognize these credentials")).to_be_visible()
    page.goto(f"{sandbox.app_url}/media-library")
    expect(page.get_by_role("heading", name="We missed you")).to_be_visible()


def test_the_server_refuses_a_sign_in_that_skipped_the_captcha(sandbox: Sandbox) -> None:
    form = {"username": sandbox.username, "password": sandbox.password}
    with httpx.Client(base_url=sandbox.url, trust_env=False) as client:
        answer = client.post("/sign-in", data=form)
        assert answer.status_code == 400
        assert "not a robot" in answer.text
        assert "We missed you" in client.get("/").text


@pytest.mark.parametrize("path", ["/", "/media-library", "/campaigns"])
def test_logged_out_pages_keep_the_shell_but_show_we_missed_you(
    page: Page, sandbox: Sandbox, path: str
) -> None:
    response = page.goto(f"{sandbox.app_url}{path}")
    assert response is not None and response.status == 200  # the URL and status prove nothing
    expect(page.get_by_role("heading", name="We missed you")).to_be_visible()
    expect(page.locator('form input[type="password"]')).to_be_visible()
    expect(page.locator("div.creativeContainer")).to_have_count(0)


def test_an_expired_session_shows_we_missed_you(signed_in: Page, sandbox: Sandbox) -> None:
    sandbox.seed(3, tabs=["static_banner"])
    signed_in.goto(f"{sandbox.app_url}/media-library")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(3)
    sandbox.switches(expire_sessions_now=True)
    signed_in.reload()
    expect(signed_in.get_by_role("heading", name="We missed you")).to_be_visible()
    expect(signed_in.locator("div.creativeContainer")).to_have_count(0)


def test_sessions_end_after_their_lifetime(signed_in: Page, sandbox: Sandbox) -> None:
    sandbox.switches(session_lifetime_s=0)
    signed_in.goto(f"{sandbox.app_url}/campaigns")
    expect(signed_in.get_by_role("heading", name="We missed you")).to_be_visible()


def test_sessions_end_after_the_chosen_number_of_requests(sandbox: Sandbox) -> None:
    cookie = sandbox.session_cookie()
    sandbox.switches(expire_after_requests=2)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as client:
        client.cookies.set(cookie["name"], cookie["value"])
        seen = ["We missed you" in client.get("/media-library").text for _ in range(4)]
    assert seen == [False, False, True, True]
