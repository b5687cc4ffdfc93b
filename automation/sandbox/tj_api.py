"""The sandbox's TrafficJunky API subset (shared/TJ-SITE-FACTS.md section 6): read and pause ads.

Served under /tj-api, standing in for https://api.trafficjunky.com/api. Every call carries the
account's key as the `api_key` query parameter (seen). What it serves:

- `GET /campaigns.json` and `GET /ads/{campaignId}.json`: lists paged by `limit` + `offset`
  (seen); rows in snake_case (`campaign_id`, `ad_id`, `ad_name`, as clients read them); an ad's
  creative is its `banner_id` (the ads table's "bannerId" column; for a native ad the video).
- `GET /ads/{campaignId}/stats/one.json?startDate=DD/MM/YYYY&endDate=...`: the campaign's ads'
  numbers summed over the days, keyed by ad id (a client reads it so); "today" (EST) and later
  cannot be asked for (seen): HTTP 400.
- `GET /ads/{adId}/one.json`, `PUT /ads/{adId}/pause.json` and `PUT /ads/{adId}/activate.json`:
  one ad, pausing and activating it. The API updates and pauses ads (seen); these paths are a
  guess by analogy with `PUT /bids/{bidId}/set.json` (a client), no evidence names them.

Failure switches (state.DEFAULT_SWITCHES): a rate limit answered with 429 (no headers are
known), the next N requests answered with 500; open behaviours are tj_api_variants. The ground
truth (every ad with its status, the stats per ad per day) is under /__sandbox__/tj-api.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import flask

from automation.sandbox import synthetic_stats
from automation.sandbox.app import CONTROL_PREFIX, state_of
from automation.sandbox.campaign_store import Ad

URL_PREFIX = "/tj-api"
TRUTH_PREFIX = f"{CONTROL_PREFIX}/tj-api"
# The key the sandbox accepts (what a user puts in TJ_API_KEY for rehearsals).
DEMO_API_KEY = "tj-sandbox-demo-key-3b7d91c4"
REPORTING_TZ = ZoneInfo("America/New_York")  # TrafficJunky reports in EST (seen)
DEFAULT_LIMIT = 10  # a user's notes of the API documentation: limit defaults to 10
ACTIVE, PAUSED = "active", "paused"

blueprint = flask.Blueprint("tj_api", __name__)


class ApiError(Exception):
    """A refusal answered as {"message": ...} with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def reset(state: Any) -> None:
    """Every ad active again (called on every sandbox reset)."""
    with state.lock:
        state.conn.execute("DELETE FROM tj_api_ad_status")
    state.db.set_meta("tj_api_rate_start", 0)
    state.db.set_meta("tj_api_rate_count", 0)


def today_est() -> date:
    """The reporting day it is now on TrafficJunky."""
    return datetime.now(REPORTING_TZ).date()


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[flask.Response, int]:
    return flask.jsonify(message=str(exc)), exc.status


@blueprint.before_request
def _gate() -> None:
    if not flask.request.path.startswith(URL_PREFIX + "/"):
        return
    switches = state_of().switches()
    _count_for_rate_limit(switches)
    _take_failure()
    if flask.request.args.get("api_key") != flask.current_app.config.get(
        "TJ_API_KEY", DEMO_API_KEY
    ):
        raise ApiError(401, "Invalid or missing api_key")


def _count_for_rate_limit(switches: dict[str, Any]) -> None:
    limit = switches["tj_api_rate_limit"]
    if limit is None:
        return
    db, now = state_of().db, time.time()
    with db.lock:
        start = float(db.meta("tj_api_rate_start", "0") or 0)
        count = int(db.meta("tj_api_rate_count", "0") or 0)
        if now >= start + float(switches["tj_api_rate_window_s"]):
            start, count = now, 0
            db.set_meta("tj_api_rate_start", start)
        db.set_meta("tj_api_rate_count", count + 1)
    if count + 1 > int(limit):
        raise ApiError(429, "Too many requests")


def _take_failure() -> None:
    state = state_of()
    with state.lock:
        left = int(state.switches()["tj_api_fail_next"] or 0)
        if left <= 0:
            return
        state.set_switches(tj_api_fail_next=left - 1)
    raise ApiError(500, "Internal server error (sandbox switch)")


# -- helpers --------------------------------------------------------------------------------


def _int_arg(name: str, default: int) -> int:
    raw = flask.request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise ApiError(400, f"{name} must be an integer") from None


def _page(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One page of rows by limit + offset (0- or 1-based by the tj_api_offset_base switch)."""
    switches = state_of().switches()
    limit = min(max(_int_arg("limit", DEFAULT_LIMIT), 1), int(switches["tj_api_max_limit"]))
    base = int(switches["tj_api_offset_base"])
    offset = max(_int_arg("offset", base) - base, 0)
    return rows[offset : offset + limit]


def _dmy(name: str) -> date:
    raw = flask.request.args.get(name, "")
    try:
        return datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        raise ApiError(400, f"{name} must be a date as DD/MM/YYYY") from None


def ad_status(state: Any, ad_id: int) -> str:
    """An ad's status in `state` (active unless paused through the API)."""
    with state.lock:
        row = state.conn.execute(
            "SELECT status FROM tj_api_ad_status WHERE ad_id = ?", (ad_id,)
        ).fetchone()
    return str(row[0]) if row else ACTIVE


def _set_status(ad_id: int, status: str) -> None:
    state = state_of()
    with state.lock:
        state.conn.execute(
            "INSERT OR REPLACE INTO tj_api_ad_status (ad_id, status) VALUES (?, ?)",
            (ad_id, status),
        )


def ad_row(ad: Ad, state: Any = None) -> dict[str, Any]:
    """An ad as the API shows it."""
    return {
        "ad_id": ad.id,
        "ad_name": ad.name,
        "campaign_id": ad.campaign_id,
        "target_url": ad.target_url,
        "banner_id": ad.creative_ids[0] if ad.creative_ids else None,
        "status": ad_status(state or state_of(), ad.id),
    }


def _find_ad(ad_id: int) -> Ad:
    state = state_of()
    for campaign in state.campaigns():
        for ad in state.ads(campaign.id):
            if ad.id == ad_id:
                return ad
    raise ApiError(404, f"Ad {ad_id} not found")


def ad_day_stats(ad: Ad, day: date) -> synthetic_stats.DayStats:
    """The numbers of one ad on one day (the seed and weak creatives are switches)."""
    switches = state_of().switches()
    weak = {int(i) for i in switches["tj_api_weak_creatives"] or []}
    banner = ad.creative_ids[0] if ad.creative_ids else None
    seed = int(switches["tj_api_stats_seed"])
    return synthetic_stats.daily(seed, f"tj-ad-{ad.id}", day, weak=banner in weak)


# -- the API --------------------------------------------------------------------------------


@blueprint.get(f"{URL_PREFIX}/campaigns.json")
def campaigns() -> flask.Response:
    rows = [
        {"campaign_id": c.id, "campaign_name": c.name, "status": ACTIVE}
        for c in state_of().campaigns()
    ]
    return flask.jsonify(_page(rows))


@blueprint.get(f"{URL_PREFIX}/ads/<int:campaign_id>.json")
def ads(campaign_id: int) -> flask.Response:
    if state_of().campaign(campaign_id) is None:
        raise ApiError(404, f"Campaign {campaign_id} not found")
    return flask.jsonify(_page([ad_row(ad) for ad in state_of().ads(campaign_id)]))


@blueprint.get(f"{URL_PREFIX}/ads/<int:campaign_id>/stats/one.json")
def ad_stats(campaign_id: int) -> flask.Response:
    start, end = _dmy("startDate"), _dmy("endDate")
    if end >= today_est():
        raise ApiError(400, "Statistics for today cannot be requested; end at yesterday (EST)")
    if start > end:
        raise ApiError(400, "startDate must not be after endDate")
    if state_of().campaign(campaign_id) is None:
        raise ApiError(404, f"Campaign {campaign_id} not found")
    stats = {
        ad.id: synthetic_stats.summed(
            [ad_day_stats(ad, d) for d in synthetic_stats.days(start, end)]
        )
        for ad in state_of().ads(campaign_id)
    }
    # Impressions come as a string in the API's documented campaign stats; so here too.
    shown = {
        ad_id: {**s.as_dict(), "impressions": str(s.impressions)} for ad_id, s in stats.items()
    }
    if state_of().switches()["tj_api_stats_shape"] == "list":
        return flask.jsonify([{"ad_id": ad_id, **row} for ad_id, row in shown.items()])
    return flask.jsonify({str(ad_id): row for ad_id, row in shown.items()})


@blueprint.get(f"{URL_PREFIX}/ads/<int:ad_id>/one.json")
def one_ad(ad_id: int) -> flask.Response:
    return flask.jsonify(ad_row(_find_ad(ad_id)))


@blueprint.put(f"{URL_PREFIX}/ads/<int:ad_id>/<any(pause, activate):action>.json")
def change_ad(ad_id: int, action: str) -> flask.Response:
    ad = _find_ad(ad_id)
    _set_status(ad.id, PAUSED if action == "pause" else ACTIVE)
    return flask.jsonify(ad_row(ad))


# -- ground truth (tests and the demo; never the tool) ----------------------------------------


@blueprint.get(f"{TRUTH_PREFIX}/ads")
def truth_ads() -> flask.Response:
    """Every ad of every campaign, with its banner (creative) and status."""
    state = state_of()
    rows = [ad_row(ad) for c in state.campaigns() for ad in state.ads(c.id)]
    return flask.jsonify(ads=rows)


@blueprint.get(f"{TRUTH_PREFIX}/stats")
def truth_stats() -> flask.Response:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD: every ad's numbers per reporting day."""
    try:
        start = date.fromisoformat(flask.request.args.get("start", ""))
        end = date.fromisoformat(flask.request.args.get("end", ""))
    except ValueError:
        return flask.jsonify(error="start and end must be YYYY-MM-DD"), 400  # type: ignore[return-value]
    state = state_of()
    rows = [
        {"date": d.isoformat(), **ad_row(ad), **ad_day_stats(ad, d).as_dict()}
        for c in state.campaigns()
        for ad in state.ads(c.id)
        for d in synthetic_stats.days(start, end)
    ]
    return flask.jsonify(rows=rows)
