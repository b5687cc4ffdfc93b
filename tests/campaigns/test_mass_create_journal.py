"""The mass-create journal: an interrupted submission is reconciled, never submitted twice."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from tests.campaigns.test_mass_create import (
    CAMPAIGN,
    add_campaign,
    ads_on_platform,
    mass_create,
    prepare,
    rows_of,
    seed_pairs,
    summary_of,
    write_csv,
)
from tests.reliability.kill_hook import run_killed
from tracking import mass_create_records as records
from tracking.mass_create_journal import (
    MassCreateEntry,
    MassCreateJournal,
    MassCreateState,
    PlannedAd,
)

PAGES = "automation.uploaders.trafficjunky.campaign_pages"


def _journal(workspace: Path) -> MassCreateJournal:
    return MassCreateJournal(records.folder(workspace / "records"))


def _names(sandbox, campaign: int = CAMPAIGN) -> Counter[str]:
    return Counter(a["name"] for a in ads_on_platform(sandbox, campaign))


@pytest.mark.browser
def test_a_run_killed_after_its_confirm_is_reconciled_on_every_variant(
    cli, sandbox_variant, workspace: Path
) -> None:
    sandbox = sandbox_variant
    prepare(sandbox, workspace, seed_pairs(sandbox, 3))
    add_campaign(sandbox)
    for n in range(11):  # more ads than a page shows by default: names are read on all pages
        sandbox.state.add_ad(CAMPAIGN, f"Old {n}", "https://a.test/", [1_000_000_000 + n])
    [path] = write_csv(cli, workspace)
    env = workspace / "sandbox.env"
    env.write_text(f"TJ_APP_URL={sandbox.app_url}\nTJ_SIGNIN_URL={sandbox.signin_url}\n")
    args = ["mass-create", "--campaign", str(CAMPAIGN), "--csv", str(path), "--live"]

    run_killed(
        workspace, ["--env-file", str(env), *args], (PAGES, "AdSettingsPage.confirm", 1, "after")
    )
    wanted = Counter(r["Ad Name"] for r in rows_of(path))
    assert _names(sandbox) - Counter({f"Old {n}": 1 for n in range(11)}) == wanted
    assert _journal(workspace).unsettled(), "the submission is in the journal"

    rerun = mass_create(cli, sandbox, workspace, *args[1:])

    assert rerun.exit_code == 0, f"{sandbox.variant}: {rerun.output}"
    text = " ".join(rerun.output.split())
    assert "was interrupted while creating 3 ad(s); it had created 3" in text
    assert _names(sandbox) - Counter({f"Old {n}": 1 for n in range(11)}) == wanted
    assert [(r["status"], r["ads_created"]) for r in summary_of(workspace)] == [("success", "3")]
    assert not _journal(workspace).path.exists(), "a settled journal goes"


@pytest.mark.browser
def test_only_the_ads_proven_absent_are_submitted_again(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 4))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    rows = rows_of(path)
    planned = tuple(
        PlannedAd(r["Ad Name"], (r["Video Creative ID"], r["Thumbnail Creative ID"])) for r in rows
    )
    _journal(workspace).write(MassCreateEntry(
        records.checkpoint_key(str(CAMPAIGN), path), str(CAMPAIGN), str(path),
        "20260101-000000-dead", MassCreateState.SUBMITTING, planned, {},
    ))  # fmt: skip
    for row in rows[:2]:  # what the interrupted run got done
        ids = [int(row["Video Creative ID"]), int(row["Thumbnail Creative ID"])]
        sandbox.state.add_ad(CAMPAIGN, row["Ad Name"], row["Target URL"], ids)

    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert _names(sandbox) == Counter(r["Ad Name"] for r in rows), "each ad exactly once"
    text = " ".join(result.output.split())
    assert f"it had created 2: {rows[0]['Ad Name']}, {rows[1]['Ad Name']}" in text
    assert [(r["status"], r["ads_created"]) for r in summary_of(workspace)] == [("success", "4")]
    [entry] = records.load_checkpoint(workspace / "records").values()
    assert (entry.status, entry.ads_created) == ("success", 4)


def test_a_dry_run_says_it_would_reconcile_first(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    [path] = write_csv(cli, workspace)
    _journal(workspace).write(MassCreateEntry(
        records.checkpoint_key(str(CAMPAIGN), path), str(CAMPAIGN), str(path),
        "20260101-000000-dead", MassCreateState.SUBMITTING, (PlannedAd("x"),), {},
    ))  # fmt: skip

    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path)

    assert result.exit_code == 0, result.output
    assert "would first read campaign" in " ".join(result.output.split())
    assert _journal(workspace).unsettled(), "a dry run settles nothing"


def test_an_unreadable_journal_line_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    journal = MassCreateJournal(tmp_path)
    entry = MassCreateEntry("k", "1", "a.csv", "run", MassCreateState.SUBMITTING,
                            (PlannedAd("Ad", ("1000000001",)),), {"Ad": 1})  # fmt: skip
    journal.write(entry)
    with journal.path.open("ab") as handle:
        handle.write(b'{"key": "\xff\n{"key": "torn')  # a bad byte, then a line cut short
    journal.write(entry.settled("run2"))
    journal.write(entry)

    with caplog.at_level(logging.WARNING):
        [(key, last)] = journal.unsettled().items()
    assert key == "k" and replace(last, at="") == entry
    assert f"{journal.path}:2: unreadable" in caplog.text
    assert f"{journal.path}:3: unreadable" in caplog.text
