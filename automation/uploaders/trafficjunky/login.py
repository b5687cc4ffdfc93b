"""Logging in to TrafficJunky: a person solves the captcha, the tool does the rest.

No trace ever covers the sign-in form: it would hold the typed credentials. With `trace=True` the
recording starts only once the platform has accepted the sign-in and the form is gone. The saved
session (0600) is what every later headless run uses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from automation.browser import browser_run
from automation.errors import AuthRequiredError, ConfigError, PlatformError
from automation.settings import Settings
from automation.uploaders.trafficjunky import PLATFORM
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.pages import MediaLibraryPage
from automation.uploaders.trafficjunky.signin_page import SignInAnswer, SignInPage

log = logging.getLogger(__name__)

Countdown = Callable[[int], None]


def login_settings(settings: Settings, *, headless: bool, debug: bool = False) -> Settings:
    """The settings a login runs with: headed unless asked otherwise, never traced from the start.

    `debug` keeps the window (headed, slowed) and pauses on a failure with the page open.
    """
    return settings.with_overrides(
        headless=headless and not debug,
        trace=False,
        debug=debug,
        slowmo_ms=settings.slowmo_ms or (250 if debug else None),
    )


def login(
    settings: Settings,
    run_id: str,
    *,
    timeout_s: float,
    countdown: Countdown | None = None,
    trace: bool = False,
) -> Path:
    """Sign in, wait for the captcha to be solved, check the session works, save it (0600).

    `trace` records the steps after a successful sign-in (the session check) into the run's
    artifacts; the credential steps are never recorded.
    """
    if not settings.tj_username or not settings.tj_password:
        raise ConfigError("set TJ_USERNAME and TJ_PASSWORD (in .env or the environment) to log in")
    with browser_run(settings, PLATFORM, run_id, use_session=False) as run:
        assert run.page is not None
        try:
            _sign_in(run.page, settings, timeout_s, countdown or (lambda left: None))
            if trace:
                run.start_tracing()  # the form and its typed values are gone by now
            MediaLibraryPage(run.page, settings.tj_app_url, settings.upload_timeout_s).open(
                "static_banner"
            )
        except BaseException:
            _forget_password(run.page)  # before the failure screenshot is taken
            raise
        return run.save_session()


def _sign_in(page: Page, settings: Settings, timeout_s: float, countdown: Countdown) -> None:
    form = SignInPage(page, settings.tj_signin_url)
    form.open()
    form.accept_cookies()
    form.fill(settings.tj_username, settings.tj_password.reveal())
    _wait_for_captcha(form, timeout_s, countdown)
    answer = form.submit()
    if answer is SignInAnswer.BAD_CREDENTIALS:
        raise AuthRequiredError(
            "trafficjunky: the platform does not recognise these credentials; "
            "check TJ_USERNAME and TJ_PASSWORD"
        )
    if answer is not SignInAnswer.SIGNED_IN:
        raise PlatformError("trafficjunky: still on the sign-in form after submitting; try again")


def _wait_for_captcha(form: SignInPage, timeout_s: float, countdown: Countdown) -> None:
    """Poll the submit button's state once a second, showing the seconds left."""
    deadline = time.monotonic() + timeout_s
    while not form.submit_enabled():
        left = deadline - time.monotonic()
        if left <= 0:
            raise AuthRequiredError(
                f"trafficjunky: the captcha was not solved within {timeout_s:g} s; "
                "run 'creative-flow login trafficjunky' again and tick the box in the window"
            )
        countdown(int(left + 0.999))
        form.wait_submit_enabled(min(1.0, left))


def _forget_password(page: Page) -> None:
    try:
        if not page.is_closed() and page.locator(sel.PASSWORD_INPUT).count():
            page.locator(sel.PASSWORD_INPUT).first.fill("")
    except Exception as exc:  # the page may be gone already; nothing to clear then
        log.debug("could not clear the password field: %s", exc)
