"""The app shell every TrafficJunky-like page shares: who is signed in, the two sites, and the
signed-out view (a 200 shell with "We missed you", or a redirect to the sign-in site).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import flask

from automation.sandbox.app import state_of
from automation.sandbox.state import SESSION_COOKIE

# Set by the server on every request: which of the two sites ("signin" or "app") it came in on,
# and both sites' origins. Without them (one site only) every page is on the request's host.
SITE_KEY = "sandbox.site"
ORIGINS_KEY = "sandbox.origins"
SIGNIN_PATH = "/sign-in"


def site() -> str:
    """The site this request came in on: "signin" or "app"."""
    return str(flask.request.environ.get(SITE_KEY, "app"))


def origin(of_site: str) -> str:
    """A site's origin, e.g. http://127.0.0.1:8766 (no trailing slash)."""
    origins = flask.request.environ.get(ORIGINS_KEY) or {}
    return str(origins.get(of_site) or flask.request.host_url.rstrip("/"))


def signin_page_url() -> str:
    """The public sign-in page, on the sign-in site."""
    return origin("signin") + SIGNIN_PATH


def current_user() -> str | None:
    """The account of this request's live session, or None.

    Only the app site reads the app's session cookie: on the real site it belongs to the app's
    host, and a browser never sends it to the public site (browsers share cookies across ports,
    so the sandbox has to ignore it there itself).
    """
    if site() != "app":
        return None
    return state_of().session_user(flask.request.cookies.get(SESSION_COOKIE))


def captcha_on() -> bool:
    return bool(state_of().switches()["captcha"])


def render_page(template: str, title: str, **context: Any) -> str:
    """A page inside the shell; without a session, the signed-out form of the `signed_out` switch.

    "shell": like the real app, the shell (and a 200 status) comes back anyway with "We missed
    you" instead of the page, so only the page's content tells whether the session is alive.
    "redirect": the browser is sent to the sign-in site instead (raised as an HTTP redirect).
    """
    user = current_user()
    back = flask.request.full_path.rstrip("?")
    if user is None and state_of().switches()["signed_out"] == "redirect":
        target = f"{signin_page_url()}?{urlencode({'next': back})}"
        flask.abort(flask.redirect(target, code=302 if flask.request.method == "GET" else 303))
    return flask.render_template(
        template if user else "logged_out.html",
        title=title,
        user=user,
        captcha=captcha_on(),
        next=back,
        **(context if user else {}),
    )


def logged_out_json() -> tuple[flask.Response, int]:
    """The answer to an XHR without a session (Dropzone shows it as the file's error)."""
    return flask.jsonify(error="Your session has expired. Please sign in again."), 401
