"""`creative-flow mass-create` against the TrafficJunky sandbox's ad settings page."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.campaigns.builders import native_pair, write_inventory, write_library, write_upload_run
from tests.campaigns.conftest import URL, campaign_files
from tracking import inventory
from tracking import mass_create_records as records

pytestmark = pytest.mark.browser
CAMPAIGN = 1000001


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_pairs(sandbox, count: int, category: str = "straight") -> list[tuple[int, int]]:
    """`count` native pairs on the platform: (video creative ID, thumbnail creative ID)."""
    made = sandbox.seed(creatives=2 * count, tabs=["native_rollover", "native_static"],
                        content_category=category, status="approved")["creatives"]  # fmt: skip
    return [(made[i]["id"], made[i + 1]["id"]) for i in range(0, len(made), 2)]


def prepare(
    sandbox, workspace: Path, pairs: list[tuple[int, int]], niches: tuple[str, ...] = ("Teen",)
) -> None:
    """Inventory and library cache as an upload run against the sandbox leaves them."""
    rows: list[dict[str, str]] = []
    for n, (video, image) in enumerate(pairs):
        rows += native_pair(
            f"{0xC0FFEE00 + n:08X}", niches[n % len(niches)], str(video), str(image)
        )
    write_inventory(workspace, rows)
    write_library(workspace, rows)
    sandbox.write_session(workspace)


def add_campaign(sandbox, campaign_id: int = CAMPAIGN, category: str = "straight") -> None:
    sandbox.seed(campaigns=[{"id": campaign_id, "name": f"Campaign {campaign_id}",
                             "content_category": category, "ad_format": "native"}])  # fmt: skip


def ads_on_platform(sandbox, campaign_id: int = CAMPAIGN) -> list[dict[str, Any]]:
    [campaign] = [c for c in sandbox.truth()["campaigns"] if c["id"] == campaign_id]
    return list(campaign["ads"])


def write_csv(cli, workspace: Path, *args: str) -> list[Path]:
    result = cli("--workspace", workspace, "campaign-csv", "--target-url", URL, "--brand", "Acme",
                 *args)  # fmt: skip
    assert result.exit_code == 0, result.output
    return campaign_files(workspace)


def mass_create(cli, sandbox, workspace: Path, *args: str | Path):
    env_file = workspace / "sandbox.env"
    settings = sandbox.settings(workspace)
    env_file.write_text(
        f"TJ_APP_URL={settings.tj_app_url}\nTJ_SIGNIN_URL={settings.tj_signin_url}\n"
    )
    return cli("--workspace", workspace, "--env-file", env_file, "mass-create", *args)


def create_live(cli, sandbox, workspace: Path):
    """Add the campaign, write its CSV and mass-create it live; the result and the CSV."""
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip
    return result, path


def summary_of(workspace: Path) -> list[dict[str, str]]:
    [path] = (workspace / "records" / "mass_create").glob("upload_summary_*.csv")
    return rows_of(path)


def test_by_category_files_are_accepted_and_exactly_those_ads_created(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 5), niches=("Teen", "Milf"))
    add_campaign(sandbox, CAMPAIGN)
    add_campaign(sandbox, CAMPAIGN + 1)
    proven = [r for r in inventory.load(workspace / "records" / "inventory.csv")]
    write_upload_run(workspace, "run-1", [
        {"unique_id": r["unique_id"], "file_name": r["new_filename"], "status": "success",
         "tj_creative_id": r["tj_creative_id"], "platform": "trafficjunky"} for r in proven
    ])  # fmt: skip
    milf, teen = write_csv(cli, workspace, "--by-category", "--run", "run-1")
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", teen,
                         "--campaign", str(CAMPAIGN + 1), "--csv", milf.name, "--live")  # fmt: skip
    assert result.exit_code == 0, result.output
    for campaign, path in ((CAMPAIGN, teen), (CAMPAIGN + 1, milf)):
        made = ads_on_platform(sandbox, campaign)
        wanted = rows_of(path)
        assert [a["name"] for a in made] == [r["Ad Name"] for r in wanted]
        pairs = [[int(r["Video Creative ID"]), int(r["Thumbnail Creative ID"])] for r in wanted]
        assert [a["creative_ids"] for a in made] == pairs
    summary = summary_of(workspace)
    assert [(r["campaign_id"], r["status"], r["ads_created"]) for r in summary] == [
        (str(CAMPAIGN), "success", "3"), (str(CAMPAIGN + 1), "success", "2")]  # fmt: skip


def test_mass_create_records_exactly_the_platforms_ads_on_every_variant(
    cli, sandbox_variant, workspace: Path
) -> None:
    sandbox = sandbox_variant
    pairs = seed_pairs(sandbox, 4)
    refused = pairs[2][1]  # one thumbnail of another content category
    sandbox.control("creative_category", {"ids": [refused], "content_category": "gay"})
    prepare(sandbox, workspace, pairs)
    result, _ = create_live(cli, sandbox, workspace)
    assert result.exit_code == 0, f"{sandbox.variant}: {result.output}"
    kept = [p for p in pairs if refused not in p]
    assert [a["creative_ids"] for a in ads_on_platform(sandbox)] == [list(p) for p in kept]
    [invalid_file] = (workspace / "records" / "mass_create").glob("invalid_creatives_*.csv")
    assert [r["creative_id"] for r in rows_of(invalid_file)] == [str(refused)]
    [row] = summary_of(workspace)
    assert (row["status"], row["ads_created"]) == ("success", "3")
    [entry] = records.load_checkpoint(workspace / "records").values()
    assert (entry.status, entry.ads_created) == ("success", 3)


@pytest.mark.parametrize("page_length", ["select2", "plain"])
def test_tour_guides_on_every_page_do_not_stop_mass_create(
    cli, sandbox, workspace: Path, page_length: str
) -> None:
    sandbox.switches(tour_overlay="always", page_length=page_length)
    pairs = seed_pairs(sandbox, 3)
    prepare(sandbox, workspace, pairs)
    result, _ = create_live(cli, sandbox, workspace)
    assert result.exit_code == 0, result.output
    assert [a["creative_ids"] for a in ads_on_platform(sandbox)] == [list(p) for p in pairs]


def test_two_refused_ids_in_one_sentence_are_both_removed(cli, sandbox, workspace: Path) -> None:
    pairs = seed_pairs(sandbox, 4)
    refused = [pairs[0][0], pairs[3][1]]  # two rows, one sentence on the page
    sandbox.control("creative_category", {"ids": refused, "content_category": "gay"})
    prepare(sandbox, workspace, pairs)
    result, _ = create_live(cli, sandbox, workspace)
    assert result.exit_code == 0, result.output
    assert [a["creative_ids"] for a in ads_on_platform(sandbox)] == [list(p) for p in pairs[1:3]]
    [invalid_file] = (workspace / "records" / "mass_create").glob("invalid_creatives_*.csv")
    invalid = rows_of(invalid_file)
    assert sorted(r["creative_id"] for r in invalid) == sorted(map(str, refused))
    assert invalid[0]["error"] == invalid[1]["error"]  # one sentence named both
    assert "The following creatives are not valid" in invalid[0]["error"]


def test_a_campaign_with_more_ads_than_a_page_is_counted_in_full(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 2))
    add_campaign(sandbox)
    for n in range(118):  # more than the 100 rows a page the tool asks for
        sandbox.state.add_ad(CAMPAIGN, f"Old {n}", "https://a.test/", [1_000_000_000 + n])
    [path] = write_csv(cli, workspace)
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(ads_on_platform(sandbox)) == 120
    [row] = summary_of(workspace)
    assert (row["status"], row["ads_created"]) == ("success", "2")


def test_dry_run_validates_and_plans_without_touching_the_platform(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 2))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    [job] = json.loads(result.stdout)["campaigns"]
    assert (job["status"], job["submitted"]) == ("dry_run", 2)
    assert "would open campaign" in job["notes"][0]
    assert ads_on_platform(sandbox) == []
    assert not (workspace / "records" / "mass_create" / "checkpoint.json").exists()


def test_category_mismatch_is_cleaned_reported_and_retried(cli, sandbox, workspace: Path) -> None:
    good = seed_pairs(sandbox, 3)
    wrong = seed_pairs(sandbox, 1, category="gay")
    prepare(sandbox, workspace, [good[0], wrong[0], *good[1:]])
    result, path = create_live(cli, sandbox, workspace)
    assert result.exit_code == 0, result.output
    made = ads_on_platform(sandbox)
    assert sorted(a["creative_ids"][0] for a in made) == sorted(v for v, _ in good)
    [invalid_file] = (workspace / "records" / "mass_create").glob("invalid_creatives_*.csv")
    invalid = rows_of(invalid_file)
    assert sorted(r["creative_id"] for r in invalid) == sorted(map(str, wrong[0]))
    assert all("content category" in r["error"] and r["action_required"] for r in invalid)
    assert list(invalid[0]) == ["campaign_id", "campaign_name", "creative_id", "error",
                                "action_required", "timestamp"]  # fmt: skip
    [row] = summary_of(workspace)
    assert (row["status"], row["ads_created"], row["invalid_creatives_count"]) == (
        "success",
        "3",
        "2",
    )
    [cleaned] = (workspace / "records" / "mass_create" / "cleaned").glob("*.csv")
    assert len(rows_of(cleaned)) == 3 and path.read_text().count("\n") == 5  # source untouched


def test_verification_catches_a_platform_that_creates_fewer_ads(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 4))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    sandbox.switches(mass_create_shortfall=1)
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip
    assert result.exit_code == 7, result.output
    assert len(ads_on_platform(sandbox)) == 3
    [row] = summary_of(workspace)
    assert (row["status"], row["ads_created"]) == ("count_mismatch", "3")
    assert "submitted 4 ads" in row["error"] and "from 0 to 3" in row["error"]
    assert "count_mismatch" in result.output


def test_a_rerun_skips_campaigns_done_and_fresh_redoes_them(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 2))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    args = ("--campaign", str(CAMPAIGN), "--csv", path, "--live")
    assert mass_create(cli, sandbox, workspace, *args).exit_code == 0
    again = mass_create(cli, sandbox, workspace, *args)
    assert again.exit_code == 0, again.output
    assert "skipped" in again.output and "done in run" in again.output
    assert len(ads_on_platform(sandbox)) == 2
    fresh = mass_create(cli, sandbox, workspace, *args, "--fresh")
    assert fresh.exit_code == 0, fresh.output
    assert len(ads_on_platform(sandbox)) == 4


def test_failed_campaigns_wait_for_retry_failed(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    [path] = write_csv(cli, workspace)
    args = ("--campaign", str(CAMPAIGN), "--csv", path, "--live")
    first = mass_create(cli, sandbox, workspace, *args)  # the campaign does not exist yet
    assert first.exit_code == 7 and "not found" in first.output
    add_campaign(sandbox)
    rerun = mass_create(cli, sandbox, workspace, *args)
    assert rerun.exit_code == 0 and "--retry-failed" in rerun.output
    assert ads_on_platform(sandbox) == []
    retried = mass_create(cli, sandbox, workspace, *args, "--retry-failed")
    assert retried.exit_code == 0, retried.output
    assert len(ads_on_platform(sandbox)) == 1


def test_mapping_file_with_a_disabled_campaign(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    add_campaign(sandbox)
    add_campaign(sandbox, CAMPAIGN + 1)
    [path] = write_csv(cli, workspace)
    mapping = workspace / "mapping.csv"
    mapping.write_text("campaign_id,csv_filename,campaign_name,enabled\n"
                       f"{CAMPAIGN},{path.name},Spring,true\n"
                       f"{CAMPAIGN + 1},{path.name},Summer,false\n")  # fmt: skip
    result = mass_create(cli, sandbox, workspace, "--mapping", mapping, "--live")
    assert result.exit_code == 0, result.output
    assert len(ads_on_platform(sandbox)) == 1 and ads_on_platform(sandbox, CAMPAIGN + 1) == []
    assert [(r["campaign_name"], r["status"]) for r in summary_of(workspace)] == [
        ("Summer", "disabled"), ("Spring", "success")]  # fmt: skip


def test_without_a_session_it_asks_to_log_in(cli, sandbox, workspace: Path) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    (workspace / "sessions" / "trafficjunky.json").unlink()
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip
    assert result.exit_code == 3
    assert "creative-flow login trafficjunky" in result.output
    assert not (workspace / "records" / "mass_create" / "checkpoint.json").exists()


def test_an_invalid_csv_is_refused_offline_and_the_others_go_on(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    broken = workspace / "broken.csv"
    broken.write_text(path.read_text().replace('"Acme"', '"' + "B" * 30 + '"'))
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", broken,
                         "--campaign", str(CAMPAIGN), "--csv", path, "--live")  # fmt: skip
    assert result.exit_code == 7
    assert "broken.csv:2: Brand Name is 30 characters, the limit is 25" in result.output
    assert len(ads_on_platform(sandbox)) == 1


def test_unpaired_options_are_a_usage_error(cli, workspace: Path) -> None:
    result = cli("--workspace", workspace, "mass-create", "--campaign", "1", "--campaign", "2",
                 "--csv", "a.csv")  # fmt: skip
    assert result.exit_code == 2 and "pairs" in result.output


def test_a_file_the_campaign_cannot_take_fails_with_the_pages_reason(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    sandbox.seed(campaigns=[{"id": CAMPAIGN, "name": "Pre-roll only",
                             "content_category": "straight", "ad_format": "preroll"}])  # fmt: skip
    [path] = write_csv(cli, workspace)
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live", "--trace")  # fmt: skip
    assert result.exit_code == 7
    assert "refused the file" in result.output and "Pre-roll" in result.output
    assert ads_on_platform(sandbox) == []
    assert list((workspace / "artifacts").glob("*/trace-trafficjunky.zip"))


def test_status_approved_refuses_a_file_with_pending_creatives_offline(
    cli, workspace: Path
) -> None:
    rows = [*native_pair("11111111", "Teen", "1000000001", "1000000002", status="pending")]
    write_inventory(workspace, rows)
    write_library(workspace, rows)
    [path] = write_csv(cli, workspace)
    result = cli("--workspace", workspace, "mass-create", "--campaign", str(CAMPAIGN),
                 "--csv", path, "--status", "approved", "--json")  # fmt: skip
    assert result.exit_code == 7
    [job] = json.loads(result.stdout)["campaigns"]
    assert job["status"] == "invalid_csv"
    assert any("1000000001 is pending, not approved" in note for note in job["notes"])


def test_a_missing_csv_is_reported_and_checked_again_on_the_next_run(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 1))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    later = workspace / "later.csv"
    args = ("--campaign", str(CAMPAIGN), "--csv", later, "--live")
    first = mass_create(cli, sandbox, workspace, *args)
    assert first.exit_code == 7, first.output
    assert "later.csv: no such file" in first.output
    later.write_bytes(path.read_bytes())
    second = mass_create(cli, sandbox, workspace, *args)
    assert second.exit_code == 0, second.output
    assert len(ads_on_platform(sandbox)) == 1


def test_an_error_page_after_confirming_is_judged_by_the_count(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 2))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    sandbox.switches(after_mass_create="error")
    result = mass_create(cli, sandbox, workspace, "--campaign", str(CAMPAIGN), "--csv", path,
                         "--live")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(ads_on_platform(sandbox)) == 2
    [row] = summary_of(workspace)
    assert (row["status"], row["ads_created"]) == ("success", "2")


def test_a_session_ending_after_confirming_is_never_resubmitted(
    cli, sandbox, workspace: Path
) -> None:
    prepare(sandbox, workspace, seed_pairs(sandbox, 2))
    add_campaign(sandbox)
    [path] = write_csv(cli, workspace)
    args = ("--campaign", str(CAMPAIGN), "--csv", path, "--live")
    sandbox.switches(after_mass_create="logout")
    first = mass_create(cli, sandbox, workspace, *args)
    assert first.exit_code == 3, first.output
    assert len(ads_on_platform(sandbox)) == 2
    [row] = summary_of(workspace)
    assert row["status"] == "count_mismatch" and "submits only those missing" in row["error"]
    sandbox.switches(after_mass_create=None)
    sandbox.write_session(workspace)  # logged in again
    rerun = mass_create(cli, sandbox, workspace, *args)
    assert rerun.exit_code == 0, rerun.output
    assert "it had created 2" in rerun.output
    assert len(ads_on_platform(sandbox)) == 2


def test_a_csv_path_inside_the_workspace_is_found_from_anywhere(
    cli, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*native_pair("22222222", "Teen", "1000000001", "1000000002")]
    write_inventory(workspace, rows)
    write_library(workspace, rows)
    [path] = write_csv(cli, workspace)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("--workspace", workspace, "mass-create", "--campaign", str(CAMPAIGN),
                 "--csv", f"records/campaigns/{path.name}", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    [job] = json.loads(result.stdout)["campaigns"]
    assert (job["status"], job["submitted"]) == ("dry_run", 1)
