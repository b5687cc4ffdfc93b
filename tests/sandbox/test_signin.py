"""Sign-in on its own site, the hand-off to the app site, signed-out pages in both forms, and
sessions that end."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.sandbox import Sandbox

pytestmark = pytest.mark.browser


@pytest.fixture
def bare_page(browser: Browser) -> Iterator[Page]:
    """A page nobody closes banners on: these tests are about them."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _fill_credentials(page: Page, sandbox: Sandbox, password: str | None = None) -> None:
    page.get_by_label("USERNAME OR EMAIL").fill(sandbox.username)
    page.locator('input[type="password"]').fill(password or sandbox.password)


def _origin(url: str) -> str:
    return "/".join(url.split("/")[:3])


def test_sign_in_needs_the_captcha_ticked_then_opens_the_app_on_its_own_site(
    bare_page: Page, sandbox: Sandbox
) -> None:
    page = bare_page
    assert _origin(sandbox.signin_url) != _origin(sandbox.app_url)
    page.goto(sandbox.signin_url)
    page.get_by_role("button", name="Accept All").click()
    expect(page.get_by_role("button", name="Accept All")).to_have_count(0)
    _fill_credentials(page, sandbox)
    submit = page.locator("input#submitBtn")
    expect(submit).to_have_value("LOG IN")
    expect(submit).to_be_disabled()
    page.get_by_label("I'm not a robot").check()
    expect(submit).to_be_enabled()
    submit.click()
    expect(page.get_by_text("Account Balance")).to_be_visible()
    expect(page.get_by_text("ALL CAMPAIGNS")).to_be_visible()
    assert page.url.startswith(sandbox.app_url) and "dashboard" in page.url
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
    expect(page.get_by_text("Account Balance")).to_be_visible()


def test_wrong_credentials_are_refused_and_leave_no_session(page: Page, sandbox: Sandbox) -> None:
    sandbox.switches(captcha=False)
    page.goto(sandbox.signin_url)
    _fill_credentials(page, sandbox, password="not-the-password")
    page.locator("input#submitBtn").click()
    expect(page.get_by_text("don't recognize these credentials")).to_be_visible()
    assert page.url.startswith(_origin(sandbox.signin_url))
    page.goto(f"{sandbox.app_url}/media-library")
    expect(page.get_by_role("heading", name="We missed you")).to_be_visible()


def test_the_server_refuses_a_sign_in_that_skipped_the_captcha(sandbox: Sandbox) -> None:
    form = {"username": sandbox.username, "password": sandbox.password}
    with httpx.Client(trust_env=False) as client:
        answer = client.post(sandbox.signin_url, data=form)
        assert answer.status_code == 400
        assert "not a robot" in answer.text
        assert "We missed you" in client.get(f"{sandbox.app_url}/").text


def test_the_hand_off_token_opens_one_session_once(sandbox: Sandbox) -> None:
    sandbox.switches(captcha=False)
    form = {"username": sandbox.username, "password": sandbox.password, "next": "/campaigns"}
    with httpx.Client(trust_env=False) as client:
        handoff = client.post(sandbox.signin_url, data=form).headers["location"]
        assert handoff.startswith(sandbox.app_url)
        first = client.get(handoff)
        assert first.headers["location"] == "/campaigns" and "tj_session" in first.cookies
    with httpx.Client(trust_env=False) as again:
        second = again.get(handoff)
        assert second.headers["location"] == sandbox.signin_url
        assert "tj_session" not in second.cookies


def test_each_site_serves_only_its_own_pages(sandbox: Sandbox) -> None:
    signin_site = _origin(sandbox.signin_url)
    with httpx.Client(trust_env=False) as client:
        assert client.get(f"{sandbox.app_url}/sign-in").status_code == 404
        for path in ("/media-library", "/campaigns", "/dashboard", "/__sandbox__/truth"):
            assert client.get(f"{signin_site}{path}").status_code == 404
        assert client.get(sandbox.signin_url).status_code == 200


def test_the_sign_in_site_does_not_answer_as_signed_in_with_the_apps_cookie(
    page: Page, sandbox: Sandbox
) -> None:
    page.context.add_cookies([sandbox.session_cookie()])  # type: ignore[list-item]
    page.goto(f"{sandbox.app_url}/media-library")
    expect(page.get_by_text("Account Balance")).to_be_visible()
    page.goto(sandbox.signin_url)  # the browser sends the app's cookie here too (same host name)
    expect(page.locator('input[type="password"]')).to_be_visible()
    expect(page.get_by_text("Account Balance")).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/media-library", "/campaigns"])
def test_signed_out_pages_keep_the_shell_but_show_we_missed_you(
    page: Page, sandbox: Sandbox, path: str
) -> None:
    response = page.goto(f"{sandbox.app_url}{path}")
    assert response is not None and response.status == 200  # the URL and status prove nothing
    assert page.url.startswith(sandbox.app_url)
    expect(page.get_by_role("heading", name="We missed you")).to_be_visible()
    expect(page.locator('form input[type="password"]')).to_be_visible()
    expect(page.locator("div.creativeContainer")).to_have_count(0)
    expect(page.get_by_text("Account Balance")).to_have_count(0)


@pytest.mark.parametrize("path", ["/media-library?tab=native", "/campaigns"])
def test_signed_out_pages_redirect_to_the_sign_in_site_in_the_redirect_form(
    page: Page, sandbox: Sandbox, path: str
) -> None:
    sandbox.switches(signed_out="redirect", captcha=False)
    page.goto(f"{sandbox.app_url}{path}")
    assert page.url.startswith(sandbox.signin_url)
    expect(page.locator('input[type="password"]')).to_be_visible()
    expect(page.get_by_role("heading", name="We missed you")).to_have_count(0)
    _fill_credentials(page, sandbox)
    page.locator("input#submitBtn").click()  # back where the redirect started, signed in
    expect(page.get_by_text("Account Balance")).to_be_visible()
    assert page.url == f"{sandbox.app_url}{path}"


@pytest.mark.parametrize("form", ["shell", "redirect"])
def test_xhr_without_a_session_is_401_json_in_both_forms(sandbox: Sandbox, form: str) -> None:
    sandbox.switches(signed_out=form)
    with httpx.Client(trust_env=False) as client:
        answer = client.post(
            f"{sandbox.app_url}/media-library/upload", files={"file": ("a.png", b"x")}
        )
    assert answer.status_code == 401 and "session" in answer.json()["error"]


def test_the_shells_own_form_signs_in_through_the_sign_in_site(
    page: Page, sandbox: Sandbox
) -> None:
    page.goto(f"{sandbox.app_url}/campaigns")
    expect(page.get_by_role("heading", name="We missed you")).to_be_visible()
    _fill_credentials(page, sandbox)
    page.get_by_label("I'm not a robot").check()  # the captcha proof comes from the sign-in site
    expect(page.locator("input#submitBtn")).to_be_enabled()
    page.locator("input#submitBtn").click()
    expect(page.get_by_text("Account Balance")).to_be_visible()
    assert page.url == f"{sandbox.app_url}/campaigns"


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
