"""`creative-flow pause`: exactly the ads of the chosen creatives change, and only with --live."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from automation.adstats.owners import Owners
from automation.adstats.pausing import PauseRun
from automation.settings import Secret
from automation.uploaders.trafficjunky.api import TjApi, TjApiError
from tests.exoclick.conftest import ExoSandbox
from tests.stats.conftest import (
    YESTERDAY,
    Platforms,
    days_back,
    seed_exoclick,
    seed_trafficjunky,
)
from tracking.stat_rules import INFINITY, metric, parse_rule
from tracking.stats import Counts
from tracking.workspace import Workspace

RULE = "ctr<0.4% and impressions>1000"


def run(platforms: Platforms, cli, workspace: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", workspace, "--env-file", platforms.env_file(workspace), *args)


def losers(truth: dict[tuple[str, str], tuple]) -> set[str]:
    """The creatives RULE names, from the platform's own numbers."""
    totals: dict[str, list[int]] = {}
    for (_, uid), (imps, clicks, *_) in truth.items():
        into = totals.setdefault(uid, [0, 0])
        into[0], into[1] = into[0] + imps, into[1] + clicks
    return {u for u, (i, c) in totals.items() if i > 1000 and Decimal(c) / i < Decimal("0.004")}


def recorded(path: str) -> list[dict[str, str]]:
    with Path(path).open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_pause_by_rule_changes_exactly_the_ads_the_rule_names(
    exo_variant: ExoSandbox, platforms: Platforms, cli, workspace: Path
):
    seed_trafficjunky(platforms, workspace)
    ours = seed_exoclick(platforms, workspace)
    loser_tj = platforms.tj_ids["ID-0000000B"]
    platforms.sandbox.switches(tj_api_weak_creatives=[loser_tj])
    platforms.exo_control("switches", {"weak_files": [platforms.exo_ids["ID-0000000D"]]})
    assert run(platforms, cli, workspace, "stats", "--days", "3").exit_code == 0
    assert losers(platforms.tj_truth(*days_back(3))) == {"ID-0000000B"}
    assert losers(platforms.exo_truth(*days_back(3), ours)) == {"ID-0000000D"}

    dry = run(platforms, cli, workspace, "pause", "--rule", RULE, "--days", "3", "--json")
    assert dry.exit_code == 0, dry.output
    assert {a["status"] for a in platforms.tj_ads()} == {"active"}
    assert {v["active"] for v in platforms.exo_variations()} == {1}
    planned = json.loads(dry.stdout)["ads"]
    assert {a["result"] for a in planned} == {"dry_run"}

    live = run(platforms, cli, workspace, "pause", "--rule", RULE, "--days", "3", "--live",
               "--json")  # fmt: skip
    assert live.exit_code == 0, live.output
    tj_paused = {a["ad_id"] for a in platforms.tj_ads() if a["status"] == "paused"}
    assert tj_paused == {a["ad_id"] for a in platforms.tj_ads() if a["banner_id"] == loser_tj}
    assert len(tj_paused) == 2  # the pre-roll runs in both campaigns
    exo_paused = {v["idvariation"] for v in platforms.exo_variations() if v["active"] == 0}
    assert exo_paused == {v for v, uid in ours.items() if uid == "ID-0000000D"}
    assert {a["ad_id"] for a in planned} == {str(i) for i in tj_paused | exo_paused}
    changed = [r for r in recorded(json.loads(live.stdout)["record"]) if r["result"] == "changed"]
    assert {r["ad_id"] for r in changed} == {str(i) for i in tj_paused | exo_paused}
    assert {r["status_after"] for r in changed} == {"paused"}


def test_pause_by_rule_on_a_damaged_stats_file_stops_before_any_ad_changes(
    platforms: Platforms, cli, workspace: Path
):
    """A row recorded twice would double ID-0000000B's impressions past the rule's threshold:
    the run must stop on it, naming file, line and what to do, and leave every ad as it was."""
    seed_trafficjunky(platforms, workspace)
    day, uid, cid = YESTERDAY.isoformat(), "ID-0000000B", platforms.tj_ids["ID-0000000B"]
    path = workspace / "records" / "stats" / "trafficjunky.csv"
    path.parent.mkdir(parents=True)
    row = f"{day},{uid},{cid},800,1,0,2.00\n"  # under the rule alone; over it counted twice
    path.write_text("date,unique_id,creative_id,impressions,clicks,conversions,cost\n" + row * 2)

    result = run(platforms, cli, workspace, "pause", "--rule", RULE, "--days", "3", "--live",
                 "--platform", "trafficjunky")  # fmt: skip
    assert result.exit_code == 6, result.output
    [line] = result.stderr.strip().splitlines()
    assert f"{path}:3: stats: {uid} on {day} is already on line 2" in line
    assert "run `creative-flow stats` again" in line
    assert {a["status"] for a in platforms.tj_ads()} == {"active"}
    assert not (workspace / "records" / "pauses").exists()


def test_activate_by_ids_brings_every_ad_of_the_creative_back(
    tj_variant: Platforms, cli, workspace: Path
):
    seed_trafficjunky(tj_variant, workspace)
    paused = run(tj_variant, cli, workspace, "pause", "--ids", "ID-0000000A,ID-DEADBEEF",
                 "--live", "--platform", "trafficjunky")  # fmt: skip
    assert paused.exit_code == 0, paused.output
    assert "left out (no such creative" in paused.stderr and "ID-DEADBEEF" in paused.stderr
    video = tj_variant.tj_ids["ID-0000000A-VID"]
    assert {a["status"] for a in tj_variant.tj_ads() if a["banner_id"] == video} == {"paused"}
    assert {a["status"] for a in tj_variant.tj_ads() if a["banner_id"] != video} == {"active"}
    back = run(tj_variant, cli, workspace, "pause", "--ids", "ID-0000000A-VID", "--activate",
               "--live", "--platform", "trafficjunky")  # fmt: skip
    assert back.exit_code == 0, back.output
    assert {a["status"] for a in tj_variant.tj_ads()} == {"active"}


def test_an_unknown_rule_field_is_named_with_the_known_ones(
    platforms: Platforms, cli, workspace: Path
):
    seed_trafficjunky(platforms, workspace)
    result = run(platforms, cli, workspace, "pause", "--rule", "ctx<1% and clicks>3")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().endswith(
        "--rule: unknown field 'ctx'; known fields: ctr, cvr, cpa, impressions, clicks, "
        "conversions, cost"
    )


def test_rules_read_percentages_and_treat_spend_without_conversions_as_the_worst_cpa():
    rule = parse_rule("CTR < 0.2% and cpa >= 50")
    assert [(c.field, c.op, c.value) for c in rule.conditions] == [
        ("ctr", "<", Decimal("0.002")), ("cpa", ">=", Decimal("50")),
    ]  # fmt: skip
    spent_nothing_won = Counts(impressions=10_000, clicks=10, conversions=0, cost=Decimal("9"))
    assert metric(spent_nothing_won, "cpa") == INFINITY
    assert rule.matches(spent_nothing_won)
    assert not rule.matches(Counts(impressions=10_000, clicks=10, conversions=1, cost=Decimal("9")))
    assert not parse_rule("ctr<1%").matches(Counts())  # no impressions: no CTR to compare


def test_a_pause_path_the_api_does_not_know_says_the_path_is_unconfirmed() -> None:
    """TrafficJunky's API pauses ads, but no document shows the path: a 404 on it must read as
    that, with what to do, not as a bad ad id; and no key leaks into the line."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "Not Found"})

    api = TjApi("http://127.0.0.1:9/api", Secret("k-123456"), transport=httpx.MockTransport(answer))
    with api, pytest.raises(TjApiError) as refused:
        api.set_paused(42, True)
    line = str(refused.value)
    assert "/ads/42/pause.json" in line and "not confirmed" in line
    assert "ad settings" in line and "k-123456" not in line


def test_a_pause_the_api_acknowledges_but_does_not_make_is_a_failure(tmp_path: Path) -> None:
    """An ad counts as paused only when the campaign's ad list then shows it paused; that list
    is read once per campaign after its changes, not once per ad."""
    status = {11: "active", 12: "active", 13: "active"}  # ads 11, 12: ours; 13: not ours
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api")
        sent.append(f"{request.method} {path}")
        if path == "/campaigns.json":
            return httpx.Response(200, json=[{"campaign_id": 7}])
        if path == "/ads/7.json":
            return httpx.Response(200, json=[
                {"ad_id": a, "campaign_id": 7, "banner_id": str(1000 + a), "status": s}
                for a, s in status.items()
            ])  # fmt: skip
        if request.method == "PUT" and path == "/ads/11/pause.json":
            status[11] = "paused"
            return httpx.Response(200, json={})
        if request.method == "PUT" and path == "/ads/12/pause.json":
            return httpx.Response(200, json={})  # acknowledged, yet the ad keeps running
        return httpx.Response(404, json={"message": "Not Found"})

    owners = Owners()
    owners.add("1011", "ID-0000000A")
    owners.add("1012", "ID-0000000A")
    run = PauseRun(Workspace(tmp_path), "run-1", live=True)
    api = TjApi("http://127.0.0.1:9/api", Secret("k"), transport=httpx.MockTransport(answer))
    with api:
        run.trafficjunky(api, owners, {"ID-0000000A"})
    assert {(r.ad_id, str(r.result), r.status_after) for r in run.rows} == {
        ("11", "changed", "paused"), ("12", "failed", "active"),
    }  # fmt: skip
    assert status[13] == "active"
    assert sent == ["GET /campaigns.json", "GET /ads/7.json", "PUT /ads/11/pause.json",
                    "PUT /ads/12/pause.json", "GET /ads/7.json"]  # fmt: skip
