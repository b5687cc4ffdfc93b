"""`creative-flow stats`: per-creative daily numbers equal to what the platforms report."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from automation.adstats.window import today_est
from tests.exoclick.conftest import ExoSandbox
from tests.stats.conftest import (
    Platforms,
    days_back,
    seed_exoclick,
    seed_trafficjunky,
    written,
)


def run(platforms: Platforms, cli, workspace: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", workspace, "--env-file", platforms.env_file(workspace), *args)


def test_trafficjunky_stats_equal_the_platform_per_creative_per_day(
    tj_variant: Platforms, cli, workspace: Path
):
    seed_trafficjunky(tj_variant, workspace)
    tj_variant.sandbox.switches(tj_api_max_limit=2)  # every list takes several pages
    result = run(tj_variant, cli, workspace, "stats", "--days", "3", "--platform",
                 "trafficjunky", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.stdout)["pulled"]
    assert summary["ads_not_ours"] == 1  # ad C, whose creative is not in our records
    truth = tj_variant.tj_truth(*days_back(3))
    assert written(workspace, "trafficjunky") == truth
    # Two campaigns' ads summed per creative; the native ad once, under its video.
    assert {uid for _, uid in truth} == {"ID-0000000A-VID", "ID-0000000B"}
    assert len(truth) == 6


def test_a_rerun_replaces_the_days_it_covers_and_keeps_the_others(
    platforms: Platforms, cli, workspace: Path
):
    seed_trafficjunky(platforms, workspace)
    first = run(platforms, cli, workspace, "stats", "--days", "3", "--platform", "trafficjunky")
    assert first.exit_code == 0, first.output
    before = written(workspace, "trafficjunky")
    platforms.sandbox.switches(tj_api_stats_seed=7)  # the platform now reports other numbers
    again = run(platforms, cli, workspace, "stats", "--days", "2", "--platform", "trafficjunky")
    assert again.exit_code == 0, again.output
    assert "replaced 4 earlier rows" in again.stdout
    after = written(workspace, "trafficjunky")
    oldest = str(days_back(3)[0])
    assert after == {
        **{k: v for k, v in before.items() if k[0] == oldest},
        **platforms.tj_truth(*days_back(2)),
    }
    assert after != before


def test_failing_and_rate_limited_api_calls_are_retried(platforms: Platforms, cli, workspace: Path):
    seed_trafficjunky(platforms, workspace)
    platforms.sandbox.switches(
        tj_api_fail_next=2, tj_api_rate_limit=6, tj_api_rate_window_s=1, tj_api_max_limit=2
    )
    result = run(platforms, cli, workspace, "stats", "--days", "2", "--platform",
                 "trafficjunky", "--retries", "4", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pulled"][0]["retries"] >= 3
    platforms.sandbox.switches(tj_api_rate_limit=None)
    assert written(workspace, "trafficjunky") == platforms.tj_truth(*days_back(2))


def test_an_api_that_keeps_failing_stops_with_one_line_and_writes_nothing(
    platforms: Platforms, cli, workspace: Path
):
    seed_trafficjunky(platforms, workspace)
    platforms.sandbox.switches(tj_api_fail_next=50)
    result = run(platforms, cli, workspace, "stats", "--platform", "trafficjunky",
                 "--retries", "1")  # fmt: skip
    assert result.exit_code == 4, result.output
    assert "TrafficJunky API: GET /campaigns.json -> 500" in result.stderr
    assert "api_key" not in result.output
    assert not (workspace / "records" / "stats").exists()


def test_asking_for_today_is_refused_before_any_request(platforms: Platforms, cli, workspace: Path):
    seed_trafficjunky(platforms, workspace)
    today = today_est()
    result = run(platforms, cli, workspace, "stats", "--from", str(today - timedelta(days=2)),
                 "--to", str(today))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"--to {today} is today or later in EST" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert platforms.sandbox.state.db.meta("tj_api_rate_count") in (None, "0")


def test_exoclick_stats_equal_the_platform_per_creative_per_day(
    exo_variant: ExoSandbox, platforms: Platforms, cli, workspace: Path
):
    ours = seed_exoclick(platforms, workspace)
    # 3 variations x 20 days: more rows than one page (50) of statistics.
    result = run(platforms, cli, workspace, "stats", "--days", "20", "--platform", "exoclick",
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.stdout)["pulled"]
    assert summary["ads_not_ours"] == 1
    truth = platforms.exo_truth(*days_back(20), ours)
    assert written(workspace, "exoclick") == truth
    assert {uid for _, uid in truth} == {"ID-0000000D", "ID-0000000E"}
    requests = exo_variant.requests("POST", "/exo/v2/statistics")
    assert len(requests) == 2 and all(r["status"] == 200 for r in requests)
