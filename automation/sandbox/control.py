"""The control API under /__sandbox__/ (JSON): ground truth, seeding, review, switches, sessions.

Tests, benchmarks and the demo use it; the tool's product code never does.
"""

from __future__ import annotations

from typing import Any

import flask

from automation.sandbox.app import CONTROL_PREFIX, state_of
from automation.sandbox.state import DEMO_USERNAME, SESSION_COOKIE

blueprint = flask.Blueprint("sandbox_control", __name__, url_prefix=CONTROL_PREFIX)


def _body() -> dict[str, Any]:
    data = flask.request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@blueprint.errorhandler(ValueError)
@blueprint.errorhandler(KeyError)
@blueprint.errorhandler(TypeError)
def _bad_request(exc: Exception) -> tuple[flask.Response, int]:
    return flask.jsonify(error=str(exc)), 400


@blueprint.get("/truth")
def truth() -> flask.Response:
    """Every creative and campaign (with ads) exactly as the sandbox holds them."""
    return flask.jsonify(state_of().truth())


@blueprint.post("/reset")
def reset_state() -> flask.Response:
    state_of().reset()
    return flask.jsonify(ok=True)


@blueprint.post("/seed")
def seed_library() -> flask.Response:
    """{creatives: N, tabs?: [...], content_category?, status?, campaigns?: [{id?, name, ...}]}."""
    body, state = _body(), state_of()
    made = state.seed_creatives(
        int(body.get("creatives", 0)),
        body.get("tabs"),
        content_category=body.get("content_category", "straight"),
        status=body.get("status", "pending"),
    )
    campaigns = [
        state.seed_campaign(
            c["name"],
            c.get("content_category", "straight"),
            campaign_id=c.get("id"),
            ad_format=c.get("ad_format"),
        )
        for c in body.get("campaigns", [])
    ]
    return flask.jsonify(
        creatives=[c.as_dict() for c in made], campaigns=[c.as_dict() for c in campaigns]
    )


@blueprint.post("/review")
def review() -> flask.Response:
    """{ids, status} moves review statuses; {auto_approve_after_s} approves pending ones later."""
    body, state = _body(), state_of()
    changed = 0
    if "ids" in body:
        changed = state.set_review_status([int(i) for i in body["ids"]], str(body["status"]))
    if "auto_approve_after_s" in body:
        value = body["auto_approve_after_s"]
        state.set_auto_approve(None if value is None else float(value))
    return flask.jsonify(changed=changed)


@blueprint.get("/switches")
def get_switches() -> flask.Response:
    return flask.jsonify(state_of().switches())


@blueprint.post("/switches")
def set_switches() -> flask.Response:
    """Change failure switches (see state.DEFAULT_SWITCHES); returns all of them."""
    return flask.jsonify(state_of().set_switches(**_body()))


@blueprint.post("/session")
def session() -> flask.Response:
    """A logged-in session for the demo account, as a cookie for a browser's storage_state."""
    username = _body().get("username", DEMO_USERNAME)
    token = state_of().create_session(username)
    host = flask.request.host.split(":")[0]
    return flask.jsonify(name=SESSION_COOKIE, value=token, domain=host, path="/")


@blueprint.post("/creative_category")
def creative_category() -> flask.Response:
    """{ids, content_category}: change creatives' content category."""
    body = _body()
    changed = state_of().set_content_category(
        [int(i) for i in body["ids"]], str(body["content_category"])
    )
    return flask.jsonify(changed=changed)
