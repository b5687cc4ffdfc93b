"""The sandbox web app: TrafficJunky-like pages, plug-ins, failure switches and the control API."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

import flask
from werkzeug.exceptions import InternalServerError

from automation.sandbox.state import SandboxState

# Modules inside automation/sandbox, each exposing `blueprint` (and optionally `reset(state)` and
# `seed(state)`); registered in this order.
BLUEPRINT_MODULES: list[str] = [
    "tj_auth",
    "tj_library",
    "tj_campaigns",
    "tj_api",
    "control",
    "exo_api",
    "media_site",
]
CONTROL_PREFIX = "/__sandbox__"
ASSETS_PREFIX = "/assets/"
# Answers whose text the markup_drift switch rewrites: pages, XHR answers and scripts.
DRIFT_MIMETYPES = ("text/html", "application/json", "text/javascript", "application/javascript")


def plugin_modules() -> list[Any]:
    """The blueprint modules, imported."""
    return [import_module(f"automation.sandbox.{name}") for name in BLUEPRINT_MODULES]


def create_app(state: SandboxState) -> flask.Flask:
    """A Flask app serving `state`: every blueprint module plus the failure-switch hook."""
    app = flask.Flask(__name__, static_url_path=ASSETS_PREFIX.rstrip("/"))
    app.config["SANDBOX_STATE"] = state
    app.config["MAX_CONTENT_LENGTH"] = 300 * 1024 * 1024
    for module in plugin_modules():
        app.register_blueprint(module.blueprint)
        if hasattr(module, "reset"):
            state.on_reset(module.__name__, module.reset)
    app.before_request(_apply_switches)
    app.after_request(_apply_markup_drift)
    return app


def state_of(app: flask.Flask | None = None) -> SandboxState:
    """The state behind the current app (inside a request, or of `app`)."""
    target = app or flask.current_app
    state = target.config["SANDBOX_STATE"]
    assert isinstance(state, SandboxState)
    return state


def seed_plugins(state: SandboxState) -> None:
    """Let every plug-in that has a `seed(state)` add its demo data."""
    for module in plugin_modules():
        if hasattr(module, "seed"):
            module.seed(state)


def _apply_switches() -> None:
    """Latency, HTTP 500s and session expiry for every route outside the control API."""
    path = flask.request.path
    if path.startswith(CONTROL_PREFIX):
        return
    state = state_of()
    state.count_request()
    switches = flask.g.switches = state.switches()
    if switches["latency_ms"]:
        time.sleep(float(switches["latency_ms"]) / 1000)
    rate = float(switches["error_rate"] or 0)
    routes = switches["error_routes"] or []
    # Static assets come from a CDN on the real site: they fail only when named explicitly.
    default = not path.startswith(ASSETS_PREFIX)
    chosen = any(path.startswith(r) for r in routes) if routes else default
    if rate > 0 and chosen and state.roll_error(rate):
        raise InternalServerError("The server encountered an error (sandbox error switch).")


def _apply_markup_drift(response: flask.Response) -> flask.Response:
    """The markup_drift switch: replace strings in what the app serves, as a changed site would."""
    if flask.request.path.startswith(CONTROL_PREFIX) or response.status_code != 200:
        return response
    if response.mimetype not in DRIFT_MIMETYPES:
        return response
    # The switches this request started with (read once, in _apply_switches).
    switches = flask.g.get("switches") or state_of().switches()
    drift = switches.get("markup_drift") or {}
    if not drift:
        return response
    response.direct_passthrough = False  # static files stream by default; read them whole
    text = response.get_data(as_text=True)
    for old, new in drift.items():
        text = text.replace(str(old), str(new))
    response.set_data(text)
    return response
