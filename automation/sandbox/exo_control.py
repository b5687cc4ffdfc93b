"""Test controls of the ExoClick sandbox under /__sandbox__/exo (never used by product code).

Ground truth, switches (the open behaviours of exo_variants and failure modes), review
statuses, seeding and reset.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from automation.sandbox import exo_media
from automation.sandbox.exo_api import CONTROL_PREFIX, current_store, status_code
from automation.sandbox.exo_store import FORMAT_FILE_TYPES, FileMeta
from automation.sandbox.exo_variants import EXO_VARIANT_DEFAULTS

control = Blueprint("exo_api_control", __name__, url_prefix=CONTROL_PREFIX)

# Failure switches (numbers) beside the open behaviours of exo_variants.
COUNTERS = ("token_lifetime_s", "fail_after_create_next", "then_fail_reads", "rate_limit",
            "rate_window_s")  # fmt: skip
# The synthetic statistics (exo_stats): their seed and the library files whose ads do badly.
STATS_SWITCHES = ("stats_seed", "weak_files")


@control.get("/truth")
def truth() -> Response:
    return jsonify(current_store().truth())


@control.post("/switches")
def switches() -> tuple[Response, int]:
    """{variations_at, variation_file, token_expiry, file_name (exo_variants);
    token_lifetime_s, fail_after_create_next (saved, yet answered 500), then_fail_reads (GETs
    after that), rate_limit, rate_window_s, rate_limit_exhaust_s (429s for that long, from the
    next request on), rename_fields {old: new}, expire_tokens_now, stats_seed, weak_files}"""
    body: dict[str, Any] = request.get_json(silent=True) or {}
    store = current_store()
    for key, value in body.items():
        if key in EXO_VARIANT_DEFAULTS or key == "rename_fields" or key in STATS_SWITCHES:
            store.set_switch(key, value)
        elif key in COUNTERS:
            store.set_switch(key, float(value))
        elif key == "rate_limit_exhaust_s":
            store.exhaust_rate_limit(float(value))
        elif key != "expire_tokens_now":
            return jsonify(message=f"unknown ExoClick switch {key!r}"), 400
    expired = store.expire_tokens() if body.get("expire_tokens_now") else 0
    return jsonify(ok=True, expired_tokens=expired), 200


@control.post("/review")
def review() -> tuple[Response, int]:
    """{ids: [...], status: pending|approved|rejected or a raw integer}"""
    body = request.get_json(silent=True) or {}
    try:
        code = status_code(body.get("status"))
    except ValueError as exc:
        return jsonify(message=str(exc)), 400
    changed = current_store().set_status([int(i) for i in body.get("ids", [])], code)
    return jsonify(changed=changed), 200


@control.post("/campaigns")
def seed_campaign() -> tuple[Response, int]:
    """{name, format: display|native|instream, id?}"""
    body = request.get_json(silent=True) or {}
    fmt = body.get("format", "display")
    if fmt not in FORMAT_FILE_TYPES:
        return jsonify(message=f"format must be one of {', '.join(FORMAT_FILE_TYPES)}"), 400
    made = current_store().add_campaign(body.get("name", "Campaign"), fmt, body.get("id"))
    return jsonify(made), 201


@control.post("/files")
def seed_files() -> tuple[Response, int]:
    """{count: N, type?: image|video|video_banner, prefix?}: library files without bytes."""
    body = request.get_json(silent=True) or {}
    file_type = body.get("type", "image")
    if file_type not in exo_media.FILE_TYPES:
        return jsonify(message=f"type must be one of {', '.join(exo_media.FILE_TYPES)}"), 400
    meta = FileMeta(size=10_000, width=300, height=250, duration=None, extension="png")
    if file_type != "image":
        meta = FileMeta(size=100_000, width=640, height=360, duration=6.0, extension="mp4")
    prefix = body.get("prefix", "seeded")
    store = current_store()
    made = [
        store.add_file(f"{prefix}_{n:05d}.{meta.extension}", file_type, meta)
        for n in range(body["count"])
    ]
    return jsonify(result=made), 201


@control.post("/reset")
def reset_exo() -> Response:
    current_store().reset()
    return jsonify(ok=True)
