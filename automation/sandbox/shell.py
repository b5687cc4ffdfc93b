"""The app shell every TrafficJunky-like page shares: who is signed in, and the logged-out view."""

from __future__ import annotations

from typing import Any

import flask

from automation.sandbox.app import state_of
from automation.sandbox.state import SESSION_COOKIE


def current_user() -> str | None:
    """The account of this request's live session, or None."""
    return state_of().session_user(flask.request.cookies.get(SESSION_COOKIE))


def captcha_on() -> bool:
    return bool(state_of().switches()["captcha"])


def render_page(template: str, title: str, **context: Any) -> str:
    """A page inside the shell; without a session the shell shows 'We missed you' instead.

    Like the real app, the shell (and a 200 status) comes back either way, so only the page's
    content tells whether the session is alive.
    """
    user = current_user()
    return flask.render_template(
        template if user else "logged_out.html",
        title=title,
        user=user,
        captcha=captcha_on(),
        next=flask.request.full_path.rstrip("?"),
        **(context if user else {}),
    )


def logged_out_json() -> tuple[flask.Response, int]:
    """The answer to an XHR without a session (Dropzone shows it as the file's error)."""
    return flask.jsonify(error="Your session has expired. Please sign in again."), 401
