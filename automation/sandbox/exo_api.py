"""The sandbox's ExoClick API v2 subset, shaped by shared/EXO-API-FACTS.md.

A plug-in of the sandbox app: `blueprint` serves the API under /exo/v2; registering it also
registers the test controls of `exo_control` under /__sandbox__/exo, which product code never
calls. What the facts leave open is a switch of `exo_variants`. Errors are JSON
`{"message": ...}`; every answer carries the X-Rate-Limit-* headers, and a request over the limit
gets a 429 (no Retry-After: none is documented).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.sansio.blueprints import BlueprintSetupState

from automation.sandbox import exo_media
from automation.sandbox.exo_store import STATUS_CODES, ExoStore
from automation.sandbox.exo_variants import EXO_VARIANT_DEFAULTS

# The permanent API token the sandbox accepts (what a user puts in EXO_API_TOKEN for rehearsals).
DEMO_API_TOKEN = "exo-sandbox-demo-token-5f1c2e9a"
URL_PREFIX = "/exo/v2"
CONTROL_PREFIX = "/__sandbox__/exo"
MAX_LIMIT = 50  # rows per call, whatever `limit` asks for
URL_PATTERN = re.compile(r"https?://\S+$")

blueprint = Blueprint("exo_api", __name__, url_prefix=URL_PREFIX)


class ApiError(Exception):
    """An API failure answered as {"message": ...} with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


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
    from automation.sandbox.exo_control import control

    setup.app.register_blueprint(control)


def current_store() -> ExoStore:
    """The ExoClick store of the app serving this request."""
    return store_for(current_app.config["SANDBOX_STATE"])


def variant(name: str) -> Any:
    """An open behaviour's switch in force (exo_variants)."""
    return current_store().switch(name, EXO_VARIANT_DEFAULTS[name])


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    return jsonify(message=str(exc)), exc.status


@blueprint.errorhandler(404)
@blueprint.errorhandler(405)
@blueprint.errorhandler(500)
def _http_error(exc: Any) -> tuple[Response, int]:
    # JSON like the rest of the API, also for the sandbox's own HTTP 500 switch.
    return jsonify(message=exc.description), exc.code


@blueprint.before_request
def _gate() -> None:
    g.exo_rate = current_store().count_for_rate_limit()
    if g.exo_rate[3]:
        raise ApiError(429, "Too many requests: rate limit exceeded")
    if request.method == "GET" and current_store().take_failed_read():
        raise ApiError(500, "Service unavailable (sandbox switch)")
    if request.endpoint != "exo_api.login":
        _require_token()


@blueprint.after_request
def _headers_and_log(response: Response) -> Response:
    rate = getattr(g, "exo_rate", None)
    if rate is not None:
        response.headers["X-Rate-Limit-Limit"] = str(rate[0])
        response.headers["X-Rate-Limit-Remaining"] = str(rate[1])
        response.headers["X-Rate-Limit-Reset"] = str(rate[2])
    query = request.query_string.decode("ascii", "replace")
    current_store().log_request(request.method, request.path, query, response.status_code)
    return response


def _require_token() -> None:
    match = re.fullmatch(r"Bearer\s+(\S+)", request.headers.get("Authorization", ""))
    if not match:
        raise ApiError(401, "Authorization required: send 'Authorization: Bearer <token>'")
    state = current_store().token_state(match.group(1))
    if state == "expired":
        if str(variant("token_expiry")) == "401":
            raise ApiError(401, "Expired token")
        raise ApiError(403, "Forbidden")
    if state != "valid":
        raise ApiError(401, "Invalid token")


# -- helpers --------------------------------------------------------------------------------------


def _int_value(name: str, raw: Any, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be an integer") from None
    if value < minimum:
        raise ApiError(400, f"{name} must be at least {minimum}")
    return value


def _paging() -> tuple[int, int]:
    """offset and limit (at most 50 rows a call, whatever was asked)."""
    offset = _int_value("offset", request.args.get("offset", 0))
    limit = _int_value("limit", request.args.get("limit", MAX_LIMIT), 1)
    return offset, min(limit, MAX_LIMIT)


def _wants_count() -> bool:
    return request.args.get("count", "").lower() in ("1", "true")


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row as answered, with the `rename_fields` test switch applied (for site-check tests)."""
    renames: dict[str, str] = current_store().switch("rename_fields", {})
    return {renames.get(k, k): v for k, v in row.items()}


def _listing(rows: list[dict[str, Any]], total: int) -> Response:
    """Items in `result`; with `count`, only the total. No documented total beside a page."""
    if _wants_count():
        return jsonify(result=total)
    return jsonify(result=[shown(r) for r in rows])


def _campaign_or_404(campaign_id: int) -> dict[str, Any]:
    campaign = current_store().campaign(campaign_id)
    if campaign is None:
        raise ApiError(404, f"Campaign {campaign_id} not found")
    return campaign


def _fail_after_create() -> None:
    """The `fail_after_create_next` switch: the server acted, yet the client gets a 500."""
    if current_store().take_fail_after_create():
        raise ApiError(500, "Internal error after the request was saved (sandbox switch)")


# -- auth and library -----------------------------------------------------------------------------


@blueprint.post("/login")
def login() -> tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    api_token = body.get("api_token")
    if not api_token:
        raise ApiError(400, "api_token is required")
    if api_token != current_app.config.get("EXO_API_TOKEN", DEMO_API_TOKEN):
        raise ApiError(401, "Invalid API token")
    token, expires_in = current_store().issue_token()
    return jsonify(token=token, type="bearer", expires_in=expires_in), 200


def store_upload(file_type: str) -> dict[str, Any]:
    """Measure the multipart `file` by the rules of `file_type` and add it to the library."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "file is required (multipart field 'file')")
    name = Path(upload.filename).name
    try:
        meta = exo_media.measure(upload.read(), name, file_type)
    except exo_media.Rejected as exc:
        raise ApiError(422, f"{name}: {exc}") from None
    if variant("file_name") == "stem":
        name = Path(name).stem
    # Like ExoClick, a name already in the library is no obstacle: the upload gets a new id.
    return current_store().add_file(name, file_type, meta)


@blueprint.post("/library/file")
def upload_file() -> tuple[Response, int]:
    file_type = request.form.get("type", "")
    if file_type not in exo_media.FILE_TYPES:
        raise ApiError(400, f"type must be one of {', '.join(exo_media.FILE_TYPES)}")
    created = store_upload(file_type)
    _fail_after_create()
    return jsonify(shown(created)), 201


@blueprint.get("/library/file")
def list_files() -> Response:
    file_type = request.args.get("type") or ""
    if file_type not in exo_media.FILE_TYPES:
        raise ApiError(400, f"type is required: one of {', '.join(exo_media.FILE_TYPES)}")
    offset, limit = _paging()
    files, total = current_store().files(offset, limit, file_type)
    return _listing(files, total)


@blueprint.get("/library/file/<int:file_id>")
def get_file(file_id: int) -> Response:
    found = current_store().file(file_id)
    if found is None:
        raise ApiError(404, f"File {file_id} not found")
    return jsonify(shown(found))


@blueprint.post("/library/url")
def add_url() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    url = str((body or {}).get("url") or "") if isinstance(body, dict) else ""
    if not URL_PATTERN.match(url):
        raise ApiError(400, "url (an http or https URL) is required in a JSON body")
    return jsonify(current_store().add_url(url)), 201


# -- campaigns and variations ---------------------------------------------------------------------


@blueprint.get("/campaigns")
def list_campaigns() -> Response:
    offset, limit = _paging()
    every = current_store().campaigns()
    return _listing(every[offset : offset + limit], len(every))


@blueprint.get("/campaigns/<int:campaign_id>")
def get_campaign(campaign_id: int) -> Response:
    result: dict[str, Any] = {"campaign": shown(_campaign_or_404(campaign_id))}
    if variant("variations_at") == "campaign":
        result["variations"] = [shown(v) for v in current_store().variations(campaign_id)]
    return jsonify(result=result)


@blueprint.get("/campaigns/<int:campaign_id>/variation")
def list_variations(campaign_id: int) -> Response:
    if variant("variations_at") != "route":
        raise ApiError(404, "Not found")
    _campaign_or_404(campaign_id)
    offset, limit = _paging()
    every = current_store().variations(campaign_id)
    return _listing(every[offset : offset + limit], len(every))


@blueprint.post("/campaigns/<int:campaign_id>/variation")
def create_variation(campaign_id: int) -> tuple[Response, int]:
    from automation.sandbox.exo_variation import variation_from_form

    _campaign_or_404(campaign_id)
    if not request.mimetype.startswith("multipart/form-data"):
        raise ApiError(400, "Content-Type must be multipart/form-data")
    created = variation_from_form(campaign_id)
    _fail_after_create()
    return jsonify(shown(created)), 201


def status_code(name_or_code: Any) -> int:
    """A review status for the controls: a name of STATUS_CODES, or a raw integer."""
    if isinstance(name_or_code, int):
        return name_or_code
    if name_or_code in STATUS_CODES:
        return STATUS_CODES[name_or_code]
    raise ValueError(f"status must be one of {', '.join(STATUS_CODES)} or an integer")


# Statistics and pause/play add their routes to this blueprint (and controls to exo_control's),
# so the token check, rate limit and request log above apply to them too.
from automation.sandbox import exo_stats  # noqa: E402,F401
