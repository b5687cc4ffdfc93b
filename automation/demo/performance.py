"""Demo steps for performance: ExoClick ads, a planted loser, `stats`, and pausing the loser.

The sandbox's stats are synthetic; it makes one creative per platform a loser (a tenth of the
click-through rate), so `pause --rule` has something to find. The pause step checks the
platforms' ground truth: exactly the loser's ads are paused, every other ad still runs.
"""

from __future__ import annotations

import logging
from typing import Any

from automation.demo.runner import DemoContext, Outcome, StepFailed, StepStatus
from automation.demo.workflow import require_command

log = logging.getLogger(__name__)

EXO_CAMPAIGN = 1002  # the sandbox's demo in-stream campaign: it takes the pre-rolls
EXO_TARGET_URL = "https://sandbox.example/landing?v={variation_id}"
LOSER_RULE = "ctr<0.4% and impressions>1000"
STATS_DAYS = "7"


def _exo_store(ctx: DemoContext) -> Any:
    from automation.sandbox.exo_api import store_for

    return store_for(ctx.sandbox.state)


def _exo_variations(ctx: DemoContext) -> list[dict[str, Any]]:
    store = _exo_store(ctx)
    return [v for c in store.campaigns() for v in store.variations(c["id"])]


def _tj_ads(ctx: DemoContext) -> list[dict[str, Any]]:
    """Every TrafficJunky ad as the sandbox's API shows it (ad_id, banner_id, status)."""
    from automation.sandbox.tj_api import ad_row

    state = ctx.sandbox.state
    return [ad_row(ad, state) for c in state.campaigns() for ad in state.ads(c.id)]


def exo_ads(ctx: DemoContext) -> Outcome:
    """Ads in ExoClick's in-stream campaign from the pre-rolls uploaded there."""
    require_command("exo-ads")
    before = len(_exo_store(ctx).variations(EXO_CAMPAIGN))
    ctx.require(
        ctx.cli("exo-ads", "--campaign", str(EXO_CAMPAIGN), "--target-url", EXO_TARGET_URL,
                "--live", "--json"),
        "exo-ads", ok_codes=(0,),
    )  # fmt: skip
    after = len(_exo_store(ctx).variations(EXO_CAMPAIGN))
    detail = f"ExoClick campaign {EXO_CAMPAIGN} has {after} ad(s)"
    if after == 0:
        raise StepFailed(f"exo-ads finished but {detail}")
    status = StepStatus.ALREADY if after == before else StepStatus.DONE
    return Outcome(status, detail, {"exo_ads": after})


def plant_losers(ctx: DemoContext) -> Outcome:
    """The sandbox makes one creative per platform perform badly (a tenth of the CTR)."""
    tj_banners = sorted({a["banner_id"] for a in _tj_ads(ctx) if a["banner_id"] is not None})
    exo_files = sorted({v["idvariations_file"] for v in _exo_variations(ctx)})
    if not tj_banners:
        raise StepFailed("no TrafficJunky ad in the sandbox to make a loser of")
    state, store = ctx.sandbox.state, _exo_store(ctx)
    before = (state.switches()["tj_api_weak_creatives"], store.switch("weak_files", []))
    state.set_switches(tj_api_weak_creatives=tj_banners[:1])
    store.set_switch("weak_files", exo_files[:1])
    ctx.facts["losers"] = {"trafficjunky": tj_banners[:1], "exoclick": exo_files[:1]}
    detail = f"loser on TrafficJunky: creative {tj_banners[0]}"
    if exo_files:
        detail += f"; on ExoClick: library file {exo_files[0]}"
    if before == (tj_banners[:1], exo_files[:1]):
        return Outcome(StepStatus.ALREADY, detail)
    return Outcome(StepStatus.DONE, detail)


def pull_stats(ctx: DemoContext) -> Outcome:
    """Per-creative daily stats of the last week from both platforms' APIs."""
    require_command("stats")
    files = sorted((ctx.workspace.records / "stats").glob("*.csv"))
    before = [f.read_bytes() for f in files]
    call = ctx.require(ctx.cli("stats", "--days", STATS_DAYS, "--json"), "stats")
    results = (call.data or {}).get("pulled", [])
    same = files and [f.read_bytes() for f in files] == before
    detail = "; ".join(
        f"{r['platform']}: {r['rows']} rows for {r['creatives']} creatives ({r['file']})"
        for r in results
    )
    rows = sum(r["rows"] for r in results)
    if same and len(files) == len(results):
        return Outcome(StepStatus.ALREADY, f"the same numbers as before; {detail}")
    return Outcome(StepStatus.DONE, detail or "no stats", {"stats_rows": rows})


def _expected_paused(ctx: DemoContext) -> tuple[set[int], set[int]]:
    """The ads of the planted losers (TrafficJunky ad ids, ExoClick variation ids)."""
    losers = ctx.facts.get("losers", {})
    tj = {a["ad_id"] for a in _tj_ads(ctx) if a["banner_id"] in losers.get("trafficjunky", [])}
    exo = {v["idvariation"] for v in _exo_variations(ctx)
           if v["idvariations_file"] in losers.get("exoclick", [])}  # fmt: skip
    return tj, exo


def pause_losers(ctx: DemoContext) -> Outcome:
    """Pause, live, the ads of every creative the rule names; checked against the sandbox."""
    require_command("pause")
    call = ctx.require(
        ctx.cli("pause", "--rule", LOSER_RULE, "--days", STATS_DAYS, "--live", "--json"), "pause"
    )
    tj_paused = {a["ad_id"] for a in _tj_ads(ctx) if a["status"] == "paused"}
    exo_paused = {v["idvariation"] for v in _exo_variations(ctx) if not v["active"]}
    expected_tj, expected_exo = _expected_paused(ctx)
    if (tj_paused, exo_paused) != (expected_tj, expected_exo):
        raise StepFailed(
            f"paused {sorted(tj_paused)} on TrafficJunky and {sorted(exo_paused)} on ExoClick; "
            f"the losers' ads are {sorted(expected_tj)} and {sorted(expected_exo)}"
        )
    changed = sum(1 for a in (call.data or {}).get("ads", []) if a["result"] == "changed")
    detail = (f"rule {LOSER_RULE!r}: {len(tj_paused)} TrafficJunky and {len(exo_paused)} "
              f"ExoClick ad(s) paused, every other ad runs")  # fmt: skip
    if not changed:
        return Outcome(StepStatus.ALREADY, detail + " (paused in an earlier run)")
    record = (call.data or {}).get("record")
    return Outcome(StepStatus.DONE, f"{detail}; record {record}", {"paused": changed})
