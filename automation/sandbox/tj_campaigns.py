"""Campaigns and their ad settings: the ads table and "Mass create with CSV"."""

from __future__ import annotations

from dataclasses import asdict

import flask
from werkzeug.wrappers.response import Response as WerkzeugResponse

from automation.sandbox.app import state_of
from automation.sandbox.campaign_store import Campaign
from automation.sandbox.mass_csv import LABELS, TEMPLATES, check_csv, creative_ids, creative_issue
from automation.sandbox.shell import current_user, logged_out_json, render_page

blueprint = flask.Blueprint("tj_campaigns", __name__)


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = state_of().campaign(campaign_id)
    if campaign is None:
        flask.abort(404, f"Campaign {campaign_id} was not found.")
    return campaign


@blueprint.get("/campaigns")
def campaigns() -> str:
    state = state_of()
    listed = [(c, len(state.ads(c.id))) for c in state.campaigns()]
    return render_page("campaigns.html", "Campaigns", campaigns=listed, labels=LABELS)


@blueprint.get("/campaign/<int:campaign_id>/ad-settings")
def ad_settings(campaign_id: int) -> str:
    campaign = _campaign_or_404(campaign_id)
    ads = [asdict(ad) for ad in state_of().ads(campaign_id)]
    return render_page(
        "ad_settings.html",
        "Ad settings",
        campaign=campaign,
        ads=ads,
        labels=LABELS,
        created=flask.request.args.get("created", type=int),
        manual_error=flask.request.args.get("error"),
    )


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/csv")
def check_mass_csv(campaign_id: int) -> tuple[flask.Response, int]:
    """Check a chosen CSV file; a valid one is kept for the preview's confirm button."""
    if current_user() is None:
        return logged_out_json()
    campaign = _campaign_or_404(campaign_id)
    upload = flask.request.files.get("file")
    if upload is None:
        return flask.jsonify(error="No file was received."), 400
    state = state_of()
    check = check_csv(upload.read(), campaign, state)
    token = state.save_csv_draft(campaign_id, check.kind or "", check.rows) if check.ok else None
    return flask.jsonify(
        ok=check.ok,
        kind=check.kind,
        columns=TEMPLATES.get(check.kind or "", []),
        rows=check.rows if check.ok else [],
        issues=[asdict(issue) for issue in check.issues],
        token=token,
    ), 200


@blueprint.post("/campaign/<int:campaign_id>/ad-settings/mass-create")
def mass_create(campaign_id: int) -> WerkzeugResponse | str:
    """Create the ads of a confirmed preview, then show the page again."""
    if current_user() is None:
        return render_page("ad_settings.html", "Ad settings")
    _campaign_or_404(campaign_id)
    state = state_of()
    try:
        kind, rows = state.take_csv_draft(flask.request.form.get("token", ""), campaign_id)
    except KeyError:
        flask.abort(400, "This preview has expired; choose the CSV file again.")
    # The shortfall switch drops ads silently, as a platform hiccup would: only counting tells.
    shortfall = int(state.switches()["mass_create_shortfall"] or 0)
    keep = rows[: max(0, len(rows) - shortfall)]
    for row in keep:
        state.add_ad(campaign_id, row["Ad Name"], row["Target URL"], creative_ids(kind, row), row)
    after = state.switches()["after_mass_create"]
    if after == "error":  # the work is done, yet the answer is an error page
        flask.abort(500, "The server encountered an error (sandbox after_mass_create switch).")
    if after == "logout":
        state.expire_sessions()
    return flask.redirect(f"/campaign/{campaign_id}/ad-settings?created={len(rows)}", code=303)


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
