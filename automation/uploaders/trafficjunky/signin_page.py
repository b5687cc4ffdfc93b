"""TrafficJunky's sign-in page object: the public site's form (submit disabled until a person
solves the captcha).

Only page objects click; only selectors.py knows markup.
"""

from __future__ import annotations

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.pages import _Navigator


class SignInPage:
    """The public site's sign-in form (submit disabled until a person solves the captcha)."""

    def __init__(self, page: Page, signin_url: str) -> None:
        self.page = page
        self.url = signin_url

    def open(self) -> None:
        _Navigator(self.page).navigate(
            lambda: self.page.goto(self.url, wait_until="domcontentloaded"),
            "sign-in page",
            signed_in=False,
        )

    def accept_cookies(self) -> None:
        """Dismiss the cookie banner when it shows."""
        button = self.page.get_by_role("button", name=sel.COOKIE_ACCEPT_TEXT)
        if button.count() and button.first.is_visible():
            button.first.click()

    def fill(self, username: str, password: str) -> None:
        self.page.locator(sel.USERNAME_INPUT).first.fill(username)
        self.page.locator(sel.PASSWORD_INPUT).first.fill(password)

    def submit_enabled(self) -> bool:
        return self.page.locator(sel.SUBMIT_BUTTON).first.is_enabled()

    def wait_submit_enabled(self, timeout_s: float) -> bool:
        """Wait (on the button's state) up to `timeout_s` for the submit to be enabled."""
        try:
            self.page.wait_for_function(
                "s => { const b = document.querySelector(s); return !!b && !b.disabled; }",
                arg=sel.SUBMIT_BUTTON,
                timeout=max(1.0, timeout_s * 1000),
            )
        except PlaywrightTimeout:
            return False
        return True

    def submit(self) -> None:
        """Submit and wait for the answer page."""
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            self.page.locator(sel.SUBMIT_BUTTON).first.click()

    def bad_credentials(self) -> bool:
        return self.page.get_by_text(sel.BAD_CREDENTIALS_TEXT).count() > 0

    def still_on_form(self) -> bool:
        return self.page.locator(sel.PASSWORD_INPUT).count() > 0
