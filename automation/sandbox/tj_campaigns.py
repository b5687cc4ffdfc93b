"""Campaigns and their ad settings: the ads table and "Mass create with CSV".

As on the real site (TJ-SITE-FACTS.md section 4), the ad settings page loads its ads table, checks
a CSV, previews it and creates its ads by XHR: nothing after the first page load navigates.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from typing import Any

import flask
from werkzeug.wrappers.response import Response as WerkzeugResponse

from automation.sandbox.app import state_of
from automation.sandbox.campaign_store import Ad, Campaign
from automation.sandbox.mass_csv import LABELS, TEMPLATES, check_csv, creative_ids, creative_issue
from automation.sandbox.shell import current_user, logged_out_json, render_page

blueprint = flask.Blueprint("tj_campaigns", __name__)
# Seconds each step takes. "real" is what users timed on the real site (said: page 2-3 s, CSV
# 1-2 s, preview 2-3 s, create 3-5 s); "quick" keeps every step asynchronous and non-zero, so
# the tool must wait on the page's state, yet tests stay fast.
TIMINGS: dict[str, dict[str, float]] = {
    "quick": {"page": 0.1, "csv": 0.3, "preview": 0.2, "create": 0.4},
    "real": {"page": 2.5, "csv": 2.0, "preview": 2.5, "create": 4.0},
}


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = state_of().campaign(campaign_id)
    if campaign is None:
        flask.abort(404, f"Campaign {campaign_id} was not found.")
    return campaign


def _take_time(step: str) -> None:
    """Spend as long on `step` as the ad_settings_timing switch says."""
    timing = str(state_of().switches()["ad_settings_timing"])
    time.sleep(TIMINGS.get(timing, TIMINGS["quick"])[step])


@blueprint.get("/campaigns")
def campaigns() -> str:
    state = state_of()
    listed = [(c, len(state.ads(c.id))) for c in state.campaigns()]
    return render_page("campaigns.html", "Campaigns", campaigns=listed, labels=LABELS)


@blueprint.get("/campaign/<int:campaign_id>/ad-settings")
def ad_settings(campaign_id: int) -> str:
    campaign = _campaign_or_404(campaign_id)
    switches = state_of().switches()
    return render_page(
        "ad_settings.html",
        "Ad settings",
        campaign=campaign,
        labels=LABELS,
        page_length=switches["page_length"],
        csv_confirm=switches["csv_confirm"],
        created=flask.request.args.get("created", type=int),
        manual_error=flask.request.args.get("error"),
    )


def _ad_row(ad: Ad) -> dict[str, Any]:
    """One ad as the ads table shows it."""
    created = datetime.fromtimestamp(ad.created_at, UTC).strftime("%Y-%m-%d %H:%M")
    return {
        "id": ad.id,
        "banner_id": ad.creative_ids[0] if ad.creative_ids else "",
        "name": ad.name,
        "target_url": ad.target_url,
        "custom_cta": ad.fields.get("Custom CTA Text", ""),
        "banner_cta": ad.fields.get("Banner CTA Title", ""),
        "tracking_pixel": ad.fields.get("Tracking Pixel", ""),
        "created": created,
    }


@blueprint.get("/campaign/<int:campaign_id>/ad-settings/ads")
def ads_table(campaign_id: int) -> tuple[flask.Response, int]:
    """The ads table's data (the DataTable loads it after the page)."""
    if current_user() is None:
        return logged_out_json()
    _campaign_or_404(campaign_id)
    _take_time("page")
    return flask.jsonify(data=[_ad_row(ad) for ad in state_of().ads(campaign_id)]), 200


@blueprint.get("/ad/mass-action/<int:campaign_id>/template")
def mass_template(campaign_id: int) -> flask.Response:
    """The CSV template of the campaign's ad format (Native when it has none)."""
    campaign = _campaign_or_404(campaign_id)
    kind = campaign.ad_format if campaign.ad_format in TEMPLATES else "native"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_MINIMAL).writerow(TEMPLATES[kind])
    return flask.Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}_template.csv"'},
    )


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/csv")
def check_mass_csv(campaign_id: int) -> tuple[flask.Response, int]:
    """Check a chosen CSV file; a valid one is kept for the preview and the create."""
    if current_user() is None:
        return logged_out_json()
    campaign = _campaign_or_404(campaign_id)
    upload = flask.request.files.get("file")
    if upload is None:
        return flask.jsonify(error="No file was received."), 400
    state = state_of()
    check = check_csv(upload.read(), campaign, state)
    _take_time("csv")
    token = state.save_csv_draft(campaign_id, check.kind or "", check.rows) if check.ok else None
    return flask.jsonify(
        ok=check.ok,
        kind=check.kind,
        ads=len(check.rows) if check.ok else 0,
        issues=[{"message": i.message, "creative_ids": list(i.creative_ids)} for i in check.issues],
        token=token,
    ), 200


def _token() -> str:
    body = flask.request.get_json(silent=True) or {}
    return str(body.get("token") or flask.request.form.get("token", ""))


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/csv/preview")
def preview_mass_csv(campaign_id: int) -> tuple[flask.Response, int]:
    """The ads a checked CSV will create, for "Create CSV Preview"."""
    if current_user() is None:
        return logged_out_json()
    _campaign_or_404(campaign_id)
    try:
        kind, rows = state_of().peek_csv_draft(_token(), campaign_id)
    except KeyError:
        return flask.jsonify(error="This CSV has expired; upload it again."), 400
    _take_time("preview")
    return flask.jsonify(columns=TEMPLATES[kind], rows=rows), 200


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/mass-create")
def mass_create(campaign_id: int) -> tuple[flask.Response, int]:
    """Create the ads of a previewed CSV (an XHR: the page stays where it is)."""
    if current_user() is None:
        return logged_out_json()
    _campaign_or_404(campaign_id)
    state = state_of()
    try:
        kind, rows = state.take_csv_draft(_token(), campaign_id)
    except KeyError:
        return flask.jsonify(error="This preview has expired; upload the CSV again."), 400
    _take_time("create")
    # The shortfall switch drops ads silently, as a platform hiccup would: only counting tells.
    shortfall = int(state.switches()["mass_create_shortfall"] or 0)
    for row in rows[: max(0, len(rows) - shortfall)]:
        state.add_ad(campaign_id, row["Ad Name"], row["Target URL"], creative_ids(kind, row), row)
    after = state.switches()["after_mass_create"]
    if after == "error":  # the work is done, yet the answer is an error
        return flask.jsonify(error="The server encountered an error."), 500
    if after == "logout":  # the work is done, and the session ends with it
        state.expire_sessions()
    return flask.jsonify(submitted=len(rows)), 200


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/manual")
def manual_create(campaign_id: int) -> WerkzeugResponse | str:
    """One ad from a creative picked by ID (the "Manual selection" mode)."""
    if current_user() is None:
        return render_page("ad_settings.html", "Ad settings")
    campaign = _campaign_or_404(campaign_id)
    form = flask.request.form
    name, url, creative = (
        form.get(k, "").strip() for k in ("ad_name", "target_url", "creative_id")
    )
    place = {"native": "native_rollover", "preroll": "in_stream_video"}.get(
        campaign.ad_format or "", ""
    )
    state = state_of()
    found = state.creative(int(creative)) if creative.isdigit() else None
    reason = None
    if not name or not url.lower().startswith(("http://", "https://")):
        reason = "Give the ad a name and a target URL starting with http:// or https://."
    elif found is None:
        reason = f"Creative {creative} was not found in your media library."
    else:
        why = creative_issue(
            state, campaign, creative, place or found.native_type or found.tab, "ID"
        )
        reason = f"Creative {creative} {why}." if why else None
    if reason:
        return flask.redirect(
            flask.url_for("tj_campaigns.ad_settings", campaign_id=campaign_id, error=reason),
            code=303,
        )
    state.add_ad(campaign_id, name, url, [int(creative)], {"Ad Name": name, "Target URL": url})
    return flask.redirect(f"/campaign/{campaign_id}/ad-settings?created=1", code=303)
