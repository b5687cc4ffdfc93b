"""Sign-in on the public site (cookie banner, a captcha of our own), the hand-off to the app site,
sign-out and the dashboard.

As on the real site the sign-in form lives on one host and the app on another: the sign-in site
checks the credentials and sends the browser to the app site with a one-time hand-off token; the
app site turns the token into its session cookie. The sign-in site never reads that cookie.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode

import flask
from werkzeug.wrappers.response import Response as WerkzeugResponse

from automation.sandbox.app import state_of
from automation.sandbox.shell import (
    SIGNIN_PATH,
    captcha_on,
    origin,
    render_page,
    signin_page_url,
    site,
)
from automation.sandbox.state import SESSION_COOKIE, SandboxState
from automation.sandbox.tour import tour_guide

blueprint = flask.Blueprint("tj_auth", __name__)
BAD_CREDENTIALS = "We don't recognize these credentials. Please check them and try again."
CAPTCHA_MISSING = "Please confirm that you are not a robot."
HANDOFF_PATH = "/auth/handoff"
LANDING_PATH = "/dashboard"  # the real app lands on a URL with "dashboard" or "campaigns" in it
HANDOFF_TTL_S = 60
# Each site's own consent cookie (browsers share cookies across ports, hosts do not).
CONSENT_COOKIES = {"signin": "www_cookie_consent", "app": "app_cookie_consent"}


def _safe_next(value: str | None) -> str:
    """Only a path on the app site (never an open redirect)."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return LANDING_PATH


@blueprint.app_context_processor
def _shell_context() -> dict[str, Any]:
    """What base.html needs on both sites: links across sites, the cookie banner, the tour."""
    cookie = CONSENT_COOKIES.get(site(), CONSENT_COOKIES["app"])
    return {
        "site": site(),
        "signin_url": signin_page_url(),
        "consent_cookie": cookie,
        "cookie_banner": bool(state_of().switches()["cookie_banner"])
        and cookie not in flask.request.cookies,
        "tour_guide": tour_guide,
    }


# --- hand-off tokens (one use, short-lived) ---------------------------------------------------
def _create_handoff(state: SandboxState, username: str) -> str:
    token = secrets.token_urlsafe(24)
    state.db.execute(
        "INSERT INTO tj_handoffs (token, username, created_at) VALUES (?, ?, ?)",
        (token, username, time.time()),
    )
    return token


def _use_handoff(state: SandboxState, token: str) -> str | None:
    """The account a hand-off token was made for, once; None when unknown, used or too old."""
    with state.lock:
        rows = state.db.query("SELECT * FROM tj_handoffs WHERE token = ?", (token,))
        state.db.execute("DELETE FROM tj_handoffs WHERE token = ?", (token,))
    if not rows or time.time() - float(rows[0]["created_at"]) > HANDOFF_TTL_S:
        return None
    return str(rows[0]["username"])


def reset(state: SandboxState) -> None:
    """Forget every hand-off token."""
    state.db.execute("DELETE FROM tj_handoffs")


# --- the sign-in site -------------------------------------------------------------------------
def _signin_form(
    error: str | None = None, username: str = "", status: int = 200
) -> tuple[str, int]:
    page = flask.render_template(
        "signin.html",
        title="Sign in",
        user=None,
        captcha=captcha_on(),
        error=error,
        username=username,
        next=_safe_next(flask.request.values.get("next")),
    )
    return page, status


@blueprint.get(SIGNIN_PATH)
def signin_page() -> tuple[str, int]:
    """The form, always: this site cannot see the app's session."""
    return _signin_form()


@blueprint.post(SIGNIN_PATH)
def signin_submit() -> tuple[str, int] | WerkzeugResponse:
    """Check the captcha proof, then the credentials; on success hand off to the app site."""
    state = state_of()
    form = flask.request.form
    username = form.get("username", "").strip()
    if captcha_on() and not state.use_captcha_token(form.get("captcha_token", "")):
        return _signin_form(CAPTCHA_MISSING, username, 400)
    if not state.check_credentials(username, form.get("password", "")):
        return _signin_form(BAD_CREDENTIALS, username, 401)
    query = urlencode(
        {"token": _create_handoff(state, username), "next": _safe_next(form.get("next"))}
    )
    return flask.redirect(f"{origin('app')}{HANDOFF_PATH}?{query}", code=303)


@blueprint.post(f"{SIGNIN_PATH}/captcha")
def captcha_token() -> flask.Response:
    """The captcha widget's proof that a person ticked the box (also from the app's shell form)."""
    response = flask.jsonify(token=state_of().issue_captcha_token())
    response.headers["Access-Control-Allow-Origin"] = origin("app")
    return response


# --- the app site -----------------------------------------------------------------------------
@blueprint.get(HANDOFF_PATH)
def handoff() -> WerkzeugResponse:
    """Turn a hand-off token into the app site's session cookie, then open the page asked for."""
    username = _use_handoff(state_of(), flask.request.args.get("token", ""))
    if username is None:
        return flask.redirect(signin_page_url())
    response = flask.redirect(_safe_next(flask.request.args.get("next")))
    response.set_cookie(
        SESSION_COOKIE, state_of().create_session(username), httponly=True, samesite="Lax", path="/"
    )
    return response


@blueprint.route("/sign-out", methods=["GET", "POST"])
def signout() -> WerkzeugResponse:
    token = flask.request.cookies.get(SESSION_COOKIE)
    if token:
        state_of().end_session(token)
    response = flask.redirect(signin_page_url())
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@blueprint.get("/")
@blueprint.get(LANDING_PATH)
def dashboard() -> str:
    state = state_of()
    return render_page(
        "dashboard.html",
        "Dashboard",
        creative_count=len(state.creatives()),
        campaign_count=len(state.campaigns()),
    )
