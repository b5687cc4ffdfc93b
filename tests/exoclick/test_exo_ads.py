"""`creative-flow exo-ads`: ads from chosen creatives; dry run first, verified, rerun-safe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.uploaders.exoclick.campaigns import CHECKPOINT, checkpoint_path
from tests.exoclick.conftest import Creative, ExoSandbox, make_creatives
from tracking import inventory
from tracking.csvstore import read_rows
from tracking.library_cache import library_key
from tracking.workspace import Workspace

URL = "https://acme.example/landing?v={variation_id}"


@pytest.fixture
def uploaded(exo: ExoSandbox, workspace: Path, cli) -> list[Creative]:
    """Two sets of creatives uploaded to the sandbox with proven ExoClick ids."""
    creatives = make_creatives(workspace, 2)
    env_cli(exo, workspace, cli, "upload", "--platform", "exoclick", "--live")
    return creatives


def env_cli(exo: ExoSandbox, workspace: Path, cli, *args: str):  # type: ignore[no-untyped-def]
    """Run the CLI with the settings pointed at the sandbox (through a .env file)."""
    return cli("--workspace", workspace, "--env-file", exo.env_file(workspace), *args)


def file_ids(workspace: Path, creative_types: set[str]) -> dict[str, int]:
    rows = inventory.load(Workspace(workspace).inventory_csv)
    return {
        r["unique_id"]: int(r["exo_creative_id"])
        for r in rows
        if r["creative_type"] in creative_types
    }


def variations(exo: ExoSandbox, campaign_id: int) -> list[dict]:
    [campaign] = [c for c in exo.truth()["campaigns"] if c["id"] == campaign_id]
    return list(campaign["variations"])


def ad_files(exo: ExoSandbox, campaign_id: int) -> list[str]:
    """The name key of each ad's library file (sorted): what the ads show, whichever way the
    API took the file (by library id, or sent again as a new library file)."""
    truth = exo.truth()
    names = {f["id"]: library_key(f["file_name"]) for f in truth["files"]}
    return sorted(names[v["idvariations_file"]] for v in variations(exo, campaign_id))


def names_of(workspace: Path, creative_types: set[str]) -> list[str]:
    rows = inventory.load(Workspace(workspace).inventory_csv)
    return sorted(library_key(r["new_filename"]) for r in rows
                  if r["creative_type"] in creative_types)  # fmt: skip


def first_name(workspace: Path, unique_id: str) -> str:
    rows = inventory.load(Workspace(workspace).inventory_csv)
    return next(r["new_filename"] for r in rows if r["unique_id"] == unique_id)


def test_dry_run_plans_without_creating(exo: ExoSandbox, workspace: Path, cli, uploaded):
    campaign = exo.campaign("Display", "display")
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {r["status"] for r in report["results"]} == {"dry_run", "skipped"}
    assert variations(exo, campaign) == []
    assert exo.requests("POST", "/exo/v2/campaigns") == []


def test_live_creates_one_ad_per_fitting_creative_and_reads_back(
    exo_variant: ExoSandbox, workspace: Path, cli
):
    exo = exo_variant
    make_creatives(workspace, 2)
    upload = env_cli(exo, workspace, cli, "upload", "--platform", "exoclick", "--live")
    assert upload.exit_code == 0, upload.output
    campaign = exo.campaign("Display", "display")
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--live")  # fmt: skip
    assert result.exit_code == 0, result.output
    images = file_ids(workspace, {"banner", "native_image"})
    ads = variations(exo, campaign)
    assert ad_files(exo, campaign) == names_of(workspace, {"banner", "native_image"})
    assert sorted(a["name"] for a in ads) == names_of(workspace, {"banner", "native_image"})
    assert {a["url"] for a in ads} == {URL}
    [landing] = exo.truth()["urls"]
    assert landing["url"] == URL and {a["idvariations_url"] for a in ads} == {landing["id"]}
    if exo.variant == "exo-variation-file-library-id":
        assert sorted(a["idvariations_file"] for a in ads) == sorted(images.values())
    assert "verified: campaign" in result.stdout
    # Videos do not fit a display campaign: reported, not sent.
    checkpoint = read_rows(checkpoint_path(Workspace(workspace), campaign), CHECKPOINT)
    by_status = {r["unique_id"]: r["status"] for r in checkpoint}
    assert {by_status[u] for u in images} == {"created"}
    assert {s for u, s in by_status.items() if u not in images} == {"skipped"}

    again = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                    "--target-url", URL, "--live", "--json")  # fmt: skip
    assert again.exit_code == 0, again.output
    statuses = {r["unique_id"]: r["status"] for r in json.loads(again.stdout)["results"]}
    assert {statuses[u] for u in images} == {"exists"}
    assert len(variations(exo, campaign)) == len(images)


def test_selection_ids_and_approved_only(exo: ExoSandbox, workspace: Path, cli, uploaded):
    campaign = exo.campaign("In-stream", "instream")
    prerolls = file_ids(workspace, {"preroll"})
    first, second = sorted(prerolls)
    # Only approved creatives: approve one pre-roll on the platform, then sync the record.
    exo.review([prerolls[first]], "approved")
    inventory.set_platform_fields(
        Workspace(workspace).inventory_csv, "exoclick", {first: {"review_status": "approved"}}
    )
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--ids", f"{first},{second}", "--status", "approved",
                     "--live", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [r["unique_id"] for r in report["results"]] == [first]
    assert [x["unique_id"] for x in report["left_out"]] == [second]
    [ad] = variations(exo, campaign)
    assert ad_files(exo, campaign) == [library_key(first_name(workspace, first))]
    assert ad["name"] == library_key(first_name(workspace, first))


def test_server_errors_on_create_never_make_two_ads(
    exo: ExoSandbox, workspace: Path, cli, uploaded
):
    campaign = exo.campaign("Display", "display")
    exo.switches(error_rate=0.5, error_routes=[f"/exo/v2/campaigns/{campaign}"], error_seed=11)
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--live", "--retries", "6")  # fmt: skip
    exo.switches(error_rate=0.0)
    assert result.exit_code == 0, result.output
    assert ad_files(exo, campaign) == names_of(workspace, {"banner", "native_image"})
    assert any(r["status"] == 500 for r in exo.requests(path=f"/exo/v2/campaigns/{campaign}"))


def test_an_ad_saved_before_a_500_is_never_made_twice_while_reads_fail(
    exo: ExoSandbox, workspace: Path, cli, uploaded
):
    campaign = exo.campaign("Display", "display")
    # The first POST saves the ad but answers 500; the next four reads fail too.
    exo.exo_switches(fail_after_create_next=1, then_fail_reads=4)
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--live", "--retries", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ad_files(exo, campaign) == names_of(workspace, {"banner", "native_image"})


def test_unknown_campaign_and_no_uploads_are_one_line_errors(exo: ExoSandbox, workspace: Path, cli):
    make_creatives(workspace, 1)
    none = env_cli(exo, workspace, cli, "exo-ads", "--campaign", "1", "--target-url", URL)
    assert none.exit_code == 2
    assert "no chosen creative has an ExoClick file id" in none.stderr
    inventory.set_platform_fields(
        Workspace(workspace).inventory_csv,
        "exoclick",
        {r["unique_id"]: {"creative_id": "4810001"}
         for r in inventory.load(Workspace(workspace).inventory_csv)},
    )  # fmt: skip
    missing = env_cli(exo, workspace, cli, "exo-ads", "--campaign", "999", "--target-url", URL)
    assert missing.exit_code == 2
    assert "campaign 999 not found" in missing.stderr
    bad_url = env_cli(exo, workspace, cli, "exo-ads", "--campaign", "1", "--target-url", "x")
    assert bad_url.exit_code == 2 and "--target-url" in bad_url.stderr


def test_run_and_since_choose_creatives(exo: ExoSandbox, workspace: Path, cli, uploaded):
    later = make_creatives(workspace, 1, start=5)
    upload = env_cli(exo, workspace, cli, "upload", "-p", "exoclick", "--live", "--json")
    [report] = json.loads(upload.stdout)
    campaign = exo.campaign("Display", "display")
    result = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                     "--target-url", URL, "--run", report["run_id"], "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    chosen = {r["unique_id"] for r in json.loads(result.stdout)["results"]}
    assert chosen == {c.unique_id for c in later}
    none = env_cli(exo, workspace, cli, "exo-ads", "--campaign", str(campaign),
                   "--target-url", URL, "--since", "2026-02-01")  # fmt: skip
    assert none.exit_code == 2 and "no chosen creative" in none.stderr
