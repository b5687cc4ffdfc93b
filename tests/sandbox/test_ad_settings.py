"""Ad settings: the ads table, mass create with CSV, its checks and the shortfall switch."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox

pytestmark = pytest.mark.browser
NATIVE_HEADER = [
    "Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID", "Headline", "Brand Name",
]  # fmt: skip


def native_library(sandbox: Sandbox, pairs: int) -> list[tuple[int, int]]:
    """`pairs` native videos and thumbnails in the library; their IDs as (video, thumbnail)."""
    videos = sandbox.seed(pairs, tabs=["native_rollover"])["creatives"]
    images = sandbox.seed(pairs, tabs=["native_static"])["creatives"]
    return [(v["id"], i["id"]) for v, i in zip(videos, images, strict=True)]


def native_csv(path: Path, pairs: list[tuple[int, int]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(NATIVE_HEADER)
        for n, (video, thumb) in enumerate(pairs, start=1):
            writer.writerow(
                [f"Ad {n}", "https://example.test/?c={CampaignID}", video, thumb, f"Headline {n}",
                 "Brand"]
            )  # fmt: skip
    return path


def open_ad_settings(page: Page, sandbox: Sandbox, campaign: dict[str, Any]) -> None:
    page.goto(f"{sandbox.app_url}/campaigns")
    page.get_by_role("link", name=campaign["name"]).click()
    expect(page.locator("table#adsTable")).to_be_visible()


def choose_csv(page: Page, path: Path) -> None:
    page.get_by_label("Mass create with CSV").check()
    expect(page.locator("#massAdsCsv")).to_be_visible()
    page.locator("#massAdsCsv").set_input_files(path)


def campaign(sandbox: Sandbox, category: str = "straight") -> dict[str, Any]:
    made = sandbox.seed(campaigns=[{"name": f"Native {category}", "content_category": category}])
    return dict(made["campaigns"][0])


def test_a_valid_csv_previews_then_creates_its_ads(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 12)
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    expect(signed_in.locator("#adsTable_info")).to_have_text("Showing 0 to 0 of 0 entries")
    expect(signed_in.locator("#massAdsCsv")).to_be_hidden()  # until the CSV mode is chosen
    signed_in.get_by_label("Mass create with CSV").check()
    preview = signed_in.get_by_role("button", name="Create CSV Preview")
    expect(preview).to_be_disabled()
    choose_csv(signed_in, native_csv(tmp_path / "native.csv", pairs))
    expect(preview).to_be_enabled()
    preview.click()
    modal = signed_in.locator("#csvPreviewModal")
    expect(modal).to_be_visible()
    expect(modal.locator("tbody tr")).to_have_count(12)
    modal.get_by_role("button", name="Create Ads").click()
    expect(signed_in.locator("#adsTable_info")).to_have_text("Showing 1 to 10 of 12 entries")
    expect(signed_in.locator("table#adsTable tbody tr")).to_have_count(10)
    signed_in.locator('select[name="adsTable_length"]').select_option("100")
    expect(signed_in.locator("table#adsTable tbody tr")).to_have_count(12)
    (held,) = sandbox.truth()["campaigns"]
    assert [ad["creative_ids"] for ad in held["ads"]] == [list(p) for p in pairs]
    assert [ad["name"] for ad in held["ads"]] == [f"Ad {n}" for n in range(1, 13)]


def test_a_category_mismatch_lists_every_invalid_id_and_blocks_the_preview(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 4)
    wrong = [pairs[1][0], pairs[3][1]]
    sandbox.control("creative_category", {"ids": wrong, "content_category": "gay"})
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "mixed.csv", pairs))
    banner = signed_in.locator("#csvIssues")
    expect(banner).to_contain_text("At least one issue was detected")
    items = banner.locator("li")
    expect(items).to_have_count(2)
    for item, creative_id in zip(items.all(), wrong, strict=True):
        expect(item).to_contain_text(str(creative_id))
        expect(item).to_contain_text("content category gay")
    expect(signed_in.get_by_role("button", name="Create CSV Preview")).to_be_disabled()
    assert sandbox.truth()["campaigns"][0]["ads"] == []


def test_unknown_creative_ids_are_listed(signed_in: Page, sandbox: Sandbox, tmp_path: Path) -> None:
    pairs = [*native_library(sandbox, 2), (1999999990, 1999999980)]
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "unknown.csv", pairs))
    items = signed_in.locator("#csvIssues li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("1999999990 was not found")
    expect(items.nth(1)).to_contain_text("1999999980 was not found")


def test_the_shortfall_switch_creates_fewer_ads_than_confirmed(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 5)
    target = campaign(sandbox)
    sandbox.switches(mass_create_shortfall=2)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "five.csv", pairs))
    signed_in.get_by_role("button", name="Create CSV Preview").click()
    signed_in.locator("#csvPreviewModal").get_by_role("button", name="Create Ads").click()
    expect(signed_in.get_by_role("status").first).to_contain_text("5 ad(s) submitted")
    expect(signed_in.locator("#adsTable_info")).to_have_text("Showing 1 to 3 of 3 entries")
    assert len(sandbox.truth()["campaigns"][0]["ads"]) == 3
