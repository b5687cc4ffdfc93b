"""The sandbox's ExoClick API v2 subset: login, library files, campaigns and variations.

A plug-in of the sandbox app: `blueprint` serves the API under /exo/v2; registering it also
registers `control`, the test controls under /__sandbox__/exo (ground truth, token expiry,
429s with Retry-After, review statuses, seeding), which product code never calls.
Errors are JSON `{"message": ...}` with the status code the API would use.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.sansio.blueprints import BlueprintSetupState

from automation.sandbox import exo_media
from automation.sandbox.exo_store import FORMAT_FILE_TYPES, ExoStore, FileMeta

# The permanent API token the sandbox accepts (what a user puts in EXO_API_TOKEN for rehearsals).
DEMO_API_TOKEN = "exo-sandbox-demo-token-5f1c2e9a"
URL_PREFIX = "/exo/v2"
CONTROL_PREFIX = "/__sandbox__/exo"
MAX_PAGE = 500

blueprint = Blueprint("exo_api", __name__, url_prefix=URL_PREFIX)
control = Blueprint("exo_api_control", __name__, url_prefix=CONTROL_PREFIX)


class ApiError(Exception):
    """An API failure answered as {"message": ...} with `status`."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


# -- wiring ---------------------------------------------------------------------------------------


def store_for(state: Any) -> ExoStore:
    """The ExoClick tables on the sandbox state's SQLite connection (created once per state)."""
    store = getattr(state, "_exo_store", None)
    if store is None:
        store = ExoStore(state.conn, state.lock).ensure()
        state._exo_store = store
    return store


def reset(state: Any) -> None:
    """Called on every sandbox reset: empty the ExoClick tables."""
    store_for(state).reset()


def seed(state: Any) -> None:
    """Demo data for `sandbox serve`: one campaign per ad format."""
    store_for(state).seed_demo()


@blueprint.record_once
def _register_control(setup: BlueprintSetupState) -> None:
    # The controls live under the sandbox's reserved prefix, outside /exo/v2, so the app's
    # failure switches (which spare /__sandbox__/) never hit them.
    setup.app.register_blueprint(control)


def _store() -> ExoStore:
    return store_for(current_app.config["SANDBOX_STATE"])


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int, dict[str, str]]:
    return jsonify(message=str(exc)), exc.status, exc.headers


@blueprint.errorhandler(404)
@blueprint.errorhandler(405)
@blueprint.errorhandler(500)
def _http_error(exc: Any) -> tuple[Response, int]:
    # JSON like the rest of the API, also for the sandbox's own HTTP 500 switch.
    return jsonify(message=exc.description), exc.code


@blueprint.before_request
def _gate() -> None:
    retry_after = _store().take_rate_limit()
    if retry_after is not None:
        raise ApiError(429, "Too many requests", {"Retry-After": f"{retry_after:g}"})
    if request.method == "GET" and _store().take_failed_read():
        raise ApiError(500, "Service unavailable (sandbox switch)")
    if request.endpoint != "exo_api.login":
        _require_token()


@blueprint.after_request
def _log(response: Response) -> Response:
    _store().log_request(request.method, request.path, response.status_code)
    return response


def _require_token() -> None:
    header = request.headers.get("Authorization", "")
    match = re.fullmatch(r"Bearer\s+(\S+)", header)
    if not match:
        raise ApiError(401, "Authorization required: send 'Authorization: Bearer <token>'")
    state = _store().token_state(match.group(1))
    if state == "expired":
        raise ApiError(401, "Expired token")
    if state != "valid":
        raise ApiError(401, "Invalid token")
    g.exo_token = match.group(1)


# -- helpers --------------------------------------------------------------------------------------


def _int_arg(name: str, default: int, minimum: int = 0) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"query parameter {name} must be an integer") from None
    if value < minimum:
        raise ApiError(400, f"query parameter {name} must be at least {minimum}")
    return value


def _paging() -> tuple[int, int]:
    """offset/count, or page/limit (1-based pages), as the caller chose."""
    if "page" in request.args or "limit" in request.args:
        limit = min(_int_arg("limit", 50, 1), MAX_PAGE)
        return (_int_arg("page", 1, 1) - 1) * limit, limit
    return _int_arg("offset", 0), min(_int_arg("count", 50, 1), MAX_PAGE)


def _listing(items: list[dict[str, Any]], total: int, offset: int) -> Response:
    return jsonify(result=items, resultset={"total": total, "offset": offset, "count": len(items)})


def _campaign_or_404(campaign_id: int) -> dict[str, Any]:
    campaign = _store().campaign(campaign_id)
    if campaign is None:
        raise ApiError(404, f"Campaign {campaign_id} not found")
    return campaign


# -- the API --------------------------------------------------------------------------------------


@blueprint.post("/login")
def login() -> tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    api_token = body.get("api_token")
    if not api_token:
        raise ApiError(400, "api_token is required")
    if api_token != current_app.config.get("EXO_API_TOKEN", DEMO_API_TOKEN):
        raise ApiError(401, "Invalid API token")
    token, expires_in = _store().issue_token()
    return jsonify(token=token, type="bearer", expires_in=expires_in), 200


@blueprint.post("/library/file")
def upload_file() -> tuple[Response, int]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "file is required (multipart field 'file')")
    file_type = request.form.get("type", "")
    if file_type not in exo_media.FILE_TYPES:
        raise ApiError(400, f"type must be one of {', '.join(exo_media.FILE_TYPES)}")
    name = request.form.get("name") or upload.filename
    try:
        meta = exo_media.measure(upload.read(), upload.filename, file_type)
    except exo_media.Rejected as exc:
        raise ApiError(422, f"{name}: {exc}") from None
    # Like ExoClick, a name already in the library is no obstacle: the upload gets a new id.
    created = _store().add_file(name, file_type, meta)
    _fail_after_create()
    return jsonify(created), 201


@blueprint.get("/library/file")
def list_files() -> Response:
    file_type = request.args.get("type") or None
    if file_type is not None and file_type not in exo_media.FILE_TYPES:
        raise ApiError(400, f"type must be one of {', '.join(exo_media.FILE_TYPES)}")
    offset, count = _paging()
    files, total = _store().files(offset, count, file_type)
    return _listing(files, total, offset)


@blueprint.get("/library/file/<int:file_id>")
def get_file(file_id: int) -> Response:
    found = _store().file(file_id)
    if found is None:
        raise ApiError(404, f"File {file_id} not found")
    return jsonify(found)


@blueprint.get("/campaigns")
def list_campaigns() -> Response:
    offset, count = _paging()
    every = _store().campaigns()
    return _listing(every[offset : offset + count], len(every), offset)


@blueprint.get("/campaigns/<int:campaign_id>/variation")
def list_variations(campaign_id: int) -> Response:
    _campaign_or_404(campaign_id)
    found = _store().variations(campaign_id)
    return _listing(found, len(found), 0)


@blueprint.post("/campaigns/<int:campaign_id>/variation")
def create_variation(campaign_id: int) -> tuple[Response, int]:
    campaign = _campaign_or_404(campaign_id)
    body = request.get_json(silent=True) or {}
    file_id, url = body.get("file_id"), str(body.get("url") or "")
    if not isinstance(file_id, int):
        raise ApiError(400, "file_id (an integer) is required")
    if not re.match(r"https?://\S+$", url):
        raise ApiError(400, "url must be an http(s) URL")
    found = _store().file(file_id)
    if found is None:
        raise ApiError(422, f"File {file_id} not found in the library")
    if found["status"] == "rejected":
        raise ApiError(422, f"File {file_id} was rejected in review")
    allowed = FORMAT_FILE_TYPES[campaign["format"]]
    if found["type"] not in allowed:
        raise ApiError(
            422,
            f"File {file_id} is a {found['type']} file; campaign {campaign_id} "
            f"({campaign['format']}) takes {', '.join(allowed)}",
        )
    description = str(body.get("description") or found["name"])[:64]
    created = _store().add_variation(campaign_id, file_id, description, url)
    _fail_after_create()
    return jsonify(created), 201


def _fail_after_create() -> None:
    """The `fail_after_create_next` switch: the server acted, yet the client gets a 500."""
    if _store().take_fail_after_create():
        raise ApiError(500, "Internal error after the request was saved (sandbox switch)")


# -- test controls (never used by product code) ---------------------------------------------------


@control.get("/truth")
def truth() -> Response:
    return jsonify(_store().truth())


@control.post("/switches")
def switches() -> Response:
    """{rate_limit_next: N, retry_after_s: S, token_lifetime_s: S, expire_tokens_now: true,
    fail_after_create_next: N (saved, yet answered 500), then_fail_reads: N (GETs after that)}"""
    body = request.get_json(silent=True) or {}
    store = _store()
    keys = ("rate_limit_next", "retry_after_s", "token_lifetime_s", "fail_after_create_next",
            "then_fail_reads")  # fmt: skip
    for key in keys:
        if key in body:
            store.set_switch(key, float(body[key]))
    expired = store.expire_tokens() if body.get("expire_tokens_now") else 0
    return jsonify(ok=True, expired_tokens=expired)


@control.post("/review")
def review() -> tuple[Response, int]:
    """{ids: [...], status: pending|approved|rejected}"""
    body = request.get_json(silent=True) or {}
    status = body.get("status")
    if status not in ("pending", "approved", "rejected"):
        return jsonify(message="status must be pending, approved or rejected"), 400
    changed = _store().set_status([int(i) for i in body.get("ids", [])], status)
    return jsonify(changed=changed), 200


@control.post("/campaigns")
def seed_campaign() -> tuple[Response, int]:
    """{name, format: display|native|instream, id?}"""
    body = request.get_json(silent=True) or {}
    fmt = body.get("format", "display")
    if fmt not in FORMAT_FILE_TYPES:
        return jsonify(message=f"format must be one of {', '.join(FORMAT_FILE_TYPES)}"), 400
    return jsonify(_store().add_campaign(body.get("name", "Campaign"), fmt, body.get("id"))), 201


@control.post("/files")
def seed_files() -> tuple[Response, int]:
    """{count: N, type?: image|video|video_banner, prefix?}: library files without bytes."""
    body = request.get_json(silent=True) or {}
    file_type = body.get("type", "image")
    if file_type not in exo_media.FILE_TYPES:
        return jsonify(message=f"type must be one of {', '.join(exo_media.FILE_TYPES)}"), 400
    meta = FileMeta(size=10_000, width=300, height=250, duration=None, mime_type="image/png")
    if file_type != "image":
        meta = FileMeta(size=100_000, width=640, height=360, duration=6.0, mime_type="video/mp4")
    prefix = body.get("prefix", "seeded")
    made = [_store().add_file(f"{prefix}_{n:05d}", file_type, meta) for n in range(body["count"])]
    return jsonify(result=made), 201


@control.post("/reset")
def reset_exo() -> Response:
    _store().reset()
    return jsonify(ok=True)
