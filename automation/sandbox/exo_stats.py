"""The ExoClick sandbox's advertiser statistics and variation pause/play (shared/EXO-API-FACTS.md).

Routes on the API's own blueprint (so its token check, rate limit and request log apply):

- `POST /statistics/a/global` with JSON `group_by` (required, at most four of date, campaign_id,
  variation_id), `filter` (`date_from`, `date_to`, `campaign_id`, `variation_id`), `timezone`,
  `limit` (at most 50) and `offset`: rows in `result`, each with its group fields and
  impressions, clicks, conversions and cost (doc/client). The numbers are synthetic and
  deterministic (synthetic_stats), for variations that exist only.
- Pause and play a variation: `PUT /campaigns/{cid}/variation/{vid}/pause` and `/play`, or
  `PUT /campaigns/{cid}/variation/{vid}` with `{"active": 0|1}`; which one answers is the
  `variation_pause` switch (both weak).

Test controls under /__sandbox__/exo: the statistics' ground truth per variation per day, and
variations made directly from library files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify, request

from automation.sandbox import synthetic_stats
from automation.sandbox.exo_api import (
    MAX_LIMIT,
    ApiError,
    _campaign_or_404,
    blueprint,
    current_store,
    variant,
)
from automation.sandbox.exo_control import control

GROUP_FIELDS = ("date", "campaign_id", "variation_id")
METRICS = ("impressions", "clicks", "conversions", "cost")


def _day(raw: Any, name: str) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ApiError(400, f"filter.{name} must be a date as YYYY-MM-DD") from None


def base_rows(start: date, end: date) -> list[dict[str, Any]]:
    """Every variation's numbers on every day from start to end (the ground truth)."""
    store = current_store()
    seed = int(store.switch("stats_seed", 0))
    weak = {int(i) for i in store.switch("weak_files", []) or []}
    rows = []
    for campaign in store.campaigns():
        for v in store.variations(campaign["id"]):
            for day in synthetic_stats.days(start, end):
                stats = synthetic_stats.daily(
                    seed, f"exo-{v['idvariation']}", day, weak=v["idvariations_file"] in weak
                )
                rows.append({
                    "date": day.isoformat(), "campaign_id": campaign["id"],
                    "variation_id": v["idvariation"], "file_id": v["idvariations_file"],
                    "active": v["active"], **stats.as_dict(),
                })  # fmt: skip
    return rows


def _grouped(rows: list[dict[str, Any]], group_by: list[str]) -> list[dict[str, Any]]:
    """Rows summed by the group fields, in the order first seen."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[f] for f in group_by)
        into = groups.setdefault(key, {**dict(zip(group_by, key, strict=True)),
                                       **dict.fromkeys(METRICS, 0)})  # fmt: skip
        for metric in METRICS:
            into[metric] += row[metric]
    for into in groups.values():
        into["cost"] = round(into["cost"], 2)
    return list(groups.values())


def _query() -> tuple[list[str], dict[str, Any], int, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "a JSON body is required")
    group_by = body.get("group_by")
    if not isinstance(group_by, list) or not group_by or len(group_by) > 4:
        raise ApiError(400, "group_by is required: a list of up to four fields")
    unknown = [g for g in group_by if g not in GROUP_FIELDS]
    if unknown:
        raise ApiError(400, f"group_by: unknown field(s) {', '.join(map(str, unknown))}")
    limit = min(int(body.get("limit") or MAX_LIMIT), MAX_LIMIT)
    return group_by, dict(body.get("filter") or {}), limit, int(body.get("offset") or 0)


@blueprint.post("/statistics/a/global")
def global_statistics() -> Response:
    group_by, flt, limit, offset = _query()
    start, end = _day(flt.get("date_from"), "date_from"), _day(flt.get("date_to"), "date_to")
    if start > end:
        raise ApiError(400, "date_from must not be after date_to")
    rows = [
        r for r in base_rows(start, end)
        if all(int(flt[k]) == r[k] for k in ("campaign_id", "variation_id") if flt.get(k))
    ]  # fmt: skip
    return jsonify(result=_grouped(rows, group_by)[offset : offset + limit])


def _variation_or_404(campaign_id: int, variation_id: int) -> dict[str, Any]:
    _campaign_or_404(campaign_id)
    found = current_store().variations(campaign_id, only=variation_id)
    if not found:
        raise ApiError(404, f"Variation {variation_id} not found in campaign {campaign_id}")
    return found[0]


@blueprint.put("/campaigns/<int:campaign_id>/variation/<int:variation_id>/<any(pause, play):act>")
def pause_or_play(campaign_id: int, variation_id: int, act: str) -> Response:
    if variant("variation_pause") != "route":
        raise ApiError(404, "Not found")
    _variation_or_404(campaign_id, variation_id)
    current_store().set_variation_active(campaign_id, variation_id, 1 if act == "play" else 0)
    return jsonify(result=_variation_or_404(campaign_id, variation_id))


@blueprint.put("/campaigns/<int:campaign_id>/variation/<int:variation_id>")
def update_variation(campaign_id: int, variation_id: int) -> Response:
    if variant("variation_pause") != "update":
        raise ApiError(405, "Method not allowed")
    _variation_or_404(campaign_id, variation_id)
    body = request.get_json(silent=True) or {}
    if body.get("active") not in (0, 1, "0", "1"):
        raise ApiError(400, "active must be 0 or 1")
    current_store().set_variation_active(campaign_id, variation_id, int(body["active"]))
    return jsonify(result=_variation_or_404(campaign_id, variation_id))


# -- test controls ------------------------------------------------------------------------------


@control.get("/stats")
def truth_stats() -> Response:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD: every variation's numbers per day."""
    start = _day(request.args.get("start", ""), "start")
    end = _day(request.args.get("end", ""), "end")
    return jsonify(rows=base_rows(start, end))


@control.post("/variations")
def seed_variation() -> tuple[Response, int]:
    """{campaign_id, file_id, name}: a variation made straight from a library file."""
    body = request.get_json(silent=True) or {}
    store = current_store()
    file = store.file(int(body["file_id"]))
    if file is None or store.campaign(int(body["campaign_id"])) is None:
        return jsonify(message="no such campaign or file"), 400
    made = store.add_variation(
        int(body["campaign_id"]), file, None, str(body.get("name") or file["file_name"]),
        "https://landing.example/",
    )  # fmt: skip
    return jsonify(made), 201
