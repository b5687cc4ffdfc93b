"""Is this page signed in? Judged by what the page shows, never by its URL alone.

The real app answers a signed-out request in two ways: its shell still loads (HTTP 200) with
"We missed you" and a sign-in form, or it redirects to the sign-in site. Their tools got false
"signed in" answers from a URL check, so the markers decide; the URL only confirms a sign-in
page that shows a password field.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page

from automation.errors import AuthRequiredError
from automation.uploaders.trafficjunky import selectors as sel

LOGIN_HINT = "run 'creative-flow login trafficjunky' and try again"


def on_signin_url(url: str) -> bool:
    """Whether a URL is a sign-in page (the public site's, or an app's own login page)."""
    path = urlsplit(url).path.lower()
    return any(part in path for part in sel.SIGNIN_PATH_PARTS)


def is_logged_out(page: Page) -> bool:
    """True when the page shows the 'We missed you' heading or a sign-in form, or is a sign-in
    page with a password field (where a redirect of a signed-out request lands)."""
    if page.locator(sel.LOGGED_OUT_MARKERS).count() > 0:
        return True
    return on_signin_url(page.url) and page.locator(sel.PASSWORD_INPUT).count() > 0


def is_signed_in(page: Page) -> bool:
    """True when the page shows the signed-in app (account balance or campaigns) and no
    signed-out marker."""
    return page.locator(sel.SIGNED_IN_MARKERS).count() > 0 and not is_logged_out(page)


def require_session(page: Page) -> None:
    """Raise AuthRequiredError (one line, with what to do) when the page is signed out."""
    if is_logged_out(page):
        raise AuthRequiredError(
            f"trafficjunky: no valid session (expired or missing); {LOGIN_HINT}"
        )
