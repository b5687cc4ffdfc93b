"""`creative-flow demo` end to end, its records checked against the sandbox's ground truth.

The demo runs twice in a fresh folder: the first run does everything, the second finds
everything done. It is the widest integration test there is: fetch, process, login, upload,
refresh-library, sync-status, campaign-csv, mass-create and report all run for real.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from automation.demo.runner import MARKER, CliCall, call_cli
from automation.sandbox.state import SandboxState
from automation.settings import ENV_KEYS
from tests.fixtures.env import call_in_thread
from tracking import inventory
from tracking.library_cache import library_key

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Where each creative type must land on the platform (DESIGN section 7): (tab, native sub-type).
# Short videos go to Video Banners: the Short Video tab is not one every account has.
EXPECTED_PLACE = {
    "native_video": ("native", "native_rollover"),
    "native_image": ("native", "native_static"),
    "preroll": ("in_stream_video", None),
    "short_video": ("video_banner", None),
    "banner": ("static_banner", None),
}
STEP_LINE = re.compile(r"^([✓=\-✗]) (.+?) \(\d+\.\d s\)$", re.MULTILINE)


@dataclass
class DemoRuns:
    root: Path
    first: CliCall
    second: CliCall
    truth_after_first: dict[str, Any]
    truth: dict[str, Any]


def _sandbox_truth(root: Path) -> dict[str, Any]:
    state = SandboxState(root / "sandbox.db")
    try:
        return state.truth()
    finally:
        state.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRuns]:
    """The demo run twice in a clean folder, with nothing from the developer's settings."""
    home = tmp_path_factory.mktemp("demo")
    root = home / "demo-workspace"
    argv = ["--env-file", os.devnull, "demo", "--workspace", str(root)]
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key in ENV_KEYS or key.startswith(("CREATIVE_FLOW_", "TJ_", "EXO_")):
                mp.delenv(key)
        mp.chdir(home)
        first = call_in_thread(call_cli, argv)
        after_first = _sandbox_truth(root)
        second = call_in_thread(call_cli, argv)
    yield DemoRuns(root, first, second, after_first, _sandbox_truth(root))


def _steps(output: str) -> dict[str, str]:
    return {title: mark for mark, title in STEP_LINE.findall(output)}


def test_first_run_does_every_step_and_ends_with_the_summary(runs: DemoRuns) -> None:
    out = runs.first.stdout
    assert runs.first.exit_code == 0, out + runs.first.stderr
    steps = _steps(out)
    assert len(steps) >= 10
    assert set(steps.values()) == {"✓"}, steps
    assert "Records:" in out and "Outputs:" in out and "Next:" in out
    assert "report-latest.html" in out
    assert ".env" in out  # how to point the tool at the real platform


def test_every_creative_id_is_the_sandbox_id_for_that_name_and_tab(runs: DemoRuns) -> None:
    rows = inventory.load(runs.root / "records" / "inventory.csv")
    types = {r["creative_type"] for r in rows}
    assert {"native_video", "native_image", "preroll"} <= types
    by_id = {str(c["id"]): c for c in runs.truth["creatives"]}
    for row in rows:
        creative_id = row["tj_creative_id"]
        assert creative_id, f"{row['new_filename']}: no creative ID recorded"
        truth = by_id[creative_id]
        assert truth["name"] == library_key(row["new_filename"])
        tab, native_type = EXPECTED_PLACE[row["creative_type"]]
        assert (truth["tab"], truth["native_type"]) == (tab, native_type), row["new_filename"]
    # The second platform took the same creatives through its API.
    assert all(r["exo_creative_id"] for r in rows)
    assert len({r["exo_creative_id"] for r in rows}) == len(rows)


def test_review_statuses_match_the_sandbox_and_show_every_colour(runs: DemoRuns) -> None:
    rows = inventory.load(runs.root / "records" / "inventory.csv")
    by_id = {str(c["id"]): c for c in runs.truth["creatives"]}
    for row in rows:
        assert row["tj_review_status"] == by_id[row["tj_creative_id"]]["status"]
    statuses = {r["tj_review_status"] for r in rows}
    assert {"approved", "pending", "rejected"} <= statuses


def test_the_native_campaign_has_one_ad_per_row_of_the_applied_csv(runs: DemoRuns) -> None:
    csvs = sorted((runs.root / "records" / "campaigns").rglob("*Native*.csv"))
    assert csvs, "no native campaign CSV written"
    with csvs[0].open(newline="") as handle:
        ads_in_csv = list(csv.DictReader(handle))
    assert ads_in_csv
    campaign = next(c for c in runs.truth["campaigns"] if c["ads"])
    assert len(campaign["ads"]) == len(ads_in_csv)
    rows = inventory.load(runs.root / "records" / "inventory.csv")
    approved = {r["tj_creative_id"] for r in rows if r["tj_review_status"] == "approved"}
    for ad in campaign["ads"]:
        assert {str(i) for i in ad["creative_ids"]} <= approved
    assert list((runs.root / "records" / "campaigns").rglob("*Preroll*.csv"))


def test_the_report_shows_every_creative_with_its_sandbox_id(runs: DemoRuns) -> None:
    html = (runs.root / "reports" / "report-latest.html").read_text()
    for row in inventory.load(runs.root / "records" / "inventory.csv"):
        assert f'aria-label="{row["new_filename"]}"' in html
        assert row["tj_creative_id"] in html


def test_second_run_finds_everything_already_done(runs: DemoRuns) -> None:
    out = runs.second.stdout
    assert runs.second.exit_code == 0, out + runs.second.stderr
    steps = _steps(out)
    redone = {title for title, mark in steps.items() if mark != "=" and "report" not in title}
    assert redone == set(), out
    assert runs.truth["creatives"] == runs.truth_after_first["creatives"]
    assert runs.truth["campaigns"] == runs.truth_after_first["campaigns"]


def test_the_demo_will_not_run_in_a_folder_it_did_not_make(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "my-workspace"
    (mine / "records").mkdir(parents=True)
    (mine / "records" / "inventory.csv").write_text("unique_id,new_filename\n")
    result = cli("demo", "--workspace", mine)
    assert result.exit_code == 2
    assert "did not make" in result.stderr
    assert not (mine / MARKER).exists()
    assert not (mine / "sandbox.db").exists()


def test_campaign_csv_without_status_leaves_the_rejected_creative_out_and_mass_create_agrees(
    runs: DemoRuns, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """On a copy of the demo workspace: no --status takes approved and pending creatives, leaves
    the rejected one out with its reason, and mass-create creates exactly the listed ads."""
    from automation.sandbox.server import SandboxServer

    root = tmp_path / "copy"
    shutil.copytree(runs.root, root)
    rows = inventory.load(root / "records" / "inventory.csv")
    rejected = [r for r in rows if r["tj_review_status"] == "rejected"]
    native_rejected = [r for r in rejected if r["creative_type"].startswith("native")]
    assert native_rejected, "the demo rejects one native thumbnail"
    made = cli("--workspace", root, "campaign-csv", "--format", "native", "--brand", "Demo",
               "--target-url", "https://sandbox.example/?c={CampaignID}", "--json")  # fmt: skip
    assert made.exit_code == 0, made.output
    summary = json.loads(made.stdout)
    reasons = {s["unique_id"]: s["reason"] for s in summary["skipped"]}
    for row in native_rejected:
        assert reasons[row["unique_id"]] == "rejected by TrafficJunky"
    [written] = [Path(f["path"]) for f in summary["files"]]
    with written.open(newline="") as handle:
        listed = list(csv.DictReader(handle))
    used = {row[c] for row in listed for c in ("Video Creative ID", "Thumbnail Creative ID")}
    assert not used & {r["tj_creative_id"] for r in rejected}
    for row in native_rejected:  # its other half is left out too, saying why
        other = row["unique_id"].replace("-IMG", "-VID")
        assert "rejected by TrafficJunky" in reasons[other]

    server = SandboxServer(db_path=root / "sandbox.db", captcha=False).start()
    try:
        server.write_session(root)
        monkeypatch.setenv("TJ_APP_URL", server.app_url)
        monkeypatch.setenv("TJ_SIGNIN_URL", server.signin_url)
        campaign = next(c for c in server.state.truth()["campaigns"] if c["ad_format"] == "native")
        before = len(campaign["ads"])
        applied = cli("--workspace", root, "mass-create", "--campaign", campaign["id"],
                      "--csv", written, "--live", "--fresh")  # fmt: skip
        assert applied.exit_code == 0, applied.output
        after = next(c for c in server.state.truth()["campaigns"] if c["id"] == campaign["id"])
    finally:
        server.close()
    new_ads = after["ads"][before:] if len(after["ads"]) > before else []
    assert len(after["ads"]) - before == len(listed)
    assert sorted(a["name"] for a in new_ads) == sorted(r["Ad Name"] for r in listed)
