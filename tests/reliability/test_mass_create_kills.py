"""Kill -9 of `mass-create --live` at random moments, then a rerun: every ad exactly once."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tests.campaigns.test_mass_create import (
    add_campaign,
    ads_on_platform,
    mass_create,
    prepare,
    rows_of,
    seed_pairs,
    write_csv,
)
from tests.reliability.kill_hook import LATENCY_MS, ROUNDS, run_killed

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = "automation.uploaders.trafficjunky.campaign_pages"
# The moments a kill lands on: (module, qualname, highest N, before/after the call).
STEPS = [
    (PAGES, "AdSettingsPage.open", 2, "before"),
    (PAGES, "AdSettingsPage.ad_names", 1, "after"),
    (PAGES, "AdSettingsPage.set_csv", 1, "after"),
    ("tracking.mass_create_journal", "MassCreateJournal.write", 1, "before"),
    ("tracking.mass_create_journal", "MassCreateJournal.write", 1, "after"),
    (PAGES, "AdSettingsPage._is_app_post", 1, "after"),  # the creating request answered
    (PAGES, "AdSettingsPage.confirm", 1, "after"),  # the ads exist; not counted yet
    (PAGES, "AdSettingsPage.count_ads", 2, "before"),
    ("tracking.mass_create_records", "record_checkpoint", 1, "before"),
    ("tracking.mass_create_records", "record_checkpoint", 1, "after"),
]
FIRST_CAMPAIGN = 2000001


def test_kills_at_random_moments_leave_every_ad_exactly_once(cli, sandbox, workspace: Path):
    prepare(sandbox, workspace, seed_pairs(sandbox, 4))
    [path] = write_csv(cli, workspace)
    wanted = Counter(r["Ad Name"] for r in rows_of(path))
    sandbox.switches(latency_ms=LATENCY_MS)
    env = workspace / "sandbox.env"
    env.write_text(f"TJ_APP_URL={sandbox.app_url}\nTJ_SIGNIN_URL={sandbox.signin_url}\n")
    reconciled = 0
    rng = random.Random(20261201)
    for n in range(ROUNDS):
        campaign = FIRST_CAMPAIGN + n
        add_campaign(sandbox, campaign)
        module, qualname, most, when = rng.choice(STEPS)
        step = (module, qualname, rng.randint(1, most), when)
        args = ["mass-create", "--campaign", str(campaign), "--csv", str(path), "--live"]
        run_killed(workspace, ["--env-file", str(env), *args], step)
        made = Counter(a["name"] for a in ads_on_platform(sandbox, campaign))
        assert not made - wanted, f"round {n}, {step}: an ad was created twice"

        rerun = mass_create(cli, sandbox, workspace, *args[1:])
        assert rerun.exit_code == 0, f"round {n}, {step}: {rerun.output}"
        reconciled += "was interrupted while creating" in rerun.output
        made = Counter(a["name"] for a in ads_on_platform(sandbox, campaign))
        assert made == wanted, f"round {n}, {step}: the campaign holds {made}"
    assert reconciled, "some kill landed between the journal and the checkpoint"
