"""Is this page logged in? Checked by the logged-out markers, never by the URL."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.errors import AuthRequiredError
from automation.uploaders.trafficjunky import selectors as sel

LOGIN_HINT = "run 'creative-flow login trafficjunky' and try again"


def is_logged_out(page: Page) -> bool:
    """True when the page shows the 'We missed you' heading or a login form.

    The app shell loads even without a session, so the URL proves nothing.
    """
    return page.locator(sel.LOGGED_OUT_MARKERS).count() > 0


def require_session(page: Page) -> None:
    """Raise AuthRequiredError (one line, with what to do) when the page is logged out."""
    if is_logged_out(page):
        raise AuthRequiredError(
            f"trafficjunky: no valid session (expired or missing); {LOGIN_HINT}"
        )
