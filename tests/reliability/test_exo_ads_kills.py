"""Kill -9 of `exo-ads --live` at random moments, then a rerun: every ad exactly once."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tests.exoclick.conftest import ExoSandbox, make_creatives
from tests.exoclick.test_exo_ads import URL, env_cli, names_of, variations
from tests.reliability.kill_hook import LATENCY_MS, ROUNDS, run_killed

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CLIENT = "automation.uploaders.exoclick.client"
ADS = "automation.uploaders.exoclick.campaigns"
# The moments a kill lands on: (module, qualname, highest N, before/after the call).
STEPS = [
    (CLIENT, "ExoClient.variations", 1, "after"),
    (CLIENT, "ExoClient.create_variation", 4, "before"),
    (CLIENT, "ExoClient.create_variation", 4, "after"),  # the ad exists; not checkpointed
    (ADS, "CampaignAds._checkpoint", 4, "before"),
    (ADS, "CampaignAds._checkpoint", 4, "after"),
    (ADS, "CampaignAds._verify", 1, "before"),
]


def test_kills_at_random_moments_leave_every_ad_exactly_once(
    exo: ExoSandbox, workspace: Path, cli
) -> None:
    make_creatives(workspace, 2)
    upload = env_cli(exo, workspace, cli, "upload", "--platform", "exoclick", "--live")
    assert upload.exit_code == 0, upload.output
    wanted = Counter(names_of(workspace, {"banner", "native_image"}))
    env = exo.env_file(workspace)
    exo.switches(latency_ms=LATENCY_MS)
    rng = random.Random(20261202)
    for n in range(ROUNDS):
        campaign = exo.campaign(f"Display {n}", "display")
        module, qualname, most, when = rng.choice(STEPS)
        step = (module, qualname, rng.randint(1, most), when)
        args = ["exo-ads", "--campaign", str(campaign), "--target-url", URL, "--live"]
        run_killed(workspace, ["--env-file", str(env), *args], step)
        made = Counter(v["name"] for v in variations(exo, campaign))
        assert not made - wanted, f"round {n}, {step}: an ad was created twice"

        rerun = env_cli(exo, workspace, cli, *args)
        assert rerun.exit_code == 0, f"round {n}, {step}: {rerun.output}"
        made = Counter(v["name"] for v in variations(exo, campaign))
        assert made == wanted, f"round {n}, {step}: the campaign holds {made}"
