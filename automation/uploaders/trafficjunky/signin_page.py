"""TrafficJunky's sign-in page object: the public site's form (submit disabled until a person
solves the captcha), and what the platform answered to it.

Only page objects click; only selectors.py knows markup. After the submit nothing waits for a
navigation: the answer is whichever state shows first (the signed-in app on the app's host, the
bad-credentials text, another refusal on the form).
"""

from __future__ import annotations

import enum

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.uploaders.trafficjunky import overlays
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.pages import _Navigator
from automation.uploaders.trafficjunky.session import is_signed_in


class SignInAnswer(enum.Enum):
    """What the platform showed after the form was submitted."""

    SIGNED_IN = "signed_in"
    BAD_CREDENTIALS = "bad_credentials"
    STILL_ON_FORM = "still_on_form"


class SignInPage:
    """The public site's sign-in form (submit disabled until a person solves the captcha)."""

    def __init__(self, page: Page, signin_url: str) -> None:
        self.page = overlays.guard(page)
        self.url = signin_url

    def open(self) -> None:
        _Navigator(self.page).navigate(
            lambda: self.page.goto(self.url, wait_until="domcontentloaded"),
            "sign-in page",
            signed_in=False,
        )

    def accept_cookies(self) -> None:
        """Dismiss the cookie banner when it shows (the overlay guard also would, on any click)."""
        overlays.close_now(self.page)

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

    def submit(self) -> SignInAnswer:
        """Submit, then wait for the first answer the page shows (see SignInAnswer)."""
        self.page.locator(sel.SUBMIT_BUTTON).first.click()
        answer = (
            self.page.locator(sel.SIGNED_IN_MARKERS)
            .or_(self.page.get_by_text(sel.BAD_CREDENTIALS_TEXT))
            .or_(self.page.locator(sel.SIGNIN_FORM_ERROR))
        )
        try:
            answer.first.wait_for(state="visible")
        except PlaywrightTimeout:
            return SignInAnswer.STILL_ON_FORM
        if self.page.get_by_text(sel.BAD_CREDENTIALS_TEXT).count():
            return SignInAnswer.BAD_CREDENTIALS
        if is_signed_in(self.page):
            return SignInAnswer.SIGNED_IN
        return SignInAnswer.STILL_ON_FORM

    def still_on_form(self) -> bool:
        return self.page.locator(sel.PASSWORD_INPUT).count() > 0
