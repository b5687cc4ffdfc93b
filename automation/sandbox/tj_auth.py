"""Sign-in (public site) with a cookie banner and a captcha of our own, sign-out, dashboard."""

from __future__ import annotations

import flask
from werkzeug.wrappers.response import Response as WerkzeugResponse

from automation.sandbox.app import state_of
from automation.sandbox.shell import captcha_on, current_user, render_page
from automation.sandbox.state import SESSION_COOKIE

blueprint = flask.Blueprint("tj_auth", __name__)
BAD_CREDENTIALS = "We don't recognize these credentials. Please check them and try again."
CAPTCHA_MISSING = "Please confirm that you are not a robot."


def _safe_next(value: str | None) -> str:
    """Only a path on this host (never an open redirect)."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/"


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
        cookie_consent="cookie_consent" in flask.request.cookies,
    )
    return page, status


@blueprint.get("/sign-in")
def signin_page() -> tuple[str, int] | WerkzeugResponse:
    if current_user():
        return flask.redirect(_safe_next(flask.request.args.get("next")))
    return _signin_form()


@blueprint.post("/sign-in")
def signin_submit() -> tuple[str, int] | WerkzeugResponse:
    """Check the captcha proof, then the credentials; a session cookie on success."""
    state = state_of()
    form = flask.request.form
    username = form.get("username", "").strip()
    if captcha_on() and not state.use_captcha_token(form.get("captcha_token", "")):
        return _signin_form(CAPTCHA_MISSING, username, 400)
    if not state.check_credentials(username, form.get("password", "")):
        return _signin_form(BAD_CREDENTIALS, username, 401)
    response = flask.redirect(_safe_next(form.get("next")))
    response.set_cookie(
        SESSION_COOKIE, state.create_session(username), httponly=True, samesite="Lax", path="/"
    )
    return response


@blueprint.post("/sign-in/captcha")
def captcha_token() -> flask.Response:
    """The captcha widget's proof that a person ticked the box."""
    return flask.jsonify(token=state_of().issue_captcha_token())


@blueprint.route("/sign-out", methods=["GET", "POST"])
def signout() -> WerkzeugResponse:
    token = flask.request.cookies.get(SESSION_COOKIE)
    if token:
        state_of().end_session(token)
    response = flask.redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@blueprint.get("/")
def dashboard() -> str:
    state = state_of()
    return render_page(
        "dashboard.html",
        "Dashboard",
        creative_count=len(state.creatives()),
        campaign_count=len(state.campaigns()),
    )
